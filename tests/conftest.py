"""Test-wide setup: scans started by the tests keep their history and caches out of the user's home."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(scope="session", autouse=True)
def private_user_dirs() -> Iterator[Path]:
    """XDG data and cache directories of this test session (inherited by `connectsec` subprocesses)."""
    saved = {key: os.environ.get(key) for key in ("XDG_DATA_HOME", "XDG_CACHE_HOME")}
    with tempfile.TemporaryDirectory(prefix="connectsec-tests-") as root:
        os.environ["XDG_DATA_HOME"] = str(Path(root) / "data")
        os.environ["XDG_CACHE_HOME"] = str(Path(root) / "cache")
        try:
            yield Path(root)
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
