"""Trust anchors: certifi plus the operating system's roots, and a --ca-bundle on its own."""

from __future__ import annotations

import re
import ssl
import warnings
from functools import cache
from pathlib import Path

import certifi
from cryptography import x509
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.utils import CryptographyDeprecationWarning

_PEM = re.compile(rb"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.DOTALL)
MAX_BUNDLE_BYTES = 16 * 1024 * 1024
_SHA256 = SHA256()


class BundleError(Exception):
    """A CA bundle that cannot be used; the message says why."""


def read_bundle(path: str) -> tuple[x509.Certificate, ...]:
    """Every certificate of a PEM bundle; unparsable blocks are dropped, none at all is an error."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_BUNDLE_BYTES + 1)
    except OSError as exc:
        raise BundleError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(data) > MAX_BUNDLE_BYTES:
        raise BundleError(f"{path} is larger than {MAX_BUNDLE_BYTES // (1024 * 1024)} MB")
    certs = _parse_pems(data)
    if not certs:
        raise BundleError(f"{path} holds no PEM certificate")
    return certs


def _parse_pems(data: bytes) -> tuple[x509.Certificate, ...]:
    certs: list[x509.Certificate] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CryptographyDeprecationWarning)  # old roots with negative serials
        for block in _PEM.findall(data):
            try:
                certs.append(x509.load_pem_x509_certificate(block))
            except ValueError:
                continue
    return tuple(certs)


@cache
def public_roots() -> tuple[x509.Certificate, ...]:
    """certifi's roots plus the system's default CA file and directory, de-duplicated."""
    found: dict[bytes, x509.Certificate] = {}
    files = [certifi.where()]
    paths = ssl.get_default_verify_paths()
    if paths.cafile:
        files.append(paths.cafile)
    if paths.capath and Path(paths.capath).is_dir():
        files.extend(str(p) for p in sorted(Path(paths.capath).iterdir()) if p.suffix in {".pem", ".crt"})
    for name in files:
        try:
            data = Path(name).read_bytes()
        except OSError:
            continue
        for cert in _parse_pems(data):
            found.setdefault(cert.fingerprint(_SHA256), cert)
    return tuple(found.values())
