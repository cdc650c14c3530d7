"""One raw hello sent on a fresh connection, and the server's first flight read back, under a deadline."""

from __future__ import annotations

import asyncio
import struct
from dataclasses import dataclass
from enum import StrEnum

from connectsec.model.hosts import HostTarget
from connectsec.tls.wire import (
    ALERT,
    HANDSHAKE,
    REFUSING_ALERTS,
    SERVER_HELLO,
    SERVER_HELLO_DONE,
    SERVER_KEY_EXCHANGE,
    TLS13,
    VERSION_NAMES,
    Malformed,
    ServerHello,
    Ssl2ServerHello,
    alert_name,
    ecdhe_curve,
    parse_server_hello,
    parse_ssl2_server_hello,
)

MAX_RECORD = 18_432
MAX_FLIGHT = 262_144
"""Bytes read at most from one server before giving up on the key exchange message."""


class ReplyKind(StrEnum):
    """How a server answered one hello."""

    HELLO = "hello"
    ALERT = "alert"
    CLOSED = "closed"
    """The connection ended (FIN or reset) before any answer."""
    TIMEOUT = "timeout"
    CONNECT_FAILED = "connect-failed"
    MALFORMED = "malformed"


@dataclass(frozen=True)
class Reply:
    """The server's answer to one hello."""

    kind: ReplyKind
    hello: ServerHello | None = None
    ssl2: Ssl2ServerHello | None = None
    alert: int | None = None
    curve: int | None = None
    """The ECDHE curve of a TLS ≤ 1.2 ServerKeyExchange (when asked for)."""
    detail: str = ""

    @property
    def refuses(self) -> bool:
        """An answer by which a server turns a protocol or every offered suite down."""
        if self.kind is ReplyKind.ALERT:
            return self.alert in REFUSING_ALERTS
        return self.kind is ReplyKind.CLOSED

    @property
    def text(self) -> str:
        """The answer in words, for evidence."""
        if self.hello is not None:
            kind = "HelloRetryRequest" if self.hello.retry else "ServerHello"
            version = VERSION_NAMES.get(self.hello.version, f"0x{self.hello.version:04X}")
            return f"{kind} {version} 0x{self.hello.suite:04X}"
        if self.ssl2 is not None:
            return f"SSLv2 SERVER-HELLO with {len(self.ssl2.kinds)} cipher kinds"
        if self.kind is ReplyKind.ALERT and self.alert is not None:
            return f"alert {alert_name(self.alert)}"
        return self.detail


async def send_hello(
    target: HostTarget, hello: bytes, *, timeout: float, want_key_exchange: bool = False, ssl2: bool = False
) -> Reply:
    """Connect, send `hello`, read the reply; never raises for network trouble."""
    stage = "connect"
    writer: asyncio.StreamWriter | None = None
    try:
        async with asyncio.timeout(timeout):
            reader, writer = await asyncio.open_connection(target.address, target.port, limit=MAX_RECORD * 2)
            stage = "reply"
            writer.write(hello)
            await writer.drain()
            if ssl2:
                return await _read_ssl2(reader)
            return await _read_tls(reader, want_key_exchange)
    except TimeoutError:
        return Reply(ReplyKind.TIMEOUT, detail=f"no {stage} within {timeout:g} s")
    except asyncio.IncompleteReadError as exc:
        if exc.partial:
            return Reply(
                ReplyKind.MALFORMED, detail=f"connection closed mid-record ({len(exc.partial)} bytes)"
            )
        return Reply(ReplyKind.CLOSED, detail="connection closed without an answer")
    except Malformed as exc:
        return Reply(ReplyKind.MALFORMED, detail=str(exc))
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        if stage == "connect":
            return Reply(ReplyKind.CONNECT_FAILED, detail=f"connect failed: {reason}")
        return Reply(ReplyKind.CLOSED, detail=f"connection reset without an answer ({reason})")
    finally:
        if writer is not None:
            writer.transport.abort()


async def _read_tls(reader: asyncio.StreamReader, want_key_exchange: bool) -> Reply:
    buffer = b""
    hello: ServerHello | None = None
    total = 0
    while total < MAX_FLIGHT:
        header = await reader.readexactly(5)
        kind, _, length = struct.unpack("!BHH", header)
        if kind not in (HANDSHAKE, ALERT) or length > MAX_RECORD:
            if hello is not None:
                return Reply(ReplyKind.HELLO, hello=hello)
            raise Malformed(f"not a TLS answer (starts with {header[:5]!r})")
        payload = await reader.readexactly(length)
        total += 5 + length
        if kind == ALERT:
            if hello is not None:
                return Reply(ReplyKind.HELLO, hello=hello, detail=f"then {alert_name(payload[-1])}")
            if len(payload) < 2:
                raise Malformed("truncated alert")
            return Reply(ReplyKind.ALERT, alert=payload[1])
        buffer += payload
        while len(buffer) >= 4:
            msg_type = buffer[0]
            size = int.from_bytes(buffer[1:4], "big")
            if len(buffer) < 4 + size:
                break
            body, buffer = buffer[4 : 4 + size], buffer[4 + size :]
            if msg_type == SERVER_HELLO and hello is None:
                hello = parse_server_hello(body)
                if not want_key_exchange or hello.version >= TLS13:
                    return Reply(ReplyKind.HELLO, hello=hello)
            elif hello is None:
                raise Malformed(f"handshake message {msg_type} before ServerHello")
            elif msg_type == SERVER_KEY_EXCHANGE:
                return Reply(ReplyKind.HELLO, hello=hello, curve=ecdhe_curve(body))
            elif msg_type == SERVER_HELLO_DONE:
                return Reply(ReplyKind.HELLO, hello=hello)
    if hello is not None:
        return Reply(ReplyKind.HELLO, hello=hello)
    raise Malformed(f"no ServerHello in the first {MAX_FLIGHT} bytes")


async def _read_ssl2(reader: asyncio.StreamReader) -> Reply:
    head = await reader.readexactly(2)
    if head[0] in (HANDSHAKE, ALERT):
        rest = await reader.readexactly(3)
        length = int.from_bytes(rest[1:3], "big")
        payload = await reader.readexactly(min(length, MAX_RECORD))
        if head[0] == ALERT and len(payload) >= 2:
            return Reply(ReplyKind.ALERT, alert=payload[1])
        return Reply(ReplyKind.CLOSED, detail="answered with TLS, not SSLv2")
    if not head[0] & 0x80:
        raise Malformed(f"not an SSLv2 answer (starts with {head!r})")
    length = ((head[0] & 0x7F) << 8) | head[1]
    message = await reader.readexactly(length)
    if message[:1] == b"\x04":
        return Reply(ReplyKind.HELLO, ssl2=parse_ssl2_server_hello(message))
    if message[:1] == b"\x00":
        code = int.from_bytes(message[1:3], "big")
        return Reply(ReplyKind.CLOSED, detail=f"SSLv2 ERROR 0x{code:04X}")
    raise Malformed(f"unexpected SSLv2 message type {message[:1]!r}")
