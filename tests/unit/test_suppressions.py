"""Accepted findings: connectsec.toml [[suppress]] entries, how they match, expire, and fail to load."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from connectsec.catalog.rules import make_finding
from connectsec.engine.rollup import roll_up
from connectsec.model import CheckResult, Coverage, Outcome
from connectsec.suppressions import Suppression, apply_suppressions, load_suppressions

TODAY = date(2026, 11, 28)


def result() -> CheckResult:
    leak = make_finding("hsts.missing", "https://app.example/pages/a", "missing")
    other = make_finding("hsts.missing", "https://app.example/pages/b", "missing")
    return CheckResult("R1.2", (leak, other), Coverage(tested=2))


def test_fingerprint_suppresses_one_finding_and_says_why() -> None:
    original = result()
    target = original.findings[0]
    kept = apply_suppressions(original, [Suppression("accepted risk", fingerprint=target.id)], TODAY)
    assert [f.location for f in kept.findings] == ["https://app.example/pages/b"]
    assert kept.suppressed == (f"hsts.missing at https://app.example/pages/a [{target.id}]: accepted risk",)
    rolled = roll_up("R1.2", "HSTS", [kept])
    assert rolled.outcome is Outcome.FAIL  # the other finding still fails
    assert rolled.suppressed == kept.suppressed


def test_rule_and_path_glob_suppress_all_matching_and_the_outcome_follows() -> None:
    entry = Suppression(
        "pages behind a proxy that adds HSTS", rule="hsts.*", path="https://app.example/pages/*"
    )
    kept = apply_suppressions(result(), [entry], TODAY)
    assert kept.findings == ()
    assert roll_up("R1.2", "HSTS", [kept]).outcome is Outcome.PASS


def test_path_glob_matches_a_source_location_without_its_line() -> None:
    finding = make_finding("hsts.missing", "tests/fixtures/keys.txt:12", "x")
    entry = Suppression("fixtures", rule="hsts.missing", path="tests/fixtures/*")
    assert entry.matches(finding)
    assert not Suppression("fixtures", rule="hsts.missing", path="src/*").matches(finding)


def test_expired_entry_lets_the_finding_back_with_a_note() -> None:
    entry = Suppression("until the fix ships", rule="hsts.missing", expires=date(2026, 11, 1))
    kept = apply_suppressions(result(), [entry], TODAY)
    assert len(kept.findings) == 2
    assert kept.suppressed == ()
    assert any("expired on 2026-11-01" in n for n in kept.notes)
    still = Suppression("until the fix ships", rule="hsts.missing", expires=date(2026, 12, 1))
    assert apply_suppressions(result(), [still], TODAY).findings == ()


def test_load_from_toml(tmp_path: Path) -> None:
    path = tmp_path / "connectsec.toml"
    path.write_text(
        '[[suppress]]\nfingerprint = "abc"\nreason = "known"\n\n'
        '[[suppress]]\nrule = "secrets.*"\npath = "docs/**"\nreason = "examples"\nexpires = 2027-01-31\n'
    )
    assert load_suppressions(path) == (
        Suppression("known", fingerprint="abc"),
        Suppression("examples", rule="secrets.*", path="docs/**", expires=date(2027, 1, 31)),
    )


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('[[suppress]]\nfingerprint = "abc"\n', "a `reason` is required"),
        ('[[suppress]]\nreason = "x"\n', "give a `fingerprint`"),
        ('[[suppress]]\nfingerprint = "a"\nrule = "b"\nreason = "x"\n', "stands alone"),
        ('[[suppress]]\nrule = "b"\nreason = "x"\nexpires = "soon"\n', "must be a date"),
        ('[[suppress]]\nrule = "b"\nreason = "x"\nwhen = 1\n', "unknown key"),
        ("suppress = 3\n", "array of tables"),
        ("[[suppress\n", "not valid TOML"),
    ],
)
def test_bad_entries_are_one_line_errors(tmp_path: Path, body: str, expected: str) -> None:
    path = tmp_path / "connectsec.toml"
    path.write_text(body)
    with pytest.raises(ValueError, match=expected):
        load_suppressions(path)


def test_manual_checklist_rolls_up_to_manual_unless_something_decides() -> None:
    checklist = CheckResult("R7", coverage=Coverage(tested=1), tested="code", manual=("dedicated key?",))
    assert roll_up("R7", "t", [checklist]).outcome is Outcome.MANUAL
    assert roll_up("R7", "t", [checklist]).manual == ("dedicated key?",)
    warned = CheckResult("R7", (make_finding("hsts.multiple-headers", "x", "y"),))
    assert roll_up("R7", "t", [checklist, warned]).outcome is Outcome.WARN
