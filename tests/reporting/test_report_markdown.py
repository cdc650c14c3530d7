"""The Markdown report: complete, and safe against hostile values from the target."""

from __future__ import annotations

from dataclasses import replace

from connectsec.catalog.requirements import REQUIREMENT_IDS
from connectsec.catalog.rules import make_finding
from connectsec.model import Endpoint, EndpointKind, Evidence, Target
from connectsec.reporting import render_markdown, report_to_markdown
from connectsec.reporting.markdown import MAX_ENDPOINT_ROWS, MAX_LOCATIONS_PER_RULE, code, fenced, md

from .factory import BASE, HOSTILE_URL, endpoints, evidence, sample_report, with_findings
from .mdcheck import html_blocks, structure, table_shapes, to_html


def hostile_report(nasty: bool = True) -> str:
    """Every target-controlled value tries to break out; `nasty=False` gives the same report, tame."""

    def pick(evil: str, tame: str) -> str:
        return evil if nasty else tame

    url = pick(HOSTILE_URL, f"{BASE}/page")
    finding = make_finding(
        "cache-control.missing",
        url,
        pick("header `Cache-Control: private`\n```\nnot a fence\n</details>", "plain"),
        evidence=(
            Evidence(
                "GET",
                url,
                200,
                (("x-evil", pick("a\r````\r\n|b|", "b")),),
                pick("```\n</details>\n", "body"),
                pick("curl '`x`'", "curl x"),
            ),
        ),
        extra=((pick("url|s", "urls"), pick("a\nb", "b")),),
    )
    report = replace(
        sample_report(),
        target=Target(
            url, pick("key|`x`", "key"), pick("App | <img src=x onerror=alert(1)>\n# h", "App"), url
        ),
        endpoints=(*endpoints(), Endpoint(url, EndpointKind.CRAWLED, source=pick("crawl|x\ny", "crawl"))),
        options=((pick("timeout|x", "timeout"), pick("1\n|2|", "1")),),
        warnings=(pick("certificate of evil|host`\n- list", "certificate"),),
    )
    return report_to_markdown(with_findings(report, "R2", (finding,)))


def test_contains_every_requirement_and_the_inventory() -> None:
    text = render_markdown(sample_report()).decode("utf-8")
    assert text.startswith("# Security report: Example App\n")
    for rid in REQUIREMENT_IDS:
        assert f"\n| {rid} | " in text
        assert f"\n## {rid}: " in text
    assert "## Endpoint inventory" in text
    assert "TLS certificate of localhost did not verify" in text
    assert "timeout after 10 s" in text
    assert "curl -sS -D - -o /dev/null" in text


def test_tables_keep_their_column_count_with_hostile_values() -> None:
    shapes = table_shapes(hostile_report())
    assert [len(set(rows)) for rows in shapes] == [1, 1, 1]  # target, summary, inventory
    assert [rows[0] for rows in shapes] == [2, 5, 7]
    assert len(shapes[1]) == 1 + len(REQUIREMENT_IDS)


def test_hostile_values_cannot_add_html_blocks_or_structure() -> None:
    text = hostile_report()
    blocks = html_blocks(text)
    assert blocks.count("</details>") == 1 + 2 * 3
    assert all(b == "</details>" or b.startswith("<details>\n<summary>Evidence: ") for b in blocks)
    html = to_html(text)
    assert "<script" not in html
    assert "<img" not in html
    assert html.count("<h1>") == 1
    assert structure(text) == structure(hostile_report(nasty=False))


def test_hostile_text_is_escaped() -> None:
    text = hostile_report()
    assert "\\|b\\`c\\`<br>\\| injected" in text
    assert "&lt;script&gt;" in text
    assert "\\x0d" in text  # a lone CR in a header, shown not obeyed


def test_per_rule_locations_are_capped() -> None:
    many = tuple(
        make_finding("referrer-policy.missing", f"{BASE}/p/{i}", "missing", evidence=(evidence(),))
        for i in range(MAX_LOCATIONS_PER_RULE + 7)
    )
    text = report_to_markdown(with_findings(sample_report(), "R12", many))
    assert f"**{MAX_LOCATIONS_PER_RULE}.** " in text
    assert f"**{MAX_LOCATIONS_PER_RULE + 1}.** " not in text
    assert "… and 7 more (see report.json)" in text
    assert text.count("### Referrer-Policy header missing") == 1
    assert text.count("**Remediation:** Send `Referrer-Policy") == 1


def test_inventory_is_capped() -> None:
    many = tuple(Endpoint(f"{BASE}/e/{i}", EndpointKind.CRAWLED) for i in range(MAX_ENDPOINT_ROWS + 3))
    text = report_to_markdown(replace(sample_report(), endpoints=many))
    assert f"\n| {MAX_ENDPOINT_ROWS} | GET |" in text
    assert f"\n| {MAX_ENDPOINT_ROWS + 1} | GET |" not in text
    assert "… and 3 more endpoints (see report.json)" in text


def test_catalog_html_is_escaped_but_code_spans_kept() -> None:
    finding = make_finding("referrer-policy.meta-unsafe", f"{BASE}/", "meta unsafe-url")
    text = report_to_markdown(with_findings(sample_report(), "R12", (finding,)))
    assert "### &lt;meta name=referrer&gt; weakens the policy" in text
    assert 'no `<meta name="referrer">` weakens it' in text


def test_escaping_helpers() -> None:
    assert md(None) == "—"
    assert md("a|b") == "a\\|b"
    assert md("1. first") == "1\\. first"
    assert md("- item") == "\\- item"
    assert md("a\nb\r\nc") == "a<br>b<br>c"
    assert md("\x1b[31mred") == "\\\\x1b\\[31mred"
    assert code("a``b") == "```a``b```"
    assert code("`x") == "`` `x ``"
    assert fenced("````", "shell") == ["`````shell", "````", "`````"]


def test_host_level_evidence_has_no_http_status_line() -> None:
    tls = Evidence("TLS", "tls://app.example:443 (192.0.2.1)", None, excerpt="TLSv1.0: ServerHello TLSv1.0")
    rdap = Evidence("RDAP", "https://rdap.example/domain/app.example", 404)
    finding = make_finding("tls.legacy-protocol", "tls://app.example:443 (192.0.2.1)", "TLS 1.0", (tls,))
    gone = make_finding("domain.unregistered", "app.example", "not registered", (rdap,))
    report = with_findings(with_findings(sample_report(), "R1.1", (finding,)), "R3", (gone,))
    text = report_to_markdown(report)
    assert "TLS tls://app.example:443 (192.0.2.1)\nTLSv1.0" not in text  # excerpt after a blank line
    assert "TLS tls://app.example:443 (192.0.2.1)\n\nTLSv1.0: ServerHello TLSv1.0" in text
    assert "RDAP https://rdap.example/domain/app.example\nHTTP 404" in text
    assert "no response" not in text.split("## R1.1", 1)[1].split("## R1.2", 1)[0]
