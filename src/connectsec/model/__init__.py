"""Frozen data the whole scanner shares: endpoints, observations, findings, results, reports."""

from connectsec.model.endpoint import Endpoint, EndpointKind, Inventory
from connectsec.model.finding import Evidence, Finding
from connectsec.model.observation import AuthMode, HttpExchange, HttpRequestSpec, HttpResponse, Observations
from connectsec.model.outcome import Outcome, Severity, Verdict
from connectsec.model.report import REPORT_SCHEMA, Report, ScanStats, Target
from connectsec.model.result import CheckResult, Coverage, RequirementResult

__all__ = [
    "REPORT_SCHEMA",
    "AuthMode",
    "CheckResult",
    "Coverage",
    "Endpoint",
    "EndpointKind",
    "Evidence",
    "Finding",
    "HttpExchange",
    "HttpRequestSpec",
    "HttpResponse",
    "Inventory",
    "Observations",
    "Outcome",
    "Report",
    "RequirementResult",
    "ScanStats",
    "Severity",
    "Target",
    "Verdict",
]
