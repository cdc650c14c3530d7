"""Parsing of option values that typer cannot check alone (pure; ValueError with one line)."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from urllib.parse import urlsplit

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


def parse_dns_server(value: str) -> tuple[str, int]:
    """ADDR[:PORT] or [IPv6]:PORT of a DNS resolver (port 53 by default)."""
    text = value.strip()
    host, port_text = text, "53"
    if text.startswith("["):
        host, _sep, rest = text[1:].partition("]")
        port_text = rest.removeprefix(":") or "53"
    elif text.count(":") == 1:
        host, port_text = text.split(":")
    try:
        address = str(ipaddress.ip_address(host))
    except ValueError:
        raise ValueError(f"--dns-server {value!r}: {host!r} is not an IP address") from None
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise ValueError(f"--dns-server {value!r}: {port_text!r} is not a port")
    return address, int(port_text)


def parse_rdap_url(value: str) -> str:
    """An http(s) base URL of an RDAP server, without a trailing slash."""
    parts = urlsplit(value.strip())
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValueError(f"--rdap-url {value!r}: expected an https:// URL of an RDAP server")
    return value.strip().rstrip("/")


def readable_file(option: str, path: Path) -> str:
    """The path as a string, once it is known to be a readable file."""
    try:
        with path.open("rb") as handle:
            handle.read(1)
    except OSError as exc:
        raise ValueError(f"{option} {path}: {exc.strerror or exc}") from None
    return str(path)


def source_tree(path: Path) -> str:
    """A readable directory to scan as the app's source."""
    if not path.is_dir():
        raise ValueError(f"--source {path}: not a directory")
    try:
        next(path.iterdir(), None)
    except OSError as exc:
        raise ValueError(f"--source {path}: {exc.strerror or exc}") from None
    return str(path.resolve())


def advisory_path(path: Path) -> str:
    """A directory of OSV JSON files, or a zip dump of them."""
    if path.is_dir():
        return str(path)
    if path.is_file() and path.suffix.lower() in (".zip", ".json"):
        return readable_file("--advisories", path)
    raise ValueError(f"--advisories {path}: expected a directory, a .zip or a .json file of OSV records")
