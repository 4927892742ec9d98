"""Modal dialogs: small boxes over a screen that ask one thing and dismiss with the answer."""
