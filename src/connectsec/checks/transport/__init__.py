"""R1.1 transport checks: TLS protocols and suites, plain http on port 80."""

from __future__ import annotations

from connectsec.checks.base import Check
from connectsec.checks.transport.plain_http import PLAIN_HTTP_CHECK
from connectsec.checks.transport.tls_protocols import TLS_PROTOCOL_CHECK

TLS_CHECKS: tuple[Check, ...] = (TLS_PROTOCOL_CHECK, PLAIN_HTTP_CHECK)

__all__ = ["TLS_CHECKS"]
