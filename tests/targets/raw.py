"""Raw TCP servers on loopback that misbehave below HTTP: never answer, reset, send garbage."""

from __future__ import annotations

import contextlib
import socket
import ssl
import struct
import threading
from collections.abc import Callable
from types import TracebackType

Behaviour = Callable[[socket.socket], None]


def never_answer(conn: socket.socket) -> None:
    """Accept, read, say nothing until the client gives up."""
    conn.settimeout(60)
    try:
        while conn.recv(65536):
            pass
    except OSError:
        pass


def reset(conn: socket.socket) -> None:
    """Abort the connection with a TCP RST as soon as the client speaks."""
    conn.settimeout(5)
    with contextlib.suppress(OSError):
        conn.recv(1024)
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def garbage(conn: socket.socket) -> None:
    """Answer anything with bytes that are neither TLS nor HTTP."""
    conn.settimeout(5)
    try:
        conn.recv(1024)
        conn.sendall(b"\x00\xffSSH-2.0-not-http\r\n" * 64)
    except OSError:
        pass


def _read_request(conn: socket.socket) -> None:
    conn.settimeout(5)
    data = b""
    with contextlib.suppress(OSError):
        while b"\r\n\r\n" not in data and len(data) < 65536:
            more = conn.recv(4096)
            if not more:
                return
            data += more


def http09(conn: socket.socket) -> None:
    """Answer like HTTP/0.9: a body without status line or headers, then close."""
    _read_request(conn)
    with contextlib.suppress(OSError):
        conn.sendall(b"<html><body>hello from 1991</body></html>\n")


def nul_header(conn: socket.socket) -> None:
    """A response whose header value holds a NUL byte and invalid UTF-8."""
    _read_request(conn)
    with contextlib.suppress(OSError):
        conn.sendall(b"HTTP/1.1 200 OK\r\nX-Evil: a\x00b\xff\r\nContent-Length: 2\r\n\r\nok")


def reset_mid_body(conn: socket.socket) -> None:
    """Promise a megabyte, send a kilobyte, then abort with a TCP RST."""
    _read_request(conn)
    with contextlib.suppress(OSError):
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1048576\r\n\r\n")
        conn.sendall(b"<p>" + b"a" * 1021)
    with contextlib.suppress(OSError):
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


class RawServer:
    """A thread accepting connections on 127.0.0.1 and handing each to a behaviour (over TLS if `tls`)."""

    def __init__(self, behaviour: Behaviour, tls: ssl.SSLContext | None = None) -> None:
        self._behaviour = behaviour
        self._tls = tls
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self._sock.settimeout(0.2)
        self.port: int = self._sock.getsockname()[1]
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._conns: list[socket.socket] = []
        self._acceptor = threading.Thread(target=self._accept, daemon=True)

    def __enter__(self) -> RawServer:
        self._acceptor.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._stop.set()
        self._acceptor.join(5)
        for conn in self._conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        for thread in self._threads:
            thread.join(5)
        self._sock.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self._conns.append(conn)
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            if self._tls is not None:
                conn.settimeout(5)
                try:
                    conn = self._tls.wrap_socket(conn, server_side=True)
                except OSError:
                    return
            self._behaviour(conn)
        finally:
            conn.close()
