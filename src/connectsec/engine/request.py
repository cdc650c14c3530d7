"""What the user asked for: one scan's options, validated at the edge, secrets excluded."""

from __future__ import annotations

from dataclasses import dataclass, field

from connectsec.auth.credentials import Credentials
from connectsec.catalog.requirements import REQUIREMENT_IDS
from connectsec.probes.transport import ResolveMap
from connectsec.suppressions import Suppression


@dataclass(frozen=True)
class ScanRequest:
    """Every option of `connectsec scan`."""

    descriptor: str
    """An http(s) URL of atlassian-connect.json, or a local file path; "" for a source-only scan."""
    base_url: str | None = None
    ca_bundle: str | None = None
    resolve: ResolveMap = field(default_factory=dict)
    proxy: str | None = None
    timeout: float = 10.0
    concurrency: int = 16
    per_host: int = 8
    max_body: int = 2_000_000
    requirements: tuple[str, ...] = REQUIREMENT_IDS
    """Requirements to test; the others are reported `skipped` (not requested)."""
    extra_endpoints: tuple[str, ...] = ()
    """URLs or paths (relative to baseUrl) from --endpoints."""
    har: str | None = None
    """A HAR file: the app's requests in it join the inventory."""
    openapi: str | None = None
    """An OpenAPI/Swagger document: its operations join the inventory."""
    crawl_pages: int = 100
    """How many requests the same-origin crawl may add."""
    crawl_depth: int = 3
    allow_private: bool = False
    credentials: Credentials = field(default_factory=Credentials, repr=False)
    """Test tenants; never shown in reports (only described)."""
    insecure: bool = False
    """Send credentials to hosts whose certificate did not verify."""
    state_changing: bool = True
    """False (--no-state-changing): no forged webhooks, lifecycle calls or installs."""
    allow_install_hijack: bool = False
    self_install: bool = False
    """Without a tenant secret: register a throwaway tenant if the app accepts a forged install."""
    max_attack_requests: int = 20_000
    attack_rate: float | None = 100.0
    """Attack requests per second and host (None: unpaced)."""
    rdap: bool = True
    """Look up domain registrations over RDAP (an outside service; --no-rdap turns it off)."""
    rdap_url: str | None = None
    """One RDAP server for every domain instead of the IANA bootstrap."""
    dns_server: tuple[str, int] | None = None
    """The resolver for R4's CNAME chains (None: the system resolver)."""
    zone_file: str | None = None
    hosts_file: str | None = None
    """More names for R4: every owner name of a zone file, or one name per line."""
    takeover_fingerprints: str | None = None
    """A newer fingerprints.json for R4 (default: the bundled snapshot)."""
    expiry_warn_days: int = 30
    """Warn when a certificate or domain registration expires within this many days."""
    plain_http_port: int = 80
    """Where R1.1 checks that plain http redirects or refuses."""
    offline: bool = False
    """Contact nothing but the target's hosts (and the DNS resolver): no RDAP, no storage probes."""
    storage_probe: bool = True
    """Probe storage locations the app references, anonymously (R6; --no-storage-probe turns it off)."""
    allow_write_probe: bool = False
    """R6 may write (then delete) a random object where anonymous writes might be allowed."""
    retire_data: str | None = None
    """A newer RetireJS jsrepository-v5.json for R14 (default: the bundled snapshot)."""
    suppressions: tuple[Suppression, ...] = ()
    """Accepted findings from connectsec.toml `[[suppress]]`."""
    source: str | None = None
    """The app's source tree (a git checkout): secrets, dependencies and code are scanned too."""
    source_history: bool = True
    """Scan every commit reachable from any ref, not only the working tree."""
    advisories: tuple[str, ...] = ()
    """More OSV advisory data: directories or zip dumps of OSV JSON (R14)."""
    cache_dir: str | None = None
    """Where `connectsec db update` keeps fresh data (default: the user's cache directory)."""
    advisory_max_age: int = 30
    """Advisory data older than this many days makes R14's source part at best `warn`."""
    dev_vulns_fail: bool = False
    """A high/critical advisory reachable only through development dependencies fails (default: warn)."""

    def __post_init__(self) -> None:
        if self.offline:  # one switch for every outside service
            object.__setattr__(self, "rdap", False)
            object.__setattr__(self, "storage_probe", False)

    def option_pairs(self) -> tuple[tuple[str, str], ...]:
        """The options as shown in reports (no secrets exist among them yet)."""
        return (
            ("descriptor", self.descriptor),
            ("base_url", self.base_url or ""),
            ("ca_bundle", self.ca_bundle or ""),
            ("resolve", " ".join(f"{h}:{p}:{a}" for (h, p), a in sorted(self.resolve.items()))),
            ("proxy", "set" if self.proxy else ""),
            ("timeout", f"{self.timeout:g}"),
            ("concurrency", str(self.concurrency)),
            ("per_host", str(self.per_host)),
            ("max_body", str(self.max_body)),
            ("requirements", ",".join(self.requirements)),
            ("extra_endpoints", str(len(self.extra_endpoints))),
            ("har", self.har or ""),
            ("openapi", self.openapi or ""),
            ("crawl_pages", str(self.crawl_pages)),
            ("crawl_depth", str(self.crawl_depth)),
            ("allow_private", str(self.allow_private).lower()),
            ("credentials", self.credentials.describe()),
            ("insecure", str(self.insecure).lower()),
            ("state_changing", str(self.state_changing).lower()),
            ("allow_install_hijack", str(self.allow_install_hijack).lower()),
            ("self_install", str(self.self_install).lower()),
            ("max_attack_requests", str(self.max_attack_requests)),
            ("attack_rate", f"{self.attack_rate:g}" if self.attack_rate else "unpaced"),
            ("rdap", (self.rdap_url or "bootstrap") if self.rdap else "off"),
            ("dns_server", ":".join(map(str, self.dns_server)) if self.dns_server else "system"),
            ("zone_file", self.zone_file or ""),
            ("hosts_file", self.hosts_file or ""),
            ("takeover_fingerprints", self.takeover_fingerprints or "bundled"),
            ("expiry_warn_days", str(self.expiry_warn_days)),
            ("plain_http_port", str(self.plain_http_port)),
            ("offline", str(self.offline).lower()),
            ("storage_probe", str(self.storage_probe).lower()),
            ("allow_write_probe", str(self.allow_write_probe).lower()),
            ("retire_data", self.retire_data or "bundled"),
            ("suppressions", str(len(self.suppressions))),
            ("source", self.source or ""),
            ("source_history", str(self.source_history).lower()),
            ("advisories", " ".join(self.advisories)),
            ("dev_vulns_fail", str(self.dev_vulns_fail).lower()),
            ("advisory_max_age", str(self.advisory_max_age)),
        )
