"""Fuzz target: descriptor bytes through load_descriptor and build_inventory; only DescriptorError escapes."""

from __future__ import annotations

from connectsec.descriptor.errors import DescriptorError
from connectsec.descriptor.parse import build_inventory, load_descriptor

SOURCE = "https://app.example/atlassian-connect.json"
SEEDS = (
    b'{"key": "app", "baseUrl": "https://app.example", "authentication": {"type": "jwt"}}',
    b'{"key": "a.b", "baseUrl": "https://app.example/base/", "authentication": {"type": "none"},'
    b' "lifecycle": {"installed": "/installed", "uninstalled": "https://[::1"},'
    b' "apiMigrations": {"signed-install": true},'
    b' "modules": {"generalPages": [{"key": "p", "url": "/page?issue={issue.key}&u=${user.accountId}",'
    b' "conditions": [{"condition": "user_is_admin", "invert": false}], "icon": {"url": "/i.png"}}],'
    b' "webhooks": [{"event": "jira:issue_created", "url": "/hook"}],'
    b' "adminPages": {"key": "ad", "url": "admin"}}}',
    b"\xef\xbb\xbf{}",
    b"<!doctype html><html>",
)


def test_one_input(data: bytes) -> None:
    """One input: a DescriptorError or an inventory whose endpoints are unique and non-empty."""
    try:
        model, raw = load_descriptor(data, SOURCE)
    except DescriptorError as exc:
        if "\n" in str(exc):
            raise AssertionError(f"multi-line DescriptorError: {exc!r}") from None
        return
    inventory = build_inventory(model, raw, SOURCE)
    keys = [(endpoint.method, endpoint.url) for endpoint in inventory.endpoints]
    if len(keys) != len(set(keys)) or not all(url for _, url in keys):
        raise AssertionError(f"duplicate or empty endpoints: {keys!r}")
