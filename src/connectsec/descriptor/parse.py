"""Descriptor parsing and the endpoint inventory (pure: bytes in, Inventory out)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import SplitResult, urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from connectsec.descriptor.context_vars import fill, has_variables
from connectsec.descriptor.errors import DescriptorError
from connectsec.model import Endpoint, EndpointKind, Inventory

ADMIN_MODULE_TYPES = frozenset(
    {
        "adminPages",
        "configurePage",
        "postInstallPage",
        "jiraProjectAdminTabPanels",
        "spaceToolsTabs",
        "jiraAdminPages",
    }
)
ADMIN_CONDITIONS = frozenset(
    {"user_is_admin", "user_is_sysadmin", "is_admin_mode", "jira_administrator", "user_is_project_admin"}
)
_ADMIN_PERMISSIONS = frozenset({"ADMINISTER", "SYSTEM_ADMIN", "ADMINISTER_PROJECTS"})
_STATIC_KEYS = frozenset({"icon", "imagePlaceholder", "image", "thumbnail", "logo"})
_SKIPPED_KEYS = frozenset({"documentation", "vendor", "links"})
_STATIC_SUFFIXES = (
    ".png", ".jpg", ".jpeg", ".gif", ".svg", ".ico", ".webp", ".css", ".js", ".mjs", ".map",
    ".woff", ".woff2", ".ttf", ".eot",
)  # fmt: skip
_HTML_START = (b"<!doctype", b"<html", b"<head", b"<body", b"<?xml")


class _Authentication(BaseModel):
    model_config = ConfigDict(extra="allow")
    type: str

    @field_validator("type")
    @classmethod
    def _known_type(cls, value: str) -> str:
        if value.lower() not in {"jwt", "none"}:
            raise ValueError(f"must be 'jwt' or 'none', not {value[:40]!r}")
        return value.lower()


class DescriptorModel(BaseModel):
    """What a Connect descriptor must hold for connectsec to scan it (extra fields allowed)."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    key: str = Field(min_length=1, max_length=80, pattern=r"^[A-Za-z0-9._\-]+$")
    base_url: str = Field(alias="baseUrl")
    authentication: _Authentication
    name: str | None = None
    lifecycle: dict[str, Any] | None = None
    modules: dict[str, Any] | None = None
    api_migrations: dict[str, Any] | None = Field(default=None, alias="apiMigrations")

    @field_validator("base_url")
    @classmethod
    def _absolute_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise ValueError("must be an absolute http(s) URL")
        return value


def load_descriptor(data: bytes, source: str) -> tuple[DescriptorModel, dict[str, Any]]:
    """Decode and validate a descriptor; DescriptorError (one line) when unusable."""
    head = data.lstrip()[:64].lower()
    if head.startswith(_HTML_START):
        raise DescriptorError(f"{source} is HTML, not a JSON Connect descriptor")
    try:
        raw = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise DescriptorError(f"{source} is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise DescriptorError(
            f"{source} is not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})"
        ) from None
    except RecursionError:
        raise DescriptorError(f"{source} is nested too deeply to be a descriptor") from None
    if not isinstance(raw, dict):
        raise DescriptorError(f"{source} is JSON but not a Connect descriptor (not an object)")
    missing = [k for k in ("key", "baseUrl", "authentication") if k not in raw]
    if missing:
        raise DescriptorError(f"{source} is JSON but not a Connect descriptor (missing {', '.join(missing)})")
    try:
        model = DescriptorModel.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "descriptor"
        raise DescriptorError(f"{source}: invalid Connect descriptor: {where}: {first['msg']}") from None
    return model, raw


def app_url(base_url: str, url: str) -> str:
    """Resolve a descriptor URL the way Connect does: relative URLs are appended to baseUrl."""
    parts = _split(url)
    if parts is None or parts.scheme in {"http", "https"}:
        return url
    base = base_url.rstrip("/")
    return f"{base}{url}" if url.startswith("/") else f"{base}/{url}"


def requires_admin(conditions: Any) -> bool:
    """Whether a Connect conditions list can only be true for admins (top-level list is AND)."""
    if not isinstance(conditions, list):
        return False
    return any(_node_requires_admin(c) for c in conditions)


def _node_requires_admin(node: Any) -> bool:
    if not isinstance(node, dict):
        return False
    if "and" in node:
        children = node["and"]
        return isinstance(children, list) and any(_node_requires_admin(c) for c in children)
    if "or" in node:
        children = node["or"]
        return (
            isinstance(children, list) and bool(children) and all(_node_requires_admin(c) for c in children)
        )
    if node.get("invert") is True:
        return False
    name = str(node.get("condition", "")).lower()
    if name in ADMIN_CONDITIONS:
        return True
    params = node.get("params")
    if name in {"has_global_permission", "has_project_permission"} and isinstance(params, dict):
        return str(params.get("permission", "")).upper() in _ADMIN_PERMISSIONS
    return False


def build_inventory(
    model: DescriptorModel,
    raw: dict[str, Any],
    descriptor_url: str,
    base_url: str | None = None,
) -> Inventory:
    """Every endpoint the descriptor names, variables filled, admin and cacheable flags set."""
    base = base_url or model.base_url
    endpoints: dict[tuple[str, str], Endpoint] = {}
    notes: list[str] = []

    def add(endpoint: Endpoint) -> None:
        if _split(endpoint.url) is None:
            notes.append(f"{endpoint.source}: {endpoint.url[:80]!r} is not a valid URL; not scanned")
            return
        key = (endpoint.method, endpoint.url)
        known = endpoints.get(key)
        if known is None:
            endpoints[key] = endpoint
        elif (known.admin_only and not endpoint.admin_only) or (known.cacheable and not endpoint.cacheable):
            endpoints[key] = Endpoint(
                url=known.url,
                kind=known.kind,
                method=known.method,
                source=known.source,
                module_type=known.module_type,
                module_key=known.module_key,
                template=known.template,
                admin_only=known.admin_only and endpoint.admin_only,
                cacheable=known.cacheable and endpoint.cacheable,
            )

    if urlsplit(descriptor_url).scheme in {"http", "https"}:
        add(Endpoint(url=descriptor_url, kind=EndpointKind.DESCRIPTOR, source="descriptor"))
    for name, target in (model.lifecycle or {}).items():
        if isinstance(target, str) and target:
            add(
                Endpoint(
                    url=fill(app_url(base, target)),
                    kind=EndpointKind.LIFECYCLE,
                    method="POST",
                    source=f"lifecycle.{name}",
                    template=target,
                )
            )
    for module_type, value in (model.modules or {}).items():
        modules = value if isinstance(value, list) else [value]
        for index, module in enumerate(modules):
            if not isinstance(module, dict):
                continue
            prefix = f"modules.{module_type}" + (f"[{index}]" if isinstance(value, list) else "")
            for endpoint in _module_endpoints(module_type, module, prefix, base):
                add(endpoint)
    hosts = _hosts(raw, descriptor_url, base)
    origins = _https_origins(raw, descriptor_url, base)
    if base_url and base_url != model.base_url:
        notes.append(f"baseUrl {model.base_url} replaced by --base-url {base_url}")
    api = model.api_migrations or {}
    return Inventory(
        descriptor_url=descriptor_url,
        app_key=model.key,
        app_name=model.name,
        base_url=base,
        authentication=model.authentication.type,
        endpoints=tuple(endpoints.values()),
        hosts=hosts,
        https_origins=origins,
        signed_install=api.get("signed-install") is True,
        notes=tuple(notes),
    )


def _module_endpoints(module_type: str, module: dict[str, Any], prefix: str, base: str) -> Iterator[Endpoint]:
    key = module.get("key") if isinstance(module.get("key"), str) else None
    admin = module_type in ADMIN_MODULE_TYPES or requires_admin(module.get("conditions"))
    cacheable = module.get("cacheable") is True
    if module_type == "webItems" and module.get("context") in {"product", "page"}:
        return
    for path, url, static in _url_fields(module, prefix):
        if module_type == "webhooks" or path.endswith(".triggered.url"):
            kind, method = EndpointKind.WEBHOOK, "POST"
        elif static or (_split(url) or urlsplit("")).path.lower().endswith(_STATIC_SUFFIXES):
            kind, method = EndpointKind.STATIC, "GET"
        else:
            kind, method = EndpointKind.PAGE, "GET"
        yield Endpoint(
            url=fill(app_url(base, url)),
            kind=kind,
            method=method,
            source=path,
            module_type=module_type,
            module_key=key,
            template=url if has_variables(url) else None,
            admin_only=admin,
            cacheable=cacheable,
        )


def _url_fields(node: Any, path: str, static: bool = False) -> Iterator[tuple[str, str, bool]]:
    if isinstance(node, dict):
        for k, v in node.items():
            if k in _SKIPPED_KEYS:
                continue
            child = f"{path}.{k}"
            if k == "url" and isinstance(v, str) and v.strip():
                yield child, v.strip(), static
            elif isinstance(v, dict | list):
                yield from _url_fields(v, child, static or k in _STATIC_KEYS)
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from _url_fields(item, f"{path}[{i}]", static)


def _hosts(raw: Any, descriptor_url: str, base: str) -> tuple[str, ...]:
    found: dict[str, None] = {}
    for url in (descriptor_url, base, *_absolute_urls(raw)):
        host = (_split(url) or urlsplit("")).hostname
        if host:
            found[host.lower()] = None
    return tuple(found)


def _https_origins(raw: Any, descriptor_url: str, base: str) -> tuple[tuple[str, int], ...]:
    found: dict[tuple[str, int], None] = {}
    for url in (descriptor_url, base, *_absolute_urls(raw)):
        parts = _split(url)
        if parts is None or parts.scheme.lower() != "https" or not parts.hostname:
            continue
        try:
            found[(parts.hostname.lower(), parts.port or 443)] = None
        except ValueError:  # a port that is not a number
            continue
    return tuple(found)


def _split(url: str) -> SplitResult | None:
    """The URL's parts, or None when urlsplit rejects it (e.g. an unclosed `[` IPv6 literal)."""
    try:
        return urlsplit(url)
    except ValueError:
        return None


def _absolute_urls(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        if node.startswith(("https://", "http://")):
            yield node
    elif isinstance(node, dict):
        for v in node.values():
            yield from _absolute_urls(v)
    elif isinstance(node, list):
        for v in node:
            yield from _absolute_urls(v)
