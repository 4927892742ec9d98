"""Reusable widgets. They talk upward with nested Messages, downward with methods and reactives."""
