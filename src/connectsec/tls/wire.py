"""TLS/SSL bytes on the wire: ClientHello builders and first-flight parsing (no I/O)."""

from __future__ import annotations

import ipaddress
import os
import struct
from dataclasses import dataclass

SSL2, SSL3, TLS10, TLS11, TLS12, TLS13 = 0x0002, 0x0300, 0x0301, 0x0302, 0x0303, 0x0304
VERSION_NAMES = {
    SSL2: "SSLv2",
    SSL3: "SSLv3",
    TLS10: "TLSv1.0",
    TLS11: "TLSv1.1",
    TLS12: "TLSv1.2",
    TLS13: "TLSv1.3",
}
VERSIONS = {name: code for code, name in VERSION_NAMES.items()}

HANDSHAKE, ALERT = 22, 21
SERVER_HELLO, CERTIFICATE, SERVER_KEY_EXCHANGE, SERVER_HELLO_DONE = 2, 11, 12, 14
HRR_RANDOM = bytes.fromhex("cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c")

ALERTS = {
    0: "close_notify",
    10: "unexpected_message",
    20: "bad_record_mac",
    21: "decryption_failed",
    22: "record_overflow",
    30: "decompression_failure",
    40: "handshake_failure",
    41: "no_certificate",
    42: "bad_certificate",
    43: "unsupported_certificate",
    47: "illegal_parameter",
    50: "decode_error",
    51: "decrypt_error",
    70: "protocol_version",
    71: "insufficient_security",
    80: "internal_error",
    86: "inappropriate_fallback",
    90: "user_canceled",
    109: "missing_extension",
    110: "unsupported_extension",
    112: "unrecognized_name",
    120: "no_application_protocol",
}
REFUSING_ALERTS = frozenset({40, 70, 71, 86})
"""Alerts by which a server says no to the protocol or to every offered suite."""

# Signature algorithms: ECDSA, RSA-PSS, EdDSA, PKCS#1 with SHA-2/SHA-1/MD5, DSA.
_SIGALGS = (
    0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0807, 0x0808, 0x0809, 0x080A, 0x080B,
    0x0401, 0x0501, 0x0601, 0x0303, 0x0301, 0x0302, 0x0203, 0x0201, 0x0202, 0x0101, 0x0402, 0x0502, 0x0602,
)  # fmt: skip


def _u8(data: bytes) -> bytes:
    return struct.pack("!B", len(data)) + data


def _u16(data: bytes) -> bytes:
    return struct.pack("!H", len(data)) + data


def _codes(codes: tuple[int, ...] | list[int]) -> bytes:
    return b"".join(struct.pack("!H", c) for c in codes)


def _extension(kind: int, body: bytes) -> bytes:
    return struct.pack("!H", kind) + _u16(body)


def sni_name(host: str) -> str | None:
    """The SNI to send: the host name, or None for an IP literal (RFC 6066 forbids those)."""
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return host.rstrip(".").encode("idna").decode("ascii") if host else None
    return None


def client_hello(
    version: int,
    suites: tuple[int, ...] | list[int],
    *,
    host: str | None,
    groups: tuple[int, ...] | list[int] = (),
    key_shares: tuple[tuple[int, bytes], ...] = (),
) -> bytes:
    """One TLS record holding a ClientHello for SSL 3.0 … TLS 1.3 (TLS 1.3 via supported_versions)."""
    legacy = min(version, TLS12)
    extensions = b""
    if version >= TLS10:
        parts: list[bytes] = []
        if host:
            name = host.encode("ascii")
            parts.append(_extension(0, _u16(b"\x00" + _u16(name))))
        if groups:
            parts.append(_extension(10, _u16(_codes(groups))))
        parts.append(_extension(11, _u8(b"\x00")))  # ec_point_formats: uncompressed
        parts.append(_extension(13, _u16(_codes(_SIGALGS))))
        parts.append(_extension(0xFF01, b"\x00"))  # renegotiation_info, empty
        if version == TLS13:
            parts.append(_extension(43, _u8(_codes((TLS13,)))))
            shares = b"".join(struct.pack("!H", g) + _u16(k) for g, k in key_shares)
            parts.append(_extension(51, _u16(shares)))
            parts.append(_extension(45, _u8(b"\x01")))  # psk_key_exchange_modes: psk_dhe_ke
        extensions = _u16(b"".join(parts))
    session = os.urandom(32) if version == TLS13 else b""
    body = (
        struct.pack("!H", legacy) + os.urandom(32) + _u8(session) + _u16(_codes(suites)) + _u8(b"\x00")
    ) + extensions
    handshake = struct.pack("!B", 1) + struct.pack("!I", len(body))[1:] + body
    record_version = SSL3 if version == SSL3 else TLS10
    return struct.pack("!BHH", HANDSHAKE, record_version, len(handshake)) + handshake


def ssl2_client_hello(kinds: tuple[int, ...] | list[int]) -> bytes:
    """An SSL 2.0 CLIENT-HELLO offering 3-byte cipher kinds."""
    specs = b"".join(struct.pack("!I", k)[1:] for k in kinds)
    challenge = os.urandom(16)
    body = struct.pack("!BHHHH", 1, SSL2, len(specs), 0, len(challenge)) + specs + challenge
    return struct.pack("!H", 0x8000 | len(body)) + body


@dataclass(frozen=True)
class ServerHello:
    """What the server chose."""

    version: int
    suite: int
    retry: bool = False
    """A TLS 1.3 HelloRetryRequest (still names version and suite)."""
    group: int | None = None
    """TLS 1.3 key_share group (or the group an HRR asks for)."""


@dataclass(frozen=True)
class Ssl2ServerHello:
    """An SSL 2.0 SERVER-HELLO: the cipher kinds of ours the server accepts."""

    version: int
    kinds: tuple[int, ...]


class Malformed(ValueError):
    """The server's bytes do not parse as what they claim to be."""


def parse_server_hello(body: bytes) -> ServerHello:
    """Parse a ServerHello handshake body (after the 4-byte handshake header)."""
    try:
        version, random = struct.unpack_from("!H32s", body, 0)
        pos = 34
        session_len = body[pos]
        pos += 1 + session_len
        (suite,) = struct.unpack_from("!H", body, pos)
        pos += 3  # suite and compression method
        group = None
        if pos + 2 <= len(body):
            (ext_len,) = struct.unpack_from("!H", body, pos)
            pos += 2
            end = min(len(body), pos + ext_len)
            while pos + 4 <= end:
                kind, size = struct.unpack_from("!HH", body, pos)
                data = body[pos + 4 : pos + 4 + size]
                if kind == 43 and len(data) == 2:
                    (version,) = struct.unpack("!H", data)
                elif kind == 51 and len(data) >= 2:
                    (group,) = struct.unpack_from("!H", data, 0)
                pos += 4 + size
    except (struct.error, IndexError) as exc:
        raise Malformed(f"truncated ServerHello ({len(body)} bytes)") from exc
    return ServerHello(version=version, suite=suite, retry=random == HRR_RANDOM, group=group)


def parse_ssl2_server_hello(message: bytes) -> Ssl2ServerHello:
    """Parse an SSL 2.0 SERVER-HELLO message (after the 2-byte record header)."""
    try:
        _, _, _, version, cert_len, specs_len, _ = struct.unpack_from("!BBBHHHH", message, 0)
    except struct.error as exc:
        raise Malformed("truncated SSLv2 SERVER-HELLO") from exc
    start = 11 + cert_len
    specs = message[start : start + specs_len]
    if len(specs) != specs_len or specs_len % 3:
        raise Malformed("SSLv2 SERVER-HELLO cipher list is truncated")
    kinds = tuple(int.from_bytes(specs[i : i + 3], "big") for i in range(0, specs_len, 3))
    return Ssl2ServerHello(version=version, kinds=kinds)


def ecdhe_curve(server_key_exchange: bytes) -> int | None:
    """The named curve of an ECDHE ServerKeyExchange (None when it is not one)."""
    if len(server_key_exchange) >= 3 and server_key_exchange[0] == 3:
        return int.from_bytes(server_key_exchange[1:3], "big")
    return None


def alert_name(description: int) -> str:
    """`handshake_failure`, or `alert 123` for an unknown code."""
    return ALERTS.get(description, f"alert {description}")
