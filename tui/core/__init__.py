"""The core of bj30: models, loaders, search, store and exporters.

Nothing in this package imports Textual, so the CLI and the tests of the core
stay fast and independent of the UI.
"""
