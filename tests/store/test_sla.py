"""SLA policy and R15 judgement (pure: plain data, an injected `today`)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from connectsec.catalog.rules_sla import SLA_RULES
from connectsec.model import Outcome, Severity, Verdict
from connectsec.sla import DEFAULT_POLICY, SlaPolicy, annotate, load_policy, r15_result, r15_skipped
from connectsec.store import TrackedFinding
from tests.store.reports import finding, report, result

D0 = date(2026, 3, 2)


def tracked(
    severity: Severity,
    first: date = D0,
    *,
    rule: str = "hsts.missing",
    location: str = "https://app.example.test/x",
    fixed: bool = False,
    reopened: date | None = None,
) -> TrackedFinding:
    at = datetime(first.year, first.month, first.day, 12, tzinfo=UTC)
    again = datetime(reopened.year, reopened.month, reopened.day, 12, tzinfo=UTC) if reopened else None
    return TrackedFinding(
        target="t",
        fingerprint=f"{rule}|{location}|{severity}",
        requirement="R1.2",
        rule=rule,
        severity=severity,
        location=location,
        title="title",
        first_seen=at,
        last_seen=again or at,
        fixed_at=at if fixed else None,
        reopened_at=again,
        reopened_count=1 if reopened else 0,
    )


@pytest.mark.parametrize(
    ("severity", "due"),
    [
        (Severity.CRITICAL, date(2026, 3, 30)),
        (Severity.HIGH, date(2026, 4, 13)),
        (Severity.MEDIUM, date(2026, 4, 27)),
        (Severity.LOW, date(2026, 8, 24)),
        (Severity.INFO, date(2026, 8, 24)),
    ],
)
def test_default_policy_is_the_marketplace_timeframes(severity: Severity, due: date) -> None:
    assert DEFAULT_POLICY.due(D0, severity) == due


def test_sla_table_in_config_overrides_days(tmp_path: Path) -> None:
    config = tmp_path / "connectsec.toml"
    config.write_text(
        '[sla]\ncritical = 14\nlow = 90\ndue-soon = 3\n\n[[suppress]]\nrule = "x"\nreason = "r"\n'
    )
    policy = load_policy(config)
    assert policy == SlaPolicy(critical=14, high=42, medium=56, low=90, due_soon=3)
    assert load_policy(None) == DEFAULT_POLICY
    (tmp_path / "empty.toml").write_text("")
    assert load_policy(tmp_path / "empty.toml") == DEFAULT_POLICY


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[sla]\nhigh = 0\n", "[sla] high must be a whole number of days"),
        ("[sla]\nhigh = -3\n", "[sla] high must be a whole number of days"),
        ("[sla]\nhigh = true\n", "[sla] high must be a whole number of days"),
        ('[sla]\nhigh = "42"\n', "[sla] high must be a whole number of days"),
        ("[sla]\nurgent = 3\n", "[sla] urgent: unknown key"),
        ("sla = 3\n", "`sla` must be a table"),
        ("[sla\n", "not valid TOML"),
    ],
)
def test_bad_sla_table_is_one_line(tmp_path: Path, content: str, message: str) -> None:
    config = tmp_path / "connectsec.toml"
    config.write_text(content)
    with pytest.raises(ValueError, match=r"^--config .*") as caught:
        load_policy(config)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_missing_config_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="No such file"):
        load_policy(tmp_path / "nope.toml")


def test_r15_fails_on_an_overdue_open_finding() -> None:
    findings = [tracked(Severity.CRITICAL), tracked(Severity.LOW, location="https://app.example.test/y")]
    outcome = r15_result(findings, DEFAULT_POLICY, date(2026, 3, 31))  # critical due 2026-03-30
    assert outcome.outcome is Outcome.FAIL
    assert [f.rule for f in outcome.findings] == ["sla.overdue"]
    overdue = outcome.findings[0]
    assert overdue.verdict is Verdict.FAIL
    assert overdue.severity is Severity.HIGH
    assert dict(overdue.extra)["due"] == "2026-03-30"
    assert "1 days" in overdue.detail
    assert "1 of 2 open findings" in outcome.summary


def test_r15_due_today_is_due_soon_not_overdue() -> None:
    outcome = r15_result([tracked(Severity.CRITICAL)], DEFAULT_POLICY, date(2026, 3, 30))
    assert outcome.outcome is Outcome.WARN
    assert [(f.rule, f.verdict) for f in outcome.findings] == [("sla.due-soon", Verdict.WARN)]


def test_r15_warn_window_is_seven_days() -> None:
    assert r15_result([tracked(Severity.CRITICAL)], DEFAULT_POLICY, date(2026, 3, 23)).outcome is Outcome.WARN
    passed = r15_result([tracked(Severity.CRITICAL)], DEFAULT_POLICY, date(2026, 3, 22))
    assert passed.outcome is Outcome.PASS
    assert passed.findings == ()
    assert "1 open findings" in passed.summary
    assert "2026-03-30" in passed.summary


def test_r15_ignores_fixed_findings_and_counts_reopened_from_the_reopening() -> None:
    fixed = tracked(Severity.CRITICAL, fixed=True)
    reopened = tracked(Severity.CRITICAL, reopened=date(2026, 6, 1), location="https://app.example.test/z")
    outcome = r15_result([fixed, reopened], DEFAULT_POLICY, date(2026, 6, 10))
    assert outcome.outcome is Outcome.PASS
    assert "next due on 2026-06-29" in outcome.summary
    assert outcome.coverage.tested == 1


def test_r15_passes_without_open_findings_and_skips_without_history() -> None:
    clean = r15_result([], DEFAULT_POLICY, D0)
    assert (clean.id, clean.outcome) == ("R15", Outcome.PASS)
    assert "no open findings" in clean.summary
    skipped = r15_skipped()
    assert skipped.outcome is Outcome.SKIPPED
    assert "history" in skipped.summary


def test_sla_findings_have_stable_distinct_locations() -> None:
    a = tracked(Severity.CRITICAL)
    b = tracked(Severity.CRITICAL, location="https://app.example.test/other")
    first = r15_result([a, b], DEFAULT_POLICY, date(2026, 5, 1))
    later = r15_result([b, a], DEFAULT_POLICY, date(2026, 5, 9))
    assert {f.id for f in first.findings} == {f.id for f in later.findings}
    assert len({f.id for f in first.findings}) == 2


def test_annotate_fills_only_known_open_findings() -> None:
    known = finding("hsts.missing")
    unknown = finding("referrer-policy.missing", "/help")
    history = TrackedFinding(
        "t", known.id, "R1.2", "hsts.missing", Severity.MEDIUM, known.location, known.title,
        first_seen=datetime(2026, 3, 2, 23, 59, tzinfo=UTC), last_seen=datetime(2026, 4, 1, tzinfo=UTC),
    )  # fmt: skip
    annotated = annotate(
        report([result("R1.2", [known]), result("R12", [unknown])]), [history], DEFAULT_POLICY
    )
    marked, untouched = annotated.requirements[0].findings[0], annotated.requirements[1].findings[0]
    assert (marked.first_seen, marked.due, marked.history) == ("2026-03-02", "2026-04-27", "open")
    assert (untouched.first_seen, untouched.due, untouched.history) == (None, None, None)


def test_sla_rules_are_r15() -> None:
    assert {(r.id, r.verdict, r.severity) for r in SLA_RULES} == {
        ("sla.overdue", Verdict.FAIL, Severity.HIGH),
        ("sla.due-soon", Verdict.WARN, Severity.LOW),
    }
    assert all(r.requirement == "R15" and r.remediation for r in SLA_RULES)
