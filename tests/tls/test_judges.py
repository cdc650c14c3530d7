"""Pure judgement of R1.1 from hand-built records: plain http on port 80, TLS scans, Mozilla profiles."""

from __future__ import annotations

from dataclasses import replace

import pytest

from connectsec.checks.transport import TLS_CHECKS
from connectsec.checks.transport.plain_http import PLAIN_HTTP_CHECK
from connectsec.checks.transport.profiles import mozilla_profile
from connectsec.checks.transport.tls_protocols import TLS_PROTOCOL_CHECK
from connectsec.engine.rollup import roll_up
from connectsec.model import (
    Endpoint,
    EndpointKind,
    HttpExchange,
    HttpRequestSpec,
    HttpResponse,
    Inventory,
    Observations,
    Outcome,
)
from connectsec.model.hosts import HostTarget
from connectsec.model.tls import PROTOCOLS, ProtocolScan, TlsScan
from connectsec.tls.registry import registry
from connectsec.tls.scan import _cross_check

URL = "http://app.example/"
INVENTORY = Inventory(
    descriptor_url="https://app.example/atlassian-connect.json",
    app_key="app",
    app_name="App",
    base_url="https://app.example",
    authentication="jwt",
    endpoints=(),
    hosts=("app.example",),
)


def plain(status: int | None = None, location: str | None = None, error: str | None = None) -> HttpExchange:
    endpoint = Endpoint(url=URL, kind=EndpointKind.PAGE)
    request = HttpRequestSpec(method="GET", url=URL, endpoint=endpoint, purpose="plain-http")
    hops: tuple[HttpResponse, ...] = ()
    if status is not None:
        headers = (("location", location),) if location else (("content-type", "text/html"),)
        hops = (
            HttpResponse(url=URL, status=status, http_version="HTTP/1.1", headers=headers, body=b"<h1>hi"),
        )
    return HttpExchange(request=request, hops=hops, error=error)


def judge_plain(*exchanges: HttpExchange) -> tuple[set[str], Outcome]:
    result = PLAIN_HTTP_CHECK.judge(Observations(inventory=INVENTORY, plain_http=exchanges))
    return {f.rule for f in result.findings}, roll_up("R1.1", "TLS", [result]).outcome


@pytest.mark.parametrize(
    ("exchange", "expected"),
    [
        (plain(301, "https://app.example/"), (set(), Outcome.PASS)),
        (plain(308, "https://elsewhere.example/x"), (set(), Outcome.PASS)),
        (
            plain(error="cannot connect: [Errno 111] Connection refused (http://app.example/)"),
            (set(), Outcome.PASS),
        ),
        (
            plain(error="connection broken while reading: [Errno 104] Connection reset by peer"),
            (set(), Outcome.PASS),
        ),
        (plain(200), ({"tls.plain-http-content"}, Outcome.FAIL)),
        (plain(404), ({"tls.plain-http-content"}, Outcome.FAIL)),
        (plain(503), ({"tls.plain-http-content"}, Outcome.FAIL)),
        (plain(302, "http://app.example/login"), ({"tls.plain-http-redirect-http"}, Outcome.FAIL)),
        (plain(302, "/login"), ({"tls.plain-http-redirect-http"}, Outcome.FAIL)),
        (plain(error="connect timed out: (http://app.example/)"), (set(), Outcome.ERROR)),
        (
            plain(error="cannot connect: cannot resolve app.example: Name or service not known"),
            (set(), Outcome.ERROR),
        ),
    ],
)
def test_plain_http(exchange: HttpExchange, expected: tuple[set[str], Outcome]) -> None:
    assert judge_plain(exchange) == expected


def test_no_plain_http_request_is_skipped() -> None:
    result = PLAIN_HTTP_CHECK.judge(Observations(inventory=INVENTORY))
    assert result.skipped


T = HostTarget("app.example", 443, "192.0.2.1")
GOOD12 = ("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384")
GOOD13 = ("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256")


def tls_scan(**accepted: tuple[str, ...] | None) -> TlsScan:
    """Protocols named with their suites are accepted (None: not determined); the others refused."""
    protocols = []
    for name in PROTOCOLS:
        key = name.replace(".", "_")
        if key in accepted and accepted[key] is None:
            protocols.append(ProtocolScan(name, None, "timeout", error="no answer"))
        elif key in accepted:
            protocols.append(ProtocolScan(name, True, "ServerHello", suites=accepted[key] or ()))
        else:
            protocols.append(ProtocolScan(name, False, "alert protocol_version"))
    return TlsScan(target=T, protocols=tuple(protocols))


def judge_tls(*scans: TlsScan) -> tuple[set[str], Outcome]:
    result = TLS_PROTOCOL_CHECK.judge(Observations(inventory=INVENTORY, tls=scans))
    return {f.rule for f in result.findings}, roll_up("R1.1", "TLS", [result]).outcome


def test_compliant_scan_passes_and_says_what_was_tested() -> None:
    result = TLS_PROTOCOL_CHECK.judge(
        Observations(inventory=INVENTORY, tls=(tls_scan(TLSv1_2=GOOD12, TLSv1_3=GOOD13),))
    )
    assert result.findings == ()
    assert result.errors == ()
    assert "IANA cipher suites" in result.tested
    assert "Mozilla profile intermediate" in result.notes[0]


def test_undetermined_protocol_is_an_error_not_a_pass() -> None:
    assert judge_tls(tls_scan(TLSv1_0=None, TLSv1_2=GOOD12)) == (set(), Outcome.ERROR)


def test_unreachable_endpoint_is_an_error() -> None:
    assert judge_tls(TlsScan(target=T, error="cannot connect")) == (set(), Outcome.ERROR)


def test_nothing_accepted_is_an_error() -> None:
    assert judge_tls(tls_scan()) == (set(), Outcome.ERROR)


def test_preference_of_tls13_aes128_is_no_weakness() -> None:
    scan = tls_scan(TLSv1_3=GOOD13)
    protocols = tuple(replace(p, server_preference=True) if p.accepted else p for p in scan.protocols)
    assert judge_tls(replace(scan, protocols=protocols)) == (set(), Outcome.PASS)


def test_tls12_preferring_aes128_warns() -> None:
    scan = tls_scan(TLSv1_2=GOOD12)
    protocols = tuple(replace(p, server_preference=True) if p.accepted else p for p in scan.protocols)
    assert judge_tls(replace(scan, protocols=protocols)) == ({"tls.weak-preferred"}, Outcome.WARN)


def test_each_address_is_its_own_location() -> None:
    other = HostTarget("app.example", 443, "192.0.2.2")
    bad = replace(tls_scan(TLSv1_0=("TLS_RSA_WITH_AES_128_CBC_SHA",), TLSv1_2=GOOD12), target=other)
    result = TLS_PROTOCOL_CHECK.judge(Observations(inventory=INVENTORY, tls=(tls_scan(TLSv1_2=GOOD12), bad)))
    assert [f.location for f in result.findings] == ["tls://app.example:443 (192.0.2.2)"]
    assert result.findings[0].evidence[0].curl is not None
    assert "-tls1" in result.findings[0].evidence[0].curl


@pytest.mark.parametrize(
    ("suites", "profile"),
    [
        ({"TLSv1_3": GOOD13}, "modern"),
        ({"TLSv1_2": GOOD12, "TLSv1_3": GOOD13}, "intermediate"),
        ({"TLSv1_0": ("TLS_RSA_WITH_AES_128_CBC_SHA",), "TLSv1_2": GOOD12}, "old"),
        ({"TLSv1_2": ("TLS_RSA_WITH_CAMELLIA_128_CBC_SHA",)}, "none"),
        ({"TLSv1_2": None}, "unknown"),
    ],
)
def test_mozilla_profiles(suites: dict[str, tuple[str, ...] | None], profile: str) -> None:
    assert mozilla_profile(tls_scan(**suites)) == profile


def test_refusal_of_the_protocol_openssl_negotiates_distrusts_all_refusals() -> None:
    results = tls_scan(TLSv1_3=GOOD13).protocols
    checked = _cross_check(results, "TLSv1.2")
    assert all(p.accepted is None for p in checked if p.protocol != "TLSv1.3")
    assert "refusals cannot be trusted" in (checked[0].error or "")
    assert _cross_check(results, "TLSv1.3") == results


def test_registry_covers_the_iana_registry() -> None:
    reg = registry()
    assert len(reg.suites) > 340
    assert reg.by_name("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256") is not None
    assert reg.suite(0x000A) is not None
    assert reg.suite(0x000A).weaknesses == ("3DES",)
    assert reg.suite(0x0003) is not None
    assert set(reg.suite(0x0003).weaknesses) == {"EXPORT", "RC4"}
    assert reg.suite(0xC030) is not None
    assert reg.suite(0xC030).strong
    assert reg.suite(0xC014) is not None
    assert not reg.suite(0xC014).strong
    assert reg.suite(0x1301) is not None
    assert not reg.suite(0x1301).strong
    assert reg.ssl2_suite(0x0700C0) is not None
    assert reg.group_name(29) == "x25519"


def test_checks_exported() -> None:
    assert [c.needs for c in TLS_CHECKS] == [frozenset({"tls"}), frozenset({"plain-http"})]
    assert all(c.requirement == "R1.1" for c in TLS_CHECKS)
