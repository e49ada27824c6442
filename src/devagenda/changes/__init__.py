"""The change log as people read it: lists, a record's history, diffs and reverts (the
entries themselves are written by `devagenda.core.changelog`)."""
