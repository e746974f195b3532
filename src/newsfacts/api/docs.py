"""/docs: Swagger UI over /openapi.json, served offline from the swagger-ui-bundle package.

FastAPI's default page loads Swagger UI's script, stylesheet and icon from a CDN,
which a server without internet access (or an analyst behind a proxy) cannot
reach. The same files ship inside the `swagger-ui-bundle` wheel, so they are
served from the installed package under /docs/assets and nothing leaves the host.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

ASSETS = "/docs/assets"
DOCS_SCHEMA = "/docs/openapi-3.0.json"


def downgrade(node: Any) -> Any:
    """An OpenAPI 3.1 schema tree as OpenAPI 3.0 reads it, for Swagger UI 4.

    The packaged Swagger UI (4.15) refuses a 3.1 document ("does not specify a valid
    version field"), and FastAPI writes 3.1. The differences that matter here are how
    a schema says "or null", `const`, `examples` and a numeric `exclusiveMinimum`.
    `/openapi.json` itself stays 3.1; only the page's copy is rewritten.
    """
    if isinstance(node, list):
        return [downgrade(x) for x in node]
    if not isinstance(node, dict):
        return node
    out = {k: downgrade(v) for k, v in node.items()}
    for key in ("anyOf", "oneOf"):
        options = out.get(key)
        if isinstance(options, list) and {"type": "null"} in options:
            rest = [o for o in options if o != {"type": "null"}]
            del out[key]
            if len(rest) == 1:
                out = {**rest[0], **out}
            else:
                out[key] = rest
            out["nullable"] = True
    if isinstance(out.get("type"), list):
        types = [t for t in out["type"] if t != "null"]
        if len(types) < len(out["type"]):
            out["nullable"] = True
        out["type"] = types[0] if len(types) == 1 else out["type"]
    if "const" in out:
        out["enum"] = [out.pop("const")]
    if isinstance(out.get("examples"), list) and "type" in out:
        examples = out.pop("examples")
        if examples:
            out["example"] = examples[0]
    for bound in ("exclusiveMinimum", "exclusiveMaximum"):
        value = out.get(bound)
        if isinstance(value, int | float) and not isinstance(value, bool):
            out["minimum" if bound == "exclusiveMinimum" else "maximum"] = value
            out[bound] = True
    return out


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

    @app.get(DOCS_SCHEMA, include_in_schema=False)
    def docs_schema() -> JSONResponse:
        return JSONResponse({**downgrade(app.openapi()), "openapi": "3.0.3"})

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=DOCS_SCHEMA,
            title=f"{app.title} — API",
            swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS}/favicon-32x32.png",
        )

    return True
