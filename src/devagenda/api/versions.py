"""Versions as HTTP entity tags: a record's GET sends its version as a strong `ETag`, and
every write of it must send that tag back in `If-Match`, so that a client that read an
older state is refused (412, with the current state) instead of overwriting a change it
never saw (RFC 9110, section 13.1.1). A write without `If-Match` is refused with 428
(RFC 6585): the API does not guess which state an edit was based on. A value that is no
entity tag at all is a bad request (400).
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import Depends, Header, HTTPException, Response

# `"12"`, one tag; `*` accepts whatever version is current (RFC 9110).
_TAG = re.compile(r'^\s*"(\d{1,10})"\s*$')
IF_MATCH_DESCRIPTION = (
    "The `ETag` of the record as you last read it (its GET sends one), or `*` to write "
    "whatever its current version. A stale tag gets 412 with the current state."
)


def etag(version: int) -> str:
    return f'"{version}"'


def send_version(response: Response, version: int) -> None:
    response.headers["ETag"] = etag(version)


def expected_version(
    if_match: Annotated[
        str | None, Header(alias="If-Match", max_length=200, description=IF_MATCH_DESCRIPTION)
    ] = None,
) -> int | None:
    """The version a write is based on; None for `*` (no check)."""
    if if_match is None:
        raise HTTPException(
            428,
            "send If-Match with the ETag of the record as you read it (GET it first), or "
            "If-Match: * to write whatever its current version",
        )
    if if_match.strip() == "*":
        return None
    found = _TAG.match(if_match)
    if found is None:  # a malformed header, not a failed precondition (RFC 9110, 5.5)
        raise HTTPException(
            400,
            f"If-Match {if_match[:40]!r} is not an ETag this API sends (a version in "
            'double quotes, e.g. "3"): GET the record and send its ETag',
        )
    return int(found.group(1))


ExpectedVersion = Annotated[int | None, Depends(expected_version)]
