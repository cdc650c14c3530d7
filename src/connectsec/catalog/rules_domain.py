"""Finding types of R3 certificate and domain registration validity, and shared-domain origins."""

from __future__ import annotations

from connectsec.catalog.rule import Rule
from connectsec.model.outcome import Severity, Verdict

_F, _W = Verdict.FAIL, Verdict.WARN
_CERT_FIX = (
    "Serve a certificate from a CA that browsers trust (e.g. Let's Encrypt, your cloud's certificate "
    "manager) that names every host of the descriptor in subjectAltName, send the full chain "
    "(leaf plus intermediates), and renew it automatically well before it expires."
)
_KEY_FIX = (
    "Reissue the certificate with an RSA key of at least 2048 bits or an ECDSA P-256/P-384 key, "
    "signed with SHA-256 or stronger (every public CA does this by default)."
)
_PRIVATE_CA_FIX = (
    "Browsers inside the Atlassian product trust only public CAs: replace the certificate issued by "
    "your private CA with one from a public CA, or ignore this warning if that CA is publicly trusted."
)
_DOMAIN_FIX = (
    "Renew the domain at its registrar and turn on auto-renewal (with a payment method that will "
    "not expire); if the app moved, update the descriptor's baseUrl to a domain you control."
)
_UNREGISTERED_FIX = (
    "Register the domain now (anyone else could, and would then serve your app to every install), "
    "or update the descriptor to a domain you hold."
)
_STATUS_FIX = (
    "Contact the registrar: resolve the hold (unpaid renewal, abuse or verification request) or "
    "restore the domain from redemption before it is deleted and open to anyone."
)
_ORIGIN_FIX = (
    "Serve the app from its own origin (a dedicated host such as `myapp.example.com`), not from a "
    "path of an origin that other apps or sites share; several apps on one origin are allowed only "
    "when the same partner owns all of them."
)
_PLATFORM_FIX = (
    "Serve the app from a domain you register and control (a custom domain on the platform), so "
    "that its registration, DNS and certificate stay in your hands."
)

DOMAIN_RULES: tuple[Rule, ...] = (
    Rule("cert.untrusted", "R3", _F, Severity.HIGH, "Certificate chain not trusted by public CAs", _CERT_FIX),
    Rule("cert.self-signed", "R3", _F, Severity.HIGH, "Self-signed certificate", _CERT_FIX),
    Rule("cert.hostname-mismatch", "R3", _F, Severity.HIGH, "Certificate does not name the host", _CERT_FIX),
    Rule("cert.expired", "R3", _F, Severity.HIGH, "Certificate expired", _CERT_FIX),
    Rule("cert.not-yet-valid", "R3", _F, Severity.HIGH, "Certificate not yet valid", _CERT_FIX),
    Rule("cert.weak-key", "R3", _F, Severity.MEDIUM, "Certificate key too weak", _KEY_FIX),
    Rule(
        "cert.weak-signature",
        "R3",
        _F,
        Severity.MEDIUM,
        "Certificate signed with a broken hash (SHA-1, MD5)",
        _KEY_FIX,
    ),
    Rule(
        "cert.verification-failed",
        "R3",
        _F,
        Severity.HIGH,
        "Certificate chain rejected by the verifier",
        _CERT_FIX,
    ),
    Rule("cert.expiring", "R3", _W, Severity.MEDIUM, "Certificate expires soon", _CERT_FIX),
    Rule(
        "cert.private-ca",
        "R3",
        _W,
        Severity.MEDIUM,
        "Certificate trusted only through --ca-bundle",
        _PRIVATE_CA_FIX,
    ),
    Rule("domain.unregistered", "R3", _F, Severity.CRITICAL, "Domain not registered", _UNREGISTERED_FIX),
    Rule("domain.expired", "R3", _F, Severity.HIGH, "Domain registration expired", _DOMAIN_FIX),
    Rule(
        "domain.on-hold",
        "R3",
        _F,
        Severity.HIGH,
        "Domain on hold (removed from DNS by registrar or registry)",
        _STATUS_FIX,
    ),
    Rule(
        "domain.pending-delete",
        "R3",
        _F,
        Severity.HIGH,
        "Domain in redemption or pending delete",
        _STATUS_FIX,
    ),
    Rule("domain.expiring", "R3", _W, Severity.MEDIUM, "Domain registration expires soon", _DOMAIN_FIX),
    Rule(
        "origin.path-only",
        "R3",
        _W,
        Severity.MEDIUM,
        "baseUrl origin unique only through its path (shared domain)",
        _ORIGIN_FIX,
    ),
    Rule(
        "origin.platform-domain",
        "R3",
        _W,
        Severity.LOW,
        "baseUrl on a hosting platform's shared domain",
        _PLATFORM_FIX,
    ),
)
