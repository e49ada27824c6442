"""The backup file: a zip holding one entry per table and a manifest.

- `tables/NAME.jsonl`: one row per line, a JSON array of the row's values in the
  manifest's column order (`devagenda.backup.values` says how each type is written),
  rows ordered by primary key;
- `manifest.json`, last: the format and its version, the devagenda version and schema
  revision that wrote it, the tables in restore order with their columns, row count and
  the SHA-256 of their entry, and the tables a restore rebuilds instead of reading.

Nothing in it depends on when or where it was written (no time, host or path; every entry
dated 1980-01-01), so the same content always makes the same bytes.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterable, Iterator
from hashlib import sha256
from pathlib import Path
from typing import IO, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from devagenda.core.errors import InputError

FORMAT = "devagenda-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
ENTRY_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can carry
WRITE_BUFFER = 1 << 16


class BackupFileError(InputError):
    """A file that is not a backup this devagenda can restore, or is damaged."""

    kind = "backup_file"


class TableData(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[a-z_][a-z0-9_]*$")
    columns: list[str]
    rows: int = Field(ge=0)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")

    @property
    def entry(self) -> str:
        return table_entry(self.name)


class Manifest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    format: str = FORMAT
    format_version: int = FORMAT_VERSION
    devagenda_version: str
    schema_revision: str
    tables: list[TableData]  # in the order a restore writes them
    rebuilt: list[str]  # caches a restore rebuilds from the tables

    def to_bytes(self) -> bytes:
        text = json.dumps(self.model_dump(mode="json"), ensure_ascii=False, indent=2)
        return (text + "\n").encode()


def table_entry(name: str) -> str:
    return f"tables/{name}.jsonl"


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ENTRY_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3  # Unix, whatever system writes it
    info.external_attr = 0o644 << 16
    return info


def encode_row(values: list[Any]) -> bytes:
    return (json.dumps(values, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


class ArchiveWriter:
    """Writes tables one after another, streaming their rows, then the manifest."""

    def __init__(self, target: IO[bytes]) -> None:
        self._zip = zipfile.ZipFile(target, "w")
        self.tables: list[TableData] = []

    def add_table(self, name: str, columns: list[str], rows: Iterable[list[Any]]) -> TableData:
        digest = sha256()
        count = 0
        buffer = bytearray()
        # Always ZIP64, so that the bytes do not depend on whether a table is large.
        with self._zip.open(_entry(table_entry(name)), "w", force_zip64=True) as entry:
            for row in rows:
                buffer += encode_row(row)
                count += 1
                if len(buffer) >= WRITE_BUFFER:
                    digest.update(buffer)
                    entry.write(buffer)
                    buffer.clear()
            digest.update(buffer)
            entry.write(buffer)
        table = TableData(name=name, columns=columns, rows=count, sha256=digest.hexdigest())
        self.tables.append(table)
        return table

    def finish(self, *, devagenda_version: str, schema_revision: str, rebuilt: list[str]) -> None:
        manifest = Manifest(
            devagenda_version=devagenda_version,
            schema_revision=schema_revision,
            tables=self.tables,
            rebuilt=rebuilt,
        )
        self._zip.writestr(_entry(MANIFEST), manifest.to_bytes())
        self._zip.close()


class ArchiveReader:
    """A backup opened for restoring: its manifest read and checked for shape; `verify`
    then checks every table's entry against it before anything is written."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._zip = zipfile.ZipFile(path)
        except FileNotFoundError:
            raise BackupFileError("no such file", path=str(path)) from None
        except (zipfile.BadZipFile, OSError) as error:
            raise self.damaged(f"not a zip file ({error})") from None
        try:
            self.manifest = self._read_manifest()
        except BaseException:
            self._zip.close()
            raise

    def damaged(self, what: str) -> BackupFileError:
        return BackupFileError(
            f"not a whole devagenda backup: {what}; use the file `devagenda export --all` "
            "wrote, copied in full",
            path=str(self.path),
        )

    def bad_row(self, table: TableData, number: int, what: str) -> BackupFileError:
        return BackupFileError(
            f"{what}: the file was changed after `devagenda export --all` wrote it",
            path=str(self.path),
            line=number,
            field=table.entry,
        )

    def _read_manifest(self) -> Manifest:
        try:
            data = json.loads(self._zip.read(MANIFEST))
        except KeyError:
            raise self.damaged(f"it holds no {MANIFEST}") from None
        except (zipfile.BadZipFile, ValueError, OSError) as error:
            raise self.damaged(f"its {MANIFEST} cannot be read ({error})") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise self.damaged(f"its {MANIFEST} does not name the format {FORMAT!r}")
        version = data.get("format_version")
        if isinstance(version, int) and version > FORMAT_VERSION:
            raise BackupFileError(
                f"backup format {version} is newer than this devagenda reads "
                f"({FORMAT_VERSION}): upgrade devagenda",
                path=str(self.path),
                field="format_version",
            )
        try:
            manifest = Manifest.model_validate(data)
        except ValidationError as error:
            problem = error.errors()[0]
            field = ".".join(str(part) for part in problem["loc"])
            raise BackupFileError(
                f"the manifest is malformed: {problem['msg']}", path=str(self.path), field=field
            ) from None
        if manifest.format_version != FORMAT_VERSION:
            raise self.damaged(f"unknown format version {manifest.format_version}")
        return manifest

    def verify(self) -> None:
        """Every table's entry is there, whole, with the rows and checksum the manifest
        states (the zip's own CRCs are checked on the way)."""
        for table in self.manifest.tables:
            digest = sha256()
            lines = 0
            try:
                with self._zip.open(table.entry) as entry:
                    while chunk := entry.read(WRITE_BUFFER):
                        digest.update(chunk)
                        lines += chunk.count(b"\n")
            except KeyError:
                raise self.damaged(f"the table {table.name} is missing") from None
            except (zipfile.BadZipFile, OSError, EOFError) as error:
                raise self.damaged(f"the table {table.name} cannot be read ({error})") from None
            if digest.hexdigest() != table.sha256:
                raise self.damaged(f"the table {table.name} does not match its SHA-256")
            if lines != table.rows:
                raise self.damaged(f"the table {table.name} holds {lines} rows, not {table.rows}")

    def rows(self, table: TableData) -> Iterator[list[Any]]:
        """The rows of `table`, one list of values each, read as they are needed."""
        with self._zip.open(table.entry) as entry:
            for number, line in enumerate(entry, start=1):
                try:
                    values = json.loads(line)
                except ValueError:
                    values = None
                if not isinstance(values, list) or len(values) != len(table.columns):
                    raise self.bad_row(table, number, f"not a list of {len(table.columns)} values")
                yield values

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> ArchiveReader:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
