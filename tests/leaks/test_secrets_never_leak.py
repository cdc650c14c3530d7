"""Issue 8 item 3: a tenant scan at maximum verbosity, with source mode on a repository full of secrets,
writes none of the secrets (in any encoding the scanner knows) nor any token it minted from them to stdout,
stderr, the five reports or the history database."""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from connectsec.connect_jwt import InstallKeyPair
from connectsec.demo import DemoTenant
from connectsec.demo.server import DemoServer
from tests.leaks.forms import forms, leaks
from tests.leaks.recorder import TokenRecorder

SECRET_A = "Xk9/+q=R&z%7~ShArEd-sEcReT!v2.7Lp#Qw\"'<b>"  # every character class an encoding changes
TENANT_A = DemoTenant("tenant-a-client-key", SECRET_A, frozenset({"admin-a"}))
TENANT_B = DemoTenant.random(admin_account_ids=("admin-b",))
REPO_SECRETS = {
    "api-token": "ATATT3xFfGF0Tz8kq2Lr5PzXw9vN3mB7cD1eF4gH6jK8lM0nO2pQ4rS6tU8vW0xY2zA4bC6dE8fG0hI2jK4"
    "lM6nO8pQ0"
    "=1A2B3C4D",
    "aws-secret": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzq9v2Lk8Hs",
    "github-token": "ghp_R8vK2mQ7xL4nP9sT3wY6zB1cD5fG8hJ0kM2q",
    "repo-shared-secret": secrets.token_urlsafe(32),
}
VIOLATIONS = [
    "auth-qsh-ignored", "auth-alg-none", "auth-cross-tenant", "auth-install-hijack", "auth-hsts-missing",
    "auth-cookie-insecure", "cookie-no-httponly", "cookie-no-secure",
]  # fmt: skip


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


def make_repo(root: Path) -> Path:
    """A git repository with secrets in the tree, in history only, and the tenant's own sharedSecret."""
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.email", "dev@vendor.example")
    git(root, "config", "user.name", "Dev")
    (root / ".env").write_text(f"ATLASSIAN_API_TOKEN={REPO_SECRETS['api-token']}\n")
    git(root, "add", ".env")
    git(root, "commit", "-qm", "config")
    git(root, "rm", "-q", ".env")
    git(root, "commit", "-qm", "remove the token")
    (root / "deploy.py").write_text(
        'AWS_ACCESS_KEY_ID = "AKIAZ7QW3RT5YU8IOP2L"\n'
        f'AWS_SECRET_ACCESS_KEY = "{REPO_SECRETS["aws-secret"]}"\n'
        f'GITHUB_TOKEN = "{REPO_SECRETS["github-token"]}"\n'
    )
    (root / "config.json").write_text(
        f'{{"clientKey": "{TENANT_B.client_key}", "sharedSecret": "{REPO_SECRETS["repo-shared-secret"]}"}}\n'
    )
    (root / "tenant.env").write_text(f"CONNECT_SHARED_SECRET={TENANT_B.shared_secret}\n")
    (root / "app.py").write_text(
        "import logging\n\n\ndef installed(payload):\n"
        '    logging.info("installed %s", payload["sharedSecret"])\n'
    )
    git(root, "add", ".")
    git(root, "commit", "-qm", "app")
    return root


def database_text(path: Path) -> str:
    """Every row of every table, as text (plus the raw file bytes, decoded loosely, by the caller)."""
    lines = []
    with sqlite3.connect(path) as db:
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            for row in db.execute(f'SELECT * FROM "{table}"'):
                lines.append(f"{table}: {row!r}")
                lines.extend(v.decode("latin-1") for v in row if isinstance(v, bytes))
    assert tables, "the history database has no tables"
    return "\n".join(lines)


@pytest.mark.slow
def test_no_secret_or_minted_token_in_any_output(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "app")
    (tmp_path / "a.secret").write_text(SECRET_A + "\n")
    (tmp_path / "connectsec.toml").write_text(
        "[[tenants]]\n"
        f'name = "a"\nclient_key = "{TENANT_A.client_key}"\nshared_secret_file = "a.secret"\n'
        'user_account_id = "user-a"\nadmin_account_id = "admin-a"\n'
        "[[tenants]]\n"
        f'name = "b"\nclient_key = "{TENANT_B.client_key}"\nshared_secret_env = "TENANT_B_SECRET"\n'
        'user_account_id = "user-b"\nadmin_account_id = "admin-b"\n'
    )
    out = tmp_path / "out"
    files = {"json": out / "r.json", "markdown": out / "r.md", "sarif": out / "r.sarif",
             "junit": out / "r.xml", "html": out / "r.html"}  # fmt: skip
    db = tmp_path / "history.db"
    env = {**os.environ, "TENANT_B_SECRET": TENANT_B.shared_secret}
    with DemoServer(
        violations=VIOLATIONS, tenants=[TENANT_A, TENANT_B], install_key=InstallKeyPair.generate()
    ) as server:
        recorder = TokenRecorder(server.app)
        args = [sys.executable, "-m", "connectsec", "scan", server.descriptor_url,
                "--ca-bundle", server.ca_pem,
                "--config", str(tmp_path / "connectsec.toml"), "--source", str(repo),
                "--allow-install-hijack-test", "--tenant-url", "https://tenant-a.atlassian.net",
                "--db", f"sqlite:///{db}", "-v"]  # fmt: skip
        for kind, path in files.items():
            args += [f"--{kind}", str(path)]
        proc = subprocess.run(
            args, capture_output=True, text=True, check=False, timeout=600, cwd=tmp_path, env=env
        )
    assert proc.returncode == 1, proc.stderr[-3000:]
    assert "DEBUG" in proc.stderr  # maximum verbosity really was on
    outputs = {"stdout": proc.stdout, "stderr": proc.stderr}
    outputs |= {kind: path.read_text(encoding="utf-8") for kind, path in files.items()}
    outputs["db-rows"] = database_text(db)
    for extra in sorted(tmp_path.glob("history.db*")):  # the file itself and any journal/WAL left over
        outputs[f"db-bytes:{extra.name}"] = extra.read_bytes().decode("latin-1")

    # the scan did use what it was given: it minted tokens and found the repository's secrets
    assert len(recorder.signatures()) >= 20, len(recorder.tokens)
    results = {r["id"]: r for r in json.loads(outputs["json"])["requirements"]}
    assert {"jwt.alg-none", "qsh.query-changed"} & {
        f["rule"] for f in results["R9"]["findings"] + results["R13"]["findings"]
    }
    r8 = {f["location"].split(":")[0] for f in results["R8"]["findings"]}
    assert {".env", "deploy.py", "config.json", "tenant.env"} <= r8, r8

    given = {"tenant-a": SECRET_A, "tenant-b": TENANT_B.shared_secret, **REPO_SECRETS}
    assert leaks(given, outputs) == []
    signatures = recorder.signatures()
    for where, text in outputs.items():
        seen = sorted(s for s in signatures if s in text)
        assert not seen, (where, seen[:3])
        whole = sorted(t for t in recorder.tokens if t in text)
        assert not whole, (where, whole[:1])


def test_forms_cover_every_encoding() -> None:
    found = forms("a/b+c=d&e")
    assert found["url"] == "a%2Fb%2Bc%3Dd%26e"
    assert found["hex"] == "612f622b633d642665"
    assert {k for k in found if k.startswith("base64")} == {
        f"base64{u}@{s}" for u in ("", "url") for s in range(3)
    }
    import base64

    embedded = base64.b64encode(b"xy" + b"a/b+c=d&e" + b"z").decode()
    assert any(v in embedded for k, v in found.items() if k.startswith("base64@"))
