"""Endpoints from an OpenAPI (3.x) or Swagger (2.0) document, JSON or YAML."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import yaml

from connectsec.descriptor.context_vars import plausible_value
from connectsec.sources.common import Found, read_bounded

MAX_BYTES = 20_000_000
_METHODS = ("get", "head", "post", "put", "patch", "delete")
_PARAMETER = re.compile(r"\{([^}/]{1,80})\}")


def openapi_endpoints(path: str, base_url: str, origins: set[str], found: Found) -> None:
    """Add every operation of the document, its paths resolved against its server URL or the baseUrl."""
    document = _read(path)
    paths = document.get("paths")
    if not isinstance(paths, dict):
        raise ValueError(f"--openapi {path}: no `paths` object (not an OpenAPI document)")
    server = _server(document, base_url)
    source = f"openapi:{Path(path).name}"
    for template, item in paths.items():
        if not isinstance(template, str) or not isinstance(item, dict):
            continue
        filled = _PARAMETER.sub(lambda m: plausible_value(m.group(1)), template)
        url = urljoin(server.rstrip("/") + "/", filled.lstrip("/"))
        for method in _METHODS:
            if method in item:
                found.add(method, url, source, origins)


def _server(document: dict[str, Any], base_url: str) -> str:
    servers = document.get("servers")
    if isinstance(servers, list) and servers and isinstance(servers[0], dict):
        url = servers[0].get("url")
        if isinstance(url, str) and url:
            return urljoin(base_url.rstrip("/") + "/", url) if not urlsplit(url).scheme else url
    base_path = document.get("basePath")  # Swagger 2.0
    if isinstance(base_path, str):
        return urljoin(base_url, base_path)
    return base_url


def _read(path: str) -> dict[str, Any]:
    raw = read_bounded(path, "--openapi", MAX_BYTES)
    try:
        text = raw.decode("utf-8")
        data = json.loads(text) if text.lstrip().startswith("{") else yaml.safe_load(text)
    except (UnicodeDecodeError, json.JSONDecodeError, yaml.YAMLError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ValueError(f"--openapi {path}: not JSON or YAML ({reason})") from None
    if not isinstance(data, dict):
        raise ValueError(f"--openapi {path}: not an OpenAPI document")
    return data
