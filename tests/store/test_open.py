"""Opening a store: the default location, and one-line errors for URLs that cannot work."""

from __future__ import annotations

import importlib.util
import socket
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from connectsec.store import StoreError, default_db_url, open_store
from tests.store.reports import day, finding, report, result


def test_default_db_is_in_the_user_data_directory(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert default_db_url() == f"sqlite:///{tmp_path}/data/connectsec/history.db"
    with open_store() as store:
        store.record(report([result("R1.2", [finding("hsts.missing")])]), day(0))
    assert (tmp_path / "data" / "connectsec" / "history.db").is_file()
    monkeypatch.setenv("XDG_DATA_HOME", "relative/ignored")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_db_url() == f"sqlite:///{tmp_path}/home/.local/share/connectsec/history.db"


def test_in_memory_sqlite_works() -> None:
    with open_store("sqlite://") as store:
        tracked = store.record(report([result("R1.2", [finding("hsts.missing")])]), day(0))
        assert [t.history for t in tracked] == ["new"]
        assert len(store.open_findings()) == 1


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("not a url", "not a database URL"),
        ("mysql://u@127.0.0.1/db", "unsupported database"),
        ("postgresql+asyncpg://u@127.0.0.1/db", "unsupported database"),
        ("postgresql+pg8000://u@127.0.0.1:5432", "no database name"),
        ("sqlite:////nonexistent-folder-xyz/history.db", "folder /nonexistent-folder-xyz does not exist"),
    ],
)
def test_bad_url_is_one_line(url: str, message: str) -> None:
    with pytest.raises(ValueError, match=r"^--db ") as caught:
        open_store(url)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_unreachable_server_is_one_line_without_the_password() -> None:
    url = f"postgresql+pg8000://scanner:hunter2@127.0.0.1:{_closed_port()}/history"
    with pytest.raises(ValueError, match="cannot open the database") as caught:
        open_store(url)
    assert "hunter2" not in str(caught.value)
    assert "\n" not in str(caught.value)


def test_plain_postgresql_url_means_pg8000() -> None:
    with pytest.raises(ValueError, match=r"postgresql\+pg8000://.*cannot open the database"):
        open_store(f"postgresql://u@127.0.0.1:{_closed_port()}/history")


@pytest.mark.skipif(importlib.util.find_spec("psycopg") is not None, reason="psycopg is installed here")
def test_psycopg_url_without_psycopg_says_what_to_install() -> None:
    with pytest.raises(ValueError, match=r"the psycopg driver is not installed \(pip install psycopg\)"):
        open_store("postgresql+psycopg://u@127.0.0.1/history")


def test_a_file_that_is_not_a_database_is_one_line(tmp_path: Path) -> None:
    junk = tmp_path / "history.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(ValueError, match="cannot open the database") as caught:
        open_store(f"sqlite:///{junk}")
    assert "\n" not in str(caught.value)


def test_a_database_failure_after_opening_is_a_store_error(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/history.db"
    with open_store(url) as store:
        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(text("DROP TABLE tracked"))
        engine.dispose()
        with pytest.raises(StoreError, match=r"^history database: recording the scan failed \(") as caught:
            store.record(report([result("R1.2", [finding("hsts.missing")])]), day(0))
        assert "\n" not in str(caught.value)
