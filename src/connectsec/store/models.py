"""The history schema (SQLAlchemy 2 typed ORM); migrations/ creates it, these classes read and write it.

Times are stored as naive UTC (the same on SQLite and PostgreSQL); store.history converts at the edge.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Declarative base of the history tables."""


class ScanRow(Base):
    """One recorded scan."""

    __tablename__ = "scans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    target: Mapped[str] = mapped_column(Text, index=True)
    app_key: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
    """The store's clock when the scan was recorded: the time every history fact of this scan carries."""
    tool_version: Mapped[str] = mapped_column(String(64))
    options: Mapped[str] = mapped_column(Text)
    """JSON object of the report's options (the report never holds secrets)."""


class RequirementResultRow(Base):
    """One requirement's outcome in one scan."""

    __tablename__ = "requirement_results"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    scan_id: Mapped[int] = mapped_column(ForeignKey("scans.id", ondelete="CASCADE"), index=True)
    requirement: Mapped[str] = mapped_column(String(16))
    outcome: Mapped[str] = mapped_column(String(16))
    summary: Mapped[str] = mapped_column(Text)


class FindingRow(Base):
    """One finding as one scan reported it."""

    __tablename__ = "findings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    scan_id: Mapped[int] = mapped_column(ForeignKey("scans.id", ondelete="CASCADE"), index=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    requirement: Mapped[str] = mapped_column(String(16))
    rule: Mapped[str] = mapped_column(String(128))
    severity: Mapped[str] = mapped_column(String(16))
    location: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)


class TrackedRow(Base):
    """A finding's life on one target across scans."""

    __tablename__ = "tracked"
    __table_args__ = (
        UniqueConstraint("target", "fingerprint", name="uq_tracked_target_fingerprint"),
        Index("ix_tracked_target_fixed", "target", "fixed_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    target: Mapped[str] = mapped_column(Text)
    fingerprint: Mapped[str] = mapped_column(String(64))
    requirement: Mapped[str] = mapped_column(String(16))
    rule: Mapped[str] = mapped_column(String(128))
    severity: Mapped[str] = mapped_column(String(16))
    location: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    first_seen: Mapped[datetime] = mapped_column(DateTime)
    last_seen: Mapped[datetime] = mapped_column(DateTime)
    fixed_at: Mapped[datetime | None] = mapped_column(DateTime)
    reopened_at: Mapped[datetime | None] = mapped_column(DateTime)
    """When it last came back after a fix: the SLA clock restarts there."""
    reopened_count: Mapped[int] = mapped_column(Integer, default=0)
