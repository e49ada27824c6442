"""What a checker message says in its own words, apart from what it quotes.

A Chinese message may quote English text of the report (a programme name, a label); only
the words its template adds must be Chinese.
"""

from __future__ import annotations

import re

from devagenda.reports.messages import Message

# Latin words a Chinese template may hold: a committee's acronym and the command's name.
COMMAND_WORDS = {"CDIP", "devagenda", "ingest", "partial"}
_QUOTED = re.compile(r"“[^”]*”")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def blanked(message: Message) -> Message:
    """`message` with every text parameter, at any depth, replaced by "…"."""

    def blank(value: object) -> object:
        if isinstance(value, Message):
            return blanked(value)
        if isinstance(value, tuple):
            return tuple(blank(item) for item in value)
        return "…" if isinstance(value, str) else value

    return Message(message.key, {name: blank(value) for name, value in message.params.items()})


def english_words(message: Message) -> list[str]:
    """Latin words that the Chinese wording of `message` adds to what it quotes."""
    own = _QUOTED.sub("", blanked(message).render("zh"))
    return [word for word in _LATIN_WORD.findall(own) if word not in COMMAND_WORDS]
