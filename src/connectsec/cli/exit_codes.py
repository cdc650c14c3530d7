"""Exit codes (documented in README.md)."""

from __future__ import annotations

from connectsec.model import Outcome, Report, Severity, Verdict

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_INPUT = 2
EXIT_INCOMPLETE = 3
EXIT_INTERNAL = 4


def exit_code(report: Report, fail_on: Severity) -> int:
    """1: a failing finding at or above `fail_on` (not already in the --baseline); else 3: a requirement
    ended `error`; else 0."""
    for requirement in report.requirements:
        for finding in requirement.findings:
            if finding.in_baseline:
                continue
            if finding.verdict is Verdict.FAIL and finding.severity.rank >= fail_on.rank:
                return EXIT_FINDINGS
    if any(r.outcome is Outcome.ERROR for r in report.requirements):
        return EXIT_INCOMPLETE
    return EXIT_OK
