"""bj30: Beijing's "30 Measures" on science and technology reform, in the terminal."""

__version__ = "0.2.0"
