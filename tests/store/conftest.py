"""History fixtures: every store test runs on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

from connectsec.store.database import parse_url
from tests.store.postgres import PostgresUnavailable, start_postgres


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """$CONNECTSEC_TEST_POSTGRES, or a server started for this session (a failure in CI, a skip elsewhere)."""
    given = os.environ.get("CONNECTSEC_TEST_POSTGRES")
    if given:
        yield given
        return
    try:
        server = start_postgres()
    except PostgresUnavailable as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL tests cannot run: {exc}")
        pytest.skip(f"PostgreSQL not available: {exc}")
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, or a new database on the PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('history')}/history.db"
        return
    admin_url = parse_url(request.getfixturevalue("postgres_url"))
    name = f"connectsec_test_{uuid.uuid4().hex[:16]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield admin_url.set(database=name).render_as_string(hide_password=False)
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()
