"""Bookkeeping shared by the in-memory columns that processes keep of a table (the search
index's facets, a list's facets): values coded as small integers, and which chunks of
rows to read again when triggers have given their tokens new values.

A chunk is a range of keys; its token, written by a trigger on every write to the range,
names one state of it. A process that holds a chunk under the token the database now
shows holds that state; any other token (or a chunk it does not hold) means reading the
chunk again. Tokens are random, so a token seen inside a transaction that rolled back
is never mistaken for a later state.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass
class Vocabulary:
    """Values as small integers; 0 is "no value". It only grows, so that the codes read
    into one chunk stay valid for every other."""

    values: list[Any] = field(default_factory=lambda: [None])
    codes: dict[Any, int] = field(default_factory=lambda: {None: 0})

    def code(self, value: Any) -> int:
        found = self.codes.get(value)
        if found is None:
            found = self.codes[value] = len(self.values)
            self.values.append(value)
        return found

    def codes_of(self, values: list[Any]) -> np.ndarray:
        """The codes of many values, each distinct value looked up once."""
        known = self.codes
        return np.fromiter(
            (known[v] if v in known else self.code(v) for v in values), np.int32, len(values)
        )


def changed(held: Mapping[int, str], tokens: Mapping[int, str]) -> tuple[list[int], list[int]]:
    """Given the token each held chunk is held under and the tokens the database shows:
    the chunks to forget (the database no longer has them) and those to read again
    (not held, or held under another token). Negative chunk numbers are markers of what
    every chunk depends on, never read."""
    gone = [number for number in held if number not in tokens]
    read = sorted(
        number for number, token in tokens.items() if number >= 0 and held.get(number) != token
    )
    return gone, read
