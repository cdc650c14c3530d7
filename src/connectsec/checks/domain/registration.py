"""R3: the registrable domain of every app host is registered, not expiring, not on hold or being deleted."""

from __future__ import annotations

import shlex
from urllib.parse import urlsplit

from connectsec.checks.domain._collect import DEFAULT_WARN_DAYS, Findings, days
from connectsec.domain.psl import normalise, special_use
from connectsec.model import CheckResult, Coverage, Evidence, Observations
from connectsec.model.domain import DomainRecord, DomainState

HOLD = frozenset({"client hold", "server hold"})
"""RFC 8056: the domain is not published in DNS."""
DELETION = frozenset({"redemption period", "pending delete", "pending restore"})
"""RFC 8056 / RFC 3915: the registration lapsed and the domain is on its way to being released."""


class RegistrationCheck:
    """R3 domains: RDAP state of the registrable domains of the app's own hosts (CNAME targets are R4's)."""

    requirement = "R3"
    needs: frozenset[str] = frozenset({"rdap"})

    def judge(self, observations: Observations) -> CheckResult:
        """Judge the records of the app's hosts; hosts without a record are errors, never passes."""
        warn_days = observations.expiry_warn_days
        hosts = app_hosts(observations)
        records = [r for r in observations.domains if hosts.intersection(r.for_hosts)]
        findings = Findings()
        errors: list[str] = []
        skipped: dict[str, None] = {}
        tested: list[str] = []
        sound: list[str] = []
        for host in sorted(hosts - {h for r in records for h in r.for_hosts}):
            reason = special_use(host)
            if reason:
                skipped[f"{host}: {reason}"] = None
            else:
                errors.append(f"{host}: no RDAP record (its domain was not looked up)")
        for record in records:
            if record.state is DomainState.DISABLED:
                skipped[record.reason or "RDAP lookups are turned off"] = None
            elif record.state is DomainState.SKIPPED:
                skipped[f"{record.domain}: {record.reason or 'not registrable'}"] = None
            elif record.state is DomainState.ERROR:
                errors.append(record.error or f"{record.domain}: RDAP lookup failed")
            else:
                tested.append(record.domain)
                problem = judge_record(record, warn_days)
                if isinstance(problem, str):
                    errors.append(problem)
                elif problem is not None:
                    findings.add(problem[0], record.domain, problem[1], rdap_evidence(record))
                else:
                    sound.append(registration_note(record))
        if not tested and not errors:
            reason = "; ".join(skipped) or "the app names no host with a registrable domain"
            return CheckResult(requirement=self.requirement, skipped=reason, notes=tuple(skipped))
        return CheckResult(
            requirement=self.requirement,
            findings=findings.built(),
            coverage=Coverage(tested=len(tested), untested=len(errors), not_applicable=len(skipped)),
            tested=f"registration of {', '.join(tested)} (RDAP)" if tested else "",
            errors=tuple(errors),
            notes=(*sound, *skipped),
        )


def registration_note(record: DomainRecord) -> str:
    """What RDAP said of a sound registration, for the report."""
    parts = [f"{record.domain}: registered"]
    if record.expires is not None and record.observed_at is not None:
        left = (record.expires - record.observed_at).total_seconds()
        parts.append(f"expires {record.expires:%Y-%m-%d} (in {days(left)})")
    if record.registrar:
        parts.append(f"registrar {record.registrar}")
    if record.statuses:
        parts.append(f"status {', '.join(record.statuses)}")
    return ", ".join(parts)


def app_hosts(observations: Observations) -> set[str]:
    """The inventory's hosts plus the baseUrl and descriptor hosts, normalised."""
    inventory = observations.inventory
    hosts = {normalise(h) for h in inventory.hosts}
    for url in (inventory.base_url, inventory.descriptor_url):
        try:
            hosts.add(normalise(urlsplit(url).hostname or ""))
        except ValueError:
            continue
    hosts.discard("")
    return hosts


def judge_record(record: DomainRecord, warn_days: int = DEFAULT_WARN_DAYS) -> tuple[str, str] | str | None:
    """(rule, detail) of a registered/unregistered record's problem, an error string, or None when sound."""
    shown = ", ".join(record.for_hosts)
    if record.state is DomainState.UNREGISTERED:
        return (
            "domain.unregistered",
            f"RDAP has no registration for {record.domain}, the domain of {shown} (HTTP 404 from "
            f"{record.rdap_url or 'the RDAP server'}): anyone can register it and serve content to every "
            "install of the app.",
        )
    statuses = set(record.statuses)
    expiry = f", expiry {record.expires:%Y-%m-%d}" if record.expires else ""
    deleting = sorted(statuses & DELETION)
    if deleting:
        return (
            "domain.pending-delete",
            f"{record.domain} has status {', '.join(deleting)}{expiry}: the registration lapsed and the "
            "domain will be released for anyone to register unless it is restored now.",
        )
    holding = sorted(statuses & HOLD)
    if holding:
        return (
            "domain.on-hold",
            f"{record.domain} has status {', '.join(holding)}: it is removed from DNS, so {shown} "
            "does not resolve for anyone.",
        )
    if record.expires is None:
        return (
            f"{record.domain}: the RDAP record has no expiration event, so the expiry date is unknown; "
            "check it at the registrar"
        )
    if record.observed_at is None:
        return f"{record.domain}: the RDAP record has no observation time"
    left = (record.expires - record.observed_at).total_seconds()
    if left < 0:
        return (
            "domain.expired",
            f"The registration of {record.domain} expired {days(-left)} ago, on {record.expires:%Y-%m-%d}.",
        )
    if left < warn_days * 86400:
        return (
            "domain.expiring",
            f"The registration of {record.domain} expires in {days(left)}, on {record.expires:%Y-%m-%d} "
            f"(less than {warn_days} days).",
        )
    return None


def rdap_evidence(record: DomainRecord) -> Evidence:
    """The RDAP answer as evidence, with a curl command that fetches it again."""
    url = record.rdap_url or f"rdap:{record.domain}"
    facts = [f"state: {record.state.value}"]
    if record.expires:
        facts.append(f"expiration: {record.expires:%Y-%m-%dT%H:%M:%SZ}")
    if record.statuses:
        facts.append(f"status: {', '.join(record.statuses)}")
    if record.registrar:
        facts.append(f"registrar: {record.registrar}")
    if record.source:
        facts.append(f"server from: {record.source}")
    curl = None
    if record.rdap_url:
        curl = f"curl -sS -H 'Accept: application/rdap+json' {shlex.quote(record.rdap_url)}"
    return Evidence(method="RDAP", url=url, status=record.http_status, excerpt="\n".join(facts), curl=curl)


REGISTRATION_CHECK = RegistrationCheck()
