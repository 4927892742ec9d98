"""Text safety: control characters made visible, terminal output, fitting text to a width."""
