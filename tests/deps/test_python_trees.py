"""PyPI project trees (requirements, poetry.lock, Pipfile.lock, uv.lock) against the bundled PYSEC records."""

from __future__ import annotations

import json
from pathlib import Path

from connectsec.checks.source.dependencies import SOURCE_DEPENDENCIES_CHECK
from connectsec.deps.advisories import AdvisoryDatabase
from connectsec.deps.scan import scan_dependencies

from .conftest import by_location, loc, observations, write


def test_requirements_pins_unpinned_and_pip_compile_via(tmp_path: Path, bundled: AdvisoryDatabase) -> None:
    root = write(
        tmp_path,
        {
            "requirements.txt": """
            # app
            Django>=4
            aiohttp==3.8.0 \\
                --hash=sha256:abc
            urllib3==1.26.5
                # via requests
            git+https://example.invalid/x.git#egg=x
            Werkzeug[watchdog]==2.3.7 ; python_version >= "3.8"
            """,
            "requirements-dev.txt": "pytest==8.0.0\ncryptography==41.0.0\n",
        },
    )
    scan = scan_dependencies(str(root), bundled)
    found = by_location(scan)
    assert "PYSEC-2023-246" in found[loc(root, "requirements.txt", "aiohttp")]
    assert "PYSEC-2023-192" in found[loc(root, "requirements.txt", "urllib3")]
    assert "PYSEC-2023-221" in found[loc(root, "requirements.txt", "Werkzeug")]
    crypto = loc(root, "requirements-dev.txt", "cryptography")
    assert "PYSEC-2023-254" in found[crypto]
    packages = {p.name: p for p in scan.packages}
    assert packages["urllib3"].direct is False
    assert packages["aiohttp"].direct is True
    assert packages["cryptography"].development is True
    assert {u.name for u in scan.unchecked} >= {"Django"}

    result = SOURCE_DEPENDENCIES_CHECK.judge(observations(scan))
    rules = {f.location: f.rule for f in result.findings}
    assert rules[crypto] == "dependency.dev-vulnerable-high"
    assert rules[loc(root, "requirements.txt", "aiohttp")] == "dependency.vulnerable-high"
    assert any("Django >=4" in n for n in result.notes)


def test_requirements_clean_twin(tmp_path: Path, bundled: AdvisoryDatabase) -> None:
    root = write(tmp_path, {"requirements.txt": "aiohttp==3.10.10\nurllib3==2.2.3\nwerkzeug==3.0.6\n"})
    scan = scan_dependencies(str(root), bundled)
    assert len(scan.packages) == 3
    assert scan.matches == ()


def test_poetry_lock_with_groups(tmp_path: Path, bundled: AdvisoryDatabase) -> None:
    root = write(
        tmp_path,
        {
            "pyproject.toml": """
            [tool.poetry.dependencies]
            python = "^3.11"
            aiohttp = "3.8.0"

            [tool.poetry.group.dev.dependencies]
            werkzeug = "2.3.7"
            """,
            "poetry.lock": """
            [[package]]
            name = "aiohttp"
            version = "3.8.0"

            [package.dependencies]
            yarl = ">=1.0"

            [[package]]
            name = "werkzeug"
            version = "2.3.7"

            [[package]]
            name = "yarl"
            version = "1.9.4"
            """,
        },
    )
    scan = scan_dependencies(str(root), bundled)
    packages = {p.name: p for p in scan.packages}
    assert packages["werkzeug"].development is True
    assert packages["yarl"].direct is False
    assert packages["yarl"].development is False
    found = by_location(scan)
    assert "PYSEC-2023-246" in found[loc(root, "poetry.lock", 'name = "aiohttp"')]
    assert "PYSEC-2023-221" in found[loc(root, "poetry.lock", 'name = "werkzeug"')]


def test_pipfile_lock(tmp_path: Path, bundled: AdvisoryDatabase) -> None:
    lock = {
        "_meta": {"hash": {"sha256": "x"}},
        "default": {"urllib3": {"version": "==1.26.5"}, "local": {"path": "."}},
        "develop": {"werkzeug": {"version": "==2.3.7"}},
    }
    root = write(
        tmp_path,
        {"Pipfile": '[packages]\nrequests = "*"\n', "Pipfile.lock": json.dumps(lock, indent=4)},
    )
    scan = scan_dependencies(str(root), bundled)
    packages = {p.name: p for p in scan.packages}
    assert packages["urllib3"].direct is False
    assert packages["werkzeug"].development is True
    assert [u.name for u in scan.unchecked] == ["local"]
    assert loc(root, "Pipfile.lock", '"urllib3"') in by_location(scan)


def test_uv_lock(tmp_path: Path, bundled: AdvisoryDatabase) -> None:
    root = write(
        tmp_path,
        {
            "uv.lock": """
            version = 1
            requires-python = ">=3.11"

            [[package]]
            name = "app"
            version = "0.1.0"
            source = { editable = "." }
            dependencies = [{ name = "aiohttp" }]

            [package.dev-dependencies]
            dev = [{ name = "werkzeug" }]

            [[package]]
            name = "aiohttp"
            version = "3.8.0"
            source = { registry = "https://example.invalid/simple" }

            [[package]]
            name = "werkzeug"
            version = "2.3.7"
            source = { registry = "https://example.invalid/simple" }
            """
        },
    )
    scan = scan_dependencies(str(root), bundled)
    packages = {p.name: p for p in scan.packages}
    assert set(packages) == {"aiohttp", "werkzeug"}
    assert packages["werkzeug"].development is True
    assert packages["aiohttp"].direct is True
    assert loc(root, "uv.lock", 'name = "aiohttp"') in by_location(scan)
