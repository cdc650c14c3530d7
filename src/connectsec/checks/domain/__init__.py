"""Domain checks: R3 certificates, registrations and shared origins (R4 takeover joins later)."""

from __future__ import annotations

from connectsec.checks.base import Check
from connectsec.checks.domain.certificate import CERTIFICATE_CHECK, CertificateCheck
from connectsec.checks.domain.registration import REGISTRATION_CHECK, RegistrationCheck
from connectsec.checks.domain.shared_origin import SHARED_ORIGIN_CHECK, SharedOriginCheck

DOMAIN_CHECKS: tuple[Check, ...] = (CERTIFICATE_CHECK, REGISTRATION_CHECK, SHARED_ORIGIN_CHECK)

__all__ = [
    "CERTIFICATE_CHECK",
    "DOMAIN_CHECKS",
    "REGISTRATION_CHECK",
    "SHARED_ORIGIN_CHECK",
    "CertificateCheck",
    "RegistrationCheck",
    "SharedOriginCheck",
]
