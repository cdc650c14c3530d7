"""Two real scans of the demo app, a violation switched off in between: history follows."""

from __future__ import annotations

from datetime import date

from connectsec.demo.pki import DemoPKI
from connectsec.demo.server import DemoServer
from connectsec.model import Outcome
from connectsec.sla import DEFAULT_POLICY, annotate, r15_result
from connectsec.store import open_store, target_key
from tests.scanning import requirement, scan_demo
from tests.store.reports import day

SCANNED = ("R1.2", "R12")


def test_a_fixed_violation_is_marked_fixed_and_the_rest_stays_open(db_url: str) -> None:
    pki = DemoPKI()
    try:
        with DemoServer(["hsts-missing", "referrer-missing"], pki=pki) as server:
            port = server.port
            before = scan_demo(server, requirements=SCANNED)
        with DemoServer(["referrer-missing"], pki=pki, port=port) as server:
            after = scan_demo(server, requirements=SCANNED)
    finally:
        pki.cleanup()
    assert target_key(before) == target_key(after)
    hsts = {f.id for f in requirement(before, "R1.2").findings}
    referrer = {f.id for f in requirement(before, "R12").findings}
    assert hsts
    assert referrer
    assert requirement(after, "R1.2").outcome is Outcome.PASS
    assert {f.id for f in requirement(after, "R12").findings} == referrer

    with open_store(db_url) as store:
        first = store.record(before, day(0))
        assert {t.fingerprint for t in first} == hsts | referrer
        assert {t.history for t in first} == {"new"}
        second = {t.fingerprint: t for t in store.record(after, day(45))}
        assert {fp for fp, t in second.items() if t.history == "fixed"} == hsts
        assert {fp for fp, t in second.items() if t.history == "open"} == referrer
        open_now = store.open_findings(target_key(after))
        assert {t.fingerprint for t in open_now} == referrer

        annotated = annotate(after, list(second.values()), DEFAULT_POLICY)
        for found in requirement(annotated, "R12").findings:
            assert (found.first_seen, found.due, found.history) == ("2026-03-02", "2026-04-27", "open")
        # referrer-policy.missing is medium: due 56 days after 2026-03-02
        assert r15_result(open_now, DEFAULT_POLICY, date(2026, 4, 16)).outcome is Outcome.PASS
        assert r15_result(open_now, DEFAULT_POLICY, date(2026, 4, 20)).outcome is Outcome.WARN
        assert r15_result(open_now, DEFAULT_POLICY, date(2026, 4, 28)).outcome is Outcome.FAIL
