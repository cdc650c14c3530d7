"""Findings and the evidence that lets a vendor reproduce them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from connectsec.model.observation import AuthMode
from connectsec.model.outcome import Severity, Verdict


@dataclass(frozen=True)
class Evidence:
    """One request behind a finding, secrets already redacted."""

    method: str
    url: str
    status: int | None
    headers: tuple[tuple[str, str], ...] = ()
    """The headers that matter for this finding."""
    excerpt: str | None = None
    curl: str | None = None
    """A redacted curl command that reproduces the request."""


@dataclass(frozen=True)
class Finding:
    """One problem at one location."""

    requirement: str
    rule: str
    """The finding type, a key of the catalog's severity table (e.g. `hsts.missing`)."""
    verdict: Verdict
    severity: Severity
    title: str
    location: str
    """The URL, or file:line, or a cookie `name; path=/p`."""
    detail: str
    remediation: str
    evidence: tuple[Evidence, ...] = ()
    extra: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    """Further typed facts as key/value pairs (e.g. `urls` for a cookie seen in several places)."""
    auth_mode: AuthMode = AuthMode.NONE
    """TENANT: seen only in responses to requests authenticated as a test tenant (needed credentials)."""
    first_seen: str | None = None
    """With history: the UTC date (YYYY-MM-DD) of the first scan that reported it."""
    due: str | None = None
    """With history: the date the security SLA requires it fixed by (first seen, or reopened, plus the
    severity's days)."""
    history: str | None = None
    """With history: `new` (first time), `open` (seen before, still there) or `reopened` (was fixed)."""
    in_baseline: bool = False
    """Present in the --baseline report: known already, so it does not fail the build by itself."""

    @property
    def id(self) -> str:
        """A stable fingerprint: requirement, rule and location, nothing time- or token-dependent."""
        raw = f"{self.requirement}|{self.rule}|{self.location}".encode("utf-8", "surrogatepass")
        return hashlib.sha256(raw).hexdigest()[:20]
