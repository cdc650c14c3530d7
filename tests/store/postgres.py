"""A throwaway PostgreSQL server on 127.0.0.1 for the history tests (Debian's binaries, trust auth)."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

_DEADLINE_S = 120


class PostgresUnavailable(Exception):
    """PostgreSQL cannot be started here (the reason says why)."""


@dataclass
class PostgresServer:
    """A running server; `url` reaches its `postgres` database as the `postgres` superuser."""

    bin_dir: Path
    root: Path
    port: int
    prefix: tuple[str, ...]

    @property
    def url(self) -> str:
        return f"postgresql+pg8000://postgres@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        """Stop the server (immediate shutdown) and remove its files."""
        try:
            _run(
                [
                    *self.prefix,
                    str(self.bin_dir / "pg_ctl"),
                    "-D",
                    str(self.root / "data"),
                    "-m",
                    "immediate",
                    "-w",
                    "stop",
                ]
            )
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


def find_bin_dir() -> Path:
    """The newest installed PostgreSQL's bin folder."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name or 0))
    for folder in reversed(candidates):
        if (Path(folder) / "initdb").is_file() and (Path(folder) / "pg_ctl").is_file():
            return Path(folder)
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return Path(os.path.realpath(initdb)).parent
    raise PostgresUnavailable("PostgreSQL is not installed (no initdb/pg_ctl; apt-get install postgresql)")


def start_postgres() -> PostgresServer:
    """initdb + pg_ctl start in a new temporary folder, as the postgres user when we are root."""
    bin_dir = find_bin_dir()
    prefix: tuple[str, ...] = ()
    owner: pwd.struct_passwd | None = None
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            raise PostgresUnavailable(
                "running as root and there is no `postgres` user to run the server"
            ) from None
        if shutil.which("runuser") is None:
            raise PostgresUnavailable("running as root and runuser is missing (util-linux)")
        prefix = ("runuser", "-u", "postgres", "--")
    root = Path(tempfile.mkdtemp(prefix="connectsec-pg-"))
    try:
        if owner is not None:
            os.chown(root, owner.pw_uid, owner.pw_gid)
        _run(
            [*prefix, str(bin_dir / "initdb"), "-D", str(root / "data"), "-U", "postgres", "-A", "trust",
             "-E", "UTF8", "--locale=C", "--no-sync"]
        )  # fmt: skip
        last = ""
        for _ in range(5):
            port = _free_port()
            options = f"-h 127.0.0.1 -p {port} -k {root} -F"
            command = [*prefix, str(bin_dir / "pg_ctl"), "-D", str(root / "data"), "-l", str(root / "log"),
                       "-w", "-t", "60", "-o", options, "start"]  # fmt: skip
            try:
                _run(command)
            except PostgresUnavailable as exc:
                last = str(exc)
                continue
            return PostgresServer(bin_dir, root, port, prefix)
        raise PostgresUnavailable(f"pg_ctl start failed: {last}")
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run(command: list[str]) -> None:
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=_DEADLINE_S, check=False, cwd="/"
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise PostgresUnavailable(f"{Path(command[-1]).name}: {exc}") from None
    if done.returncode != 0:
        output = " ".join((done.stderr or done.stdout).split())[-400:]
        raise PostgresUnavailable(f"{' '.join(command[-2:])} exited {done.returncode}: {output}")
