# ruff: noqa: E501  (seeded source lines stay on one line, as in real code)
"""The R7/R10/R6 source checks on real scans: findings, gaps, skips, the manual checklist, no secret leaks."""

from __future__ import annotations

import json
from dataclasses import asdict, replace
from pathlib import Path

from connectsec.checks.source.code import (
    SHARED_SECRET_CHECKLIST,
    SOURCE_CREDENTIALS_CHECK,
    SOURCE_SHARED_SECRET_CHECK,
    SOURCE_STORAGE_CHECK,
)
from connectsec.code import scan_code
from connectsec.engine.rollup import roll_up
from connectsec.model import CheckResult, Inventory, Observations, Outcome
from connectsec.model.source import CodeScan
from tests.code.tree import write_tree

CHECKS = (SOURCE_SHARED_SECRET_CHECK, SOURCE_CREDENTIALS_CHECK, SOURCE_STORAGE_CHECK)
SECRET = "kQ7vX2pLm9ZrT4wN8bYc3HdF6sJa1GeU5oRi0Ex"
INVENTORY = Inventory(
    descriptor_url="", app_key="", app_name=None, base_url="", authentication="", endpoints=(), hosts=()
)


def _observe(scan: CodeScan | None) -> Observations:
    return Observations(inventory=INVENTORY, code=scan)


def _manual(result: CheckResult) -> tuple[str, ...]:
    return tuple(getattr(result, "manual", ()))


def test_without_source_every_check_is_skipped() -> None:
    for check in CHECKS:
        result = check.judge(_observe(None))
        assert result.skipped == "no source tree given (--source PATH)"
        assert check.needs == frozenset({"source"})


def test_a_failed_scan_is_an_error_for_every_requirement() -> None:
    observations = _observe(CodeScan("/nowhere", error="not a directory: /nowhere"))
    for check in CHECKS:
        result = check.judge(observations)
        assert result.errors == ("code scan failed: not a directory: /nowhere",)
        assert roll_up(check.requirement, "t", [result]).outcome is Outcome.ERROR


def test_scan_of_a_missing_directory_says_so(tmp_path: Path) -> None:
    assert scan_code(str(tmp_path / "absent")).error == f"not a directory: {tmp_path / 'absent'}"


def test_findings_carry_location_evidence_and_fingerprint(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "app.js": "app.post('/installed', (req, res) => {\n  console.log(req.body);\n  res.sendStatus(204);\n});\n",
            "infra/s3.tf": 'resource "aws_s3_bucket_acl" "a" {\n  acl = "public-read"\n}\n',
        },
    )
    observations = _observe(scan_code(str(root)))
    r7 = SOURCE_SHARED_SECRET_CHECK.judge(observations)
    (finding,) = r7.findings
    assert (finding.requirement, finding.rule, finding.location) == (
        "R7",
        "code.install-payload-logged",
        "app.js:2",
    )
    assert finding.evidence[0].excerpt == "console.log(req.body);"
    assert finding.evidence[0].curl == "sed -n '2p' app.js"
    extra = dict(finding.extra)
    assert (extra["path"], extra["line"]) == ("app.js", "2")
    assert len(extra["fingerprint"]) == 20
    assert roll_up("R7", "t", [r7]).outcome is Outcome.FAIL
    r6 = SOURCE_STORAGE_CHECK.judge(observations)
    assert [f.location for f in r6.findings] == ["infra/s3.tf:2"]
    assert r6.coverage.tested == 1
    r10 = SOURCE_CREDENTIALS_CHECK.judge(observations)
    assert r10.findings == ()
    assert "1 file (1 JavaScript/TypeScript) read" in r10.tested
    assert roll_up("R10", "t", [r10]).outcome is Outcome.PASS


def test_fingerprint_survives_lines_moving(tmp_path: Path) -> None:
    body = "def f(tenant):\n    print(tenant.shared_secret)\n"
    write_tree(tmp_path / "a", {"m.py": body})
    write_tree(tmp_path / "b", {"m.py": "import os\n\n\n" + body})
    first, second = (
        SOURCE_SHARED_SECRET_CHECK.judge(_observe(scan_code(str(tmp_path / d)))).findings[0] for d in "ab"
    )
    assert (first.location, second.location) == ("m.py:2", "m.py:5")
    assert dict(first.extra)["fingerprint"] == dict(second.extra)["fingerprint"]


def test_clean_code_leaves_the_manual_checklist(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"app.py": "def installed(payload):\n    return None\n"})
    result = SOURCE_SHARED_SECRET_CHECK.judge(_observe(scan_code(str(root))))
    assert result.findings == ()
    assert result.errors == ()
    if hasattr(result, "manual"):
        assert _manual(result) == SHARED_SECRET_CHECKLIST
        assert roll_up("R7", "t", [result]).outcome is Outcome.MANUAL
    else:
        assert [n for n in result.notes if n.startswith("verify by hand: ")] == [
            f"verify by hand: {item}" for item in SHARED_SECRET_CHECKLIST
        ]


def test_nothing_judgeable_is_skipped_not_passed(tmp_path: Path) -> None:
    observations = _observe(
        scan_code(str(write_tree(tmp_path, {"README.md": "# app\n", "app.py": "x = 1\n"})))
    )
    r6 = SOURCE_STORAGE_CHECK.judge(observations)
    assert r6.skipped is not None
    assert "no Terraform" in r6.skipped
    assert roll_up("R6", "t", [r6]).outcome is Outcome.SKIPPED
    assert SOURCE_CREDENTIALS_CHECK.judge(observations).skipped is None


def test_unexamined_files_make_their_requirement_error(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "old.py": "print tenant.shared_secret\n",
            "template.yaml": "Resources:\n  B:\n    Type: AWS::S3::Bucket\n   x: [\n",
        },
    )
    observations = _observe(scan_code(str(root)))
    r7 = SOURCE_SHARED_SECRET_CHECK.judge(observations)
    r10 = SOURCE_CREDENTIALS_CHECK.judge(observations)
    r6 = SOURCE_STORAGE_CHECK.judge(observations)
    assert [e.split(":")[0] for e in r7.errors] == ["old.py"]
    assert r10.errors == r7.errors
    assert [e.split(":")[0] for e in r6.errors] == ["template.yaml"]
    for requirement, result in (("R7", r7), ("R10", r10), ("R6", r6)):
        assert roll_up(requirement, "t", [result]).outcome is Outcome.ERROR


def test_a_secret_in_the_code_never_reaches_any_output(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "app.py": f'SHARED_SECRET = "{SECRET}"\n\n\ndef boot(log):\n    log.info("secret %s {SECRET}", SHARED_SECRET)\n',
            "server.js": f"const sharedSecret = '{SECRET}';\nconsole.log('secret', sharedSecret, '{SECRET}');\nres.json({{ sharedSecret: '{SECRET[:16]}' }});\n",
            "client/app.jsx": f"localStorage.setItem('sharedSecret', '{SECRET}');\n",
        },
    )
    scan = scan_code(str(root))
    results = [check.judge(_observe(scan)) for check in CHECKS]
    assert sum(len(r.findings) for r in results) >= 4
    outputs = [repr(scan), *(repr(r) for r in results)]
    outputs += [json.dumps(asdict(replace(r, findings=())), default=str) for r in results]
    outputs += [json.dumps([asdict(f) for f in r.findings], default=str) for r in results]
    for text in outputs:
        assert SECRET not in text
        assert SECRET[:16] not in text
        assert SECRET[4:14] not in text


def test_basic_auth_details_explain_the_problem(tmp_path: Path) -> None:
    from connectsec.code import scan_code

    (tmp_path / "login.js").write_text(
        "const SITE = 'https://acme.atlassian.net';\n"
        "app.post('/connect', async (req, res) => {\n"
        "  const { email, apiToken } = req.body;\n"
        "  const auth = Buffer.from(`${email}:${apiToken}`).toString('base64');\n"
        "  await axios.get(`${SITE}/rest/api/3/myself`, { headers: { Authorization: `Basic ${auth}` } });\n"
        "});\n"
    )
    (tmp_path / "Login.kt").write_text(
        'val site = "https://acme.atlassian.net"\n'
        "fun connect(@RequestParam email: String, @RequestParam token: String) {\n"
        "    val headers = HttpHeaders().apply { setBasicAuth(email, token) }\n"
        "}\n"
    )
    facts = [f for f in scan_code(str(tmp_path)).facts if f.rule == "code.atlassian-basic-auth"]
    assert {f.path for f in facts} == {"login.js", "Login.kt"}
    assert all(f.detail.startswith("Basic authentication for the Atlassian site") for f in facts)
