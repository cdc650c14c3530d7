"""R8 entry point: secrets in the working tree and in every commit reachable from any ref."""

from __future__ import annotations

import os
from collections.abc import Sequence

from connectsec.model.source import SecretMatch, SecretScan
from connectsec.secrets.gitcmd import GitError, run_git
from connectsec.secrets.history import HistoryHit, HistoryResult, scan_history
from connectsec.secrets.matcher import Matcher, fingerprint, preview
from connectsec.secrets.paths import DEFAULT_EXCLUDES, PathFilter, is_fixture
from connectsec.secrets.worktree import TreeResult, scan_tree

_WARN_RULES = frozenset({"secret.generic-high-entropy"})
_FIXTURE_RULE = "secret.test-fixture"


def scan_secrets(
    root: str,
    *,
    history: bool = True,
    exclude: Sequence[str] = DEFAULT_EXCLUDES,
    max_file_bytes: int = 5_000_000,
) -> SecretScan:
    """Scan `root` (a directory, normally a git work tree) and, with `history`, its whole git history."""
    if not os.path.isdir(root):
        return SecretScan(root=root, error=f"source path {root} is not a directory")
    paths = PathFilter(exclude)
    matcher = Matcher()
    in_git = _in_git(root)
    try:
        tree = scan_tree(root, matcher, paths, in_git, max_file_bytes)
    except GitError as exc:
        return SecretScan(root=root, error=str(exc), excludes=paths.patterns)
    past: HistoryResult | None = None
    history_error: str | None = None
    if history and not in_git:
        history_error = "not a git repository: the history could not be scanned (only the files were)"
    elif history:
        try:
            past = scan_history(root, matcher, paths)
        except GitError as exc:
            history_error = str(exc)
        if past is not None and past.shallow:
            history_error = (
                "shallow clone: commits before the clone's depth were not scanned (git fetch --unshallow)"
            )
    return SecretScan(
        root=root,
        matches=_merge(tree, past),
        files_scanned=tree.files,
        files_excluded=tree.excluded,
        files_ignored=tree.ignored,
        too_large=tuple(tree.too_large),
        unreadable=tuple(tree.unreadable),
        history_scanned=past is not None,
        history_error=history_error,
        commits_scanned=past.commits if past else 0,
        refs=past.refs if past else 0,
        excludes=paths.patterns,
    )


def _in_git(root: str) -> bool:
    try:
        return run_git(root, ["rev-parse", "--is-inside-work-tree"], timeout=60).strip() == b"true"
    except GitError:
        return False


def _rule(rule: str, path: str) -> str:
    return _FIXTURE_RULE if rule not in _WARN_RULES and is_fixture(path) else rule


def _merge(tree: TreeResult, past: HistoryResult | None) -> tuple[SecretMatch, ...]:
    """Working-tree hits with their first commit, then secrets that only the history holds."""
    first: dict[bytes, HistoryHit] = past.first if past else {}
    matches = []
    for found in tree.hits:
        origin = first.get(found.hit.value)
        moved = origin is not None and (origin.path, origin.line) != (found.path, found.line)
        matches.append(
            SecretMatch(
                rule=_rule(found.hit.rule, found.path),
                kind=found.hit.kind,
                path=found.path,
                line=found.line,
                preview=preview(found.hit.value),
                fingerprint=fingerprint(found.hit.value),
                in_worktree=True,
                commit=origin.commit if origin else None,
                author_date=origin.author_date if origin else None,
                history_path=origin.path if origin and moved else None,
                history_line=origin.line if origin and moved else None,
                fixture=is_fixture(found.path),
                note=found.hit.note,
            )
        )
    in_tree = {found.hit.value for found in tree.hits}
    for value, origin in first.items():
        if value in in_tree:
            continue
        matches.append(
            SecretMatch(
                rule=_rule(origin.rule, origin.path),
                kind=origin.kind,
                path=origin.path,
                line=origin.line,
                preview=preview(value),
                fingerprint=fingerprint(value),
                commit=origin.commit,
                author_date=origin.author_date,
                history_path=origin.path,
                history_line=origin.line,
                fixture=is_fixture(origin.path),
                note=origin.note,
            )
        )
    matches.sort(key=lambda m: (not m.in_worktree, m.path, m.line, m.rule))
    return tuple(matches)


__all__ = ["DEFAULT_EXCLUDES", "scan_secrets"]
