"""The comparison views as files: CSV, XLSX and PDF, in Chinese or English.

Each comparison row becomes one line per recorded provision, or one line saying "not
stated" where the database records none for that jurisdiction and category (unknown is
not none). The verbatim text is given in the language asked for when the provision has
it, else in the languages it has, each marked with its code. Text cells go through
`core.cells` (no formulas), and the PDF refuses to print boxes when no installed font
covers the language (`reports.render.pdf.fonts_for`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from jinja2 import Environment, PackageLoader, select_autoescape
from sqlalchemy import select
from sqlalchemy.orm import Session

from devagenda.core.cells import safe_text, xlsx_bytes
from devagenda.core.errors import DevagendaError, InputError
from devagenda.flexibilities.models import FlexibilityCategory
from devagenda.flexibilities.schemas import ComparisonRow, ProvisionOut
from devagenda.reference.models import Country

FORMATS = ("csv", "xlsx", "pdf")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
_WORDS = {
    "en": {
        "header": (
            "Jurisdiction",
            "Code",
            "Flexibility",
            "Law",
            "Number",
            "Date of the law",
            "Articles",
            "Text",
            "Link",
            "In force",
            "Member State updates",
        ),
        "not_stated": "not stated",
        "by_category": "{category}: {count} jurisdictions compared",
        "by_category_one": "{category}: {count} jurisdiction",
        "by_jurisdiction": "{jurisdiction}: all flexibilities",
    },
    "zh": {
        "header": (
            "法域",
            "代码",
            "灵活性",
            "法律",
            "编号",
            "法律日期",
            "条款",
            "文本",
            "链接",
            "生效日期",
            "成员国更新",
        ),
        "not_stated": "未说明",
        "by_category": "{category}：比较{count}个法域",
        "by_category_one": "{category}：{count}个法域",
        "by_jurisdiction": "{jurisdiction}：全部灵活性",
    },
}


@dataclass(frozen=True)
class ComparisonTable:
    """A comparison laid out for a file: its title and its lines of text cells."""

    title: str
    language: str
    header: tuple[str, ...]
    lines: list[tuple[str, ...]]


def comparison_table(
    session: Session, rows: Sequence[ComparisonRow], language: str, *, by: str
) -> ComparisonTable:
    """`rows` as lines of text; `by` is "category" or "jurisdiction", for the title."""
    if language not in _WORDS:
        raise InputError(f"no export language {language!r}: use zh or en", field="lang")
    words = _WORDS[language]
    countries = _country_names(session, {row.jurisdiction for row in rows}, language)
    categories = _category_names(session, language)
    lines: list[tuple[str, ...]] = []
    for row in rows:
        place = (countries[row.jurisdiction], row.jurisdiction, categories[row.category])
        if not row.provisions:
            lines.append((*place, words["not_stated"], *([""] * 7)))
        lines.extend((*place, *_provision_cells(p, language, words)) for p in row.provisions)
    if by == "category":
        title = words["by_category_one" if len(rows) == 1 else "by_category"].format(
            category=categories[rows[0].category] if rows else "", count=len(rows)
        )
    else:
        title = words["by_jurisdiction"].format(
            jurisdiction=countries[rows[0].jurisdiction] if rows else ""
        )
    return ComparisonTable(title, language, words["header"], lines)


def _provision_cells(
    provision: ProvisionOut, language: str, words: dict[str, object]
) -> tuple[str, ...]:
    not_stated = str(words["not_stated"])
    if language in provision.texts:
        text = provision.texts[language]
    else:
        text = "\n".join(f"[{code}] {wording}" for code, wording in provision.texts.items())
    updates = "\n".join(
        f"{u.communication_reference} ({u.communication_date.isoformat()}): {u.summary}"
        for u in provision.member_state_updates
    )
    return (
        provision.law_title,
        provision.law_number or not_stated,
        provision.law_date.isoformat() if provision.law_date else not_stated,
        provision.articles or not_stated,
        text or not_stated,
        provision.link or not_stated,
        provision.in_force_date.isoformat() if provision.in_force_date else not_stated,
        updates,
    )


def _country_names(session: Session, codes: set[str], language: str) -> dict[str, str]:
    found = session.scalars(select(Country).where(Country.alpha3.in_(codes)))
    return {country.alpha3: country.name(language) for country in found}


def _category_names(session: Session, language: str) -> dict[str, str]:
    return {
        c.code: c.name_zh if language == "zh" else c.name_en
        for c in session.scalars(select(FlexibilityCategory))
    }


def export_bytes(table: ComparisonTable, kind: str) -> bytes:
    if kind == "csv":
        return csv_bytes(table)
    if kind == "xlsx":
        return xlsx_bytes(table.title, table.header, table.lines)
    if kind == "pdf":
        return pdf_bytes(table)
    raise InputError(f"no export format {kind!r}: use {', '.join(FORMATS)}", field="format")


def csv_bytes(table: ComparisonTable) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(table.header)
    writer.writerows([safe_text(cell) for cell in line] for line in table.lines)
    return buffer.getvalue().encode("utf-8-sig")  # the mark makes spreadsheets read UTF-8


_TEMPLATES = Environment(
    loader=PackageLoader("devagenda.flexibilities", "templates"),
    autoescape=select_autoescape(default=True),
)


def pdf_bytes(table: ComparisonTable) -> bytes:
    """The comparison as an A4 landscape PDF; refused if the language would print boxes."""
    from weasyprint import HTML  # only PDF exports need it: keep start-up fast

    from devagenda.reports.render.pdf import FONT_PACKAGES, fonts_for

    if not fonts_for(table.language):
        package = FONT_PACKAGES.get(table.language, "a font for that script")
        raise DevagendaError(
            f"no installed font covers {table.language!r} text, so the PDF would print "
            f"boxes: install {package} or export CSV or XLSX"
        )
    html = _TEMPLATES.get_template("comparison.html").render(table=table)
    return HTML(string=html).write_pdf()
