"""Through the real scanner: references in the descriptor, a page and a script, probed and judged."""

from __future__ import annotations

import json

from connectsec.engine.request import ScanRequest
from connectsec.engine.rollup import roll_up
from connectsec.engine.scan import Scanner
from connectsec.model import CheckResult, Observations, Outcome
from tests.storage.app import storage_app
from tests.storage.cloud import PRIVATE, PUBLIC_LIST, PUBLIC_READ, Bucket, Cloud, cloud_server, loopback_fetch
from tests.storage.pages import judged, rules

PAGE = """<!doctype html><html><head><title>Home</title>
<script src="/static/app.js"></script>
<script>const firebaseConfig = {databaseURL: "https://acme-rtdb.firebaseio.com"};</script>
</head><body><img src="https://page-images.s3.amazonaws.com/logo.png"></body></html>"""
SCRIPT = 'fetch("https:\\/\\/script-data.s3.eu-west-1.amazonaws.com\\/exports\\/tenants.json")'
TENANTS = json.dumps([{"accountId": "557058:f1e2d3c4-b5a6-4789-8abc-def012345678", "displayName": "Ann"}])


class _Capture:
    """A check that keeps the observations the scanner hands it."""

    requirement = "R6"
    needs = frozenset({"http"})

    def __init__(self) -> None:
        self.observations: Observations | None = None

    def judge(self, observations: Observations) -> CheckResult:
        self.observations = observations
        return CheckResult(self.requirement, skipped="captured")


async def _observed(descriptor_url: str) -> Observations:
    capture = _Capture()
    async with Scanner(ScanRequest(descriptor=descriptor_url, requirements=("R6",))) as scanner:
        await scanner.run(checks=(capture,))
    assert capture.observations is not None
    return capture.observations


def _cloud(*, compliant: bool) -> Cloud:
    exports = {"exports/tenants.json": ("application/json", TENANTS.encode())}
    return Cloud(
        s3={
            "descriptor-docs": Bucket(
                PRIVATE if compliant else PUBLIC_LIST, {"index.html": ("text/html", b"hi")}
            ),
            "page-images": Bucket(PUBLIC_READ, {"logo.png": ("image/png", b"\x89PNG")}),
            "script-data": Bucket(PRIVATE if compliant else PUBLIC_READ, exports, region="eu-west-1"),
        },
        firebase={"acme-rtdb": Bucket(PRIVATE, {"users": ("application/json", b"{}")})},
    )


async def test_references_in_descriptor_page_and_script_are_probed_and_judged() -> None:
    with storage_app("https://descriptor-docs.s3.amazonaws.com/index.html", PAGE, SCRIPT) as url:
        observations = await _observed(url)
    base = url.removesuffix("/atlassian-connect.json")
    with cloud_server(_cloud(compliant=False)) as port:
        result = await judged(observations, loopback_fetch(port))
    assert rules(result) == {
        ("storage.public-list", "s3://descriptor-docs"),
        (
            "storage.public-read-tenant-data",
            "https://script-data.s3.eu-west-1.amazonaws.com/exports/tenants.json",
        ),
    }
    sources = {f.location: dict(f.extra)["referenced in"] for f in result.findings}
    assert sources["s3://descriptor-docs"] == "descriptor"
    assert sources[next(s for s in sources if "script-data" in s)] == f"script {base}/static/app.js"
    assert any("logo.png: public static asset" in n for n in result.notes)
    assert result.errors == ()
    assert roll_up("R6", "stored data", (result,)).outcome is Outcome.FAIL


async def test_a_compliant_target_is_clean() -> None:
    with storage_app("https://descriptor-docs.s3.amazonaws.com/index.html", PAGE, SCRIPT) as url:
        observations = await _observed(url)
    with cloud_server(_cloud(compliant=True)) as port:
        result = await judged(observations, loopback_fetch(port))
    assert result.findings == ()
    assert result.errors == ()
    assert result.coverage.tested == 4
    assert roll_up("R6", "stored data", (result,)).outcome is Outcome.PASS


async def test_nothing_referenced_is_skipped_naming_what_was_searched() -> None:
    with storage_app("https://example.com/docs", "<html><body>plain</body></html>", "") as url:
        observations = await _observed(url)
    with cloud_server(Cloud()) as port:
        result = await judged(observations, loopback_fetch(port))
    assert result.skipped is not None
    assert result.skipped.startswith("no storage location referenced (searched the descriptor, 1 HTML page")
