"""The APIs' OpenAPI page (`/docs`), served from package files so it works with no network.

FastAPI's own page loads Swagger UI's script and stylesheet from a CDN, so offline it is blank.
Here the same page (FastAPI's `get_swagger_ui_html`) points at the copies of Swagger UI 5 that
the `fastapi-offline` package ships; only its files are used. Swagger UI 5 reads OpenAPI 3.1,
which FastAPI emits (the `swagger-ui-bundle` package stops at Swagger UI 4, which does not).
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

DOCS_PATH = "/docs"
ASSETS_PATH = "/docs/assets"
ASSETS = Path(str(files("fastapi_offline") / "static"))
"""Swagger UI's `swagger-ui-bundle.js`, `swagger-ui.css` and a favicon."""


def add_openapi_page(app: FastAPI) -> None:
    """Serve Swagger UI at `/docs` and its assets under `/docs/assets` (create the app with
    `docs_url=None`, so FastAPI's CDN page is not there too)."""
    app.mount(ASSETS_PATH, StaticFiles(directory=ASSETS), name="openapi-assets")
    openapi_url = app.openapi_url or "/openapi.json"

    @app.get(DOCS_PATH, include_in_schema=False)
    async def openapi_page(request: Request) -> HTMLResponse:
        root = str(request.scope.get("root_path", ""))
        return get_swagger_ui_html(
            openapi_url=root + openapi_url,
            title=f"{app.title} - OpenAPI",
            swagger_js_url=f"{root}{ASSETS_PATH}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{ASSETS_PATH}/swagger-ui.css",
            swagger_favicon_url=f"{root}{ASSETS_PATH}/favicon.png",
        )
