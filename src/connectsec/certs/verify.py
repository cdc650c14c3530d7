"""Chain verification with cryptography's X.509 verifier (web PKI policy), one trust store at a time."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Sequence
from datetime import datetime, timedelta

from cryptography import x509
from cryptography.x509 import DNSName, IPAddress
from cryptography.x509.oid import ExtendedKeyUsageOID
from cryptography.x509.verification import (
    Criticality,
    ExtensionPolicy,
    PolicyBuilder,
    Store,
    VerificationError,
)

from connectsec.model.certificate import ChainVerification

_NO_PATH = "all candidates exhausted with no interior errors"
_ONE_SECOND = timedelta(seconds=1)


def verify_chain(
    chain: Sequence[x509.Certificate],
    host: str,
    at: datetime,
    roots: Sequence[x509.Certificate],
    store: str,
) -> ChainVerification:
    """Verify `chain` (leaf first, as sent) for `host` at `at` against `roots`.

    When full verification fails, verify again for a name the leaf holds at a time inside its
    validity: that tells an untrusted chain apart from a trusted one with a wrong name or date.
    """
    if not chain:
        return ChainVerification(store, False, "the server sent no certificate", trusted=False)
    if not roots:
        return ChainVerification(store, False, "the trust store holds no certificate", trusted=False)
    anchors = Store(list(roots))
    leaf, intermediates = chain[0], list(chain[1:])
    verified, reason, path = _verify(anchors, leaf, intermediates, host, at)
    if verified:
        return ChainVerification(store, True, path=path, trusted=True)
    name = _name_held(leaf)
    if name is None:
        return ChainVerification(store, False, reason, trusted=None)
    inside = _inside_validity(leaf, at)
    trusted, trusted_reason, path = _verify(anchors, leaf, intermediates, name, inside)
    return ChainVerification(store, False, reason, trusted=trusted, trusted_reason=trusted_reason, path=path)


def _verify(
    anchors: Store, leaf: x509.Certificate, intermediates: list[x509.Certificate], host: str, at: datetime
) -> tuple[bool, str | None, tuple[str, ...]]:
    try:
        subject = _subject(host)
    except ValueError:
        return False, f"{host!r} is not a host name the verifier accepts", ()
    builder = PolicyBuilder().store(anchors).time(at)
    builder = builder.extension_policies(ca_policy=ExtensionPolicy.webpki_defaults_ca(), ee_policy=_EE_POLICY)
    verifier = builder.build_server_verifier(subject)
    try:
        path = verifier.verify(leaf, intermediates)
    except VerificationError as exc:
        return False, clean_reason(str(exc)), ()
    return True, None, tuple(c.subject.rfc4514_string() for c in path)


def _server_auth(_policy: object, _cert: x509.Certificate, usage: x509.ExtendedKeyUsage | None) -> None:
    if usage is None:
        return
    if (
        ExtendedKeyUsageOID.SERVER_AUTH not in usage
        and ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE not in usage
    ):
        raise ValueError("the extended key usage does not allow TLS server authentication")


_EE_POLICY = (
    ExtensionPolicy.webpki_defaults_ee()
    .require_present(x509.SubjectAlternativeName, Criticality.AGNOSTIC, None)
    .may_be_present(x509.ExtendedKeyUsage, Criticality.AGNOSTIC, _server_auth)
)
"""The web PKI leaf policy, except that a critical subjectAltName or extendedKeyUsage is accepted, as
browsers and OpenSSL accept it (private CAs such as trustme mark both critical)."""


def _subject(host: str) -> DNSName | IPAddress:
    try:
        return IPAddress(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        return DNSName(host)


def _name_held(leaf: x509.Certificate) -> str | None:
    """A name the certificate covers: its first DNS name (a wildcard's label filled in) or IP address."""
    try:
        san = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except (x509.ExtensionNotFound, ValueError):
        return None
    for name in san.get_values_for_type(x509.DNSName):
        return "wildcard" + name[1:] if name.startswith("*.") else name
    for address in san.get_values_for_type(x509.IPAddress):
        return str(address)
    return None


def _inside_validity(leaf: x509.Certificate, at: datetime) -> datetime:
    start, end = leaf.not_valid_before_utc, leaf.not_valid_after_utc
    if at > end:
        return end - _ONE_SECOND
    if at < start:
        return start + _ONE_SECOND
    return at


def clean_reason(message: str) -> str:
    """The verifier's message without Rust debug output."""
    text = message.removeprefix("validation failed: ").strip()
    text = re.sub(r"\s*\(encountered processing <Certificate\(.*\)>\)\s*$", "", text, flags=re.DOTALL)
    text = re.sub(r"(Forbidden [a-z ]+?): .*", r"\1", text, flags=re.DOTALL)
    text = text.removeprefix("candidates exhausted: ")
    if text == _NO_PATH:
        return (
            "no path to a trusted root: the issuer is not in the store and no intermediate sent leads to one"
        )
    return text[:300]
