"""Minimal Connect descriptors for test target apps."""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse

SECURE = {
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache, no-store",
}


def descriptor(key: str, base_url: str, page_paths: list[str]) -> dict[str, Any]:
    """A valid descriptor with one generalPage per path."""
    modules = [{"key": f"p{i}", "url": path, "name": {"value": f"P{i}"}} for i, path in enumerate(page_paths)]
    return {
        "key": key,
        "baseUrl": base_url,
        "authentication": {"type": "jwt"},
        "modules": {"generalPages": modules},
    }


def descriptor_response(key: str, base_url: str, page_paths: list[str]) -> JSONResponse:
    """That descriptor as a compliant JSON response."""
    return JSONResponse(descriptor(key, base_url, page_paths), headers=SECURE)
