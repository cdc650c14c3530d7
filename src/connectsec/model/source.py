"""What source-mode scanners found in the app's repository (R6, R7, R8, R10, R14 in code)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SecretMatch:
    """One secret found in the working tree or the history; never holds the secret itself."""

    rule: str
    """Catalogue rule id (`secret.aws-access-key` …)."""
    kind: str
    """What was recognised, in words ("AWS access key id")."""
    path: str
    """Path relative to the scanned root, `/`-separated."""
    line: int
    """1-based line in the working-tree file, or in the file as the commit added it."""
    preview: str
    """First 4 characters, `…`, and the length."""
    fingerprint: str
    """SHA-256 of the secret value (hex): stable across files, lines and commits."""
    in_worktree: bool = False
    commit: str | None = None
    """The first commit found adding the value (history scans only)."""
    author_date: str | None = None
    """That commit's author date (ISO 8601)."""
    history_path: str | None = None
    """Path in that commit when it differs from `path` (or the only path of a history-only secret)."""
    history_line: int | None = None
    fixture: bool = False
    """Found in a test fixture path (tests/, fixtures/, *.test.js …)."""
    note: str = ""
    """Context without the value, e.g. "assigned to `client_secret`"."""


@dataclass(frozen=True)
class SecretScan:
    """Secrets in the working tree and the whole git history (R8)."""

    root: str
    error: str | None = None
    matches: tuple[SecretMatch, ...] = ()
    files_scanned: int = 0
    files_excluded: int = 0
    """Working-tree files skipped by the exclude patterns."""
    files_ignored: int = 0
    """Untracked files git ignores (.gitignore): not in the repository, not scanned."""
    too_large: tuple[str, ...] = ()
    """Working-tree files over the size limit (not scanned)."""
    unreadable: tuple[str, ...] = ()
    """Working-tree files that could not be read, with the reason."""
    history_scanned: bool = False
    history_error: str | None = None
    """Why the history could not be scanned (not a git repository, git failed, shallow clone …)."""
    commits_scanned: int = 0
    refs: int = 0
    excludes: tuple[str, ...] = ()


@dataclass(frozen=True)
class DependencyScan:
    """Resolved dependencies from lockfiles and manifests, matched against advisories (R14)."""

    root: str
    error: str | None = None


@dataclass(frozen=True)
class CodeScan:
    """Code and framework facts: sharedSecret handling (R7), credential collection (R10), public storage
    in infrastructure-as-code (R6)."""

    root: str
    error: str | None = None
