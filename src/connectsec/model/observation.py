"""Observations: frozen records of what probes saw on the network."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from connectsec.model.certificate import CertificateScan
from connectsec.model.dns import HostResolution
from connectsec.model.domain import DomainRecord
from connectsec.model.endpoint import Endpoint, Inventory
from connectsec.model.source import CodeScan, DependencyScan, SecretScan
from connectsec.model.storage import StorageProbe
from connectsec.model.tls import TlsScan


class AuthMode(StrEnum):
    """How a request authenticated."""

    NONE = "none"
    TENANT = "tenant"
    """With a correct token minted for a test tenant, as the product would send it."""


@dataclass(frozen=True)
class HttpRequestSpec:
    """A request the scan sends, and why."""

    method: str
    url: str
    endpoint: Endpoint
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes | None = None
    purpose: str = "baseline"
    """`baseline` (plain unauthenticated request), `crawl`, later `attack:<name>` …"""
    auth: AuthMode = AuthMode.NONE
    tenant: str | None = None
    """The test tenant whose token the request carries (auth TENANT)."""
    prepare: Callable[[HttpRequestSpec], HttpRequestSpec] | None = field(
        default=None, compare=False, repr=False
    )
    """Builds the final request (a fresh attack token) just before sending; the exchange records it."""


@dataclass(frozen=True)
class HttpResponse:
    """One HTTP response (one hop of a redirect chain)."""

    url: str
    status: int
    http_version: str
    headers: tuple[tuple[str, str], ...]
    """Every header line in order, names lower-cased, repeats kept."""
    body: bytes = b""
    """The decoded body, at most the scan's byte cap."""
    body_truncated: bool = False
    elapsed_ms: float = 0.0
    tls_verified: bool = True
    """False when the connection was made without certificate verification."""

    def header_values(self, name: str) -> list[str]:
        """All values of a header, in order (never merged)."""
        key = name.lower()
        return [v for k, v in self.headers if k == key]

    def header(self, name: str) -> str | None:
        """The first value of a header, or None."""
        values = self.header_values(name)
        return values[0] if values else None

    @property
    def set_cookies(self) -> list[str]:
        """Every Set-Cookie line, one per cookie."""
        return self.header_values("set-cookie")

    @property
    def content_type(self) -> str:
        """The media type, lower-cased, without parameters ('' when absent)."""
        value = self.header("content-type") or ""
        return value.split(";", 1)[0].strip().lower()

    @property
    def is_https(self) -> bool:
        """Whether the response came over https."""
        return self.url.lower().startswith("https://")

    @property
    def is_redirect(self) -> bool:
        """3xx with a Location."""
        return 300 <= self.status < 400 and self.header("location") is not None


@dataclass(frozen=True)
class HttpExchange:
    """A request and everything that came back: every redirect hop, or why nothing did."""

    request: HttpRequestSpec
    hops: tuple[HttpResponse, ...] = ()
    """Responses in order; the last is the final one. Empty when `error` is set before any."""
    error: str | None = None
    """Why the exchange did not complete (timeout, refused, TLS failure …)."""
    redirect_not_followed: str | None = None
    """A redirect the connection policy refused to follow, and why."""

    @property
    def final(self) -> HttpResponse | None:
        """The last response received, if any."""
        return self.hops[-1] if self.hops else None

    @property
    def endpoint(self) -> Endpoint:
        """The endpoint the request was for."""
        return self.request.endpoint


@dataclass(frozen=True)
class Observations:
    """Everything the probes saw, handed to checks for judgement."""

    inventory: Inventory
    exchanges: tuple[HttpExchange, ...] = ()
    tls_unverified_hosts: tuple[str, ...] = field(default_factory=tuple)
    """Hosts whose certificate did not verify; the scan went on without verification."""
    tls: tuple[TlsScan, ...] = ()
    """One per https host:port:address the descriptor names (R1.1)."""
    certificates: tuple[CertificateScan, ...] = ()
    """One per https host:port:address (R3)."""
    domains: tuple[DomainRecord, ...] = ()
    """RDAP registration state per registrable domain: the app's hosts and CNAME targets (R3, R4)."""
    dns: tuple[HostResolution, ...] = ()
    """CNAME chains of every host the descriptor names, plus --zone-file/--hosts-file names (R4)."""
    plain_http: tuple[HttpExchange, ...] = ()
    """`http://host/` (port 80) for every https host: must redirect to https or refuse (R1.1)."""
    expiry_warn_days: int = 30
    """Certificates and domain registrations expiring within this many days are a warning (R3)."""
    storage: tuple[StorageProbe, ...] = ()
    """Storage locations the app references, probed anonymously (R6)."""
    secrets: SecretScan | None = None
    """With --source: secrets in the repository and its history (R8)."""
    dependencies: DependencyScan | None = None
    """With --source: dependencies and their advisories (R14)."""
    code: CodeScan | None = None
    """With --source: code and framework facts (R6, R7, R10)."""
    known_secrets: tuple[str, ...] = field(default=(), repr=False)
    """Tenant sharedSecrets the scan knows (given or self-installed), for R7's search. Never reported."""
