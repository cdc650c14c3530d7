"""R8 (source): secrets committed to the working tree or anywhere in the git history."""

from __future__ import annotations

import shlex

from connectsec.catalog.rules import make_finding
from connectsec.checks.headers._judging import plural
from connectsec.model import CheckResult, Coverage, Evidence, Finding, Observations
from connectsec.model.source import SecretMatch, SecretScan

_LISTED = 10
_FIXTURE_NOTE = (
    "Secret-shaped values under test paths (tests/, fixtures/, *.test.* …) are reported as "
    "`secret.test-fixture` warnings, not failures; values marked as examples (EXAMPLE, xxxx, changeme, "
    "<your-token>, ${VAR}) are not reported."
)


class SourceSecretsCheck:
    """R8 source part: every secret found fails (generic high-entropy values and fixtures warn)."""

    requirement = "R8"
    needs: frozenset[str] = frozenset({"source"})

    def judge(self, observations: Observations) -> CheckResult:
        """One finding per secret location; scan gaps are errors, never a silent pass."""
        scan = observations.secrets
        if scan is None:
            return CheckResult(self.requirement, skipped="no source tree given (--source PATH)")
        if scan.error is not None:
            return CheckResult(self.requirement, errors=(f"secret scan failed: {scan.error}",))
        findings = tuple(_finding(scan, match) for match in scan.matches)
        errors = _gaps(scan)
        notes = [_FIXTURE_NOTE]
        if scan.files_ignored:
            notes.append(
                f"{plural(scan.files_ignored, 'path')} ignored by .gitignore (not in the repository): "
                "not scanned."
            )
        if scan.files_excluded:
            notes.append(
                f"{plural(scan.files_excluded, 'path')} skipped as vendored, generated, lockfile or media "
                f"(exclude patterns: {', '.join(scan.excludes[:12])}"
                f"{' …' if len(scan.excludes) > 12 else ''})."
            )
        tested = f"{plural(scan.files_scanned, 'file')} in the working tree"
        if scan.history_scanned:
            tested += (
                f" and {plural(scan.commits_scanned, 'commit')} reachable from {plural(scan.refs, 'ref')}"
            )
        return CheckResult(
            self.requirement,
            findings=findings,
            coverage=Coverage(
                tested=scan.files_scanned + scan.commits_scanned,
                untested=len(scan.too_large) + len(scan.unreadable),
                not_applicable=scan.files_excluded,
            ),
            tested=f"{tested} scanned for committed secrets",
            errors=errors,
            notes=tuple(notes),
        )


def _gaps(scan: SecretScan) -> tuple[str, ...]:
    errors = []
    if scan.history_error is not None:
        errors.append(f"git history: {scan.history_error}")
    if scan.too_large:
        errors.append(
            f"{plural(len(scan.too_large), 'file')} over the size limit not scanned: "
            f"{_listed(scan.too_large)} (exclude them or raise the limit)"
        )
    if scan.unreadable:
        errors.append(f"{plural(len(scan.unreadable), 'file')} could not be read: {_listed(scan.unreadable)}")
    return tuple(errors)


def _listed(items: tuple[str, ...]) -> str:
    shown = ", ".join(items[:_LISTED])
    return shown + (f" and {len(items) - _LISTED} more" if len(items) > _LISTED else "")


def _finding(scan: SecretScan, match: SecretMatch) -> Finding:
    commit = match.commit[:12] if match.commit else None
    if match.in_worktree:
        location = f"{match.path}:{match.line}"
        if commit is None:
            where = "It is in no commit (yet): a working-tree change or an untracked file."
        elif match.history_path is not None:
            where = (
                f"First committed in {commit} ({match.author_date}) "
                f"at {match.history_path}:{match.history_line}."
            )
        else:
            where = f"First committed in {commit} ({match.author_date})."
    else:
        location = f"{match.path}:{match.line}@{commit}"
        where = (
            f"Added in commit {commit} ({match.author_date}) and no longer in the working tree, "
            "but still in the history of every clone."
        )
    what = match.kind + (f", {match.note}" if match.note else "")
    detail = f"{what}: {match.preview}. {where}"
    if match.fixture and match.rule == "secret.test-fixture":
        detail += " The file is a test fixture."
    extra = [("fingerprint", match.fingerprint), ("preview", match.preview), ("kind", match.kind)]
    if match.commit:
        extra += [("commit", match.commit), ("author_date", match.author_date or "")]
    return make_finding(match.rule, location, detail, (_evidence(scan, match),), tuple(extra))


def _evidence(scan: SecretScan, match: SecretMatch) -> Evidence:
    root = shlex.quote(scan.root)
    if match.in_worktree:
        path = shlex.quote(match.path)
        command = f"sed -n '{match.line}p' {root}/{path}"
        return Evidence(method="FILE", url=f"file:{match.path}#L{match.line}", status=None, curl=command)
    path = shlex.quote(match.history_path or match.path)
    line = match.history_line or match.line
    command = f"git -C {root} show {match.commit}:{path} | sed -n '{line}p'"
    return Evidence(
        method="GIT",
        url=f"git:{match.commit}:{match.history_path or match.path}#L{line}",
        status=None,
        curl=command,
    )


SOURCE_SECRETS_CHECK = SourceSecretsCheck()
