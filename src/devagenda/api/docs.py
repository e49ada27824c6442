"""The interactive API docs: Swagger UI 5 (which reads OpenAPI 3.1, as FastAPI writes it),
served from the files the `fastapi-offline` package ships.

FastAPI's own /docs page loads Swagger UI from a CDN and starts it with an inline script;
this one works offline and under a Content-Security-Policy that allows only 'self'.
"""

from __future__ import annotations

import json
from html import escape
from importlib.resources import files

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

DOCS_PATH = "/api/docs"
ASSETS_PATH = f"{DOCS_PATH}/assets"
ASSETS = files("fastapi_offline") / "static"  # swagger-ui-bundle.js, swagger-ui.css, favicon

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<link rel="stylesheet" href="{assets}/swagger-ui.css">
<link rel="icon" type="image/png" href="{assets}/favicon.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{assets}/swagger-ui-bundle.js"></script>
<script src="{docs}/start.js"></script>
</body>
</html>
"""

# validatorUrl: null stops Swagger UI from sending the schema to validator.swagger.io.
_START = """window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: %s,
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
    layout: "BaseLayout"
  });
});
"""


def install_docs(app: FastAPI) -> None:
    app.mount(ASSETS_PATH, StaticFiles(directory=str(ASSETS)), name="swagger-ui")

    @app.get(DOCS_PATH, include_in_schema=False)
    def docs_page(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return HTMLResponse(
            _PAGE.format(
                title=escape(f"{app.title} API"),
                assets=root + ASSETS_PATH,
                docs=root + DOCS_PATH,
            )
        )

    @app.get(f"{DOCS_PATH}/start.js", include_in_schema=False)
    def docs_script(request: Request) -> Response:
        url = request.scope.get("root_path", "") + (app.openapi_url or "")
        return Response(_START % json.dumps(url), media_type="text/javascript")
