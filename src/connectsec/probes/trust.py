"""TLS trust: system and certifi roots, --ca-bundle, and the standard CA variables, never fatal."""

from __future__ import annotations

import os
import ssl
from dataclasses import dataclass

import certifi

CA_ENV_VARIABLES = ("SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")


class TrustError(Exception):
    """A CA bundle the user named explicitly cannot be used."""


@dataclass(frozen=True)
class TrustContexts:
    """A verifying context and a non-verifying one for hosts whose certificate did not verify."""

    verified: ssl.SSLContext
    unverified: ssl.SSLContext
    notes: tuple[str, ...]


def build_trust(ca_bundle: str | None) -> TrustContexts:
    """Contexts trusting system roots, certifi, the user's bundle and readable CA variables.

    Variables that point at missing or unreadable files are noted and ignored (a scanner that
    crashes because REQUESTS_CA_BUNDLE is set helps nobody); an unusable --ca-bundle is an error.
    """
    notes: list[str] = []
    ctx = ssl.create_default_context()
    ctx.load_verify_locations(cafile=certifi.where())
    for name in CA_ENV_VARIABLES:
        path = os.environ.get(name)
        if not path:
            continue
        try:
            ctx.load_verify_locations(cafile=path)
        except (OSError, ssl.SSLError) as exc:
            notes.append(f"{name}={path} ignored: {_reason(exc)}")
    if ca_bundle:
        try:
            ctx.load_verify_locations(cafile=ca_bundle)
        except (OSError, ssl.SSLError) as exc:
            raise TrustError(f"--ca-bundle {ca_bundle}: {_reason(exc)}") from None
    unverified = ssl.create_default_context()
    unverified.check_hostname = False
    unverified.verify_mode = ssl.CERT_NONE
    for c in (ctx, unverified):
        c.set_alpn_protocols(["h2", "http/1.1"])
    return TrustContexts(ctx, unverified, tuple(notes))


def _reason(exc: Exception) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__
