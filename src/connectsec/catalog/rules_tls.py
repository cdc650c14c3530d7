"""Finding types of R1.1 TLS protocols, cipher suites and plain http."""

from __future__ import annotations

from connectsec.catalog.rule import Rule
from connectsec.model import Severity, Verdict

_F, _W = Verdict.FAIL, Verdict.WARN
_PROTOCOL_FIX = (
    "Accept only TLS 1.2 and TLS 1.3, e.g. nginx `ssl_protocols TLSv1.2 TLSv1.3;`, Apache "
    "`SSLProtocol -all +TLSv1.2 +TLSv1.3`, AWS ELB/CloudFront security policy `TLSv1.2_2021`, or "
    "`minVersion: 'TLSv1.2'` in Node.js."
)
_CIPHER_FIX = (
    "Offer only ECDHE/DHE suites with AES-GCM or ChaCha20-Poly1305 (Mozilla's intermediate list), e.g. nginx "
    "`ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305;`; remove every "
    "NULL, EXPORT, RC4, DES, 3DES and anonymous (aNULL) suite."
)
_STRONG_FIX = (
    "Also offer an AES-256-GCM or ChaCha20-Poly1305 suite (ECDHE-RSA-AES256-GCM-SHA384, "
    "ECDHE-RSA-CHACHA20-POLY1305 or their ECDSA forms; TLS 1.3 offers TLS_AES_256_GCM_SHA384 by default)."
)
_PREFERENCE_FIX = (
    "Either let the client choose (nginx `ssl_prefer_server_ciphers off;`, Mozilla's recommendation) or put "
    "an AES-256-GCM or ChaCha20-Poly1305 suite first in the server's cipher order."
)
_PLAIN_HTTP_FIX = (
    "Answer every plain-http request on port 80 with a 301/308 redirect to the same URL on https (or close "
    "port 80); never serve pages, API answers or error pages over http."
)

TLS_RULES: tuple[Rule, ...] = (
    Rule("tls.ssl-protocol", "R1.1", _F, Severity.HIGH, "SSL 2.0 or SSL 3.0 accepted", _PROTOCOL_FIX),
    Rule("tls.legacy-protocol", "R1.1", _F, Severity.MEDIUM, "TLS 1.0 or TLS 1.1 accepted", _PROTOCOL_FIX),
    Rule("tls.no-tls12", "R1.1", _F, Severity.HIGH, "Neither TLS 1.2 nor TLS 1.3 accepted", _PROTOCOL_FIX),
    Rule(
        "tls.weak-cipher",
        "R1.1",
        _F,
        Severity.HIGH,
        "Weak cipher suite accepted (NULL, EXPORT, RC4, DES, 3DES or anonymous)",
        _CIPHER_FIX,
    ),
    Rule(
        "tls.no-strong-cipher",
        "R1.1",
        _W,
        Severity.LOW,
        "No AES-256 or ChaCha20-Poly1305 suite with an AEAD or SHA-2 MAC offered",
        _STRONG_FIX,
    ),
    Rule(
        "tls.weak-preferred",
        "R1.1",
        _W,
        Severity.LOW,
        "Server prefers a suite weaker than AES-256/ChaCha20-Poly1305",
        _PREFERENCE_FIX,
    ),
    Rule(
        "tls.plain-http-content",
        "R1.1",
        _F,
        Severity.MEDIUM,
        "Content served over plain http (port 80)",
        _PLAIN_HTTP_FIX,
    ),
    Rule(
        "tls.plain-http-redirect-http",
        "R1.1",
        _F,
        Severity.MEDIUM,
        "Plain http redirects to another plain http URL",
        _PLAIN_HTTP_FIX,
    ),
)
