"""Descriptor validation and the endpoint inventory (pure, table-driven)."""

from __future__ import annotations

import contextlib
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from connectsec.descriptor.context_vars import fill
from connectsec.descriptor.errors import DescriptorError
from connectsec.descriptor.parse import app_url, build_inventory, load_descriptor, requires_admin
from connectsec.model import EndpointKind, Inventory

BASE = "https://app.example.com/base"
DESCRIPTOR_URL = "https://app.example.com/base/atlassian-connect.json"


def inventory(raw: dict[str, Any], base_url: str | None = None) -> Inventory:
    model, data = load_descriptor(json.dumps(raw).encode(), "descriptor")
    return build_inventory(model, data, DESCRIPTOR_URL, base_url)


def descriptor(**extra: Any) -> dict[str, Any]:
    return {"key": "my-app", "baseUrl": BASE, "authentication": {"type": "jwt"}, **extra}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<!DOCTYPE html><html><body>Login</body></html>", "is HTML"),
        (b"  <html>", "is HTML"),
        (b'{"key": "x", "baseUrl": ', "not valid JSON"),
        (b"[1, 2]", "not an object"),
        (b'{"name": "package", "version": "1.0.0"}', "missing key, baseUrl, authentication"),
        (b'{"key": "x", "baseUrl": "ftp://x", "authentication": {"type": "jwt"}}', "baseUrl"),
        (b'{"key": "bad key!", "baseUrl": "https://x", "authentication": {"type": "jwt"}}', "key"),
        (b'{"key": "x", "baseUrl": "https://x", "authentication": "jwt"}', "authentication"),
        (b'{"key": "x", "baseUrl": "https://x", "authentication": {"type": "oauth"}}', "'jwt' or 'none'"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        (b"[" * 100_000, "descriptor"),
    ],
)
def test_unusable_descriptors_give_one_line(data: bytes, message: str) -> None:
    with pytest.raises(DescriptorError) as info:
        load_descriptor(data, "descriptor")
    assert message in str(info.value)
    assert "\n" not in str(info.value)


@given(st.binary(max_size=300))
def test_arbitrary_bytes_never_raise_anything_else(data: bytes) -> None:
    with contextlib.suppress(DescriptorError):
        load_descriptor(data, "d")


@pytest.mark.parametrize(
    ("base", "url", "expected"),
    [
        ("https://x.com/base", "/page", "https://x.com/base/page"),
        ("https://x.com/base/", "/page", "https://x.com/base/page"),
        ("https://x.com", "page", "https://x.com/page"),
        ("https://x.com/base", "https://other.com/p", "https://other.com/p"),
    ],
)
def test_relative_urls_are_appended_to_base_url(base: str, url: str, expected: str) -> None:
    assert app_url(base, url) == expected


@pytest.mark.parametrize(
    ("conditions", "admin"),
    [
        ([{"condition": "user_is_admin"}], True),
        ([{"condition": "user_is_sysadmin"}], True),
        ([{"condition": "user_is_logged_in"}], False),
        ([{"condition": "user_is_admin", "invert": True}], False),
        ([{"condition": "user_is_logged_in"}, {"condition": "user_is_admin"}], True),
        ([{"or": [{"condition": "user_is_admin"}, {"condition": "user_is_logged_in"}]}], False),
        ([{"or": [{"condition": "user_is_admin"}, {"condition": "user_is_sysadmin"}]}], True),
        (
            [
                {
                    "or": [
                        {"condition": "user_is_admin"},
                        {"and": [{"condition": "user_is_sysadmin"}, {"condition": "user_is_logged_in"}]},
                    ]
                }
            ],
            True,
        ),
        ([{"and": [{"condition": "user_is_logged_in"}, {"condition": "user_is_admin"}]}], True),
        ([{"or": []}], False),
        ([{"condition": "has_global_permission", "params": {"permission": "ADMINISTER"}}], True),
        ([{"condition": "has_project_permission", "params": {"permission": "BROWSE_PROJECTS"}}], False),
        ("user_is_admin", False),
        (None, False),
    ],
)
def test_admin_conditions(conditions: Any, admin: bool) -> None:
    assert requires_admin(conditions) is admin


def test_inventory_covers_every_module_kind() -> None:
    inv = inventory(
        descriptor(
            name="My app",
            lifecycle={"installed": "/installed", "uninstalled": "/uninstalled"},
            apiMigrations={"signed-install": True},
            links={
                "self": "https://app.example.com/base/atlassian-connect.json",
                "homepage": "https://vendor.example.org",
            },
            vendor={"name": "V", "url": "https://vendor.example.org"},
            modules={
                "generalPages": [{"key": "gp", "url": "/page?issue={issue.key}&p=${project.id}"}],
                "adminPages": [{"key": "ap", "url": "/admin"}],
                "configurePage": {"key": "cfg", "url": "/configure"},
                "webPanels": [
                    {
                        "key": "wp",
                        "url": "/panel",
                        "cacheable": True,
                        "conditions": [{"condition": "user_is_admin"}],
                    },
                ],
                "webItems": [
                    {"key": "wi-product", "url": "/secure/Dashboard.jspa", "context": "product"},
                    {"key": "wi-addon", "url": "/dialog", "context": "addon"},
                ],
                "webhooks": [{"event": "jira:issue_created", "url": "/hook"}],
                "dynamicContentMacros": [
                    {
                        "key": "m",
                        "url": "/macro?id={page.id}",
                        "editor": {"url": "/macro-editor"},
                        "icon": {"url": "/img/icon.png"},
                        "imagePlaceholder": {"url": "/img/placeholder"},
                        "documentation": {"url": "https://docs.example.org/m"},
                    }
                ],
                "jiraWorkflowPostFunctions": [
                    {"key": "pf", "view": {"url": "/pf/view"}, "triggered": {"url": "/pf/triggered"}}
                ],
                "jiraIssueGlances": [
                    {"key": "g", "target": {"type": "web_panel", "url": "https://cdn.example.net/g"}}
                ],
            },
        )
    )
    by_url = {e.url: e for e in inv.endpoints}
    b = BASE
    assert by_url[f"{b}/page?issue=DEMO-1&p=10000"].template == "/page?issue={issue.key}&p=${project.id}"
    assert by_url[f"{b}/installed"].method == "POST"
    assert by_url[f"{b}/installed"].kind is EndpointKind.LIFECYCLE
    assert by_url[f"{b}/admin"].admin_only
    assert by_url[f"{b}/configure"].admin_only
    assert by_url[f"{b}/panel"].admin_only
    assert by_url[f"{b}/panel"].cacheable
    assert not by_url[f"{b}/page?issue=DEMO-1&p=10000"].admin_only
    assert f"{b}/secure/Dashboard.jspa" not in by_url
    assert by_url[f"{b}/dialog"].kind is EndpointKind.PAGE
    assert by_url[f"{b}/hook"].kind is EndpointKind.WEBHOOK
    assert by_url[f"{b}/hook"].method == "POST"
    assert by_url[f"{b}/macro?id=10000"].module_type == "dynamicContentMacros"
    assert by_url[f"{b}/macro-editor"].kind is EndpointKind.PAGE
    assert by_url[f"{b}/img/icon.png"].kind is EndpointKind.STATIC
    assert by_url[f"{b}/img/placeholder"].kind is EndpointKind.STATIC
    assert "https://docs.example.org/m" not in by_url
    assert by_url[f"{b}/pf/triggered"].kind is EndpointKind.WEBHOOK
    assert by_url[f"{b}/pf/view"].kind is EndpointKind.PAGE
    assert by_url["https://cdn.example.net/g"].kind is EndpointKind.PAGE
    assert by_url[DESCRIPTOR_URL].kind is EndpointKind.DESCRIPTOR
    assert inv.signed_install
    assert inv.app_name == "My app"
    assert set(inv.hosts) == {"app.example.com", "vendor.example.org", "cdn.example.net", "docs.example.org"}


def test_base_url_override_rebases_relative_urls() -> None:
    inv = inventory(
        descriptor(modules={"generalPages": [{"key": "p", "url": "/p"}]}), "https://staging.example.com"
    )
    assert "https://staging.example.com/p" in {e.url for e in inv.endpoints}
    assert inv.base_url == "https://staging.example.com"
    assert any("--base-url" in n for n in inv.notes)


def test_same_url_in_admin_and_general_module_is_not_admin_only() -> None:
    inv = inventory(
        descriptor(
            modules={
                "adminPages": [{"key": "a", "url": "/shared"}],
                "generalPages": [{"key": "g", "url": "/shared"}],
            }
        )
    )
    (shared,) = [e for e in inv.endpoints if e.url.endswith("/shared")]
    assert not shared.admin_only


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("/p?issue={issue.key}", "/p?issue=DEMO-1"),
        ("/p?id=${page.id}", "/p?id=10000"),
        ("/p?c={condition.is_admin}", "/p?c=true"),
        ("/p?x={ ac.custom }", "/p?x=demo"),
        ("/p?u={xdm_e}", "/p?u=https%3A%2F%2Fconnectsec-test.atlassian.net"),
        ("/p", "/p"),
    ],
)
def test_context_variables_filled(template: str, expected: str) -> None:
    assert fill(template) == expected
