"""Scan history on SQLite and PostgreSQL: first seen, fixed, reopened, and the due dates that follow."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

from sqlalchemy import create_engine, text

from connectsec.model import Outcome, Severity
from connectsec.sla import DEFAULT_POLICY, annotate, r15_result
from connectsec.store import TrackedFinding, open_store
from connectsec.store.database import parse_url
from tests.store.reports import DESCRIPTOR, day, finding, report, result

HSTS = finding("hsts.missing")  # R1.2 medium
PLAIN = finding("hsts.plain-http", "/")  # R1.2 high
REFERRER = finding("referrer-policy.missing", "/help")  # R12 medium
COOKIE = finding("cookie.no-secure", "/pages/settings")  # R11 medium


def by_fp(tracked: list[TrackedFinding]) -> dict[str, TrackedFinding]:
    return {t.fingerprint: t for t in tracked}


def test_a_sequence_of_scans_yields_first_seen_fixed_and_reopened(db_url: str) -> None:
    with open_store(db_url) as store:
        # scan 1: HSTS and Referrer-Policy findings
        first = store.record(report([result("R1.2", [HSTS]), result("R12", [REFERRER])]), day(0))
        assert {t.fingerprint: t.history for t in first} == {HSTS.id: "new", REFERRER.id: "new"}

        # scan 2, ten days later: HSTS fixed (R1.2 ran completely), Referrer still there, a cookie finding new
        second = by_fp(
            store.record(
                report([result("R1.2"), result("R12", [REFERRER]), result("R11", [COOKIE])]), day(10)
            )
        )
        assert second[HSTS.id].fixed_at == day(10)
        assert second[HSTS.id].history == "fixed"
        assert second[REFERRER.id].history == "open"
        assert second[REFERRER.id].first_seen == day(0)
        assert second[REFERRER.id].last_seen == day(10)
        assert second[COOKIE.id].history == "new"

        # scan 3: HSTS back (reopened), cookie fixed, Referrer not judged (R12 errored): stays open
        third_report = report(
            [
                result("R1.2", [HSTS]),
                result("R12", outcome=Outcome.ERROR),
                result("R11", outcome=Outcome.PASS),
            ]
        )
        third = by_fp(store.record(third_report, day(20)))
        assert third[HSTS.id].history == "reopened"
        assert third[HSTS.id].reopened_count == 1
        assert third[HSTS.id].first_seen == day(0)
        assert third[HSTS.id].reopened_at == day(20)
        assert third[HSTS.id].fixed_at is None
        assert third[REFERRER.id].is_open
        assert third[REFERRER.id].last_seen == day(10)
        assert third[COOKIE.id].fixed_at == day(20)

        # due dates on the report: medium = 56 days from first seen, or from the reopening
        annotated = annotate(third_report, list(third.values()), DEFAULT_POLICY)
        hsts = annotated.requirements[0].findings[0]
        assert (hsts.first_seen, hsts.due, hsts.history) == (
            "2026-03-02",
            "2026-05-17",
            "reopened",
        )  # 2026-03-22 + 56

        # scan 4: HSTS seen again: an ordinary open finding now
        fourth = by_fp(store.record(third_report, day(30)))
        assert fourth[HSTS.id].history == "open"
        assert fourth[HSTS.id].reopened_count == 1

        open_now = store.open_findings(DESCRIPTOR)
        assert [t.fingerprint for t in open_now] == [REFERRER.id, HSTS.id]  # oldest open period first
        assert store.open_findings() == open_now


def test_fixed_only_when_the_requirement_ran_completely(db_url: str) -> None:
    with open_store(db_url) as store:
        store.record(
            report([result("R1.2", [HSTS]), result("R12", [REFERRER]), result("R11", [COOKIE])]), day(0)
        )
        after = by_fp(
            store.record(
                report([result("R1.2", outcome=Outcome.ERROR), result("R12", outcome=Outcome.SKIPPED)]),
                day(1),
            )
        )
        # R1.2 errored, R12 skipped, R11 not in the report at all: nothing is fixed
        assert all(t.is_open for t in after.values())
        manual = by_fp(store.record(report([result("R12", outcome=Outcome.MANUAL)]), day(2)))
        assert manual[REFERRER.id].fixed_at == day(2)
        warned = by_fp(store.record(report([result("R1.2", [finding("hsts.multiple-headers")])]), day(3)))
        assert warned[HSTS.id].fixed_at == day(3)  # a warn outcome ran completely too


def test_a_suppressed_finding_is_not_fixed(db_url: str) -> None:
    with open_store(db_url) as store:
        store.record(report([result("R1.2", [HSTS])]), day(0))
        note = f"hsts.missing at {HSTS.location} [{HSTS.id}]: accepted risk"
        suppressed = replace(result("R1.2"), suppressed=(note,))
        after = by_fp(store.record(report([suppressed]), day(5)))
        assert after[HSTS.id].is_open
        assert after[HSTS.id].last_seen == day(0)


def test_targets_are_kept_apart_and_r15_is_not_tracked(db_url: str) -> None:
    other = "https://other.example.test/atlassian-connect.json"
    with open_store(db_url) as store:
        sla = r15_result([], DEFAULT_POLICY, date(2026, 3, 2))
        store.record(report([result("R1.2", [HSTS]), sla]), day(0))
        store.record(report([result("R1.2", [PLAIN])], descriptor=other), day(1))
        store.record(report([result("R1.2")], descriptor=other), day(2))
        assert [t.fingerprint for t in store.open_findings(DESCRIPTOR)] == [HSTS.id]
        assert store.open_findings(other) == []
        assert [t.history for t in store.tracked(other)] == ["fixed"]
        overdue = r15_result(store.open_findings(DESCRIPTOR), DEFAULT_POLICY, date(2026, 12, 1))
        tracked = by_fp(store.record(report([result("R1.2", [HSTS]), overdue]), day(300)))
        assert list(tracked) == [HSTS.id]  # the sla.overdue finding itself is not history


def test_history_survives_reopening_the_database(db_url: str) -> None:
    store = open_store(db_url)
    store.record(
        report([result("R1.2", [PLAIN, HSTS])], options={"timeout": "5.0", "crawl_pages": "3"}), day(0)
    )
    store.close()
    with open_store(db_url) as again:  # migrations run again: nothing to do, nothing lost
        tracked = by_fp(again.record(report([result("R1.2", [PLAIN])]), day(7)))
        assert tracked[PLAIN.id].history == "open"
        assert tracked[PLAIN.id].first_seen == day(0)
        assert tracked[HSTS.id].fixed_at == day(7)
        scans = again.scans(DESCRIPTOR)
    assert [s.recorded_at for s in scans] == [day(0), day(7)]
    assert scans[0].findings == (("R1.2", "high", 1), ("R1.2", "medium", 1))
    assert scans[0].by_severity() == {"high": 1, "medium": 1}
    assert scans[1].by_requirement() == {"R1.2": 1}
    assert scans[1].outcomes == (("R1.2", "fail"),)
    engine = create_engine(parse_url(db_url))
    try:
        with engine.connect() as connection:
            options = connection.execute(text("SELECT options FROM scans ORDER BY id")).scalars().first()
            version = connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    finally:
        engine.dispose()
    assert json.loads(str(options)) == {"crawl_pages": "3", "timeout": "5.0"}
    assert version == "0001"


def test_severity_changes_follow_the_catalog(db_url: str) -> None:
    with open_store(db_url) as store:
        store.record(report([result("R1.2", [HSTS])]), day(0))
        worse = replace(HSTS, severity=Severity.HIGH)
        tracked = by_fp(store.record(report([result("R1.2", [worse])]), day(1)))
        assert tracked[HSTS.id].severity is Severity.HIGH
        annotated = annotate(report([result("R1.2", [worse])]), list(tracked.values()), DEFAULT_POLICY)
        assert annotated.requirements[0].findings[0].due == "2026-04-13"  # 42 days from 2026-03-02
