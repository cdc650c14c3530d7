"""R4: subdomain takeover, judged from CNAME chains, the service table's match, HTTP fingerprints and RDAP."""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import pairwise
from urllib.parse import urlsplit

from connectsec.catalog.rules import make_finding
from connectsec.domain.psl import registrable_domain
from connectsec.model import CheckResult, Coverage, Evidence, Finding, Observations
from connectsec.model.dns import ChainEnd, HostResolution, WebCheck
from connectsec.model.domain import DomainRecord
from connectsec.takeover.ownership import is_third_party

_VULNERABLE, _EDGE, _NOT_VULNERABLE = "Vulnerable", "Edge case", "Not vulnerable"
_LISTED = 10
_UNRESOLVED = (ChainEnd.ERROR, ChainEnd.LOOP, ChainEnd.TOO_LONG)


@dataclass(frozen=True)
class _Verdict:
    rule: str
    detail: str
    confidence: str
    evidence: tuple[Evidence, ...] = ()


def dig_command(resolution: HostResolution, name: str | None = None, rtype: str = "A") -> str:
    """The dig command that repeats the look-up through the same resolver."""
    parts = ["dig"]
    if resolution.server is not None:
        parts.append(f"@{resolution.server}")
        if resolution.port != 53:
            parts += ["-p", str(resolution.port)]
    parts += [name or resolution.name, rtype]
    return shlex.join(parts)


def chain_text(resolution: HostResolution) -> str:
    """`a CNAME b`, one per line, then how the last name ended."""
    names = [resolution.name, *resolution.chain]
    lines = [f"{owner} CNAME {target}" for owner, target in pairwise(names)]
    last = resolution.last_name
    if resolution.end is ChainEnd.RESOLVES:
        lines.append(f"{last} A/AAAA {', '.join(resolution.addresses)}")
    elif resolution.end is ChainEnd.NODATA:
        lines.append(f"{last}: NOERROR, no address (NODATA)")
    else:
        lines.append(f"{last}: {resolution.rcode or resolution.end.value}")
    return "\n".join(lines)


def _dns_evidence(resolution: HostResolution) -> Evidence:
    return Evidence(
        method="DNS",
        url=f"dns:{resolution.name}",
        status=None,
        excerpt=f"resolver {resolution.resolver}\n{chain_text(resolution)}",
        curl=dig_command(resolution),
    )


def _web_evidence(check: WebCheck) -> Evidence:
    split = urlsplit(check.url)
    port = split.port or (443 if split.scheme == "https" else 80)
    address = f"[{check.address}]" if ":" in check.address else check.address
    curl = shlex.join(["curl", "-sS", "--resolve", f"{split.hostname}:{port}:{address}", check.url])
    return Evidence(
        method="GET", url=check.url, status=check.status, excerpt=check.excerpt or None, curl=curl
    )


def _rdap_evidence(record: DomainRecord) -> Evidence:
    url = getattr(record, "rdap_url", None) or f"rdap:{record.domain}"
    curl = shlex.join(["curl", "-sS", url]) if url.startswith("https://") else None
    return Evidence(method="RDAP", url=url, status=getattr(record, "http_status", None), curl=curl)


def _delegation_evidence(resolution: HostResolution) -> tuple[Evidence, ...]:
    asked = [s for s in resolution.steps if s.rtype == "SOA"]
    if not asked:
        return ()
    step = asked[-1]
    address, _, port = step.server.rpartition(":")
    parts = ["dig", f"@{address.strip('[]')}", *(["-p", port] if port != "53" else []), "+norecurse"]
    return (
        Evidence(
            method="DNS",
            url=f"dns:{step.name}",
            status=None,
            excerpt=f"{step.name} SOA from {step.server}: {step.rcode}",
            curl=shlex.join([*parts, step.name, "SOA"]),
        ),
    )


def _unregistered(
    resolution: HostResolution, domains: Mapping[str, DomainRecord]
) -> tuple[str, DomainRecord] | None:
    for target in resolution.chain:
        domain = registrable_domain(target)
        record = domains.get(domain) if domain else None
        unregistered = record is not None and getattr(record, "state", None) == "unregistered"
        if record is not None and unregistered and is_third_party(resolution.name, target):
            return target, record
    return None


def _service_text(resolution: HostResolution) -> str:
    return f"{resolution.service} ({resolution.service_status}; matched {resolution.service_match})"


def _nxdomain(resolution: HostResolution, dns: Evidence) -> _Verdict | None:
    last = resolution.last_name
    third_party = (
        is_third_party(resolution.name, last) if resolution.chain else resolution.service is not None
    )
    if not third_party and not resolution.nxdomain_claimable:
        if not resolution.chain:
            return None
        return _Verdict(
            "takeover.dangling-internal",
            f"The CNAME chain ends at {last}, in the same registrable domain, which does not exist "
            "(NXDOMAIN).",
            "confirmed",
            (dns,),
        )
    if resolution.nxdomain_claimable or resolution.service_status == _VULNERABLE:
        where = _service_text(resolution) if resolution.service else "a hosting provider"
        return _Verdict(
            "takeover.dangling-nxdomain",
            f"{last} does not exist (NXDOMAIN) at {where}: whoever creates it there serves "
            f"{resolution.name}.",
            "confirmed",
            (dns,),
        )
    if resolution.service_status == _EDGE:
        return _Verdict(
            "takeover.potential",
            f"{last} does not exist (NXDOMAIN) at {_service_text(resolution)}; the service lets others "
            "claim a name only in some set-ups.",
            "potential",
            (dns,),
        )
    if resolution.service_status == _NOT_VULNERABLE:
        return _Verdict(
            "takeover.dangling-unclaimable",
            f"{last} does not exist (NXDOMAIN) at {_service_text(resolution)}, which does not let others "
            "claim it; the record is dangling all the same.",
            "confirmed",
            (dns,),
        )
    return _Verdict(
        "takeover.dangling-third-party",
        f"The CNAME chain leaves {resolution.name}'s domain and ends at {last}, which does not exist "
        "(NXDOMAIN); whoever can create that name serves this one.",
        "potential",
        (dns,),
    )


def _resolving(resolution: HostResolution, dns: Evidence) -> _Verdict | None:
    seen = resolution.fingerprint_seen
    if resolution.service is None or resolution.service_status == _NOT_VULNERABLE:
        return None
    if seen is not None:
        strong = seen.fingerprint in resolution.fingerprints
        if strong and resolution.service_status == _VULNERABLE:
            return _Verdict(
                "takeover.confirmed",
                f"{seen.url} shows the unclaimed page of {_service_text(resolution)}: {seen.fingerprint!r}.",
                "confirmed",
                (dns, _web_evidence(seen)),
            )
        why = "an edge-case service" if strong else f"only the status {seen.status} matches (a weak sign)"
        return _Verdict(
            "takeover.potential",
            f"{seen.url} matches the unclaimed fingerprint of {_service_text(resolution)}, "
            f"{why}: {seen.fingerprint!r}.",
            "potential",
            (dns, _web_evidence(seen)),
        )
    if resolution.service_status != _VULNERABLE:
        return None
    answered = [w for w in resolution.web if w.error is None]
    if answered and (resolution.fingerprints or resolution.status_fingerprint):
        return None
    if not resolution.fingerprints and not resolution.status_fingerprint:
        reason = "the table has no fingerprint for it, so it cannot be confirmed over HTTP"
    elif not resolution.web:
        reason = "its unclaimed page was not fetched"
    else:
        reason = "its unclaimed page could not be fetched: " + "; ".join(
            f"{w.url}: {w.error}" for w in resolution.web
        )
    return _Verdict(
        "takeover.potential",
        f"The chain ends at {_service_text(resolution)}, where takeovers are known; {reason}.",
        "potential",
        (dns,),
    )


def _judge_one(resolution: HostResolution, domains: Mapping[str, DomainRecord]) -> _Verdict | None:
    dns = _dns_evidence(resolution)
    unregistered = _unregistered(resolution, domains)
    if unregistered is not None:
        target, record = unregistered
        return _Verdict(
            "takeover.unregistered-domain",
            f"The CNAME chain points at {target}, whose domain {record.domain} is not registered "
            "(RDAP: not found): anyone can register it and serve this name.",
            "confirmed",
            (dns, _rdap_evidence(record)),
        )
    if resolution.end is ChainEnd.LAME:
        failed = next(
            (s.name for s in reversed(resolution.steps) if s.rtype == "A" and s.rcode != "NOERROR"),
            resolution.last_name,
        )
        return _Verdict(
            "takeover.lame-delegation",
            f"{resolution.resolver} cannot resolve {failed}: {resolution.delegation}. "
            "Whoever creates the zone at that DNS provider controls the name.",
            "confirmed",
            (dns, *_delegation_evidence(resolution)),
        )
    if resolution.end is ChainEnd.NXDOMAIN:
        return _nxdomain(resolution, dns)
    if resolution.end is ChainEnd.RESOLVES:
        return _resolving(resolution, dns)
    return None


class TakeoverCheck:
    """R4: no name of the app points at something another party can claim."""

    requirement = "R4"
    needs: frozenset[str] = frozenset({"dns"})

    def judge(self, observations: Observations) -> CheckResult:
        """Judge every resolved name; DNS failures are errors, never a pass."""
        domains = {record.domain: record for record in observations.domains}
        findings: list[Finding] = []
        errors: list[str] = []
        skipped: list[str] = []
        unchecked: dict[str, None] = {}
        tested = chains = 0
        for resolution in observations.dns:
            if resolution.end is ChainEnd.SKIPPED:
                skipped.append(f"{resolution.name} ({resolution.skipped})")
                continue
            verdict = _judge_one(resolution, domains)
            if verdict is None and resolution.end in _UNRESOLVED:
                errors.append(f"{resolution.name}: {resolution.error or resolution.end.value}")
                continue
            tested += 1
            chains += bool(resolution.chain)
            unchecked.update(dict.fromkeys(_rdap_missing(resolution, domains)))
            if verdict is not None:
                findings.append(_finding(resolution, verdict))
        return CheckResult(
            requirement=self.requirement,
            findings=tuple(findings),
            coverage=Coverage(tested=tested, untested=len(errors), not_applicable=len(skipped)),
            tested=f"{_plural(tested, 'name')} resolved, {chains} through CNAME chains" if tested else "",
            errors=_listed(errors),
            notes=_notes(observations, skipped, unchecked),
            skipped=_skip_reason(observations, skipped) if not tested and not errors else None,
        )


def _finding(resolution: HostResolution, verdict: _Verdict) -> Finding:
    extra = [("confidence", verdict.confidence), ("chain", " -> ".join([resolution.name, *resolution.chain]))]
    extra.append(("end", resolution.end.value))
    if resolution.service:
        extra += [("service", resolution.service), ("service_status", resolution.service_status or "")]
    return make_finding(verdict.rule, resolution.name, verdict.detail, verdict.evidence, tuple(extra))


def _rdap_missing(resolution: HostResolution, domains: Mapping[str, DomainRecord]) -> list[str]:
    if resolution.end in (ChainEnd.RESOLVES, ChainEnd.SKIPPED):
        return []
    missing = []
    for target in resolution.chain:
        domain = registrable_domain(target)
        if domain is None or not is_third_party(resolution.name, target):
            continue
        record = domains.get(domain)
        if record is None or getattr(record, "state", None) not in ("registered", "unregistered"):
            missing.append(domain)
    return missing


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _listed(items: list[str]) -> tuple[str, ...]:
    if len(items) <= _LISTED * 2:
        return tuple(items)
    return (*items[: _LISTED * 2], f"and {len(items) - _LISTED * 2} more")


def _notes(observations: Observations, skipped: list[str], unchecked: Mapping[str, None]) -> tuple[str, ...]:
    notes: list[str] = []
    data = next((r.services_data for r in observations.dns if r.services_data), "")
    if data:
        notes.append(f"service fingerprints: {data}")
    elif any(r.end is not ChainEnd.SKIPPED for r in observations.dns):
        notes.append("no service fingerprint table was applied: CNAME targets were not matched to services")
    if skipped:
        notes.append(f"not looked up: {_some(skipped)}")
    unfetched = [
        r.name
        for r in observations.dns
        if r.service_status == _EDGE and r.web and all(w.error is not None for w in r.web)
    ]
    if unfetched:
        notes.append(f"the unclaimed page of edge-case services could not be fetched for: {_some(unfetched)}")
    if unchecked:
        notes.append(
            f"registration (RDAP) of dangling CNAME targets' domains is unknown: {_some(list(unchecked))}"
        )
    return tuple(notes)


def _some(names: list[str]) -> str:
    more = f" and {len(names) - _LISTED} more" if len(names) > _LISTED else ""
    return ", ".join(names[:_LISTED]) + more


def _skip_reason(observations: Observations, skipped: list[str]) -> str:
    if skipped:
        return "no name could be looked up: " + ", ".join(skipped[:_LISTED])
    if not observations.dns:
        return "no host names were resolved"
    return "nothing to judge"


TAKEOVER_CHECK = TakeoverCheck()
