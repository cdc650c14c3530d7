"""The endpoint inventory: what discovery found and the scan probes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from urllib.parse import urlsplit


class EndpointKind(StrEnum):
    """What an endpoint is for, which decides which checks judge it."""

    DESCRIPTOR = "descriptor"
    PAGE = "page"  # a module iframe URL
    LIFECYCLE = "lifecycle"
    WEBHOOK = "webhook"
    API = "api"
    STATIC = "static"  # scripts, stylesheets, images, icons
    CRAWLED = "crawled"  # a page reached by the same-origin crawl
    EXTRA = "extra"  # given by the user with --endpoints


@dataclass(frozen=True)
class Endpoint:
    """One URL of the app, with what the descriptor says about it."""

    url: str
    """Absolute URL, context variables filled."""
    kind: EndpointKind
    method: str = "GET"
    source: str = ""
    """Where it was found: a descriptor path (`modules.generalPages[0].url`), `crawl`, `--endpoints`."""
    module_type: str | None = None
    module_key: str | None = None
    template: str | None = None
    """The URL as written in the descriptor, before variables were filled."""
    admin_only: bool = False
    """Only admins may see it (admin module type or conditions requiring admin)."""
    cacheable: bool = False
    """The module is declared `cacheable`: designed to be cached, exempt from R2."""

    @property
    def host(self) -> str:
        """The lower-cased host name."""
        return (urlsplit(self.url).hostname or "").lower()

    @property
    def origin(self) -> str:
        """scheme://host[:port] of the URL."""
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}".lower()


@dataclass(frozen=True)
class Inventory:
    """Everything discovery learnt: the app and its endpoints."""

    descriptor_url: str
    app_key: str
    app_name: str | None
    base_url: str
    authentication: str
    endpoints: tuple[Endpoint, ...]
    hosts: tuple[str, ...]
    """Every host named by the descriptor URL, baseUrl and any absolute URL in the descriptor."""
    https_origins: tuple[tuple[str, int], ...] = ()
    """(host, port) of every https URL among those: the TLS endpoints R1.1 and R3 probe."""
    signed_install: bool = False
    notes: tuple[str, ...] = field(default_factory=tuple)

    def with_notes(self, notes: Sequence[str]) -> Inventory:
        """A copy with more notes (repeats dropped)."""
        return replace(self, notes=tuple(dict.fromkeys((*self.notes, *notes))))

    def with_endpoints(self, extra: tuple[Endpoint, ...]) -> Inventory:
        """A copy with more endpoints (duplicates by method and URL dropped)."""
        seen = {(e.method, e.url) for e in self.endpoints}
        added = tuple(e for e in extra if (e.method, e.url) not in seen)
        return Inventory(
            descriptor_url=self.descriptor_url,
            app_key=self.app_key,
            app_name=self.app_name,
            base_url=self.base_url,
            authentication=self.authentication,
            endpoints=self.endpoints + added,
            hosts=self.hosts,
            https_origins=self.https_origins,
            signed_install=self.signed_install,
            notes=self.notes,
        )
