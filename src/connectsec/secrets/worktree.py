"""The working-tree scan: every file git tracks or would track (or every file, outside git)."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field

from connectsec.secrets.gitcmd import run_git
from connectsec.secrets.matcher import Hit, Matcher
from connectsec.secrets.paths import PathFilter


@dataclass(frozen=True)
class TreeHit:
    """A secret in a working-tree file."""

    hit: Hit
    path: str
    line: int


@dataclass
class TreeResult:
    """Hits and what was (not) scanned."""

    hits: list[TreeHit] = field(default_factory=list)
    files: int = 0
    excluded: int = 0
    ignored: int = 0
    too_large: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)


def candidate_files(root: str, paths: PathFilter, in_git: bool, result: TreeResult) -> list[str]:
    """Relative paths to scan: git's tracked and untracked-not-ignored files, or a walk outside git."""
    if in_git:
        listed = run_git(root, ["ls-files", "-z", "--cached", "--others", "--exclude-standard"])
        ignored = run_git(
            root, ["ls-files", "-z", "--others", "--ignored", "--exclude-standard", "--directory"]
        )
        result.ignored = sum(1 for p in ignored.split(b"\0") if p)
        names = dict.fromkeys(p.decode("utf-8", "surrogateescape") for p in listed.split(b"\0") if p)
    else:
        names = {}
        for folder, dirs, files in os.walk(root):
            rel = os.path.relpath(folder, root).replace(os.sep, "/")
            prefix = "" if rel == "." else rel + "/"
            kept = [d for d in dirs if not paths.excluded(prefix + d)]
            result.excluded += len(dirs) - len(kept)
            dirs[:] = kept
            names.update(dict.fromkeys(prefix + f for f in files))
    wanted = []
    for name in names:
        if paths.excluded(name):
            result.excluded += 1
        else:
            wanted.append(name)
    return wanted


def scan_tree(
    root: str, matcher: Matcher, paths: PathFilter, in_git: bool, max_file_bytes: int
) -> TreeResult:
    """Scan every candidate file that is a regular file (symlinks are not followed)."""
    result = TreeResult()
    for name in candidate_files(root, paths, in_git, result):
        full = os.path.join(root, name)
        try:
            info = os.lstat(full)
            if not stat.S_ISREG(info.st_mode):
                continue
            if info.st_size > max_file_bytes:
                result.too_large.append(name)
                continue
            with open(full, "rb") as handle:
                data = handle.read(max_file_bytes + 1)
        except FileNotFoundError:
            continue  # tracked but deleted in the working tree
        except OSError as exc:
            result.unreadable.append(f"{name}: {exc.strerror or type(exc).__name__}")
            continue
        result.files += 1
        counted, line = 0, 1
        for hit in matcher.find(data, name):
            line += data.count(b"\n", counted, hit.offset)
            counted = hit.offset
            result.hits.append(TreeHit(hit, name, line))
    return result
