"""The Marketplace security requirements connectsec reports on, in report order."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Requirement:
    """One requirement of the Marketplace 'Security requirements for cloud apps'."""

    id: str
    title: str
    needs: str
    """Inputs it needs: remote, creds, source, dns, rdap, store."""
    short: str
    """A few words for narrow displays."""


REQUIREMENTS: tuple[Requirement, ...] = (
    Requirement("R1.1", "TLS 1.2 or higher, strong cipher suites", "remote", "TLS 1.2+"),
    Requirement("R1.2", "HSTS with max-age of at least one year", "remote", "HSTS"),
    Requirement("R2", "Cache-Control no-cache, no-store on sensitive pages", "remote", "Cache-Control"),
    Requirement(
        "R3", "Valid domain registration and TLS certificates", "remote, rdap", "Domain & certificate"
    ),
    Requirement("R4", "No subdomain takeover", "dns", "Subdomain takeover"),
    Requirement("R5", "Authentication and authorization of app resources", "remote, creds", "AuthN / AuthZ"),
    Requirement("R6", "Authentication and authorization of stored data", "remote, source", "Stored data"),
    Requirement("R7", "Secure handling of the sharedSecret", "creds, source", "sharedSecret"),
    Requirement(
        "R8", "Secret handling (JWT/OAuth tokens, Referer, repositories)", "remote, source", "Secret handling"
    ),
    Requirement("R9", "JWT validation", "remote, creds", "JWT validation"),
    Requirement("R10", "No collection of Atlassian credentials", "remote, source", "Atlassian credentials"),
    Requirement("R11", "HttpOnly and Secure on session cookies", "remote", "Session cookies"),
    Requirement("R12", "Referrer-Policy header", "remote", "Referrer-Policy"),
    Requirement("R13", "URL tampering: qsh validated", "creds", "qsh tampering"),
    Requirement(
        "R14", "No external components with known vulnerabilities", "source, remote", "Vulnerable components"
    ),
    Requirement("R15", "Security SLAs", "store", "Security SLAs"),
)

REQUIREMENT_IDS: tuple[str, ...] = tuple(r.id for r in REQUIREMENTS)
BY_ID: dict[str, Requirement] = {r.id: r for r in REQUIREMENTS}


def parse_requirement_list(text: str) -> tuple[str, ...]:
    """Parse `R2,r12, R1.2` into canonical ids; raises ValueError naming an unknown id."""
    ids: list[str] = []
    for raw in text.split(","):
        item = raw.strip().upper()
        if not item:
            continue
        if item == "R1":
            ids.extend(["R1.1", "R1.2"])
            continue
        if item not in BY_ID:
            known = ", ".join(REQUIREMENT_IDS)
            raise ValueError(f"unknown requirement {raw.strip()!r} (known: {known})")
        ids.append(item)
    return tuple(dict.fromkeys(ids))
