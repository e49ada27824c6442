"""Path parameters shared by the routers.

Bounds and patterns reject what cannot name a record before it reaches the database,
where it would be an error rather than a miss (an integer beyond 64 bits on SQLite, a NUL
character on PostgreSQL).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

MAX_ID = 2_147_483_647  # the largest SQL INTEGER

RecordId = Annotated[int, Path(ge=1, le=MAX_ID, description="Number or id of the record.")]
Code = Annotated[
    str,
    Path(
        pattern=r"^[A-Za-z0-9_.]{1,32}$",
        description="Code of the record, in any case: letters, digits, `_` and `.`.",
    ),
]
CountryCode = Annotated[
    str, Path(pattern=r"^[A-Za-z]{2,3}$", description="ISO 3166 alpha-2 or alpha-3 code.")
]
Year = Annotated[int, Path(ge=1900, le=2999, description="The year the report covers.")]
Language = Annotated[
    str, Path(pattern=r"^[a-z]{2}$", description="Language of the edition, e.g. zh or en.")
]
Symbol = Annotated[
    str,
    Path(
        pattern=r"^[^\x00]{1,64}$",
        description="Document symbol as printed, e.g. CDIP/31/4 or CDIP/30/8 REV.",
    ),
]
