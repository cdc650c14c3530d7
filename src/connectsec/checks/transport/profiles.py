"""Mozilla server-side TLS profiles (modern, intermediate, old; v5.7) and the one a server meets."""

from __future__ import annotations

from connectsec.model.tls import TlsScan

_TLS13 = frozenset({"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"})
_INTERMEDIATE12 = frozenset(
    {
        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
        "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
        "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
        "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
        "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
    }
)
_OLD = _INTERMEDIATE12 | frozenset(
    {
        "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
        "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
        "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
        "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
        "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
        "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
        "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
        "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
        "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256",
        "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256",
        "TLS_RSA_WITH_AES_128_GCM_SHA256",
        "TLS_RSA_WITH_AES_256_GCM_SHA384",
        "TLS_RSA_WITH_AES_128_CBC_SHA256",
        "TLS_RSA_WITH_AES_256_CBC_SHA256",
        "TLS_RSA_WITH_AES_128_CBC_SHA",
        "TLS_RSA_WITH_AES_256_CBC_SHA",
        "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
    }
)
_PROFILES: tuple[tuple[str, frozenset[str], frozenset[str]], ...] = (
    ("modern", frozenset({"TLSv1.3"}), _TLS13),
    ("intermediate", frozenset({"TLSv1.2", "TLSv1.3"}), _INTERMEDIATE12 | _TLS13),
    ("old", frozenset({"TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"}), _OLD | _TLS13),
)


def mozilla_profile(scan: TlsScan) -> str:
    """The strictest Mozilla profile whose protocols and suites contain everything the server accepts.

    `none` when the server accepts something outside even the old profile; `unknown` when a protocol's
    acceptance or suite list could not be determined.
    """
    if any(p.accepted is None or (p.accepted and p.error) for p in scan.protocols) or not scan.protocols:
        return "unknown"
    accepted = [p for p in scan.protocols if p.accepted]
    if not accepted:
        return "unknown"
    protocols = {p.protocol for p in accepted}
    suites = {s for p in accepted for s in p.suites}
    for name, allowed_protocols, allowed_suites in _PROFILES:
        if protocols <= allowed_protocols and suites <= allowed_suites:
            return name
    return "none"
