"""R7, R10 and R6 (source): what the code scan saw in the app's code, configuration and infrastructure.

Each fact of the scan becomes a finding at `path:line`, with the source line (secret-looking literals
masked) as evidence and a fingerprint that survives lines moving. Files that could not be examined make
their requirement `error`; a tree without any file the requirement can judge is `skipped`, never `pass`.
R7 also hands a person the checklist of what no code scan can see (`manual`).
"""

from __future__ import annotations

import hashlib
import shlex
from dataclasses import dataclass, fields, replace
from typing import Any

from connectsec.catalog.rules import make_finding
from connectsec.checks.headers._judging import plural
from connectsec.model import CheckResult, Coverage, Evidence, Finding, Observations
from connectsec.model.source import CodeFact, CodeScan

NO_SOURCE = "no source tree given (--source PATH)"
SHARED_SECRET_CHECKLIST: tuple[str, ...] = (
    "The sharedSecret is encrypted at rest with a dedicated key that the database credentials alone "
    "cannot read (envelope encryption, not only disk or database-level encryption).",
    "That key lives in a KMS, HSM or secrets manager; only the app's runtime identity may use it, and it "
    "can be rotated without losing tenants.",
    "Reads of tenant secrets and uses of the key leave an audit trail that someone reviews.",
    "Backups, replicas and exports of the tenant store are protected like the store itself.",
    "A tenant's old sharedSecret is overwritten on reinstall and deleted on uninstall (or after the "
    "retention period).",
    "Production logs, error trackers and APM payloads are free of sharedSecret values (log level, "
    "request-body capture and retention checked).",
)
"""What a person must verify for R7: none of it shows in code or from outside."""
_LANGUAGES = {
    "python": "Python",
    "javascript": "JavaScript/TypeScript",
    "html": "HTML",
    "template": "page template",
    "jvm": "Java/Kotlin",
    "terraform": "Terraform",
    "cloudformation": "CloudFormation/serverless",
    "manifest": "manifest",
}


def fingerprint(fact: CodeFact) -> str:
    """Stable across edits that move the line: rule, file and the (masked) source line."""
    raw = f"{fact.rule}|{fact.path}|{' '.join(fact.snippet.split())}".encode("utf-8", "surrogatepass")
    return hashlib.sha256(raw).hexdigest()[:20]


def finding_of(fact: CodeFact) -> Finding:
    """The finding for one fact: location `path:line`, the line as evidence, a fingerprint."""
    evidence = Evidence(
        method="SOURCE",
        url=fact.location,
        status=None,
        excerpt=fact.snippet or None,
        curl=f"sed -n '{fact.line}p' {shlex.quote(fact.path)}",
    )
    extra = (("path", fact.path), ("line", str(fact.line)), ("fingerprint", fingerprint(fact)))
    return make_finding(fact.rule, fact.location, fact.detail, (evidence,), extra)


def with_manual(result: CheckResult, items: tuple[str, ...]) -> CheckResult:
    """The checklist in `CheckResult.manual` when the model has it, else as notes (never lost)."""
    if not items:
        return result
    if "manual" in {f.name for f in fields(CheckResult)}:
        changes: dict[str, Any] = {"manual": items}
        return replace(result, **changes)
    return replace(result, notes=(*result.notes, *(f"verify by hand: {item}" for item in items)))


@dataclass(frozen=True)
class SourceCodeCheck:
    """One requirement's source part judged from the code scan."""

    requirement: str
    kinds: tuple[str, ...]
    """File kinds this requirement can judge (CodeScan.files keys)."""
    subject: str
    """What was looked for, for the pass sentence."""
    nothing_to_judge: str
    manual: tuple[str, ...] = ()
    needs: frozenset[str] = frozenset({"source"})

    def judge(self, observations: Observations) -> CheckResult:
        """Findings from the scan's facts; unexamined files are errors; nothing judgeable is skipped."""
        scan = observations.code
        if scan is None:
            return CheckResult(self.requirement, skipped=NO_SOURCE)
        if scan.error is not None:
            return CheckResult(self.requirement, errors=(f"code scan failed: {scan.error}",))
        findings = tuple(finding_of(f) for f in scan.facts if f.requirement == self.requirement)
        errors = tuple(
            reason for requirements, reason in scan.unreadable if self.requirement in requirements.split(",")
        )
        read = scan.count(*self.kinds)
        if not read and not findings and not errors:
            return CheckResult(self.requirement, skipped=self.nothing_to_judge)
        result = CheckResult(
            self.requirement,
            findings=findings,
            coverage=Coverage(tested=read, untested=len(errors)),
            tested=f"{self._files(scan)} read for {self.subject}",
            errors=errors,
            notes=self._notes(scan),
        )
        return with_manual(result, self.manual)

    def _files(self, scan: CodeScan) -> str:
        parts = [f"{n} {_LANGUAGES.get(kind, kind)}" for kind, n in scan.files if kind in self.kinds]
        return f"{plural(scan.count(*self.kinds), 'file')} ({', '.join(parts)})" if parts else "no file"

    def _notes(self, scan: CodeScan) -> tuple[str, ...]:
        notes = []
        if self.requirement == "R7" and scan.frameworks:
            used = ", ".join(
                f"{u.name} {u.version or '(version unknown)'} ({u.path}:{u.line})" for u in scan.frameworks
            )
            notes.append(f"Connect framework(s): {used}; their known sharedSecret behaviours were checked.")
        if scan.skipped_large:
            notes.append(f"{plural(scan.skipped_large, 'file')} above 2 MB not read (generated bundles?).")
        return tuple(notes)


SOURCE_SHARED_SECRET_CHECK = SourceCodeCheck(
    requirement="R7",
    kinds=("python", "javascript", "html", "template", "jvm", "manifest"),
    subject="sharedSecret handling (logged, returned, stored without encryption, sent to the browser) "
    "and Connect framework behaviours",
    nothing_to_judge="no Python, JavaScript/TypeScript, Java/Kotlin code or Connect manifest in the tree",
    manual=SHARED_SECRET_CHECKLIST,
)
SOURCE_CREDENTIALS_CHECK = SourceCodeCheck(
    requirement="R10",
    kinds=("python", "javascript", "html", "jvm"),
    subject="user-supplied Atlassian credentials sent as basic authentication",
    nothing_to_judge="no Python, JavaScript/TypeScript or Java/Kotlin code in the source tree",
)
SOURCE_STORAGE_CHECK = SourceCodeCheck(
    requirement="R6",
    kinds=("terraform", "cloudformation"),
    subject="storage made public (ACLs, bucket policies, IAM members, container access levels)",
    nothing_to_judge="no Terraform, CloudFormation or serverless.yml storage resources in the source tree",
)

__all__ = [
    "SHARED_SECRET_CHECKLIST",
    "SOURCE_CREDENTIALS_CHECK",
    "SOURCE_SHARED_SECRET_CHECK",
    "SOURCE_STORAGE_CHECK",
    "SourceCodeCheck",
]
