"""R3: the certificate of every https endpoint is trusted, names the host, is valid now and strong."""

from __future__ import annotations

import shlex
from datetime import datetime
from urllib.parse import urlsplit

from connectsec.certs.hostname import matches
from connectsec.checks.domain._collect import DEFAULT_WARN_DAYS, Findings, days
from connectsec.model import CheckResult, Coverage, Evidence, Observations
from connectsec.model.certificate import CertificateInfo, CertificateScan, ChainVerification

MIN_RSA_BITS = 2048
MIN_EC_BITS = 256
WEAK_HASHES = frozenset({"sha1", "md5", "md2", "md4"})
_EXPLAINING = frozenset(
    {"cert.hostname-mismatch", "cert.expired", "cert.not-yet-valid", "cert.weak-key", "cert.weak-signature"}
)


class CertificateCheck:
    """R3 certificates: chain trust (public roots, then --ca-bundle), host name, validity, key and hash."""

    requirement = "R3"
    needs: frozenset[str] = frozenset({"certificate"})

    def judge(self, observations: Observations) -> CheckResult:
        """Judge every certificate observation; required endpoints without one are errors."""
        warn_days = observations.expiry_warn_days
        findings = Findings()
        errors: list[str] = []
        judged: dict[str, None] = {}
        for scan in observations.certificates:
            location = f"{scan.target.host}:{scan.target.port}"
            if scan.error is not None or scan.leaf is None or scan.observed_at is None:
                errors.append(f"{scan.target.label}: {scan.error or 'no certificate observed'}")
                continue
            judged[location] = None
            for rule, detail in judge_scan(scan, warn_days):
                findings.add(rule, location, detail, certificate_evidence(scan))
        seen = {f"{s.target.host}:{s.target.port}" for s in observations.certificates}
        for location in required_endpoints(observations):
            if location not in seen:
                errors.append(f"{location}: no certificate was fetched (the endpoint was not probed)")
        if not judged and not errors:
            return CheckResult(
                requirement=self.requirement, skipped="the app names no https endpoint, so no certificate"
            )
        return CheckResult(
            requirement=self.requirement,
            findings=findings.built(),
            coverage=Coverage(tested=len(judged), untested=len(errors)),
            tested=f"certificates of {len(judged)} https endpoint(s)" if judged else "",
            errors=tuple(errors),
        )


def required_endpoints(observations: Observations) -> list[str]:
    """`host:port` of the https baseUrl and descriptor URL: their certificates must be observed."""
    inventory = observations.inventory
    found: dict[str, None] = {}
    for url in (inventory.base_url, inventory.descriptor_url):
        try:
            parts = urlsplit(url)
            port = parts.port or 443
        except ValueError:
            continue
        if parts.scheme.lower() == "https" and parts.hostname:
            found[f"{parts.hostname.lower()}:{port}"] = None
    return list(found)


def judge_scan(scan: CertificateScan, warn_days: int = DEFAULT_WARN_DAYS) -> list[tuple[str, str]]:
    """(rule, detail) for every problem of one observed chain; empty when it is sound."""
    leaf, at = scan.leaf, scan.observed_at
    if leaf is None or at is None:
        raise ValueError("judge_scan needs a scan with a chain and its time")
    problems: list[tuple[str, str]] = []
    host = scan.target.host
    if not matches(host, leaf.dns_names, leaf.ip_addresses):
        names = ", ".join((*leaf.dns_names, *leaf.ip_addresses)) or "none (no subjectAltName)"
        problems.append(
            ("cert.hostname-mismatch", f"The certificate does not cover {host}; it names {names}.")
        )
    problems.extend(_validity(leaf, at, warn_days))
    problems.extend(_strength(scan.chain))
    problems.extend(_trust(scan, explained=any(rule in _EXPLAINING for rule, _ in problems)))
    return problems


def _validity(leaf: CertificateInfo, at: datetime, warn_days: int) -> list[tuple[str, str]]:
    stamp = f"(checked at {at:%Y-%m-%d %H:%M} UTC)"
    if leaf.not_before > at:
        return [
            (
                "cert.not-yet-valid",
                f"The certificate is valid only from {leaf.not_before:%Y-%m-%d %H:%M} UTC {stamp}.",
            )
        ]
    left = (leaf.not_after - at).total_seconds()
    if left < 0:
        return [
            (
                "cert.expired",
                f"The certificate expired {days(-left)} ago, on {leaf.not_after:%Y-%m-%d} {stamp}.",
            )
        ]
    if left < warn_days * 86400:
        return [
            (
                "cert.expiring",
                f"The certificate expires in {days(left)}, on {leaf.not_after:%Y-%m-%d}; "
                f"less than {warn_days} days left {stamp}.",
            )
        ]
    return []


def _strength(chain: tuple[CertificateInfo, ...]) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    for position, cert in enumerate(chain):
        if position > 0 and cert.self_signed:
            continue  # a root's signature on itself is not checked by anyone
        which = "the certificate" if position == 0 else f"intermediate {cert.subject}"
        weak = weak_key(cert)
        if weak:
            problems.append(("cert.weak-key", f"The key of {which} is {weak}."))
        if cert.signature_hash in WEAK_HASHES:
            problems.append(
                (
                    "cert.weak-signature",
                    f"{which[0].upper()}{which[1:]} is signed with {cert.signature_algorithm}: "
                    f"{cert.signature_hash.upper()} collisions are practical and browsers reject it.",
                )
            )
    return problems


def weak_key(cert: CertificateInfo) -> str | None:
    """Why the certificate's key is too weak, or None."""
    kind, bits = cert.key_type, cert.key_bits
    if kind == "RSA" and bits < MIN_RSA_BITS:
        return f"RSA {bits} bits (at least {MIN_RSA_BITS} needed)"
    if kind == "EC" and bits < MIN_EC_BITS:
        return f"an elliptic curve of {bits} bits (at least {MIN_EC_BITS} needed)"
    if kind == "DSA":
        return f"DSA {bits} bits (browsers no longer accept DSA certificates)"
    return None


def _chains(verification: ChainVerification | None) -> bool:
    """Whether the chain leads to the store's roots (perhaps rejected for its name, date or algorithm)."""
    if verification is None:
        return False
    if verification.verified or verification.trusted:
        return True
    reason = verification.trusted_reason or verification.reason or ""
    return verification.trusted is False and reason.startswith("Forbidden ")


def _trust(scan: CertificateScan, *, explained: bool) -> list[tuple[str, str]]:
    public, bundle = scan.public, scan.ca_bundle
    if public is not None and public.verified:
        return []
    if _chains(public):
        assert public is not None
        return [] if explained else [_failed(public)]
    if bundle is not None and _chains(bundle):
        found = [
            (
                "cert.private-ca",
                f"The chain verifies only with --ca-bundle {scan.ca_bundle_path}, not with the public roots "
                f"(certifi and the system store): {_why(public)}. Browsers will not trust it unless that "
                "CA is public.",
            )
        ]
        if not bundle.verified and not explained:
            found.append(_failed(bundle))
        return found
    leaf = scan.leaf
    assert leaf is not None
    if leaf.self_signed:
        return [
            (
                "cert.self-signed",
                f"The certificate ({leaf.subject}) is signed by its own key; no CA vouches for it.",
            )
        ]
    detail = f"No trusted chain to a public root: {_why(public)}."
    if bundle is not None:
        detail += f" Nor to --ca-bundle {scan.ca_bundle_path}: {_why(bundle)}."
    return [("cert.untrusted", detail)]


def _why(verification: ChainVerification | None) -> str:
    if verification is None:
        return "not verified"
    return verification.trusted_reason or verification.reason or "not verified"


def _failed(verification: ChainVerification) -> tuple[str, str]:
    store = "the public roots" if verification.store == "public" else "--ca-bundle"
    return ("cert.verification-failed", f"Verification against {store} failed: {verification.reason}.")


def certificate_evidence(scan: CertificateScan) -> Evidence:
    """The handshake as TLS evidence: the leaf's facts and an openssl command that shows the chain."""
    target, leaf = scan.target, scan.leaf
    facts = ""
    if leaf is not None:
        names = ", ".join((*leaf.dns_names, *leaf.ip_addresses)) or "-"
        facts = (
            f"subject: {leaf.subject}\nissuer: {leaf.issuer}\n"
            f"not before: {leaf.not_before:%Y-%m-%d %H:%M:%S} UTC\n"
            f"not after: {leaf.not_after:%Y-%m-%d %H:%M:%S} UTC\nnames: {names}\n"
            f"key: {leaf.key_type} {leaf.key_bits}\nsignature: {leaf.signature_algorithm}\n"
            f"sha256: {leaf.sha256}\nchain: {len(scan.chain)} certificate(s)"
        )
    command = (
        f"openssl s_client -connect {shlex.quote(f'{_bracket(target.address)}:{target.port}')}"
        f" -servername {shlex.quote(target.host)} -showcerts"
    )
    if scan.ca_bundle_path:
        command += f" -CAfile {shlex.quote(scan.ca_bundle_path)}"
    return Evidence(
        method="TLS",
        url=f"tls://{_bracket(target.host)}:{target.port} ({target.address})",
        status=None,
        excerpt=facts or None,
        curl=f"{command} </dev/null | openssl x509 -noout -text",
    )


def _bracket(host: str) -> str:
    return f"[{host}]" if ":" in host else host


CERTIFICATE_CHECK = CertificateCheck()
