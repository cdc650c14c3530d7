"""Scope, deduplication and coverage shared by the header checks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from connectsec.auth.minting import without_jwt
from connectsec.catalog.rules import make_finding
from connectsec.model import (
    AuthMode,
    CheckResult,
    Coverage,
    Evidence,
    Finding,
    HttpExchange,
    HttpResponse,
    Observations,
)
from connectsec.redact import Redactor

MAX_ERRORS_LISTED = 20


class HeaderCheck:
    """What every header check shares: it judges HTTP exchanges, with a redactor for evidence."""

    requirement: str
    needs: frozenset[str] = frozenset({"http"})

    def __init__(self, redactor: Redactor | None = None) -> None:
        self._redactor = redactor or Redactor()


def is_https_url(url: str) -> bool:
    """Whether a URL uses https."""
    return url[:8].lower() == "https://"


def host_of(url: str) -> str:
    """The lower-cased host of a URL ('' when it has none or does not parse)."""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


VIEW_PURPOSES = frozenset({"baseline", "crawl", "descriptor", "reachability"})


def viewed(observations: Observations) -> list[HttpExchange]:
    """The exchanges that show the app as a browser or the product sees it (attack traffic left out)."""
    return [x for x in observations.exchanges if x.request.purpose in VIEW_PURPOSES]


def app_hosts(observations: Observations) -> frozenset[str]:
    """The app's own hosts: the inventory's, and those of every endpoint and request."""
    hosts = {h.lower() for h in observations.inventory.hosts}
    hosts.update(e.host for e in observations.inventory.endpoints)
    for exchange in observations.exchanges:
        hosts.add(exchange.endpoint.host)
        hosts.add(host_of(exchange.request.url))
    hosts.discard("")
    return frozenset(hosts)


@dataclass
class _Pending:
    rule: str
    location: str
    detail: str
    evidence: list[Evidence]
    extra: tuple[tuple[str, str], ...]
    auth: AuthMode


@dataclass
class Judgement:
    """Builds one check's result: findings deduplicated per (location, rule), coverage by URL."""

    requirement: str
    redactor: Redactor
    max_evidence: int = 1
    responses: int = 0
    tested: dict[str, None] = field(default_factory=dict)
    not_applicable: dict[str, None] = field(default_factory=dict)
    notes: dict[str, None] = field(default_factory=dict)
    _untested: dict[str, str] = field(default_factory=dict)
    _foreign: dict[str, None] = field(default_factory=dict)
    _pending: dict[tuple[str, str], _Pending] = field(default_factory=dict)
    _auth: AuthMode = AuthMode.NONE

    def url(self, url: str) -> str:
        """The redacted form of a URL without the minted `jwt` parameter: how it is keyed and shown."""
        return self.redactor.url(without_jwt(url))

    def judged(self, url: str, exchange: HttpExchange | None = None) -> str:
        """Count one judged response (of `exchange`, whose auth mode findings inherit); its key URL."""
        self._auth = exchange.request.auth if exchange is not None else AuthMode.NONE
        key = self.url(url)
        self.responses += 1
        self.tested[key] = None
        return key

    def out_of_scope(self, url: str) -> None:
        """Count a response or exchange this requirement does not apply to."""
        self.not_applicable[self.url(url)] = None

    def app_https_hops(self, observations: Observations) -> list[tuple[HttpExchange, HttpResponse]]:
        """Every https response from the app's hosts, redirect hops included; the rest counted out of scope.

        Responses from other hosts (an identity provider a page redirects to) are not the vendor's to fix.
        """
        hosts = app_hosts(observations)
        scoped: list[tuple[HttpExchange, HttpResponse]] = []
        for exchange in viewed(observations):
            for hop in exchange.hops:
                if hop.is_https and self.own_host(hop.url, hosts):
                    scoped.append((exchange, hop))
                else:
                    self.out_of_scope(hop.url)
        return scoped

    def own_host(self, url: str, hosts: frozenset[str]) -> bool:
        """Whether `url` is on one of `hosts`; notes the foreign ones."""
        host = host_of(url)
        if host in hosts:
            return True
        self._foreign[host or url] = None
        return False

    def add(
        self,
        rule: str,
        location: str,
        detail: str,
        evidence: Evidence,
        extra: tuple[tuple[str, str], ...] = (),
        auth: AuthMode | None = None,
    ) -> None:
        """Record a finding, redacted; a repeat of (location, rule) only adds evidence.

        The finding needed credentials (auth TENANT) only if no unauthenticated response showed it.
        """
        mode = auth or self._auth
        location, detail = self.redactor.text(location), self.redactor.text(detail)
        pending = self._pending.get((location, rule))
        if pending is None:
            self._pending[(location, rule)] = _Pending(rule, location, detail, [evidence], extra, mode)
            return
        if mode is AuthMode.NONE:
            pending.auth = AuthMode.NONE
        if len(pending.evidence) < self.max_evidence and evidence not in pending.evidence:
            pending.evidence.append(evidence)

    def counted(self, noun: str = "https response") -> str:
        """`37 https responses from 31 URLs`."""
        return f"{plural(self.responses, noun)} from {plural(len(self.tested), 'URL')}"

    def unreached(self, observations: Observations, in_scope: Callable[[HttpExchange], bool]) -> None:
        """Record exchanges that failed before any response, unless the URL was judged elsewhere."""
        for exchange in viewed(observations):
            if exchange.error is None or exchange.hops:
                continue
            key = self.url(exchange.endpoint.url)
            if exchange.request.auth is AuthMode.TENANT:
                key += " (with credentials)"  # the unauthenticated view of the URL does not stand in for it
            if not in_scope(exchange):
                self.not_applicable[key] = None
                continue
            self._untested.setdefault(key, self.redactor.text(exchange.error))

    def result(self, tested: str, nothing_in_scope: str) -> CheckResult:
        """The check result; `nothing_in_scope` explains a skip when nothing could be judged."""
        untested = {u: e for u, e in self._untested.items() if u not in self.tested}
        errors = [f"{url}: {error}" for url, error in untested.items()]
        if len(errors) > MAX_ERRORS_LISTED:
            errors = [*errors[:MAX_ERRORS_LISTED], f"and {len(errors) - MAX_ERRORS_LISTED} more"]
        not_applicable = [u for u in self.not_applicable if u not in self.tested and u not in untested]
        findings: tuple[Finding, ...] = tuple(
            replace(make_finding(p.rule, p.location, p.detail, tuple(p.evidence), p.extra), auth_mode=p.auth)
            for p in self._pending.values()
        )
        notes = list(self.notes)
        if self._foreign:
            hosts = list(self._foreign)
            more = f" and {len(hosts) - 5} more" if len(hosts) > 5 else ""
            notes.append(
                f"responses from hosts outside the app were not judged: {', '.join(hosts[:5])}{more}"
            )
        skipped = nothing_in_scope if not self.tested and not untested else None
        summary = tested if self.tested else ""
        if untested:
            summary = f"{summary}; {len(untested)} URLs could not be fetched".lstrip("; ")
        return CheckResult(
            requirement=self.requirement,
            findings=findings,
            coverage=Coverage(
                tested=len(self.tested), untested=len(untested), not_applicable=len(not_applicable)
            ),
            tested=summary,
            errors=tuple(errors),
            notes=tuple(notes),
            skipped=skipped,
        )


def plural(count: int, word: str) -> str:
    """`1 URL`, `2 URLs`."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"
