"""What the user asked for: one scan's options, validated at the edge, secrets excluded."""

from __future__ import annotations

from dataclasses import dataclass, field

from connectsec.auth.credentials import Credentials
from connectsec.catalog.requirements import REQUIREMENT_IDS
from connectsec.probes.transport import ResolveMap


@dataclass(frozen=True)
class ScanRequest:
    """Every option of `connectsec scan`."""

    descriptor: str
    """An http(s) URL of atlassian-connect.json, or a local file path."""
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
        )
