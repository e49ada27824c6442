"""Empty import files to fill in, served alike for every database that imports
(`/api/{area}/template.csv|xlsx`): the route declares the responses and hands over the
file the area's service makes from its import spec."""

from __future__ import annotations

from typing import Any, Literal

from fastapi.responses import Response

from devagenda.api.problems import problem_responses

TemplateKind = Literal["csv", "xlsx"]
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
TEMPLATE_ROUTE: dict[str, Any] = {
    "response_class": Response,
    "responses": {
        200: {"content": {media: {} for media in MEDIA_TYPES.values()}},
        **problem_responses(422),
    },
}


def template_response(content: bytes, kind: TemplateKind, name: str) -> Response:
    """The file as a download named `{name}-template.{kind}`."""
    return Response(
        content,
        media_type=MEDIA_TYPES[kind],
        headers={"Content-Disposition": f'attachment; filename="{name}-template.{kind}"'},
    )
