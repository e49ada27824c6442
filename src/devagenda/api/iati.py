"""The IATI 2.03 activity file of the DA projects and activities (devagenda.iati)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from typing import IO

from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse

from devagenda.api.dependencies import app_context
from devagenda.iati.export import export_iati

router = APIRouter(tags=["iati"])
IN_MEMORY = 8 << 20  # bytes of XML kept in memory; a larger file is spooled to disk
CHUNK = 1 << 16


@router.get(
    "/iati.xml",
    response_class=Response,
    responses={200: {"content": {"application/xml": {}}, "description": "IATI 2.03 XML."}},
)
def get_iati(request: Request) -> StreamingResponse:
    """Every DA project as a parent `iati-activity` and every technical-assistance
    activity as its child (standalone without a project), with only stated facts.
    Records that lack a fact IATI requires (a start or end date) are left out; `devagenda
    iati export` lists them. The file is written in full before it is sent, so the
    database is read once, in one transaction."""
    context = app_context(request)
    spool = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY)  # noqa: SIM115 - closed by _chunks
    try:
        with context.sessions() as session:
            export_iati(session, spool, reporting_org=context.settings.iati_reporting_org)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return StreamingResponse(_chunks(spool), media_type="application/xml")


def _chunks(spool: IO[bytes]) -> Iterator[bytes]:
    with spool:
        while chunk := spool.read(CHUNK):
            yield chunk
