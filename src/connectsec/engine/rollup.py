"""Roll-up: check results and crashes become one outcome per requirement (pure)."""

from __future__ import annotations

from collections.abc import Sequence

from connectsec.catalog.requirements import REQUIREMENTS
from connectsec.model import CheckResult, Coverage, Outcome, RequirementResult, Verdict

NOT_IMPLEMENTED = "not implemented yet"


def roll_up(requirement_id: str, title: str, results: Sequence[CheckResult]) -> RequirementResult:
    """fail if any finding fails; else error if anything could not be tested; else warn; else pass.

    A requirement whose every check says `skipped` is skipped; nothing becomes `pass` without a
    check that actually tested something, nor while a checklist item awaits a person (`manual`).
    """
    findings = tuple(f for r in results for f in r.findings)
    errors = tuple(e for r in results for e in r.errors)
    notes = tuple(n for r in results for n in r.notes)
    manual = tuple(dict.fromkeys(m for r in results for m in r.manual))
    suppressed = tuple(x for r in results for x in r.suppressed)
    coverage = sum((r.coverage for r in results), Coverage())
    fails = [f for f in findings if f.verdict is Verdict.FAIL]
    warns = [f for f in findings if f.verdict is Verdict.WARN]
    tested = "; ".join(r.tested for r in results if r.tested)
    skipped = [r.skipped for r in results if r.skipped]
    if fails:
        outcome = Outcome.FAIL
        summary = f"{len(fails)} failing finding(s) at {len({f.location for f in fails})} location(s)"
    elif errors:
        outcome = Outcome.ERROR
        summary = f"could not test everything: {errors[0]}" + (
            f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        )
    elif warns:
        outcome = Outcome.WARN
        summary = f"{len(warns)} warning(s); nothing failing"
    elif manual:
        outcome = Outcome.MANUAL
        summary = f"nothing found automatically; {len(manual)} item(s) to verify by hand" + (
            f" (tested: {tested})" if tested else ""
        )
    elif not results or len(skipped) == len(results):
        outcome = Outcome.SKIPPED
        summary = "; ".join(s for s in skipped if s) or NOT_IMPLEMENTED
    else:
        outcome = Outcome.PASS
        summary = f"no problem found: {tested}" if tested else "no problem found"
    if warns and outcome is Outcome.FAIL:
        summary += f", {len(warns)} warning(s)"
    return RequirementResult(
        id=requirement_id,
        title=title,
        outcome=outcome,
        summary=summary,
        findings=findings,
        coverage=coverage,
        errors=errors,
        notes=notes,
        manual=manual,
        suppressed=suppressed,
    )


def skipped_result(requirement_id: str, reason: str) -> RequirementResult:
    """A requirement not tested in this scan, and why."""
    title = next(r.title for r in REQUIREMENTS if r.id == requirement_id)
    return RequirementResult(id=requirement_id, title=title, outcome=Outcome.SKIPPED, summary=reason)


def error_result(requirement_id: str, reason: str) -> RequirementResult:
    """A requirement whose check crashed or could not run."""
    title = next(r.title for r in REQUIREMENTS if r.id == requirement_id)
    return RequirementResult(
        id=requirement_id, title=title, outcome=Outcome.ERROR, summary=reason, errors=(reason,)
    )
