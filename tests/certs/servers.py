"""Loopback TLS servers that present a chosen chain, and hostile servers that never finish a handshake."""

from __future__ import annotations

import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from connectsec.model import Inventory, Observations
from connectsec.model.certificate import CertificateScan
from connectsec.model.hosts import HostTarget
from tests.certs.pki import Issued, write_pem

HOST = "app.test"


@contextmanager
def tls_server(directory: Path, leaf: Issued, *intermediates: Issued) -> Iterator[int]:
    """Serve TLS handshakes with `leaf` (plus intermediates) on 127.0.0.1; yields the port."""
    chain = write_pem(directory, "chain.pem", leaf.pem, *(i.pem for i in intermediates))
    key = write_pem(directory, "key.pem", leaf.key_pem)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.set_ciphers("ALL:@SECLEVEL=0")  # RSA-1024 and SHA-1 test certificates must load
    context.load_cert_chain(chain, key)

    def handshake(conn: socket.socket) -> None:
        with conn:
            conn.settimeout(5)
            with suppress(OSError, ssl.SSLError), context.wrap_socket(conn, server_side=True) as tls:
                tls.recv(1)

    with _serving(handshake) as port:
        yield port


@contextmanager
def silent_server() -> Iterator[int]:
    """Accepts TCP connections and never answers (a handshake against it must time out)."""
    held: list[socket.socket] = []
    try:
        with _serving(held.append) as port:
            yield port
    finally:
        for conn in held:
            conn.close()


@contextmanager
def garbage_server(payload: bytes) -> Iterator[int]:
    """Answers every connection with `payload` (not TLS) and closes it."""

    def answer(conn: socket.socket) -> None:
        with conn, suppress(OSError):
            conn.sendall(payload)

    with _serving(answer) as port:
        yield port


@contextmanager
def _serving(handle: Callable[[socket.socket], None]) -> Iterator[int]:
    """Accept connections on 127.0.0.1 in a thread and hand each to `handle`; yields the port."""
    with _listener() as listener:
        stop = threading.Event()

        def serve() -> None:
            while not stop.is_set():
                try:
                    conn, _ = listener.accept()
                except TimeoutError:
                    continue
                except OSError:
                    return
                handle(conn)

        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        try:
            yield listener.getsockname()[1]
        finally:
            stop.set()
            thread.join(5)


@contextmanager
def _listener() -> Iterator[socket.socket]:
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(0.05)
    try:
        yield listener
    finally:
        listener.close()


def target(port: int, host: str = HOST) -> HostTarget:
    """The endpoint `host:port` at 127.0.0.1."""
    return HostTarget(host, port, "127.0.0.1")


def observations(*scans: CertificateScan, base_url: str | None = None) -> Observations:
    """Observations of an app whose baseUrl is the first scan's endpoint."""
    first = scans[0].target if scans else HostTarget(HOST, 443, "127.0.0.1")
    base = base_url or f"https://{first.host}:{first.port}"
    inventory = Inventory(
        descriptor_url=f"{base}/atlassian-connect.json",
        app_key="test-app",
        app_name="Test app",
        base_url=base,
        authentication="jwt",
        endpoints=(),
        hosts=(first.host,),
    )
    return Observations(inventory=inventory, certificates=scans)
