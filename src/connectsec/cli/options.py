"""Parsing of option values that typer cannot check alone (pure; ValueError with one line)."""

from __future__ import annotations

import ipaddress
from pathlib import Path

from connectsec.catalog.requirements import REQUIREMENT_IDS, parse_requirement_list
from connectsec.probes.transport import ResolveMap


def parse_resolve(entries: list[str]) -> ResolveMap:
    """curl's HOST:PORT:ADDR (ADDR may be a bracketed IPv6 address)."""
    result: ResolveMap = {}
    for entry in entries:
        host, sep1, rest = entry.partition(":")
        port_text, sep2, addr = rest.partition(":")
        if not (sep1 and sep2 and host and addr):
            raise ValueError(f"--resolve {entry!r}: expected HOST:PORT:ADDR")
        try:
            port = int(port_text)
            if not 0 < port < 65536:
                raise ValueError
        except ValueError:
            raise ValueError(f"--resolve {entry!r}: {port_text!r} is not a port") from None
        addr = addr.strip()
        try:
            ipaddress.ip_address(addr.strip("[]"))
        except ValueError:
            raise ValueError(f"--resolve {entry!r}: {addr!r} is not an IP address") from None
        result[(host.lower(), port)] = addr.strip("[]")
    return result


def select_requirements(only: str | None, skip: str | None) -> tuple[str, ...]:
    """Requirement ids to test, in report order."""
    chosen = parse_requirement_list(only) if only else REQUIREMENT_IDS
    skipped = set(parse_requirement_list(skip)) if skip else set()
    return tuple(r for r in REQUIREMENT_IDS if r in chosen and r not in skipped)


def read_endpoints_file(path: Path) -> tuple[str, ...]:
    """One URL or path per line; blank lines and # comments ignored."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"--endpoints {path}: {getattr(exc, 'strerror', None) or exc}") from None
    entries = []
    for number, line in enumerate(text.splitlines(), 1):
        item = line.strip()
        if not item or item.startswith("#"):
            continue
        if not (item.startswith("/") or item.lower().startswith(("https://", "http://"))):
            raise ValueError(f"--endpoints {path}:{number}: {item!r} is neither a URL nor a /path")
        entries.append(item)
    return tuple(entries)
