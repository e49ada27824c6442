"""jieba's dictionary as an indexed SQLite file, for processes that segment little text.

jieba holds its dictionary (every word with its frequency, and every prefix of a word with
0) in one dict of about half a million keys, which takes about a second of CPU to load
from its cache in every process. A command-line search segments its query and a few
names: a few dozen lookups. `LookupDictionary` answers jieba's lookups one key at a time
from a copy of that same dict on disk, and jieba's own code does the segmenting, as ever:
every key it looks up has the value the loaded dict would give, so the words are the same.

The copy is written once from jieba's loaded dict into the user's cache folder (next to
jieba's own cache), atomically, and records which dictionary it was made from (jieba's
version, its dictionary file's size and modification time): another dictionary means a
new copy, never an answer from the old one.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

if TYPE_CHECKING:
    import jieba

FILE_NAME = "dictionary.sqlite3"
_WORDS_PER_INSERT = 50_000


class LookupDictionary(Mapping[str, int]):
    """jieba's `FREQ` dict, read key by key from the copy; each key read once."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection
        self._read: dict[str, int | None] = {}

    def _frequency(self, word: str) -> int | None:
        try:
            return self._read[word]
        except KeyError:
            row = self._connection.execute(
                "SELECT frequency FROM word WHERE word = ?", (word,)
            ).fetchone()
            found = self._read[word] = None if row is None else row[0]
            return found

    def __getitem__(self, word: str) -> int:
        found = self._frequency(word)
        if found is None:
            raise KeyError(word)
        return found

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self._frequency(word) is not None

    def get(self, word: str, default: int | None = None) -> int | None:  # type: ignore[override]
        found = self._frequency(word)
        return default if found is None else found

    def __iter__(self) -> Iterator[str]:
        return (word for (word,) in self._connection.execute("SELECT word FROM word"))

    def __len__(self) -> int:
        (count,) = self._connection.execute("SELECT count(*) FROM word").fetchone()
        return int(count)


def dictionary_identity() -> str:
    """Which dictionary jieba would load: its version and its dictionary file's state."""
    import jieba

    path = Path(jieba.__file__).parent / jieba.DEFAULT_DICT_NAME
    status = path.stat()
    return f"jieba {jieba.__version__}; {path}; {status.st_size} bytes; {status.st_mtime_ns}"


def lookup_tokenizer(folder: Path) -> jieba.Tokenizer | None:
    """A jieba tokenizer whose dictionary is read from the copy in `folder`; None when
    there is no copy of the dictionary jieba would load (`write_copy` makes it)."""
    import jieba

    connection = _open(folder / FILE_NAME, dictionary_identity())
    if connection is None:
        return None
    (total,) = connection.execute("SELECT total FROM made_from").fetchone()
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ = LookupDictionary(connection)
    tokenizer.total = total
    tokenizer.initialized = True  # jieba then never loads its own dict
    return tokenizer


def write_copy(folder: Path, tokenizer: jieba.Tokenizer) -> None:
    """Copy the dictionary of a loaded tokenizer into `folder`. Written beside its place
    and moved there in one step, so that a concurrent reader sees the old file or the
    whole new one."""
    path = folder / FILE_NAME
    descriptor, name = tempfile.mkstemp(dir=folder, prefix=".dictionary-", suffix=".tmp")
    os.close(descriptor)
    try:
        with sqlite3.connect(name) as connection:
            connection.execute(
                "CREATE TABLE word (word TEXT PRIMARY KEY, frequency INTEGER) WITHOUT ROWID"
            )
            items = list(tokenizer.FREQ.items())
            for start in range(0, len(items), _WORDS_PER_INSERT):
                connection.executemany(
                    "INSERT INTO word VALUES (?, ?)", items[start : start + _WORDS_PER_INSERT]
                )
            connection.execute("CREATE TABLE made_from (identity TEXT, total INTEGER)")
            connection.execute(
                "INSERT INTO made_from VALUES (?, ?)", (dictionary_identity(), tokenizer.total)
            )
        connection.close()
        os.replace(name, path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


def _open(path: Path, identity: str) -> sqlite3.Connection | None:
    """The copy, read-only, if it is there and made from this dictionary."""
    if not path.is_file():
        return None
    connection = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True)
    try:
        row = connection.execute("SELECT identity FROM made_from").fetchone()
    except sqlite3.Error:
        row = None
    if row is None or row[0] != identity:
        connection.close()
        return None
    return connection
