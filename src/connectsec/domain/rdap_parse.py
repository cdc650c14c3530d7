"""RDAP domain objects (RFC 9083) and bootstrap registries (RFC 9224), read defensively."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime


class RdapFormatError(ValueError):
    """The document is not what RDAP promises; the message says what is wrong."""


@dataclass(frozen=True)
class DomainFacts:
    """What R3 needs from an RDAP domain object."""

    expires: datetime | None
    registered: datetime | None
    last_changed: datetime | None
    statuses: tuple[str, ...]
    registrar: str | None


def load_json(body: bytes) -> object:
    """The JSON document, or RdapFormatError."""
    try:
        return json.loads(body)
    except (UnicodeDecodeError, ValueError) as exc:
        raise RdapFormatError(f"the answer is not JSON ({exc})") from None
    except RecursionError:
        raise RdapFormatError("the answer is JSON nested too deeply") from None


def parse_domain(document: object) -> DomainFacts:
    """Events, statuses and registrar of a domain object."""
    if not isinstance(document, dict):
        raise RdapFormatError("the answer is not a JSON object")
    kind = document.get("objectClassName")
    if kind is not None and kind != "domain":
        raise RdapFormatError(f"the answer is a {str(kind)[:40]!r} object, not a domain")
    if kind is None and "errorCode" in document:
        raise RdapFormatError(f"the answer is an RDAP error (errorCode {str(document['errorCode'])[:10]})")
    events = _events(document.get("events"))
    statuses = document.get("status")
    return DomainFacts(
        expires=events.get("expiration"),
        registered=events.get("registration"),
        last_changed=events.get("last changed"),
        statuses=tuple(str(s).strip().lower() for s in statuses if isinstance(s, str))
        if isinstance(statuses, list)
        else (),
        registrar=_registrar(document.get("entities")),
    )


def _events(events: object) -> dict[str, datetime]:
    found: dict[str, datetime] = {}
    if not isinstance(events, list):
        return found
    for event in events:
        if not isinstance(event, dict):
            continue
        action, date = event.get("eventAction"), event.get("eventDate")
        if isinstance(action, str) and isinstance(date, str):
            when = parse_date(date)
            if when is not None:
                found.setdefault(action.strip().lower(), when)
    return found


def parse_date(value: str) -> datetime | None:
    """An RFC 3339 date-time in UTC (naive values read as UTC), or None when it does not parse."""
    try:
        when = datetime.fromisoformat(value.strip().replace("z", "Z"))
    except ValueError:
        return None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def _registrar(entities: object) -> str | None:
    if not isinstance(entities, list):
        return None
    for entity in entities:
        if not isinstance(entity, dict):
            continue
        roles = entity.get("roles")
        if isinstance(roles, list) and "registrar" in roles:
            return _vcard_name(entity.get("vcardArray")) or _str(entity.get("handle"))
    return None


def _vcard_name(vcard: object) -> str | None:
    if not (isinstance(vcard, list) and len(vcard) == 2 and isinstance(vcard[1], list)):
        return None
    for prop in vcard[1]:
        if isinstance(prop, list) and len(prop) >= 4 and prop[0] == "fn":
            return _str(prop[3])
    return None


def _str(value: object) -> str | None:
    return value.strip()[:200] or None if isinstance(value, str) else None


@dataclass(frozen=True)
class Bootstrap:
    """The DNS bootstrap registry: which RDAP servers answer for which TLDs."""

    services: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]
    publication: str | None = None

    def servers_for(self, domain: str) -> tuple[str, ...]:
        """Base URLs for the longest matching label suffix, https first (RFC 9224 §4)."""
        labels = domain.lower().rstrip(".").split(".")
        for start in range(len(labels)):
            suffix = ".".join(labels[start:])
            for entries, urls in self.services:
                if suffix in entries:
                    return tuple(sorted(urls, key=lambda u: not u.lower().startswith("https://")))
        return ()


def parse_bootstrap(document: object) -> Bootstrap:
    """The `services` of a dns.json document."""
    if not isinstance(document, dict) or not isinstance(document.get("services"), list):
        raise RdapFormatError("the bootstrap document has no `services` list")
    services: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
    for service in document["services"]:
        if not (isinstance(service, list) and len(service) >= 2):
            continue
        entries, urls = service[0], service[1]
        if not (isinstance(entries, list) and isinstance(urls, list)):
            continue
        names = tuple(e.strip().lower().rstrip(".") for e in entries if isinstance(e, str))
        bases = tuple(u if u.endswith("/") else u + "/" for u in urls if isinstance(u, str))
        if names and bases:
            services.append((names, bases))
    if not services:
        raise RdapFormatError("the bootstrap document lists no service")
    publication = document.get("publication")
    return Bootstrap(tuple(services), publication if isinstance(publication, str) else None)
