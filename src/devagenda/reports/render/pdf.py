"""PDF editions: the HTML edition laid out for print by WeasyPrint, with footnotes at the
foot of their page.

Chinese needs a CJK font on the machine (Debian: fonts-noto-cjk) and WeasyPrint needs
Pango; without the font, characters print as boxes.
"""

from __future__ import annotations

from pathlib import Path

from weasyprint import HTML

from devagenda.reports.render.edition import Edition
from devagenda.reports.render.html import render_html


def write_pdf(edition: Edition, out: Path) -> None:
    HTML(string=render_html(edition, paged=True)).write_pdf(out)
