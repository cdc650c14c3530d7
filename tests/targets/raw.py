"""Raw TCP servers on loopback that misbehave below HTTP: never answer, reset, send garbage."""

from __future__ import annotations

import contextlib
import socket
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


class RawServer:
    """A thread accepting connections on 127.0.0.1 and handing each to a behaviour."""

    def __init__(self, behaviour: Behaviour) -> None:
        self._behaviour = behaviour
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
            self._behaviour(conn)
        finally:
            conn.close()
