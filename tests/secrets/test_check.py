"""SOURCE_SECRETS_CHECK on real scans: verdicts, locations, gaps as errors, no secret in any output."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from connectsec.checks.source.secrets import SOURCE_SECRETS_CHECK
from connectsec.model import CheckResult, Inventory, Observations, Severity, Verdict
from connectsec.model.source import SecretScan
from connectsec.secrets import scan_secrets
from tests.secrets.gitrepo import GitRepo
from tests.secrets.seeds import build_repository, make_seeds, pem_body

SEEDS = make_seeds()
INVENTORY = Inventory(
    descriptor_url="https://app.example/atlassian-connect.json",
    app_key="app",
    app_name="App",
    base_url="https://app.example",
    authentication="jwt",
    endpoints=(),
    hosts=("app.example",),
)
_CRITICAL = {
    "secret.private-key",
    "secret.gcp-service-account-key",
    "secret.aws-access-key",
    "secret.aws-secret-key",
    "secret.azure-storage-key",
}
_WARN = {"secret.generic-high-entropy", "secret.test-fixture"}


def _judge(scan: SecretScan | None) -> CheckResult:
    return SOURCE_SECRETS_CHECK.judge(Observations(inventory=INVENTORY, secrets=scan))


@pytest.fixture(scope="module")
def judged(tmp_path_factory: pytest.TempPathFactory) -> tuple[SecretScan, CheckResult]:
    built = build_repository(GitRepo(tmp_path_factory.mktemp("check") / "app"), SEEDS.__getitem__)
    scan = scan_secrets(str(built.repo.path))
    return scan, _judge(scan)


def test_no_output_holds_any_seeded_secret(judged: tuple[SecretScan, CheckResult]) -> None:
    scan, result = judged
    text = repr(result) + json.dumps(dataclasses.asdict(result), default=str) + repr(scan)
    assert len(result.findings) == len(scan.matches) > 20
    for value in SEEDS.values():
        body = pem_body(value) if value.startswith("-----BEGIN") else value
        for piece in (value, body, body[4:16], body[-12:]):
            assert piece not in text


def test_verdicts_and_severities_follow_the_rules(judged: tuple[SecretScan, CheckResult]) -> None:
    _, result = judged
    assert result.errors == ()
    for finding in result.findings:
        assert finding.requirement == "R8"
        expected = Verdict.WARN if finding.rule in _WARN else Verdict.FAIL
        assert finding.verdict is expected, finding.rule
        if finding.rule in _CRITICAL:
            assert finding.severity is Severity.CRITICAL
    assert {f.rule for f in result.findings} >= _CRITICAL | _WARN | {
        "secret.connect-jwt",
        "secret.shared-secret",
    }


def test_locations_name_the_file_line_and_commit(judged: tuple[SecretScan, CheckResult]) -> None:
    scan, result = judged
    by_fingerprint = {dict(f.extra)["fingerprint"]: f for f in result.findings}
    for match in scan.matches:
        finding = by_fingerprint[match.fingerprint]
        assert dict(finding.extra)["preview"] == match.preview
        if match.in_worktree:
            assert finding.location == f"{match.path}:{match.line}"
            assert finding.evidence[0].method == "FILE"
        else:
            assert match.commit is not None
            assert finding.location == f"{match.path}:{match.line}@{match.commit[:12]}"
            assert finding.evidence[0].curl is not None
            assert match.commit in finding.evidence[0].curl
            assert "no longer in the working tree" in finding.detail
        assert dict(finding.extra).get("commit") == match.commit


def test_connect_jwt_is_named_as_such(judged: tuple[SecretScan, CheckResult]) -> None:
    _, result = judged
    (jwt,) = [f for f in result.findings if f.rule == "secret.connect-jwt"]
    assert "Atlassian Connect JWT" in jwt.detail


def test_skipped_without_a_source_tree() -> None:
    result = _judge(None)
    assert result.skipped == "no source tree given (--source PATH)"
    assert result.findings == ()


def test_a_failed_scan_is_an_error() -> None:
    result = _judge(SecretScan(root="/x", error="source path /x is not a directory"))
    assert result.errors
    assert "not a directory" in result.errors[0]
    assert result.skipped is None


def test_unscanned_history_and_files_are_errors_not_a_pass(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("nothing here\n")
    (tmp_path / "big.txt").write_text("x" * 5000)
    result = _judge(scan_secrets(str(tmp_path), max_file_bytes=1000))
    assert result.findings == ()
    assert any("not a git repository" in e for e in result.errors)
    assert any("big.txt" in e and "size limit" in e for e in result.errors)


def test_a_clean_repository_passes_with_coverage(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "r")
    repo.write("app.py", "import os\nSECRET = os.environ['SHARED_SECRET']\n")
    repo.commit("one")
    result = _judge(scan_secrets(str(repo.path)))
    assert result.findings == ()
    assert result.errors == ()
    assert result.skipped is None
    assert result.coverage.tested == 2  # one file, one commit
    assert "1 commit" in result.tested
