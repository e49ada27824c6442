"""PDF editions: the HTML edition laid out for print by WeasyPrint, with footnotes at the
foot of their page and the symbol and page number in the running head.

WeasyPrint finds fonts through fontconfig and draws a box for every character no installed
font covers, without an error. So before laying out, each language the edition prints is
checked against fontconfig (`fc-list :lang=zh`), and an edition that would print boxes is
refused with the Debian package that provides a font.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from weasyprint import HTML

from devagenda.core.errors import DevagendaError
from devagenda.reports.render.edition import Edition
from devagenda.reports.render.html import render_html

# Debian packages with a font for each language's script.
FONT_PACKAGES = {"zh": "fonts-noto-cjk", "en": "fonts-liberation"}


def printed_languages(edition: Edition) -> set[str]:
    """The languages whose text the edition prints: its own, its report's, and those of
    texts it gives in another language for want of a translation."""
    languages = {edition.language}
    if edition.report is not None:
        languages.add(edition.report.language)
    for row in edition.annex_one:
        languages.add(row.text.language)
        languages.update(result.title.language for result in row.expected_results)
    for group in edition.annex_two:
        languages.update(row.title.language for row in group.rows)
    return languages


def fonts_for(language: str) -> list[str]:
    """The font families fontconfig offers for `language` (honours FONTCONFIG_FILE)."""
    if shutil.which("fc-list") is None:
        raise DevagendaError("PDF output needs fontconfig's fc-list (Debian: fontconfig)")
    listed = subprocess.run(
        ["fc-list", f":lang={language}", "family"],
        capture_output=True,
        text=True,
        check=False,
    )
    return [line for line in listed.stdout.splitlines() if line.strip()]


def require_fonts(edition: Edition) -> None:
    for language in sorted(printed_languages(edition)):
        if not fonts_for(language):
            package = FONT_PACKAGES.get(language, "a font package for that script")
            raise DevagendaError(
                f"no installed font covers {language!r} text, so the PDF would print boxes: "
                f"install {package} (Debian: apt-get install {package}) or choose another "
                "format"
            )


def write_pdf(edition: Edition, out: Path) -> None:
    require_fonts(edition)
    HTML(string=render_html(edition, paged=True)).write_pdf(out)
