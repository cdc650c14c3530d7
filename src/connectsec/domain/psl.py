"""Registrable domains from the bundled Public Suffix List snapshot (never downloaded at run time)."""

from __future__ import annotations

import ipaddress
from functools import cache
from importlib import resources

from publicsuffixlist import PublicSuffixList

_SPECIAL_USE = {
    "test": "RFC 6761",
    "example": "RFC 6761",
    "invalid": "RFC 6761",
    "localhost": "RFC 6761",
    "local": "RFC 6762 (multicast DNS)",
    "onion": "RFC 7686",
    "home.arpa": "RFC 8375",
    "example.com": "RFC 6761",
    "example.net": "RFC 6761",
    "example.org": "RFC 6761",
}


def _source() -> str:
    return resources.files("connectsec.data.psl").joinpath("public_suffix_list.dat").read_text("utf-8")


@cache
def _icann() -> PublicSuffixList:
    return PublicSuffixList(_source(), only_icann=True)


@cache
def _full() -> PublicSuffixList:
    return PublicSuffixList(_source())


def psl_version() -> str:
    """The snapshot's VERSION line, for reports."""
    for line in _source().splitlines()[:20]:
        if line.startswith("// VERSION:"):
            return line.split(":", 1)[1].strip()
    return "unknown"


def normalise(name: str) -> str:
    """Lower case, no trailing dot, IDNA A-labels kept as they are."""
    return name.strip().rstrip(".").lower()


def is_ip_literal(name: str) -> bool:
    """Whether the host is an IPv4/IPv6 address (brackets allowed)."""
    try:
        ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        return False
    return True


def special_use(name: str) -> str | None:
    """Why a name can never be registered (IP literal or special-use domain), or None."""
    host = normalise(name)
    if is_ip_literal(host):
        return "an IP address literal has no domain registration"
    labels = host.split(".")
    for i in range(len(labels)):
        suffix = ".".join(labels[i:])
        if suffix in _SPECIAL_USE:
            return f"`.{suffix}` is a special-use domain name ({_SPECIAL_USE[suffix]}), never registered"
    return None


def registrable_domain(name: str) -> str | None:
    """The ICANN registrable domain (public suffix plus one label), or None when there is none.

    None for IP literals, special-use names and names that are themselves public suffixes.
    Private-section suffixes (herokuapp.com …) are ignored: the registrable domain of
    `app.herokuapp.com` is `herokuapp.com`, the domain whose registration RDAP knows.
    """
    host = normalise(name)
    if not host or special_use(host):
        return None
    result = _icann().privatesuffix(host)
    return str(result) if result else None


def private_suffix(name: str) -> str | None:
    """The PRIVATE-section public suffix the name lives under (`herokuapp.com`, `netlify.app` …)."""
    host = normalise(name)
    if not host or is_ip_literal(host):
        return None
    full = _full().publicsuffix(host)
    icann = _icann().publicsuffix(host)
    if full and full != icann:
        return str(full)
    return None
