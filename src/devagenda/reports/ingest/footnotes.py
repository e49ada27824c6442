"""Footnotes: each body with the paragraph that references it, and every reference with
where it stands.

The reader keeps what it finds, even when references and bodies disagree (a reference
without a body, a body nobody references, a number used twice): the checker reports those.
"""

from __future__ import annotations

from dataclasses import replace

from devagenda.reports.ingest.document import Footnote, Location
from devagenda.reports.ingest.mentions import find_symbols, find_urls
from devagenda.reports.ingest.source import FootnoteBody
from devagenda.reports.ingest.structure import Block


def narrative_references(blocks: list[Block]) -> list[tuple[int, Location]]:
    """Every footnote reference in the narrative, in reading order, with its location; a
    reference inside an item listed in running text names that item."""
    references = []
    for block in blocks:
        for number, _ in block.text.refs:
            item = next((i for i in block.items if number in i.footnotes), None)
            location = block.location
            if item is not None:
                location = replace(location, sub_item=item.label)
            references.append((number, location))
    return references


def build_footnotes(
    bodies: list[FootnoteBody], references: list[tuple[int, Location]]
) -> list[Footnote]:
    """Footnotes in the order of their bodies, each with its first referencing paragraph."""
    paragraphs: dict[int, int | None] = {}
    for number, location in references:
        paragraphs.setdefault(number, location.paragraph)
    return [
        Footnote(
            number=body.number,
            text=body.text,
            line=body.line,
            paragraph=paragraphs.get(body.number),
            urls=find_urls(body.text),
            symbols=find_symbols(body.text),
        )
        for body in bodies
    ]
