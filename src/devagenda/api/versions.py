"""Versions as HTTP entity tags: a record's GET sends its version as a strong `ETag`, and
every write of it must send that tag back in `If-Match`, so that a client that read an
older state is refused (412, with the current state) instead of overwriting a change it
never saw (RFC 9110, section 13.1.1). A write without `If-Match` is refused with 428
(RFC 6585): the API does not guess which state an edit was based on. A value that is
neither is malformed: 422 naming `If-Match`, with every other bad parameter of the request,
so that a garbled header never hides a bad path or body.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, HTTPException, Response

# `"12"`, one tag, or `*`, which accepts whatever version is current (RFC 9110); the
# schema declares it, so FastAPI refuses anything else before a route runs.
IF_MATCH_PATTERN = r'^[ \t]*(\*|"[0-9]{1,10}")[ \t]*$'
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
        str | None,
        Header(
            alias="If-Match",
            max_length=200,
            pattern=IF_MATCH_PATTERN,
            description=IF_MATCH_DESCRIPTION,
        ),
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
    return int(if_match.strip(' \t"'))


ExpectedVersion = Annotated[int | None, Depends(expected_version)]
