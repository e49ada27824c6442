"""Backup and restore of the whole knowledge base: `devagenda export --all` and
`devagenda import --all`.

Driven by the models' metadata, not by a list of tables: every table of
`devagenda.core.schema.metadata()` is written, in foreign-key order, except the caches
that declare how they are rebuilt (`devagenda.core.models.REBUILT_BY`), which a restore
rebuilds. A table added later is backed up with no new code; a column type without a rule
in `values` stops the export with a message naming it, rather than writing a lossy copy.

- `values`: each column's values as the same JSON text whatever the database;
- `archive`: the file, a zip of one JSON-lines entry per table and a manifest;
- `services`: export, restore and the check that a database holds nothing of its own.
"""
