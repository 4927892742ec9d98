"""The progress store: one interface, the SQLite and PostgreSQL backends, copies and imports."""
