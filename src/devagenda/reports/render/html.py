"""HTML editions: one self-contained file (inline CSS, no external assets) from Jinja2
templates, with footnotes as links and back-links and the annexes as real tables."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from devagenda.reports.render.edition import Edition
from devagenda.reports.render.links import segments


def prose(text: str) -> Markup:
    """Escaped text with its line breaks kept and its URLs made links."""
    return Markup("<br>").join(_linked(line) for line in text.split("\n"))


def _linked(line: str) -> Markup:
    return Markup("").join(
        escape(text) if href is None else Markup('<a href="{}">{}</a>').format(href, text)
        for text, href in segments(line)
    )


def css_string(text: str) -> Markup:
    """`text` as a quoted CSS string; anything but letters, digits and a few safe marks is
    written as a CSS escape, so stored text cannot end the string or the style sheet."""
    safe = {" ", "/", ".", "-", "_", ":"}
    escaped = "".join(
        char if char.isalnum() or char in safe else f"\\{ord(char):x} " for char in text
    )
    return Markup(f'"{escaped}"')


ENVIRONMENT = Environment(
    loader=PackageLoader("devagenda.reports.render", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
ENVIRONMENT.filters["prose"] = prose
ENVIRONMENT.filters["css_string"] = css_string


def render_html(edition: Edition, *, paged: bool = False) -> str:
    """The edition as an HTML page; `paged` lays it out for print, footnotes at page foot."""
    template = ENVIRONMENT.get_template("edition.html.j2")
    notes = {footnote.number: footnote.text for footnote in edition.footnotes}
    return template.render(edition=edition, paged=paged, notes=notes)


def write_html(edition: Edition, out: Path) -> None:
    out.write_text(render_html(edition), encoding="utf-8")
