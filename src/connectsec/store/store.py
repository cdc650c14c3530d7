"""The Store: records scans and answers questions about a target's history."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from connectsec.model import Report, Severity
from connectsec.store.database import default_db_url, make_engine, migrate, parse_url, shown
from connectsec.store.history import TrackedFinding, advance, ordered, seen_in, target_key
from connectsec.store.models import FindingRow, RequirementResultRow, ScanRow, TrackedRow


class StoreError(Exception):
    """The history database failed after it opened (one line, the password hidden)."""


@contextmanager
def _failures(action: str) -> Iterator[None]:
    try:
        yield
    except SQLAlchemyError as exc:
        raise StoreError(f"history database: {action} failed ({_reason(exc)})") from None


@dataclass(frozen=True)
class ScanSummary:
    """One recorded scan, counted (for trends)."""

    id: int
    target: str
    recorded_at: datetime
    started_at: datetime | None
    outcomes: tuple[tuple[str, str], ...]
    """(requirement, outcome) in report order."""
    findings: tuple[tuple[str, str, int], ...]
    """(requirement, severity, count), sorted."""

    def by_severity(self) -> dict[str, int]:
        """Finding counts per severity."""
        counts: Counter[str] = Counter()
        for _, severity, count in self.findings:
            counts[severity] += count
        return dict(counts)

    def by_requirement(self) -> dict[str, int]:
        """Finding counts per requirement."""
        counts: Counter[str] = Counter()
        for requirement, _, count in self.findings:
            counts[requirement] += count
        return dict(counts)


class Store:
    """A history database, migrated to the current schema."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def record(self, report: Report, now: datetime) -> list[TrackedFinding]:
        """Save the scan; the target's tracked findings after it (open and fixed)."""
        target = target_key(report)
        moment = _naive(now)
        seen = seen_in(report)
        with _failures("recording the scan"), Session(self._engine) as session, session.begin():
            scan = ScanRow(
                target=target,
                app_key=report.target.app_key,
                started_at=_parse(report.started_at),
                finished_at=_parse(report.finished_at),
                recorded_at=moment,
                tool_version=report.tool_version,
                options=json.dumps(dict(report.options), sort_keys=True),
            )
            session.add(scan)
            session.flush()
            for result in report.requirements:
                session.add(
                    RequirementResultRow(
                        scan_id=scan.id,
                        requirement=result.id,
                        outcome=result.outcome.value,
                        summary=result.summary,
                    )
                )
                session.add_all(
                    FindingRow(
                        scan_id=scan.id,
                        fingerprint=f.id,
                        requirement=f.requirement,
                        rule=f.rule,
                        severity=f.severity.value,
                        location=f.location,
                        title=f.title,
                    )
                    for f in result.findings
                )
            rows = {
                r.fingerprint: r
                for r in session.scalars(
                    select(TrackedRow).where(TrackedRow.target == target).with_for_update()
                )
            }
            before = {fp: _tracked(r) for fp, r in rows.items()}
            after = advance(target, before, seen, moment)
            for fingerprint, state in after.items():
                if state == before.get(fingerprint):
                    continue
                row = rows.get(fingerprint)
                if row is None:
                    row = TrackedRow(target=target, fingerprint=fingerprint)
                    session.add(row)
                _store(row, state)
        return ordered(_aware(t) for t in after.values())

    def open_findings(self, target: str | None = None) -> list[TrackedFinding]:
        """Open tracked findings (of one target, or of all), oldest open period first."""
        query = select(TrackedRow).where(TrackedRow.fixed_at.is_(None))
        if target is not None:
            query = query.where(TrackedRow.target == target)
        with _failures("reading open findings"), Session(self._engine) as session:
            return ordered(_aware(_tracked(r)) for r in session.scalars(query))

    def tracked(self, target: str) -> list[TrackedFinding]:
        """Every tracked finding of a target, open and fixed."""
        with _failures("reading tracked findings"), Session(self._engine) as session:
            rows = session.scalars(select(TrackedRow).where(TrackedRow.target == target))
            return ordered(_aware(_tracked(r)) for r in rows)

    def scans(self, target: str) -> list[ScanSummary]:
        """The target's recorded scans, oldest first, with finding counts by requirement and severity."""
        with _failures("reading scans"), Session(self._engine) as session:
            scans = list(
                session.scalars(
                    select(ScanRow).where(ScanRow.target == target).order_by(ScanRow.recorded_at, ScanRow.id)
                )
            )
            ids = [s.id for s in scans]
            outcomes: dict[int, list[tuple[str, str]]] = {i: [] for i in ids}
            counts: dict[int, Counter[tuple[str, str]]] = {i: Counter() for i in ids}
            if ids:
                results = select(RequirementResultRow).where(RequirementResultRow.scan_id.in_(ids))
                for r in session.scalars(results.order_by(RequirementResultRow.id)):
                    outcomes[r.scan_id].append((r.requirement, r.outcome))
                for f in session.scalars(select(FindingRow).where(FindingRow.scan_id.in_(ids))):
                    counts[f.scan_id][(f.requirement, f.severity)] += 1
            return [
                ScanSummary(
                    id=s.id,
                    target=s.target,
                    recorded_at=s.recorded_at.replace(tzinfo=UTC),
                    started_at=s.started_at.replace(tzinfo=UTC) if s.started_at else None,
                    outcomes=tuple(outcomes[s.id]),
                    findings=tuple(sorted((req, sev, n) for (req, sev), n in counts[s.id].items())),
                )
                for s in scans
            ]

    def close(self) -> None:
        """Release the database connections."""
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_store(url: str | None = None) -> Store:
    """Open (creating and migrating) the history database; ValueError with one line when it cannot."""
    parsed = parse_url(url or default_db_url(), create_dir=url is None)
    engine = make_engine(parsed)
    try:
        migrate(engine)
    except (SQLAlchemyError, OSError) as exc:
        engine.dispose()
        raise ValueError(f"--db {shown(parsed)}: cannot open the database ({_reason(exc)})") from None
    return Store(engine)


def _reason(exc: BaseException) -> str:
    original = getattr(exc, "orig", None) or exc
    text = " ".join(str(original).split())
    return text[:300] or type(original).__name__


def _naive(moment: datetime) -> datetime:
    """UTC without tzinfo, as stored (a naive moment is taken as UTC already)."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def _parse(text: str) -> datetime | None:
    try:
        return _naive(datetime.fromisoformat(text))
    except ValueError:
        return None


def _tracked(row: TrackedRow) -> TrackedFinding:
    try:
        severity = Severity(row.severity)
    except ValueError:
        severity = Severity.INFO
    return TrackedFinding(
        target=row.target,
        fingerprint=row.fingerprint,
        requirement=row.requirement,
        rule=row.rule,
        severity=severity,
        location=row.location,
        title=row.title,
        first_seen=row.first_seen,
        last_seen=row.last_seen,
        fixed_at=row.fixed_at,
        reopened_at=row.reopened_at,
        reopened_count=row.reopened_count,
    )


def _store(row: TrackedRow, state: TrackedFinding) -> None:
    row.requirement = state.requirement
    row.rule = state.rule
    row.severity = state.severity.value
    row.location = state.location
    row.title = state.title
    row.first_seen = state.first_seen
    row.last_seen = state.last_seen
    row.fixed_at = state.fixed_at
    row.reopened_at = state.reopened_at
    row.reopened_count = state.reopened_count


def _aware(t: TrackedFinding) -> TrackedFinding:
    """The same facts with UTC-aware times (for callers)."""

    def utc(moment: datetime | None) -> datetime | None:
        return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment

    return TrackedFinding(
        target=t.target,
        fingerprint=t.fingerprint,
        requirement=t.requirement,
        rule=t.rule,
        severity=t.severity,
        location=t.location,
        title=t.title,
        first_seen=utc(t.first_seen) or t.first_seen,
        last_seen=utc(t.last_seen) or t.last_seen,
        fixed_at=utc(t.fixed_at),
        reopened_at=utc(t.reopened_at),
        reopened_count=t.reopened_count,
    )
