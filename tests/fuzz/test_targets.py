"""The atheris targets in fuzz/ run under the plain driver; the driver reports a crash as libFuzzer does."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

FUZZ = Path(__file__).resolve().parents[2] / "fuzz"


def _module(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"connectsec_fuzz_{name}", FUZZ / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


RUN = _module("run")


@pytest.mark.parametrize("name", RUN.TARGETS)
def test_target_survives_its_seeds_and_mutations(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    target = _module(name)
    assert target.SEEDS
    assert (
        RUN.plain_driver(target.test_one_input, target.SEEDS, ["-runs=400", "-seed=1", "-max_len=512"]) == 0
    )
    assert "Done 400 runs" in capsys.readouterr().out


def test_crash_is_reported_with_its_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)

    def fragile(data: bytes) -> None:
        if b"{" in data:
            raise ValueError("boom")

    assert RUN.plain_driver(fragile, [b"a{b"], ["-runs=5"]) == 1
    crashes = list(tmp_path.glob("crash-*"))
    assert [c.read_bytes() for c in crashes] == [b"a{b"]
    assert RUN.plain_driver(fragile, [], [str(crashes[0])]) == 1


def test_unknown_target_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert RUN.main([sys.argv[0], "nonsense"]) == 2
    assert "usage:" in capsys.readouterr().err
