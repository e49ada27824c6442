"""Settings, database, errors and shared model mixins."""
