"""The rules every import of a user's file follows (catalogue facts today; activities,
roster and flexibilities later), so that each import is as safe and as clear as the others.

- A file is CSV (UTF-8, comma-separated) or XLSX (its first sheet); the first row names the
  columns, in any order. Unknown and missing required columns are refused.
- Every row is checked before anything is stored, and every bad row is reported at once
  with its row number (as a spreadsheet shows it: the header is row 1), column and reason.
- One transaction: if any row is bad, nothing is stored.
- A key column identifies the record a row is about; a row whose key names a stored record
  updates it, so that importing a corrected file again updates rather than duplicates.
- A file that would change or remove what is stored is refused, naming each row and what
  it would replace, unless the import is told to replace (`replace=True`, the CLI's
  `--replace`); what it then replaces is logged in full in the change log. Importing the
  same file again changes nothing, so it is never refused.
- Every row names its source (a document symbol or a URL) in a source column, and every
  fact it stores points at that source.

An area describes its file with an `ImportSpec` and supplies the function that stores one
checked row; `run_import` does the rest.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from dataclasses import replace as copy_with
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from devagenda.core.changelog import (
    UNLOGGED_COLUMNS,
    ChangeAction,
    Noted,
    key_parts,
    log_in_full,
    logged_run,
    watching,
)
from devagenda.core.errors import InputError, ReplaceRefused
from devagenda.core.models import Source, SourceKind, SourceLocation

FORMATS = ("csv", "xlsx")
HEADER_ROW = 1
# Separators people type between items of a list cell: "1, 10, 12", "1|10", "秘鲁、喀麦隆".
_LIST_SEPARATORS = re.compile(r"\s*[|;,、，；]\s*")
_URL = re.compile(r"^https?://[^\s]+$", re.IGNORECASE)
_GUARD = "devagenda.imports.replacements"
SHOWN_REPLACEMENTS = 10  # rows named in the one-line refusal; --json lists them all
# Columns whose change replaces nothing a reader sees: timestamps, and the pointer to a
# fact's source, which moves with the fact (a fact stated again by another file).
_NOT_REPLACED = UNLOGGED_COLUMNS | {"source_location_id"}


class CellError(ValueError):
    """A cell's value is not acceptable; the message says why, for the user."""


@dataclass(frozen=True)
class Column:
    """One column of an import file: how it is read and how the template explains it."""

    name: str
    description: str
    example: str = ""
    required: bool = False  # the column must be present and every row must fill it
    parse: Callable[[str], Any] = str  # raises CellError (or ValueError) with a reason


@dataclass(frozen=True)
class ImportSpec:
    """What a kind of import file holds. `keys` are the columns that identify the record a
    row is about, tried in order; a row must fill at least one of them."""

    name: str  # also the data sheet's name in an XLSX template
    columns: tuple[Column, ...]
    keys: tuple[str, ...]
    source: str = "source"

    def column(self, name: str) -> Column:
        return next(column for column in self.columns if column.name == name)


@dataclass(frozen=True)
class Problem:
    """A bad row (or a bad header, row 1): where it is and what to do."""

    row: int
    column: str | None
    reason: str

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", column {self.column!r}" if self.column else "")
        return f"{where}: {self.reason}"


class ImportRefused(InputError):
    """The file has bad rows; nothing was stored. Carries every problem found."""

    def __init__(self, path: str, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        super().__init__(
            f"{count} {noun}, nothing stored: " + "; ".join(map(str, self.problems)), path=path
        )

    def lines(self) -> list[str]:
        """One line per problem, each naming the file, for a terminal."""
        return [f"{self.path}: {problem}" for problem in self.problems]


class FilesRefused(InputError):
    """Some files of one import have bad rows; nothing of any file was stored. Carries
    each file's refusal, so that one run reports every problem of every file."""

    def __init__(self, refusals: Sequence[ImportRefused]) -> None:
        self.refusals = list(refusals)
        problems = sum(len(refusal.problems) for refusal in self.refusals)
        files = len(self.refusals)
        super().__init__(
            f"{problems} problem{'s' if problems != 1 else ''} in {files} "
            f"file{'s' if files != 1 else ''}, nothing stored"
        )

    def lines(self) -> list[str]:
        return [line for refusal in self.refusals for line in refusal.lines()]


class RowRejected(CellError):
    """Raised while storing a row whose values are well-formed but do not fit what is
    stored (an unknown project, a fact another source states differently). `others` are
    the row's further problems, so that all of them are reported at once."""

    def __init__(
        self, column: str | None, reason: str, *, others: Sequence[tuple[str | None, str]] = ()
    ) -> None:
        self.column = column
        self.problems = [(column, reason), *others]
        super().__init__(reason)

    @classmethod
    def of(
        cls, problems: Mapping[str, str], column_of: Mapping[str, str] | None = None
    ) -> RowRejected:
        """Every problem of a row, keyed by field; `column_of` renames fields to the
        file's column names."""
        named = [((column_of or {}).get(name, name), reason) for name, reason in problems.items()]
        (column, reason), *others = named
        return cls(column, reason, others=others)


class RowProblems:
    """A row's problems, collected while its values are read and checked, so that a row
    with several names every one of them."""

    def __init__(self) -> None:
        self.found: dict[str, str] = {}

    @contextmanager
    def reading(self, column: str) -> Iterator[None]:
        """Note, rather than raise, the RowRejected of reading `column`."""
        try:
            yield
        except RowRejected as error:
            for named, reason in error.problems:
                self.found.setdefault(named or column, reason)

    def raise_any(
        self, checked: Mapping[str, str] | None = None, column_of: Mapping[str, str] | None = None
    ) -> None:
        """Raise one RowRejected naming these and the `checked` problems, if any."""
        problems = {**(checked or {}), **self.found}
        if problems:
            raise RowRejected.of(problems, column_of)


class ImportWouldReplace(ReplaceRefused):
    """The files would change or remove stored records and replacing was not asked for;
    nothing was stored. Names each row and what it would replace."""

    def __init__(self, replaced: Sequence[Replaced]) -> None:
        self.replaced = list(replaced)
        count = len(self.replaced)
        shown = "; ".join(map(str, self.replaced[:SHOWN_REPLACEMENTS]))
        more = count - SHOWN_REPLACEMENTS
        if more > 0:
            shown += f"; and {more} more (--json lists them all)"
        super().__init__(
            f"the import would change {count} stored record{'s' if count != 1 else ''}: "
            f"{shown}. Nothing stored; run again with --replace to replace "
            f"{'it' if count == 1 else 'them'} (the change log keeps what is replaced)",
            changes={"replaced": [item.to_dict() for item in self.replaced]},
        )


@dataclass(frozen=True)
class Replaced:
    """What one row of a file would replace of the record it names."""

    file: str
    row: int
    key: str  # "code TA-1": the row's key column and value
    changes: tuple[str, ...]  # "title_en (was 'Old title')", "language fr removed"

    def __str__(self) -> str:
        return f"{Path(self.file).name} row {self.row} ({self.key}): {', '.join(self.changes)}"

    def to_dict(self) -> dict[str, object]:
        return {"file": self.file, "row": self.row, "key": self.key, "changes": list(self.changes)}


@dataclass
class _Replacements:
    """Watches an import's writes, row by row, for changes to what was stored before;
    when replacing is allowed, logs each replaced record in full."""

    session: Session
    allowed: bool
    found: list[Replaced] = field(default_factory=list)
    _where: tuple[str, ImportRow] | None = None
    _seen: dict[tuple[str, str], list[Noted]] = field(default_factory=dict)

    def begin(self, file: str, row: ImportRow) -> None:
        self._where, self._seen = (file, row), {}

    def note(self, noted: Noted) -> None:
        if self._where is not None:
            self._seen.setdefault((noted.record_type, noted.record_key), []).append(noted)

    def end(self) -> None:
        if self._where is None:
            return
        file, row = self._where
        changes: list[str] = []
        replaced: list[Noted] = []
        for writes in self._seen.values():
            first, last = writes[0], writes[-1]
            found = _replaced_by(first.before, last.after, last)
            if found:
                changes += found
                action = ChangeAction.UPDATE if last.after is not None else ChangeAction.DELETE
                replaced.append(copy_with(last, action=action, before=first.before))
        if changes:
            key = f"{row.key_column} {row.values[row.key_column]}"
            self.found.append(Replaced(file, row.row, key, tuple(changes)))
            if self.allowed:
                log_in_full(self.session, replaced)
        self._where, self._seen = None, {}


def _replaced_by(
    before: dict[str, object] | None, after: dict[str, object] | None, last: Noted
) -> list[str]:
    """What a record's writes in one row replaced: nothing when it is new, when it ends
    as it was (a link removed and added again), or when a value only fills a gap."""
    if before is None:
        return []
    part = last.parent_type is not None
    name = last.record_type.removeprefix(f"{last.parent_type}_") if part else last.record_type
    if after is None:
        if not part:
            return [f"{name} removed"]
        own_key = [p for p in key_parts(last.record_key) if p != last.parent_key]
        return [f"{name} {' '.join(own_key)} removed"]
    changed = [
        key
        for key in before
        if key not in _NOT_REPLACED
        and before.get(key) is not None
        and before.get(key) != after.get(key)
    ]
    own_key = " ".join(p for p in key_parts(last.record_key) if p != last.parent_key)
    prefix = f"{name} {own_key}: " if part else ""
    return [f"{prefix}{key} (was {_short(before[key])})" for key in changed]


def _short(value: object) -> str:
    text = str(value)
    return repr(text if len(text) <= 40 else text[:39] + "…")


@contextmanager
def replacing(session: Session, *, allowed: bool) -> Iterator[None]:
    """Refuse, when the block ends, an import whose rows changed or removed stored
    records, unless `allowed`: an `ImportWouldReplace` naming each row (the caller's
    transaction then rolls back). Blocks inside one share the outer one's verdict, so an
    import of several files names every row of every file at once."""
    if session.info.get(_GUARD) is not None:
        yield
        return
    guard = _Replacements(session, allowed)
    session.info[_GUARD] = guard
    try:
        with watching(session, guard.note):
            yield
    finally:
        session.info.pop(_GUARD, None)
    if guard.found and not allowed:
        raise ImportWouldReplace(guard.found)


@dataclass
class ImportRow:
    """A checked row: its spreadsheet row number, its parsed non-empty values, its key."""

    row: int
    values: dict[str, Any]
    key_column: str
    source: str

    def get(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)

    def has(self, name: str) -> bool:
        """Whether the row states this column (a cell left empty states nothing)."""
        return name in self.values


@dataclass(frozen=True)
class ImportResult:
    """What an import stored: the rows (each updated one record) and facts per kind."""

    file: str
    rows: int
    facts: dict[str, int]


# -- reading -------------------------------------------------------------------------------


def file_format(path: Path) -> str:
    """csv or xlsx, from the file name; anything else is refused with what to do."""
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise InputError(
            f"unsupported file type {path.suffix or '(none)'!r}: save it as .csv or .xlsx",
            path=str(path),
        )
    return suffix


def read_table(path: Path, kind: str | None = None) -> list[list[str]]:
    """The cells of a CSV file or of an XLSX workbook's first sheet, as text; `kind`
    (csv or xlsx) when the caller told it from the content, else from the name."""
    kind = kind or file_format(path)
    if not path.is_file():
        raise InputError("file not found", path=str(path))
    return _read_xlsx(path) if kind == "xlsx" else _read_csv(path)


def iter_table(path: Path, kind: str | None = None) -> Iterator[list[str]]:
    """The cells of a CSV file row by row as they are read (a workbook: `read_table`), so
    that a large file is never held whole; the same errors as `read_table`."""
    kind = kind or file_format(path)
    if kind == "xlsx" or not path.is_file():
        yield from read_table(path, kind)
        return
    try:
        with path.open("r", encoding="utf-8-sig", newline="") as handle:
            for row in csv.reader(handle):
                yield list(row)
    except UnicodeDecodeError as error:
        raise InputError(
            f"not UTF-8 text ({error.reason} at byte {error.start}): save the CSV as UTF-8",
            path=str(path),
        ) from None
    except csv.Error as error:
        raise InputError(f"malformed CSV: {error}", path=str(path)) from None


def count_rows(path: Path) -> int:
    """How many rows below the header a CSV file has (for a progress bar), or 0 when it
    cannot be read as one: reading it for real reports why."""
    try:
        with path.open("r", encoding="utf-8-sig", newline="") as handle:
            return max(sum(1 for _ in csv.reader(handle)) - 1, 0)
    except (OSError, UnicodeDecodeError, csv.Error):
        return 0


def _read_csv(path: Path) -> list[list[str]]:
    try:
        with path.open("r", encoding="utf-8-sig", newline="") as handle:
            return [list(row) for row in csv.reader(handle)]
    except UnicodeDecodeError as error:
        raise InputError(
            f"not UTF-8 text ({error.reason} at byte {error.start}): save the CSV as UTF-8",
            path=str(path),
        ) from None
    except csv.Error as error:
        raise InputError(f"malformed CSV: {error}", path=str(path)) from None


def _read_xlsx(path: Path) -> list[list[str]]:
    from openpyxl import load_workbook  # only imports read spreadsheets: keep start-up fast

    try:  # opened as a file: openpyxl refuses a path whose extension is not .xlsx
        workbook = load_workbook(io.BytesIO(path.read_bytes()), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a file that is not XLSX
        raise InputError(f"not a readable XLSX workbook ({error})", path=str(path)) from None
    try:
        sheet = workbook.worksheets[0]
        return [[_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    """A spreadsheet value as the text a user typed: 12.0 is "12", a date is ISO."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def check_rows(spec: ImportSpec, table: list[list[str]]) -> tuple[list[ImportRow], list[Problem]]:
    """Every row parsed by the spec's columns, and every problem found on the way."""
    rows: list[ImportRow] = []
    problems: list[Problem] = []
    for row, row_problems in checked_rows(spec, table):
        problems.extend(row_problems)
        if row is not None:
            rows.append(row)
    return rows, problems


def checked_rows(
    spec: ImportSpec, table: Iterable[list[str]]
) -> Iterator[tuple[ImportRow | None, list[Problem]]]:
    """Each row parsed by the spec's columns, with its problems, as the cells are read: a
    file of a million rows is never held whole. A bad header is the only thing yielded."""
    lines = iter(table)
    first = next(lines, None)
    if first is None or not any(cell.strip() for cell in first):
        yield None, [Problem(HEADER_ROW, None, "the first row must name the columns")]
        return
    header = [cell.strip() for cell in first]
    while not header[-1]:
        header.pop()  # spreadsheets often carry empty cells after the last named column
    problems = _header_problems(spec, header)
    if problems:
        yield None, problems
        return
    columns = [spec.column(name) for name in header]
    first_row_of_key: dict[tuple[str, object], int] = {}
    found = False
    for index, cells in enumerate(lines, start=HEADER_ROW + 1):
        if not any(cell.strip() for cell in cells):
            continue  # blank lines at the end of a sheet are common, and state nothing
        found = True
        row, row_problems = _check_row(spec, columns, cells, index)
        if row is None:
            yield None, row_problems
            continue
        key = (row.key_column, row.values[row.key_column])
        if key in first_row_of_key:
            yield None, [Problem(index, row.key_column, f"also on row {first_row_of_key[key]}")]
            continue
        first_row_of_key[key] = index
        yield row, []
    if not found:
        yield None, [Problem(HEADER_ROW + 1, None, "the file has no rows below the header")]


def _header_problems(spec: ImportSpec, header: list[str]) -> list[Problem]:
    known = {column.name for column in spec.columns}
    problems = [
        Problem(HEADER_ROW, name or f"#{position}", "unknown column; the template lists them")
        for position, name in enumerate(header, start=1)
        if name not in known
    ]
    seen: set[str] = set()
    for name in header:
        if name in seen:
            problems.append(Problem(HEADER_ROW, name, "column named twice"))
        seen.add(name)
    problems += [
        Problem(HEADER_ROW, column.name, "required column is missing")
        for column in spec.columns
        if column.required and column.name not in header
    ]
    if not any(key in header for key in spec.keys):
        problems.append(
            Problem(HEADER_ROW, None, f"the file needs one of the columns {', '.join(spec.keys)}")
        )
    return problems


def _check_row(
    spec: ImportSpec, columns: list[Column], cells: list[str], index: int
) -> tuple[ImportRow | None, list[Problem]]:
    """One row read by the header's `columns`, or its problems."""
    problems: list[Problem] = []
    if len(cells) > len(columns) and any(cell.strip() for cell in cells[len(columns) :]):
        problems.append(Problem(index, None, f"{len(cells)} values for {len(columns)} columns"))
    values: dict[str, Any] = {}
    for column, raw in zip(columns, cells, strict=False):
        text = raw.strip()
        if not text:
            if column.required:
                problems.append(Problem(index, column.name, "value is empty"))
            continue
        try:
            values[column.name] = column.parse(text)
        except ValueError as error:
            problems.append(Problem(index, column.name, str(error)))
    for column in columns[len(cells) :]:
        if column.required:
            problems.append(Problem(index, column.name, "value is empty"))
    key_column = next((key for key in spec.keys if key in values), None)
    if key_column is None and not any(p.column in spec.keys for p in problems):
        problems.append(Problem(index, None, f"fill one of {', '.join(spec.keys)}"))
    if problems or key_column is None:
        return None, problems
    row = ImportRow(index, values, key_column, values[spec.source])
    return row, []


# -- storing -------------------------------------------------------------------------------


def run_import(
    session: Session,
    spec: ImportSpec,
    path: Path,
    store: Callable[[Session, ImportRow], dict[str, int]],
    *,
    replace: bool = False,
) -> ImportResult:
    """Check every row of `path`, then store them with `store` in the caller's
    transaction. `store` returns the facts it wrote by kind, or raises RowRejected; it
    checks a row against what is stored before it changes anything.

    Any problem, in reading or in storing, raises ImportRefused listing all of them; the
    caller's transaction then rolls back, so nothing is stored.
    """
    return import_table(session, spec, str(path), read_table(path), store, replace=replace)


def import_table(
    session: Session,
    spec: ImportSpec,
    name: str,
    table: Iterable[list[str]],
    store: Callable[[Session, ImportRow], dict[str, int]],
    *,
    batch: int | None = None,
    advance: Callable[[int], None] | None = None,
    replace: bool = False,
) -> ImportResult:
    """`run_import` over cells already read, or read as they are needed (a format the
    area reads itself, such as JSON), `name` naming the file in the change log and in
    problems. With `batch`, the session is flushed and emptied every `batch` rows (still
    in the one transaction), so that memory stays bounded whatever the file's size;
    `store` then keeps no ORM object across rows. `advance` is told of each row read.
    Rows that change stored records are refused unless `replace` (see `replacing`)."""
    with (
        replacing(session, allowed=replace),
        logged_run(session, f"{spec.name}_import", Path(name).name, file=name) as run,
    ):
        result = _store_rows(session, spec, name, table, store, batch, advance)
        run.details["rows"] = result.rows
    return result


def import_files(
    session: Session,
    run_name: str,
    paths: Sequence[Path],
    import_file: Callable[[Path], ImportResult],
    refused: Callable[[list[ImportRefused]], FilesRefused],
    *,
    replace: bool = False,
) -> list[ImportResult]:
    """Import each of `paths` with `import_file` in the caller's transaction: all of
    them, or nothing. Every file is checked even after a bad one, and every row that
    would replace something is named, so that one run reports every problem."""
    results: list[ImportResult] = []
    refusals: list[ImportRefused] = []
    key = ", ".join(path.name for path in paths)
    with (
        replacing(session, allowed=replace),
        logged_run(session, run_name, key[:200], files=[str(path) for path in paths]),
    ):
        for path in paths:
            try:
                results.append(import_file(path))
            except ImportRefused as refusal:
                refusals.append(refusal)
        if refusals:
            raise refused(refusals)
    return results


def _store_rows(
    session: Session,
    spec: ImportSpec,
    name: str,
    table: Iterable[list[str]],
    store: Callable[[Session, ImportRow], dict[str, int]],
    batch: int | None,
    advance: Callable[[int], None] | None,
) -> ImportResult:
    # Rows that read well are checked against what is stored even when others did not:
    # the user gets every problem of the file at once. All of it is rolled back.
    problems: list[Problem] = []
    facts: dict[str, int] = {}
    stored = 0
    for row, row_problems in checked_rows(spec, table):
        if advance is not None:
            advance(1)
        problems.extend(row_problems)
        if any(problem.row == HEADER_ROW for problem in row_problems):
            raise ImportRefused(name, problems)
        if row is None:
            continue
        guard = session.info.get(_GUARD)
        if guard is not None:
            guard.begin(name, row)
        try:
            written = store(session, row)
        except RowRejected as error:
            problems.extend(Problem(row.row, column, reason) for column, reason in error.problems)
            continue
        if guard is not None:
            if session.new or session.dirty or session.deleted:
                session.flush()  # so that what the row replaced is seen as the row's
            guard.end()
        for kind, count in written.items():
            facts[kind] = facts.get(kind, 0) + count
        stored += 1
        if batch is not None and stored % batch == 0:
            session.flush()
            session.expunge_all()
    if problems:
        raise ImportRefused(name, sorted(problems, key=lambda problem: problem.row))
    session.flush()
    return ImportResult(file=name, rows=stored, facts=facts)


def cited_location(session: Session, reference: str) -> SourceLocation:
    """The provenance of facts an import states on the authority of `reference` (a
    document symbol or a URL): one Source per reference, citing it as a whole."""
    source = stored_source(
        session,
        SourceKind.DATASET,
        reference,
        title=reference,
        uri=reference if _URL.match(reference) else None,
    )
    location = session.scalar(
        select(SourceLocation).where(
            SourceLocation.source_id == source.id,
            SourceLocation.line.is_(None),
            SourceLocation.paragraph.is_(None),
        )
    )
    if location is None:
        location = SourceLocation(source_id=source.id)
        session.add(location)
        session.flush()
    return location


def stored_source(
    session: Session, kind: SourceKind, key: str, *, title: str, uri: str | None = None
) -> Source:
    """The source of `kind` and `key`, stored first if it is not yet. Two writers that
    cite a new source at once (two editors, two server processes) both get the one row:
    the insert does nothing when the other's is there, and waits for it while it is not
    yet committed, instead of failing the second writer on the unique key."""
    where = (Source.kind == kind, Source.key == key)
    source = session.scalar(select(Source).where(*where))
    if source is not None:
        return source
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    session.execute(
        insert(Source).values(kind=kind, key=key, title=title, uri=uri).on_conflict_do_nothing()
    )
    return session.scalars(select(Source).where(*where)).one()


# -- cell parsers shared by every import ------------------------------------------------------


def items(text: str) -> list[str]:
    """A list cell's items ("1, 10, 12", "1|10", "秘鲁、喀麦隆"); an empty item is a typo."""
    parts = _LIST_SEPARATORS.split(text.strip())
    if not all(parts):
        raise CellError(f"empty item in the list {text!r}")
    return parts


def whole_number(text: str) -> int:
    try:
        return int(text.replace(",", "").replace(" ", ""))
    except ValueError:
        raise CellError(f"{text!r} is not a whole number") from None


def amount(text: str) -> Decimal:
    """A sum of money: digits with optional thousands separators and two decimals."""
    cleaned = text.replace(",", "").replace(" ", "").replace("'", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise CellError(f"{text!r} is not an amount (digits, e.g. 1018000)") from None
    if not value.is_finite() or value < 0 or value != value.quantize(Decimal("0.01")):
        raise CellError(f"{text!r} is not an amount of money (at most two decimals)")
    if value >= Decimal("1e12"):
        raise CellError(f"{text!r} is too large for a project budget")
    return value


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CellError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def reference(text: str, normalize_symbol: Callable[[str], str]) -> str:
    """A source: a URL as given, or a document symbol in WIPO's spelling."""
    if _URL.match(text):
        return text
    if text.lower().startswith(("http:", "https:", "www.")):
        raise CellError(f"{text!r} is not a full URL (https://...)")
    symbol = normalize_symbol(text)
    if not re.fullmatch(r"[A-Z][A-Z0-9.]*(/[A-Z0-9.]+)+( [A-Z0-9.]+)*", symbol):
        raise CellError(f"{text!r} is neither a document symbol (e.g. CDIP/30/8 REV.) nor a URL")
    return symbol


# -- templates -----------------------------------------------------------------------------


def template(spec: ImportSpec, kind: str) -> bytes:
    """An empty file to fill in: the header row; an XLSX template also explains each
    column on a second sheet, and has an example row only there (an example in the data
    sheet would be imported as a fact)."""
    if kind not in FORMATS:
        raise InputError(f"unknown template format {kind!r}: use csv or xlsx")
    names = [column.name for column in spec.columns]
    if kind == "csv":
        buffer = io.StringIO()
        csv.writer(buffer).writerow(names)
        return buffer.getvalue().encode("utf-8-sig")
    return _xlsx_template(spec, names)


def _xlsx_template(spec: ImportSpec, names: list[str]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    data = workbook.active
    assert data is not None
    data.title = spec.name[:31]
    data.append(names)
    for cell in data[1]:
        cell.font = Font(bold=True)
    data.freeze_panes = "A2"
    help_sheet = workbook.create_sheet("columns")
    help_sheet.append(["column", "required", "what it holds", "example"])
    for column in spec.columns:
        help_sheet.append(
            [column.name, "yes" if column.required else "no", column.description, column.example]
        )
    for cell in help_sheet[1]:
        cell.font = Font(bold=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
