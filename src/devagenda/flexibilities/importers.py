"""What a provisions import file holds and how its cells read.

`devagenda flexibilities import` takes CSV, XLSX or JSON (an array of records, or
{"provisions": [...]}, whose keys are the same columns), checked by `provision_spec` with
the rules of `core.imports`; a JSON record is numbered as the spreadsheet row it would
be (the first record is row 2), as the activities' JSON import does. `code` is the key:
a row whose code names a stored provision updates it, and only when asked to replace
(the change log keeps what it replaced). The verbatim text has one column per UN
language (`text_en`, `text_zh`, ...).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rapidfuzz import process

from devagenda.core.errors import InputError
from devagenda.core.imports import CellError, Column, ImportSpec, iso_date, read_table, reference

UN_LANGUAGES = ("ar", "en", "es", "fr", "ru", "zh")
TEXT_COLUMNS = {f"text_{language}": language for language in UN_LANGUAGES}


def provision_code(text: str) -> str:
    if len(text) > 64 or any(char.isspace() for char in text):
        raise CellError(f"{text!r} is not a provision code (at most 64 characters, no spaces)")
    return text


def category_label(labels: dict[str, str]) -> Callable[[str], str]:
    """A parser of a category cell: its code or its English or Chinese name."""

    def parse(text: str) -> str:
        folded = " ".join(text.split()).casefold()
        if folded in labels:
            return labels[folded]
        nearest = process.extract(folded, list(labels), limit=2)
        hint = " or ".join(repr(labels[label]) for label, _, _ in nearest)
        raise CellError(f"unknown category {text!r}; did you mean {hint}?")

    return parse


def _source(text: str) -> str:
    from devagenda.catalogue.services import normalize_symbol

    return reference(text, normalize_symbol)


def _link(text: str) -> str:
    if not text.lower().startswith(("http://", "https://")) or " " in text:
        raise CellError(f"{text!r} is not a full URL (https://...)")
    return text


def _bounded(limit: int) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if len(text) > limit:
            raise CellError(f"at most {limit} characters ({len(text)} given)")
        return text

    return parse


def provision_spec(category_labels: dict[str, str]) -> ImportSpec:
    """The columns of a provisions file; categories are read against the stored list."""
    return ImportSpec(
        name="provisions",
        keys=("code",),
        columns=(
            Column(
                "code", "the provision's key, kept across imports", "KEN-RE-1", True, provision_code
            ),
            Column("jurisdiction", "country name or ISO code", "Kenya", True),
            Column(
                "category",
                "flexibility category: code, English or Chinese name",
                "research-exception",
                True,
                category_label(category_labels),
            ),
            Column("law_title", "title of the law", "Industrial Property Act", True, _bounded(500)),
            Column("law_number", "number of the law", "No. 3 of 2001", False, _bounded(100)),
            Column("law_date", "date of the law (YYYY-MM-DD)", "2001-08-10", False, iso_date),
            Column("articles", "the articles or sections", "s. 58(1)", False, _bounded(200)),
            *(
                Column(name, f"verbatim text in {language}", "", False)
                for name, language in TEXT_COLUMNS.items()
            ),
            Column("link", "link to the law", "https://example.org/law", False, _link),
            Column("in_force_date", "date in force (YYYY-MM-DD)", "2002-05-01", False, iso_date),
            Column(
                "source",
                "where the row is stated: a URL or document symbol",
                "https://www.wipo.int/ip-development/en/agenda/flexibilities/",
                True,
                _source,
            ),
        ),
    )


def read_provisions(path: Path) -> list[list[str]]:
    """The cells of a provisions file: JSON by its extension, else CSV or XLSX."""
    if path.suffix.lower() != ".json":
        return read_table(path)
    from devagenda.activities.importers import read_json_table

    if not path.is_file():
        raise InputError("file not found", path=str(path))
    return read_json_table(path, "provisions")
