"""A real DNS server on loopback (dnslib, UDP and TCP) serving scripted zones for the takeover tests."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from dnslib import QTYPE, RCODE, RR, DNSError, DNSRecord
from dnslib.server import DNSHandler, DNSLogger, DNSServer


class SmallUdpHandler(DNSHandler):
    """Truncates UDP answers above 512 bytes, so clients must retry over TCP."""

    udplen = 512


@dataclass
class Zone:
    """Records by owner name (`("CNAME", "b.example.net")`, `("A", "192.0.2.1")`) and misbehaving names."""

    records: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    servfail: set[str] = field(default_factory=set)
    refused: set[str] = field(default_factory=set)
    silent: set[str] = field(default_factory=set)
    """Names for which the server never answers."""
    referrals: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    """Delegated zones: zone name -> (name server, glue address); names below get a referral."""
    recursive: bool = True
    """Follow CNAMEs inside one answer (as a recursive resolver does); else answer one hop at a time."""
    authoritative: bool = True
    queries: list[tuple[str, str, bool]] = field(default_factory=list)
    """(name, type, recursion desired) of every query received."""

    def add(self, name: str, rtype: str, value: str) -> Zone:
        """Add one record (returns self for chaining)."""
        self.records.setdefault(name.lower(), []).append((rtype, value))
        return self


class ScriptedResolver:
    """dnslib resolver answering from a Zone."""

    def __init__(self, zone: Zone) -> None:
        self.zone = zone
        self._lock = threading.Lock()

    def resolve(self, request: DNSRecord, handler: object) -> DNSRecord:
        """The reply; raising DNSError makes dnslib send nothing."""
        zone = self.zone
        qname = str(request.q.qname).rstrip(".").lower()
        qtype = QTYPE[request.q.qtype]
        with self._lock:
            zone.queries.append((qname, qtype, bool(request.header.rd)))
        reply = request.reply()
        reply.header.aa = int(zone.authoritative)
        name, hops = qname, 0
        while True:
            if name in zone.silent:
                raise DNSError("scripted silence")
            if name in zone.servfail or name in zone.refused:
                failed = request.reply()  # like real resolvers: no partial chain with a failure
                failed.header.rcode = RCODE.SERVFAIL if name in zone.servfail else RCODE.REFUSED
                failed.header.aa = 0
                return failed
            delegated = next((z for z in zone.referrals if name == z or name.endswith("." + z)), None)
            if delegated is not None:
                reply.header.aa = 0
                for server, glue in zone.referrals[delegated]:
                    reply.add_auth(*RR.fromZone(f"{delegated}. 60 IN NS {server}."))
                    reply.add_ar(*RR.fromZone(f"{server}. 60 IN A {glue}"))
                return reply
            records = zone.records.get(name)
            if records is None and "." in name:
                records = zone.records.get("*." + name.split(".", 1)[1])
            if records is None:
                reply.header.rcode = RCODE.NXDOMAIN
                return reply
            cname = next((v for t, v in records if t == "CNAME"), None)
            if cname is not None and qtype != "CNAME":
                reply.add_answer(*RR.fromZone(f"{name}. 60 IN CNAME {cname}."))
                hops += 1
                if not zone.recursive or hops > 8:
                    return reply
                name = cname.lower()
                continue
            for rtype, value in records:
                if rtype == qtype:
                    suffix = "." if rtype in ("CNAME", "NS") else ""
                    reply.add_answer(*RR.fromZone(f"{name}. 60 IN {rtype} {value}{suffix}"))
            return reply


@dataclass
class RunningDns:
    """A started server: its address, port and zone."""

    address: str
    port: int
    zone: Zone

    @property
    def server(self) -> tuple[str, int]:
        """(address, port) for DnsSettings.server."""
        return (self.address, self.port)


def _quiet() -> DNSLogger:
    return DNSLogger("-request,-reply,-truncated,-error,-recv,-send,-data", logf=lambda _s: None)


def _free_port(address: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind((address, 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def dns_server(zone: Zone, address: str = "127.0.0.1", port: int | None = None) -> Iterator[RunningDns]:
    """Serve `zone` over UDP and TCP on one port of `address` until the block ends."""
    resolver = ScriptedResolver(zone)
    last: OSError | None = None
    for _ in range(20):
        chosen = port or _free_port(address)
        try:
            udp = DNSServer(resolver, address=address, port=chosen, logger=_quiet(), handler=SmallUdpHandler)
        except OSError as exc:
            last = exc
            continue
        try:
            tcp = DNSServer(resolver, address=address, port=chosen, tcp=True, logger=_quiet())
        except OSError as exc:
            udp.server.server_close()
            last = exc
            continue
        break
    else:
        raise RuntimeError(f"no free port for the test DNS server: {last}")
    threads = [
        threading.Thread(target=s.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        for s in (udp, tcp)
    ]
    for thread in threads:
        thread.start()
    try:
        yield RunningDns(address, chosen, zone)
    finally:
        for server in (udp, tcp):
            server.server.shutdown()
            server.server.server_close()
