"""Inventory sources: API calls in scripts, HAR files, OpenAPI documents (pure; files on disk)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from connectsec.model import EndpointKind
from connectsec.sources.common import MAX_FOUND, Found
from connectsec.sources.har import har_endpoints
from connectsec.sources.openapi import openapi_endpoints
from connectsec.sources.scripts import script_endpoints

APP = "https://app.vendor.example"
ORIGINS = {APP}
PAGE = f"{APP}/pages/dashboard?jwt=x"

BUNDLE = r"""
const api = { issues: "/api/issues", me: '/api/me' };
fetch("/api/projects?expand=1").then(r => r.json());
fetch(`${baseUrl}/api/issues/${issue.id}/comments`);
axios.post('/api/settings', {dark: true});
axios.delete('/api/settings/cache');
var x = new XMLHttpRequest(); x.open("GET", "/internal/report");
$.ajax({ url: "/api/search", type: "POST", data: q });
AP.request('/rest/api/3/myself');
AP.request({ url: '/rest/api/3/project', type: 'GET' });
fetch("https://cdn.other.example/data.json");
fetch("relative/thing");
fetch("/static/app.js"); fetch("/logout");
fetch("/api/" + id);
const word = "json";
"""


def endpoints(found: Found) -> set[tuple[str, str]]:
    return {(e.method, e.url) for e in found.endpoints}


def test_script_calls_become_api_endpoints() -> None:
    found = Found()
    script_endpoints(BUNDLE, PAGE, ORIGINS, "script:/static/bundle.js", found)
    assert endpoints(found) == {
        ("GET", f"{APP}/api/issues"),
        ("GET", f"{APP}/api/me"),
        ("GET", f"{APP}/api/projects?expand=1"),
        ("GET", f"{APP}/api/issues/10000/comments"),
        ("POST", f"{APP}/api/settings"),
        ("GET", f"{APP}/internal/report"),
        ("POST", f"{APP}/api/search"),
        ("GET", f"{APP}/pages/relative/thing"),
    }
    assert {e.kind for e in found.endpoints} == {EndpointKind.API}
    assert {e.source for e in found.endpoints} == {"script:/static/bundle.js"}
    notes = "\n".join(found.notes)
    assert "DELETE https://app.vendor.example/api/settings/cache" in notes  # listed, never sent
    assert "/logout" in notes
    assert "AP.request" in notes
    assert "rest/api/3" not in {e.url for e in found.endpoints}.__str__()


def test_tokens_are_dropped_from_found_urls() -> None:
    found = Found()
    script_endpoints('fetch("/api/data?jwt=eyJhbGciOi.x.y&page=2")', PAGE, ORIGINS, "s", found)
    assert endpoints(found) == {("GET", f"{APP}/api/data?page=2")}


def test_found_is_bounded() -> None:
    text = "\n".join(f'fetch("/api/item/{i}")' for i in range(MAX_FOUND + 50))
    found = Found()
    script_endpoints(text, PAGE, ORIGINS, "s", found)
    assert len(found.endpoints) == MAX_FOUND


def test_har_requests_of_the_app(tmp_path: Path) -> None:
    har = {
        "log": {
            "entries": [
                {"request": {"method": "GET", "url": f"{APP}/api/boards?jwt=abc"}},
                {"request": {"method": "POST", "url": f"{APP}/api/boards"}},
                {"request": {"method": "GET", "url": "https://vendor-cdn.example/lib.js"}},
                {"request": {"method": "DELETE", "url": f"{APP}/api/boards/1"}},
            ]
        }
    }
    path = tmp_path / "session.har"
    path.write_text(json.dumps(har))
    found = Found()
    har_endpoints(str(path), ORIGINS, found)
    assert endpoints(found) == {("GET", f"{APP}/api/boards"), ("POST", f"{APP}/api/boards")}
    assert any("DELETE" in n for n in found.notes)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{not json", "not JSON"),
        ('{"log": {}}', "not a HAR file"),
        ("[]", "not a HAR file"),
    ],
)
def test_bad_har(tmp_path: Path, content: str, expected: str) -> None:
    path = tmp_path / "bad.har"
    path.write_text(content)
    with pytest.raises(ValueError, match=expected):
        har_endpoints(str(path), ORIGINS, Found())


OPENAPI_YAML = """
openapi: 3.0.3
info: {title: App API, version: "1"}
servers:
  - url: /rest/v1
paths:
  /issues/{issueId}:
    get: {responses: {"200": {description: ok}}}
    delete: {responses: {"204": {description: gone}}}
  /projects:
    get: {responses: {"200": {description: ok}}}
    post: {responses: {"201": {description: made}}}
"""


def test_openapi_yaml_relative_server(tmp_path: Path) -> None:
    path = tmp_path / "api.yaml"
    path.write_text(OPENAPI_YAML)
    found = Found()
    openapi_endpoints(str(path), APP, ORIGINS, found)
    assert endpoints(found) == {
        ("GET", f"{APP}/rest/v1/issues/10000"),
        ("GET", f"{APP}/rest/v1/projects"),
        ("POST", f"{APP}/rest/v1/projects"),
    }
    assert any("DELETE" in n for n in found.notes)


def test_swagger2_json_base_path(tmp_path: Path) -> None:
    doc = {"swagger": "2.0", "basePath": "/v2", "paths": {"/users/{key}": {"get": {}}}}
    path = tmp_path / "swagger.json"
    path.write_text(json.dumps(doc))
    found = Found()
    openapi_endpoints(str(path), APP, ORIGINS, found)
    assert endpoints(found) == {("GET", f"{APP}/v2/users/DEMO")}


@pytest.mark.parametrize(
    ("content", "expected"),
    [("a: [unclosed", "not JSON or YAML"), ("title: x", "no `paths`"), ("- 1", "not an")],
)
def test_bad_openapi(tmp_path: Path, content: str, expected: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(content)
    with pytest.raises(ValueError, match=expected):
        openapi_endpoints(str(path), APP, ORIGINS, Found())
