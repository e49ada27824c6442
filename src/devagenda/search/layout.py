"""What the index's models, its migrations, its writer (`devagenda.search.sync`) and the
readers that use plain SQL without the models (`devagenda.search.facets`,
`devagenda.search.services`) share: sizes, names and the version of the stored format."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from devagenda.core.sqlreader import Reader

CHUNK_SIZE = 65536  # entry ids per search_chunk row (migration 0011's triggers use it too)
FULL_TEXT_COLUMN = "search_vector"  # PostgreSQL's generated tsvector (migration 0003)
# The version of what `devagenda.search.sync` stores; raise it whenever tokens or names are
# made otherwise, so that `devagenda init` rebuilds indexes made by an earlier version.
INDEX_FORMAT = 2


def index_is_current(reader: Reader) -> bool:
    """Whether the stored entries were made by this version's tokenization."""
    return reader.rows("SELECT format FROM search_index_format") == [(INDEX_FORMAT,)]
