"""The HTML report: self-contained, escaped, and rendered without errors in headless Chromium."""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from connectsec.model import Report
from connectsec.reporting._common import all_findings, visible
from connectsec.reporting.html import BAR_SPACE, TrendPoint, render_html
from tests.reporting.factory import with_findings
from tests.reporting.formats_browser import browser, open_page
from tests.reporting.formats_factory import HOSTILE, rich_report

__all__ = ["browser"]  # the fixture

HISTORY = (
    TrendPoint("2026-10-01T08:00:00Z", {"R2": 4, "R12": 1}, {"high": 1, "medium": 4}),
    TrendPoint("2026-10-15T08:00:00Z", {"R2": 2, "R8": 3}, {"critical": 2, "medium": 3}),
)


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text of <script> and <style> elements."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.blocks: dict[str, list[str]] = {"script": [], "style": []}
        self._open: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._open = tag if tag in self.blocks else None

    def handle_endtag(self, tag: str) -> None:
        self._open = None

    def handle_data(self, data: str) -> None:
        if self._open:
            self.blocks[self._open].append(data)


def parse(page: bytes) -> Elements:
    elements = Elements()
    elements.feed(page.decode("utf-8"))
    return elements


def hostile_report() -> Report:
    report = rich_report()
    report = replace(report, target=replace(report.target, app_name=HOSTILE), warnings=(HOSTILE,))
    first = all_findings(report)[0]
    broken = replace(first, detail="bad \udcff byte", location=f"{first.location}/\"'><img src=x>")
    return with_findings(report, first.requirement, (broken,))


def flat(text: str) -> str:
    return " ".join(text.split())


def test_self_contained_no_url_in_any_attribute() -> None:
    elements = parse(render_html(hostile_report(), HISTORY))
    url_attributes = [
        (tag, name, value)
        for tag, attrs in elements.tags
        for name, value in attrs.items()
        if value
        and re.search(r"[a-z][a-z0-9+.-]*:", value, re.I)
        and name in ("src", "href", "action", "xmlns")
    ]
    assert url_attributes == []
    assert not [
        tag for tag, _ in elements.tags if tag in ("link", "img", "iframe", "object", "embed", "base")
    ]
    hrefs = [attrs["href"] for tag, attrs in elements.tags if tag == "a"]
    assert hrefs
    assert all(href and href.startswith("#req-") for href in hrefs)


def test_hostile_text_is_escaped_and_only_our_script_runs() -> None:
    page = render_html(hostile_report(), HISTORY)
    text = page.decode("utf-8")
    assert "<script>alert" not in text
    assert "<img src=x>" not in text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in text
    assert "\u202e" not in text
    assert "\\u202e" in text
    assert "bad ? byte" in text
    elements = parse(page)
    assert [tag for tag, _ in elements.tags].count("script") == 1


def test_content_security_policy_allows_exactly_the_inline_style_and_script() -> None:
    elements = parse(render_html(rich_report()))
    (policy,) = [a["content"] for t, a in elements.tags if t == "meta" and a.get("http-equiv")]
    assert policy is not None
    assert "default-src 'none'" in policy
    for kind in ("script", "style"):
        (block,) = elements.blocks[kind]
        digest = base64.b64encode(hashlib.sha256(block.encode("utf-8")).digest()).decode()
        assert f"{kind}-src 'sha256-{digest}'" in policy


def test_summary_charts_and_every_finding() -> None:
    report = rich_report()
    text = render_html(report).decode("utf-8")
    for result in report.requirements:
        assert f'id="req-{result.id}"' in text
    assert text.count('class="chart bars"') == 2
    assert 'id="trend"' not in text
    assert text.count('<article class="finding') == len(all_findings(report))
    assert text.count('<details class="evidence">') == sum(1 for f in all_findings(report) if f.evidence)
    # R8: 2 critical then 1 high, stacked; the severity chart's longest bar (8 medium) spans the chart.
    assert '<rect class="sev-critical" x="170.0" y="3" width="280.0"' in text
    assert '<rect class="sev-high" x="450.0" y="3" width="140.0"' in text
    assert f'<rect class="sev-medium" x="170.0" y="3" width="{float(BAR_SPACE)}"' in text


def test_trend_chart_over_history_and_the_current_scan() -> None:
    report = rich_report()
    text = render_html(report, HISTORY).decode("utf-8")
    assert 'id="trend"' in text
    for when in ("2026-10-01T08:00:00Z", "2026-10-15T08:00:00Z", report.started_at):
        assert when in text
    total = re.search(r'class="series line-total">\s*<polyline points="([^"]+)"', text)
    assert total is not None
    assert len(total.group(1).split()) == 3
    assert "R2: 2, R8: 3" in text
    again = render_html(report, (*HISTORY, TrendPoint(report.started_at, {}, {}))).decode("utf-8")
    line = re.search(r'class="series line-total">\s*<polyline points="([^"]+)"', again)
    assert line is not None
    assert len(line.group(1).split()) == 3


def test_renders_in_chromium_without_errors_and_shows_every_finding(browser: Any, tmp_path: Path) -> None:
    report = hostile_report()
    path = tmp_path / "report.html"
    path.write_bytes(render_html(report, HISTORY))
    page, log = open_page(browser, path)
    try:
        assert log.console_errors == []
        assert log.page_errors == []
        assert log.failed_requests == []
        assert log.requests == [path.as_uri()]
        body = flat(page.inner_text("body"))
        for finding in all_findings(report):
            assert flat(visible(finding.location)) in body
        assert page.evaluate("document.title").startswith("Security report: <script>")
        findings = len(all_findings(report))
        assert page.inner_text("#shown") == f"{findings} of {findings} findings shown"
        assert page.locator("details.evidence[open]").count() == 0
        page.click("#expand")
        assert page.locator("details.evidence[open]").count() == page.locator("details.evidence").count()
        page.fill("#filter", "secret.private-key")
        assert page.inner_text("#shown") == f"1 of {findings} findings shown"
        assert page.locator("svg.chart").count() == 3
        assert page.locator("img, script:not(:last-of-type)").count() == 0
    finally:
        page.close()
