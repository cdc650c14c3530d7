"""Extra names to test: a vendor's zone file (RFC 1035 master file) or a plain host list."""

from __future__ import annotations

import re
from pathlib import Path

import dns.exception
import dns.name
import dns.zone

from connectsec.domain.psl import normalise

_MAX_BYTES = 20_000_000
WILDCARD_LABEL = "connectsec-wildcard-check"
"""Stands in for `*` of a wildcard owner, so the wildcard's record is what answers."""
_NAME = re.compile(r"^[a-z0-9_*]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$")


def _read(path: str, what: str) -> str:
    file = Path(path)
    try:
        if file.stat().st_size > _MAX_BYTES:
            raise ValueError(f"{what} {path}: larger than {_MAX_BYTES // 1_000_000} MB")
        return file.read_text("utf-8")
    except UnicodeDecodeError:
        raise ValueError(f"{what} {path}: not UTF-8 text") from None
    except OSError as exc:
        raise ValueError(f"{what} {path}: cannot read ({exc.strerror or exc})") from None


def _concrete(name: str) -> str:
    return f"{WILDCARD_LABEL}.{name[2:]}" if name.startswith("*.") else name


def names_from_zone_file(path: str) -> tuple[str, ...]:
    """Every owner name of the zone (CNAME owners included), wildcards made concrete; ValueError if bad."""
    text = _read(path, "zone file")
    try:
        zone = dns.zone.from_text(text, origin=None, relativize=False, check_origin=False)
    except dns.zone.UnknownOrigin:
        raise ValueError(
            f"zone file {path}: no origin; add a `$ORIGIN example.com.` line at the top"
        ) from None
    except (dns.exception.DNSException, ValueError) as exc:
        raise ValueError(f"zone file {path}: {exc}") from None
    names: dict[str, None] = {}
    for owner in zone.nodes:
        name = owner if isinstance(owner, dns.name.Name) else dns.name.from_text(str(owner), zone.origin)
        names[_concrete(normalise(name.to_text()))] = None
    return tuple(sorted(names, key=lambda n: (n.count("."), n)))


def names_from_hosts_file(path: str) -> tuple[str, ...]:
    """One name per line, `#` comments; ValueError naming the first bad line."""
    names: dict[str, None] = {}
    for number, line in enumerate(_read(path, "hosts file").splitlines(), start=1):
        name = normalise(line.split("#", 1)[0])
        if not name:
            continue
        if not name.isascii():
            try:
                name = normalise(dns.name.from_unicode(name).to_text())
            except dns.exception.DNSException:
                raise ValueError(f"hosts file {path}, line {number}: not a host name") from None
        if not _NAME.match(name) or len(name) > 253:
            raise ValueError(f"hosts file {path}, line {number}: not a host name: {line.strip()[:80]!r}")
        names[_concrete(name)] = None
    return tuple(names)
