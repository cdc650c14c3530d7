"""Host name matching against a certificate's subjectAltName (RFC 6125, as browsers do it)."""

from __future__ import annotations

import ipaddress


def matches(host: str, dns_names: tuple[str, ...], ip_addresses: tuple[str, ...]) -> bool:
    """Whether the certificate names cover `host`; the subject CN is ignored, as browsers ignore it.

    A wildcard stands for exactly one whole left-most label (`*.example.com` covers `a.example.com`,
    not `example.com` nor `a.b.example.com`).
    """
    name = host.strip("[]").rstrip(".").lower()
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return any(_dns_match(name, pattern.rstrip(".").lower()) for pattern in dns_names)
    return any(_same_address(address, value) for value in ip_addresses)


def _dns_match(name: str, pattern: str) -> bool:
    if not pattern.startswith("*."):
        return name == pattern
    head, _, rest = name.partition(".")
    return bool(head) and rest == pattern[2:] and "." in rest


def _same_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address, value: str) -> bool:
    try:
        return ipaddress.ip_address(value) == address
    except ValueError:
        return False
