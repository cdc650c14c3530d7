"""Database URLs and engines: SQLite by default, PostgreSQL through pg8000 or psycopg."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import StaticPool

_SQLITE_DRIVERS = frozenset({"sqlite", "sqlite+pysqlite"})
_PG_DRIVERS = {"postgresql+pg8000": "pg8000", "postgresql+psycopg": "psycopg"}
_TIMEOUT_S = 30
_HINT = "sqlite:///PATH, postgresql+pg8000://USER@HOST/DB or postgresql+psycopg://USER@HOST/DB"


def default_db_url() -> str:
    """sqlite:///$XDG_DATA_HOME/connectsec/history.db (XDG default: ~/.local/share)."""
    base = os.environ.get("XDG_DATA_HOME") or ""
    root = Path(base) if Path(base).is_absolute() else Path.home() / ".local" / "share"
    return f"sqlite:///{root / 'connectsec' / 'history.db'}"


def shown(url: str | URL) -> str:
    """The URL with its password hidden, for messages."""
    try:
        parsed = make_url(url) if isinstance(url, str) else url
    except ArgumentError:
        return str(url).split("@", 1)[-1] if isinstance(url, str) else "?"
    return parsed.render_as_string(hide_password=True)


def parse_url(url: str, *, create_dir: bool = False) -> URL:
    """A usable database URL (ValueError with one line otherwise); `postgresql://` means pg8000."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ValueError(f"--db {shown(url)}: not a database URL ({_HINT})") from None
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+pg8000")
    if parsed.drivername in _SQLITE_DRIVERS:
        return _sqlite(parsed, create_dir)
    module = _PG_DRIVERS.get(parsed.drivername)
    if module is None:
        raise ValueError(f"--db {shown(parsed)}: unsupported database (use {_HINT})")
    if importlib.util.find_spec(module) is None:
        raise ValueError(f"--db {shown(parsed)}: the {module} driver is not installed (pip install {module})")
    if not parsed.database:
        raise ValueError(f"--db {shown(parsed)}: no database name in the URL")
    return parsed


def _sqlite(parsed: URL, create_dir: bool) -> URL:
    database = parsed.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return parsed
    folder = Path(database).expanduser().parent
    if create_dir:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ValueError(f"--db {shown(parsed)}: cannot create {folder} ({exc.strerror})") from None
    if not folder.is_dir():
        raise ValueError(f"--db {shown(parsed)}: folder {folder} does not exist")
    return parsed.set(database=str(Path(database).expanduser()))


def make_engine(url: URL) -> Engine:
    """An engine whose connections give up after a deadline."""
    if url.get_backend_name() == "sqlite":
        memory = not url.database or url.database == ":memory:"
        args: dict[str, object] = {"timeout": _TIMEOUT_S}
        if memory:
            return create_engine(url, connect_args=args, poolclass=StaticPool)
        return create_engine(url, connect_args=args)
    if url.get_driver_name() == "pg8000":
        return create_engine(url, connect_args={"timeout": _TIMEOUT_S})
    return create_engine(url, connect_args={"connect_timeout": _TIMEOUT_S})


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (Alembic upgrade head)."""
    from alembic import command  # only when a store opens: it is slow to import
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "connectsec.store:migrations")
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
