"""Markdown editions (GitHub-flavoured): pipe tables for the annexes, footnotes as [^N]."""

from __future__ import annotations

import re
from pathlib import Path

from devagenda.reports.render.edition import Edition
from devagenda.reports.render.links import segments
from devagenda.reports.schemas import (
    AnnexExpectedResult,
    AnnexTwoGroup,
    HeadingOut,
    LocalizedText,
    Run,
    TextFootnoteOut,
    TextParagraphOut,
)

# Characters Markdown would read as markup anywhere in a line ("*" in "建议1*" included).
SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")
LINE_BREAK = "<br>"  # works in paragraphs and table cells alike


def escape(text: str) -> str:
    return SPECIAL.sub(r"\\\1", text)


def prose(text: str) -> str:
    """Escaped text on one Markdown line, its line breaks kept and its URLs made links."""
    return LINE_BREAK.join(_linked(line) for line in text.split("\n"))


def _linked(line: str) -> str:
    return "".join(
        escape(text) if href is None else f"[{escape(text)}]({_href(href)})"
        for text, href in segments(line)
    )


def _href(address: str) -> str:
    return address.replace("(", "%28").replace(")", "%29")


def render_markdown(edition: Edition) -> str:
    blocks = _cover(edition)
    if edition.report:
        blocks += [_block(edition, block) for block in edition.report.blocks]
        if edition.annex_one or edition.annex_two:
            blocks.append(escape(edition.labels["annexes_follow"]))
    if edition.annex_one:
        blocks += _annex_one(edition)
    if edition.annex_two:
        blocks += _annex_two(edition)
    blocks.append(escape(edition.labels["end_of_document"]))
    blocks += [_footnote(footnote) for footnote in edition.footnotes]
    return "\n\n".join(blocks) + "\n"


def _cover(edition: Edition) -> list[str]:
    """The cover block: the symbol lines, the committee and session, the title, who
    prepared it, the notices and the decision paragraph."""
    cover = edition.cover
    lines = [cover.symbol, cover.original_language, cover.document_date]
    session = [cover.committee, cover.session, cover.place_and_dates]
    return [
        "<br>".join(escape(line) for line in lines),
        "<br>".join(escape(line) for line in session),
        f"# {escape(edition.title)}",
        f"*{escape(cover.prepared_by)}*",
        *(f"> {escape(notice)}" for notice in edition.notices),
        escape(cover.decision),
    ]


def write_markdown(edition: Edition, out: Path) -> None:
    out.write_text(render_markdown(edition), encoding="utf-8")


def _runs(runs: list[Run]) -> str:
    return "".join(prose(run.text) if run.kind == "text" else f"[^{run.number}]" for run in runs)


def _block(edition: Edition, block: HeadingOut | TextParagraphOut) -> str:
    if isinstance(block, HeadingOut):
        return f"{'#' * (block.level + 1)} {escape(edition.heading_text(block))}"
    lines = [f"{block.number}\\. {_runs(block.runs)}"]
    lines += [f"- {escape(item.label)} {_runs(item.runs)}" for item in block.sub_items]
    return "\n\n".join(lines)


def _localized(edition: Edition, text: LocalizedText) -> str:
    note = edition.fallback_note(text)
    return prose(text.text) if note is None else f"{prose(text.text)} *{escape(note)}*"


def _table(head: list[str], rows: list[list[str]]) -> str:
    lines = [_row(head), _row(["---"] * len(head)), *(_row(row) for row in rows)]
    return "\n".join(lines)


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _annex_one(edition: Edition) -> list[str]:
    notes = "".join(f"[^{number}]" for number in edition.annex_notes)
    head = [
        escape(edition.labels[key])
        for key in ("recommendation_column", "text_column", "expected_results_column")
    ]
    rows = [
        [
            escape(edition.label("recommendation", number=row.number) + "*" * row.immediate),
            _localized(edition, row.text),
            LINE_BREAK.join(_expected_result(edition, result) for result in row.expected_results),
        ]
        for row in edition.annex_one
    ]
    blocks = [
        f"## {escape(edition.labels['annex_one'])}",
        f"### {escape(edition.labels['annex_one_title'])}{notes}",
        _table(head, rows),
    ]
    if not edition.annex_notes:
        blocks.append(escape(edition.labels["immediate_legend"]))
    return blocks


def _expected_result(edition: Edition, result: AnnexExpectedResult) -> str:
    cell = f"{result.code} {_localized(edition, result.title)}"
    if result.corrected_from is None:
        return cell
    return f"{cell} *{escape(edition.corrected_note(result.corrected_from))}*"


def _annex_two(edition: Edition) -> list[str]:
    blocks = [
        f"## {escape(edition.labels['annex_two'])}",
        f"### {escape(edition.label('annex_two_title', year=edition.year))}",
    ]
    for group in edition.annex_two:
        blocks += [f"#### {escape(group.heading)}", _group_table(edition, group)]
    return blocks


def _group_table(edition: Edition, group: AnnexTwoGroup) -> str:
    head = [escape(edition.labels["row_column"]), escape(edition.labels["project_column"])]
    rows = [[f"{row.number}\\.", _localized(edition, row.title)] for row in group.rows]
    return _table(head, rows)


def _footnote(footnote: TextFootnoteOut) -> str:
    first, *rest = footnote.text.split("\n")
    return "\n".join(
        [f"[^{footnote.number}]: {prose(first)}", *(f"    {prose(line)}" for line in rest)]
    )
