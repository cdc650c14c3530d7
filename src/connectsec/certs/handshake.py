"""One TLS handshake without verification, to collect the chain the server sends (blocking; bounded)."""

from __future__ import annotations

import select
import socket
import time
from dataclasses import dataclass

from cryptography import x509
from OpenSSL import SSL

from connectsec.domain.psl import is_ip_literal
from connectsec.model.hosts import HostTarget


class HandshakeError(Exception):
    """No chain was obtained; the message says why in one line."""


@dataclass(frozen=True)
class Handshake:
    """What the server presented."""

    chain: tuple[x509.Certificate, ...]
    protocol: str | None


def _context() -> SSL.Context:
    context = SSL.Context(SSL.TLS_CLIENT_METHOD)
    context.set_verify(SSL.VERIFY_NONE)
    # Weak keys and signatures must reach the judge, not abort the handshake.
    context.set_cipher_list(b"ALL:@SECLEVEL=0")
    context.set_min_proto_version(SSL.TLS1_VERSION)
    return context


def collect_chain(target: HostTarget, timeout: float) -> Handshake:
    """Connect to target.address, send SNI target.host, return the presented chain; every step bounded."""
    deadline = time.monotonic() + timeout
    try:
        sock = socket.create_connection((target.address, target.port), timeout=timeout)
    except TimeoutError:
        raise HandshakeError(f"connection timed out after {timeout:g} s") from None
    except OSError as exc:
        raise HandshakeError(f"cannot connect: {exc.strerror or exc}") from None
    connection = SSL.Connection(_context(), sock)
    try:
        sock.setblocking(False)
        if not is_ip_literal(target.host):
            connection.set_tlsext_host_name(_sni(target.host))
        connection.set_connect_state()
        _handshake(connection, sock, deadline, timeout)
        chain = connection.get_peer_cert_chain(as_cryptography=True) or []
        if not chain:
            raise HandshakeError("the server sent no certificate")
        return Handshake(tuple(chain), connection.get_protocol_version_name())
    except OSError as exc:
        raise HandshakeError(f"TLS handshake failed: {exc.strerror or exc}") from None
    finally:
        sock.close()


def _sni(host: str) -> bytes:
    try:
        return host.rstrip(".").encode("idna")
    except UnicodeError:
        raise HandshakeError(
            f"{host!r} cannot be sent as a TLS server name (not a valid IDNA name)"
        ) from None


def _handshake(connection: SSL.Connection, sock: socket.socket, deadline: float, timeout: float) -> None:
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise HandshakeError(f"TLS handshake timed out after {timeout:g} s")
        try:
            connection.do_handshake()
            return
        except SSL.WantReadError:
            ready = select.select([sock], [], [], remaining)[0]
        except SSL.WantWriteError:
            ready = select.select([], [sock], [], remaining)[1]
        except SSL.ZeroReturnError:
            raise HandshakeError("the server closed the connection during the TLS handshake") from None
        except SSL.SysCallError as exc:
            raise HandshakeError(f"TLS handshake failed: {_syscall(exc)}") from None
        except SSL.Error as exc:
            raise HandshakeError(f"TLS handshake failed: {_openssl(exc)}") from None
        if not ready:
            raise HandshakeError(f"TLS handshake timed out after {timeout:g} s")


def _syscall(exc: SSL.SysCallError) -> str:
    code, message = (*exc.args, None, None)[:2]
    if code == -1 or message == "Unexpected EOF":
        return "the server closed the connection"
    return str(message or code)


def _openssl(exc: SSL.Error) -> str:
    errors = exc.args[0] if exc.args else []
    if isinstance(errors, list) and errors and isinstance(errors[0], tuple) and len(errors[0]) >= 3:
        return "; ".join(str(e[2]) for e in errors[:3])
    return str(exc) or type(exc).__name__
