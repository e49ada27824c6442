"""Finding the web addresses printed in report text, so that every format can link them."""

from __future__ import annotations

import re

# URLs as the reports print them: with a scheme, or starting "www." (footnote 189 of 2023).
URL = re.compile(r"(?:https?://|www\.)[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")
# Punctuation that ends a sentence rather than the address.
URL_TRAILING = ".,;:!?)]'"


def segments(line: str) -> list[tuple[str, str | None]]:
    """`line` cut into pieces of plain text (address None) and printed URLs (with the
    address they link to)."""
    pieces: list[tuple[str, str | None]] = []
    position = 0
    for found in URL.finditer(line):
        url = found.group().rstrip(URL_TRAILING)
        if found.start() > position:
            pieces.append((line[position : found.start()], None))
        pieces.append((url, url if "://" in url else f"https://{url}"))
        position = found.start() + len(url)
    if position < len(line):
        pieces.append((line[position:], None))
    return pieces
