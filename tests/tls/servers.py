"""Loopback TLS servers for the prober's tests: openssl s_server, Python ssl, and a raw hello answerer."""

from __future__ import annotations

import os
import queue
import re
import shutil
import socket
import socketserver
import ssl
import struct
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import trustme

from connectsec.model.hosts import HostTarget
from connectsec.tls.registry import registry

HOST = "localhost"
ADDRESS = "127.0.0.1"


@dataclass(frozen=True)
class CertFiles:
    """A throwaway CA's RSA leaf certificate for `localhost` (RSA: the ECDHE-RSA/3DES/ADH suites work)."""

    cert: Path
    key: Path


def make_cert(directory: Path) -> CertFiles:
    """Write a trustme leaf certificate and key for localhost."""
    ca = trustme.CA(key_type=trustme.KeyType.RSA)
    leaf = ca.issue_cert(HOST, ADDRESS, key_type=trustme.KeyType.RSA)
    cert, key = directory / "cert.pem", directory / "key.pem"
    cert.write_bytes(b"".join(blob.bytes() for blob in leaf.cert_chain_pems))
    key.write_bytes(leaf.private_key_pem.bytes())
    return CertFiles(cert, key)


def target(port: int) -> HostTarget:
    """The HostTarget of a loopback server."""
    return HostTarget(HOST, port, ADDRESS)


@contextmanager
def openssl_server(certs: CertFiles, *args: str) -> Iterator[int]:
    """`openssl s_server` on a free loopback port with extra options; yields the port."""
    command = [
        "openssl", "s_server", "-accept", f"{ADDRESS}:0", "-cert", str(certs.cert), "-key", str(certs.key),
        "-www", *args,
    ]  # fmt: skip
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_pump, args=(process.stdout, lines), daemon=True).start()
    try:
        port, seen = None, []
        while port is None:
            try:
                line = lines.get(timeout=10)
            except queue.Empty:
                line = ""
            if not line:
                raise RuntimeError(f"s_server did not start: {' '.join(command)}\n{''.join(seen)}")
            seen.append(line)
            match = re.match(r"ACCEPT \S+:(\d+)", line)
            port = int(match.group(1)) if match else None
        yield port
    finally:
        process.kill()
        process.wait()


def _pump(stream: IO[bytes], lines: queue.Queue[str]) -> None:
    for raw in stream:
        lines.put(raw.decode("utf-8", "replace"))
    lines.put("")


class _Threaded(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64


@contextmanager
def _serve(handler: type[socketserver.BaseRequestHandler], **attributes: object) -> Iterator[int]:
    server = _Threaded((ADDRESS, 0), handler)
    for name, value in attributes.items():
        setattr(server, name, value)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


class _PythonTls(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        context: ssl.SSLContext = self.server.context
        self.request.settimeout(5)
        try:
            with context.wrap_socket(self.request, server_side=True) as tls:
                tls.recv(1)
        except (OSError, ssl.SSLError):
            pass


@contextmanager
def python_tls_server(
    certs: CertFiles,
    minimum: ssl.TLSVersion,
    maximum: ssl.TLSVersion,
    ciphers: str = "DEFAULT:@SECLEVEL=0",
) -> Iterator[int]:
    """A Python `ssl` server restricted to [minimum, maximum] and an OpenSSL cipher string."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certs.cert, certs.key)
    context.set_ciphers(ciphers)
    context.minimum_version = minimum
    context.maximum_version = maximum
    with _serve(_PythonTls, context=context) as port:
        yield port


@dataclass(frozen=True)
class RawConfig:
    """What the raw server accepts: versions, suites in its order, whose order wins, SSL 2.0 kinds."""

    versions: tuple[int, ...] = ()
    suites: tuple[int, ...] = ()
    server_preference: bool = True
    ssl2_kinds: tuple[int, ...] = ()
    groups: tuple[int, ...] = (29,)
    """Curves for ECDHE suites (x25519 by default), named in the ServerKeyExchange."""
    behaviour: str = "normal"
    """`normal`, `silent` (never answers), `garbage`, `reset`, `decode-error` (alerts every hello)."""


def _alert(version: int, description: int) -> bytes:
    return struct.pack("!BHHBB", 21, version, 2, 2, description)


def _message(kind: int, body: bytes) -> bytes:
    return struct.pack("!I", len(body) | kind << 24) + body


def _server_hello(version: int, suite: int, curve: int | None) -> bytes:
    body = struct.pack("!H", version) + os.urandom(32) + b"\x00" + struct.pack("!HB", suite, 0)
    flight = _message(2, body)
    if curve is not None:
        flight += _message(12, struct.pack("!BHB", 3, curve, 32) + os.urandom(32))
    flight += _message(14, b"")
    return struct.pack("!BHH", 22, version, len(flight)) + flight


def _client_groups(record: bytes, pos: int) -> list[int]:
    """supported_groups of a ClientHello whose extensions start at `pos` (empty when absent)."""
    if pos + 2 > len(record):
        return []
    end = pos + 2 + struct.unpack("!H", record[pos : pos + 2])[0]
    pos += 2
    while pos + 4 <= end:
        kind, size = struct.unpack("!HH", record[pos : pos + 4])
        if kind == 10:
            data = record[pos + 6 : pos + 4 + size]
            return [struct.unpack("!H", data[i : i + 2])[0] for i in range(0, len(data), 2)]
        pos += 4 + size
    return []


def _is_ecdhe(code: int) -> bool:
    suite = registry().suite(code)
    return suite is not None and suite.kex == "ECDHE"


def _read_exact(sock: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    return data


class _RawHandler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        config: RawConfig = self.server.config
        sock: socket.socket = self.request
        sock.settimeout(5)
        with suppress(OSError, ConnectionError, struct.error, IndexError):
            self._answer(sock, config)

    def _answer(self, sock: socket.socket, config: RawConfig) -> None:
        head = _read_exact(sock, 2)
        if config.behaviour == "silent":
            time.sleep(3)
            return
        if config.behaviour == "reset":
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            return
        if config.behaviour == "garbage":
            sock.sendall(b"HTTP/1.1 400 Bad Request\r\n\r\n")
            return
        if head[0] & 0x80:
            self._ssl2(sock, head, config)
            return
        rest = _read_exact(sock, 3)
        length = struct.unpack("!H", rest[1:3])[0]
        record = _read_exact(sock, length)
        if config.behaviour == "decode-error":
            sock.sendall(_alert(0x0301, 50))
            return
        client_version = struct.unpack("!H", record[4:6])[0]
        pos = 38
        pos += 1 + record[pos]
        (suites_len,) = struct.unpack("!H", record[pos : pos + 2])
        offered = [struct.unpack("!H", record[i : i + 2])[0] for i in range(pos + 2, pos + 2 + suites_len, 2)]
        pos += 2 + suites_len
        pos += 1 + record[pos]
        curve = next((g for g in _client_groups(record, pos) if g in config.groups), None)
        possible = [c for c in config.suites if curve is not None or not _is_ecdhe(c)]
        usable = [v for v in config.versions if v <= client_version]
        if not usable:
            sock.sendall(_alert(min(client_version, 0x0301), 70))
            return
        version = max(usable)
        if config.server_preference:
            chosen = next((s for s in possible if s in offered), None)
        else:
            chosen = next((s for s in offered if s in possible), None)
        if chosen is None:
            sock.sendall(_alert(version, 40))
            return
        sock.sendall(_server_hello(version, chosen, curve if _is_ecdhe(chosen) else None))

    def _ssl2(self, sock: socket.socket, head: bytes, config: RawConfig) -> None:
        length = ((head[0] & 0x7F) << 8) | head[1]
        message = _read_exact(sock, length)
        if message[0] != 1 or not config.ssl2_kinds:
            return  # closes: SSL 2.0 not spoken
        specs_len = struct.unpack("!H", message[3:5])[0]
        specs = message[9 : 9 + specs_len]
        offered = {int.from_bytes(specs[i : i + 3], "big") for i in range(0, specs_len, 3)}
        kinds = [k for k in config.ssl2_kinds if k in offered]
        cert = b"\x30\x00"
        body = struct.pack("!BBBHHHH", 4, 0, 1, 0x0002, len(cert), 3 * len(kinds), 16)
        body += cert + b"".join(k.to_bytes(3, "big") for k in kinds) + os.urandom(16)
        sock.sendall(struct.pack("!H", 0x8000 | len(body)) + body)


@contextmanager
def raw_server(config: RawConfig) -> Iterator[int]:
    """A server that answers hellos per `config` with a ServerHello or a proper alert (no full handshake)."""
    with _serve(_RawHandler, config=config) as port:
        yield port


def free_port() -> int:
    """A loopback port with nothing listening."""
    with socket.socket() as sock:
        sock.bind((ADDRESS, 0))
        return int(sock.getsockname()[1])


def have(binary: str) -> bool:
    """Whether a program is on PATH."""
    return shutil.which(binary) is not None
