"""/docs: Swagger UI over /openapi.json, served offline from the swagger-ui-bundle package.

FastAPI's default page loads Swagger UI's script, stylesheet and icon from a CDN,
which a server without internet access (or an analyst behind a proxy) cannot
reach. The same files ship inside the `swagger-ui-bundle` wheel, so they are
served from the installed package under /docs/assets and nothing leaves the host.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = "/docs/assets"


def swagger_ui_dir() -> Path | None:
    """The installed Swagger UI files, or None when the package is missing."""
    try:
        from swagger_ui_bundle import swagger_ui_path
    except ImportError:
        return None
    path = Path(swagger_ui_path)
    return path if (path / "swagger-ui-bundle.js").is_file() else None


def mount_docs(app: FastAPI) -> bool:
    """Serve /docs when Swagger UI is installed; returns whether it is."""
    assets = swagger_ui_dir()
    if assets is None:
        return False
    app.mount(ASSETS, StaticFiles(directory=assets), name="swagger-ui")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{app.title} — API",
            swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS}/favicon-32x32.png",
        )

    return True
