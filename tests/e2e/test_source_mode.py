"""Source mode through the command line: a real git repository with secrets (one only in history), a
vulnerable pin and a logged sharedSecret; every output is searched for the secrets it holds."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from connectsec.demo.server import DemoServer

API_TOKEN = (
    "ATATT3xFfGF0Tz8kq2Lr5PzXw9vN3mB7cD1eF4gH6jK8lM0nO2pQ4rS6tU8vW0xY2zA4bC6dE8fG0hI2jK4lM6nO8pQ0=1A2B3C4D"
)
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzq9v2Lk8Hs"
GITHUB_TOKEN = "ghp_R8vK2mQ7xL4nP9sT3wY6zB1cD5fG8hJ0kM2q"


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "app"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.email", "dev@vendor.example")
    git(root, "config", "user.name", "Dev")
    (root / ".env").write_text(f"ATLASSIAN_API_TOKEN={API_TOKEN}\n")
    git(root, "add", ".env")
    git(root, "commit", "-qm", "config")
    git(root, "rm", "-q", ".env")
    git(root, "commit", "-qm", "remove the token")  # gone from the tree, still in history
    (root / "deploy.py").write_text(
        f'AWS_ACCESS_KEY_ID = "AKIAZ7QW3RT5YU8IOP2L"\nAWS_SECRET_ACCESS_KEY = "{AWS_SECRET}"\n'
    )
    (root / "requirements.txt").write_text("django==2.2.0\n")
    (root / "app.py").write_text(
        "import logging\n\n\ndef installed(payload):\n"
        '    logging.info("installed %s", payload["sharedSecret"])\n'
    )
    git(root, "add", ".")
    git(root, "commit", "-qm", "app")
    git(root, "checkout", "-qb", "feature")
    (root / "ci.sh").write_text(f"export GITHUB_TOKEN={GITHUB_TOKEN}\n")
    git(root, "add", "ci.sh")
    git(root, "commit", "-qm", "ci")
    git(root, "checkout", "-q", "main")  # the GitHub token lives only on another branch
    return root


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "connectsec", "scan", *args, "-v"],
        capture_output=True, text=True, check=False, timeout=300, cwd=cwd,
    )  # fmt: skip


def outputs(proc: subprocess.CompletedProcess[str], *files: Path) -> str:
    return proc.stdout + proc.stderr + "".join(f.read_text() for f in files)


def test_source_only_scan_finds_history_branches_dependencies_and_code(repo: Path, tmp_path: Path) -> None:
    json_path, md_path = tmp_path / "r.json", tmp_path / "r.md"
    proc = run("--source", str(repo), "--json", str(json_path), "--markdown", str(md_path), cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr[-2000:]
    everything = outputs(proc, json_path, md_path)
    for secret in (API_TOKEN, AWS_SECRET, GITHUB_TOKEN):
        assert secret not in everything
        assert secret[8:32] not in everything  # not even a long piece of it
    report = json.loads(json_path.read_text())
    results = {r["id"]: r for r in report["requirements"]}
    r8 = {(f["rule"].split(".")[0], f["location"].split("@")[0]) for f in results["R8"]["findings"]}
    assert {("secret", ".env:1"), ("secret", "deploy.py:2"), ("secret", "ci.sh:1")} <= r8
    assert any(f["location"].startswith(".env:1@") for f in results["R8"]["findings"])  # with its commit
    assert [f["location"] for f in results["R7"]["findings"]] == ["app.py:5"]
    assert results["R7"]["manual"]  # what code cannot show
    assert any(f["location"] == "requirements.txt:1" for f in results["R14"]["findings"])
    assert results["R5"]["outcome"] == "skipped"
    assert "give the descriptor" in results["R5"]["summary"]


def test_source_and_remote_in_one_scan(repo: Path, tmp_path: Path) -> None:
    with DemoServer() as server:
        proc = run(
            server.descriptor_url, "--ca-bundle", str(server.ca_pem), "--source", str(repo),
            "--only", "R8,R14,R1.2", "--json", str(tmp_path / "r.json"), cwd=tmp_path,
        )  # fmt: skip
    assert proc.returncode == 1, proc.stderr[-2000:]
    results = {r["id"]: r for r in json.loads((tmp_path / "r.json").read_text())["requirements"]}
    assert results["R1.2"]["outcome"] == "pass"
    assert results["R8"]["outcome"] == "fail"
    assert {f["rule"].split(".")[0] for f in results["R14"]["findings"]} >= {"dependency"}
    assert API_TOKEN not in outputs(proc, tmp_path / "r.json")


def test_accepted_secret_is_suppressed_by_fingerprint(repo: Path, tmp_path: Path) -> None:
    first = tmp_path / "first.json"
    run("--source", str(repo), "--only", "R8", "--json", str(first), cwd=tmp_path)
    findings = json.loads(first.read_text())["requirements"][8]["findings"]
    github = next(f for f in findings if f["location"].startswith("ci.sh"))
    fingerprint = dict(github.get("extra", {})).get("fingerprint") or github["id"]
    (tmp_path / "connectsec.toml").write_text(
        f'[[suppress]]\nfingerprint = "{fingerprint}"\nreason = "CI token, revoked"\n'
    )
    second = tmp_path / "second.json"
    run("--source", str(repo), "--only", "R8", "--json", str(second), cwd=tmp_path)
    r8 = next(r for r in json.loads(second.read_text())["requirements"] if r["id"] == "R8")
    assert not any(f["location"].startswith("ci.sh") for f in r8["findings"])
    assert len(r8["suppressed"]) == 1
    assert r8["suppressed"][0].endswith("CI token, revoked")
