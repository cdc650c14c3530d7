"""R1.1: protocols and cipher suites each TLS endpoint accepts, judged from the prober's TlsScan records."""

from __future__ import annotations

from dataclasses import dataclass, field

from connectsec.catalog.rules import make_finding
from connectsec.checks.transport.profiles import mozilla_profile
from connectsec.model import CheckResult, Coverage, Evidence, Finding, Observations
from connectsec.model.tls import ProtocolScan, TlsScan
from connectsec.tls.registry import CipherSuite, registry

_SSL = ("SSLv2", "SSLv3")
_LEGACY_TLS = ("TLSv1.0", "TLSv1.1")
_MODERN = ("TLSv1.2", "TLSv1.3")
_S_CLIENT_FLAG = {"SSLv3": "-ssl3", "TLSv1.0": "-tls1", "TLSv1.1": "-tls1_1", "TLSv1.2": "-tls1_2"}
_TLS13_BASELINE = "TLS_AES_128_GCM_SHA256"
"""Mandatory in TLS 1.3 (RFC 8446 §9.1): offering or preferring it is no weakness."""


def location(scan: TlsScan) -> str:
    """`tls://host:port (address)`: one location per resolved address."""
    return f"tls://{scan.target.label}"


@dataclass
class _Endpoint:
    """Findings of one endpoint, built from its scan."""

    scan: TlsScan
    findings: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def evidence(self, excerpt: str, flag: str | None = None) -> Evidence:
        command = self.scan.openssl_command
        if flag:
            command = command.replace(" </dev/null", f" {flag} </dev/null")
        return Evidence(method="TLS", url=location(self.scan), status=None, excerpt=excerpt, curl=command)

    def add(self, rule: str, detail: str, excerpt: str, flag: str | None = None) -> None:
        self.findings.append(make_finding(rule, location(self.scan), detail, (self.evidence(excerpt, flag),)))


def _suite(name: str) -> CipherSuite | None:
    return registry().by_name(name)


def _judge_protocols(endpoint: _Endpoint, accepted: list[ProtocolScan]) -> None:
    scan = endpoint.scan
    ssl = [p for p in accepted if p.protocol in _SSL]
    if ssl:
        endpoint.add(
            "tls.ssl-protocol",
            f"The server accepts {', '.join(p.protocol for p in ssl)}, broken protocols (DROWN, POODLE).",
            "; ".join(f"{p.protocol}: {p.evidence}" for p in ssl),
            _S_CLIENT_FLAG.get(ssl[-1].protocol),
        )
    legacy = [p for p in accepted if p.protocol in _LEGACY_TLS]
    if legacy:
        endpoint.add(
            "tls.legacy-protocol",
            f"The server accepts {', '.join(p.protocol for p in legacy)}; only TLS 1.2 and 1.3 are allowed.",
            "; ".join(f"{p.protocol}: {p.evidence}" for p in legacy),
            _S_CLIENT_FLAG[legacy[0].protocol],
        )
    modern = [scan.protocol(name) for name in _MODERN]
    if all(p is not None and p.accepted is False for p in modern):
        endpoint.add(
            "tls.no-tls12",
            "The server accepts neither TLS 1.2 nor TLS 1.3.",
            "; ".join(f"{p.protocol}: {p.evidence}" for p in modern if p is not None),
            "-tls1_2",
        )


def _judge_suites(endpoint: _Endpoint, accepted: list[ProtocolScan]) -> None:
    weak: list[str] = []
    for p in accepted:
        for name in p.suites:
            suite = _suite(name)
            if suite is not None and suite.weaknesses:
                weak.append(f"{p.protocol} {name} ({', '.join(suite.weaknesses)})")
    if weak:
        endpoint.add(
            "tls.weak-cipher",
            f"{len(weak)} weak cipher suite(s) accepted: {'; '.join(weak[:12])}"
            + (f" and {len(weak) - 12} more" if len(weak) > 12 else ""),
            "\n".join(weak),
        )
    complete = all(not p.error for p in accepted)
    strong = [s for p in accepted for s in p.suites if (suite := _suite(s)) is not None and suite.strong]
    if complete and not strong and any(p.protocol in _MODERN for p in accepted):
        endpoint.add(
            "tls.no-strong-cipher",
            "No accepted suite uses AES-256 or ChaCha20-Poly1305 with an AEAD or SHA-256/384 MAC.",
            "\n".join(f"{p.protocol}: {', '.join(p.suites)}" for p in accepted),
        )
    for p in accepted:
        if p.protocol not in _MODERN or not p.server_preference or not p.suites:
            continue
        top = _suite(p.suites[0])
        if top is None or top.strong or (p.protocol == "TLSv1.3" and top.name == _TLS13_BASELINE):
            continue
        endpoint.add(
            "tls.weak-preferred",
            f"With {p.protocol} the server's own order puts {top.name} first, ahead of stronger suites.",
            f"{p.protocol} server order: {', '.join(p.suites)}",
            _S_CLIENT_FLAG.get(p.protocol),
        )


def summary(scan: TlsScan) -> str:
    """One line per endpoint: protocols with suite counts and order, groups, the Mozilla profile."""
    parts = []
    for p in scan.protocols:
        if p.accepted:
            order = "server order" if p.server_preference else "client order"
            parts.append(f"{p.protocol} ({len(p.suites)} suites, {order})")
    groups = sorted({g for p in scan.protocols for g in p.groups})
    accepted = ", ".join(parts) or "no protocol"
    return (
        f"{scan.target.label}: {accepted}; groups {', '.join(groups) or 'none found'}; "
        f"Mozilla profile {mozilla_profile(scan)}"
    )


def judge_endpoint(scan: TlsScan) -> tuple[list[Finding], list[str]]:
    """Findings and errors of one endpoint."""
    endpoint = _Endpoint(scan)
    label = scan.target.label
    if scan.error:
        return [], [f"{label}: {scan.error}"]
    for p in scan.protocols:
        if p.accepted is None or p.error:
            endpoint.errors.append(f"{label}: {p.protocol}: {p.error or 'could not be tested'}")
    accepted = [p for p in scan.protocols if p.accepted]
    if not accepted:
        if not endpoint.errors:
            baseline = f" ({scan.baseline})" if scan.baseline else ""
            endpoint.errors.append(f"{label}: the server completed no SSL/TLS hello{baseline}")
        return endpoint.findings, endpoint.errors
    _judge_protocols(endpoint, accepted)
    _judge_suites(endpoint, accepted)
    return endpoint.findings, endpoint.errors


class TlsProtocolCheck:
    """R1.1: only TLS 1.2+, no weak suites, a strong suite offered and not out-preferred."""

    requirement = "R1.1"
    needs: frozenset[str] = frozenset({"tls"})

    def judge(self, observations: Observations) -> CheckResult:
        """Judge every endpoint's protocols and suites."""
        findings: list[Finding] = []
        errors: list[str] = []
        notes: list[str] = []
        probed = 0
        for scan in sorted(observations.tls, key=lambda s: s.target):
            found, failed = judge_endpoint(scan)
            findings.extend(found)
            errors.extend(failed)
            if scan.error is None:
                probed += 1
                notes.append(summary(scan))
        total = registry()
        tested = (
            f"{probed} TLS endpoint(s): SSL 2.0 to TLS 1.3, {len(total.suites)} IANA cipher suites "
            f"and {len(total.ssl2_suites)} SSL 2.0 kinds offered, key-exchange groups"
            if probed
            else ""
        )
        return CheckResult(
            requirement=self.requirement,
            findings=tuple(findings),
            coverage=Coverage(tested=probed, untested=len(observations.tls) - probed),
            tested=tested,
            errors=tuple(errors),
            notes=tuple(notes),
            skipped=None if observations.tls else "no https host:port was probed for TLS",
        )


TLS_PROTOCOL_CHECK = TlsProtocolCheck()
