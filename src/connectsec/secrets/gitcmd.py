"""Running git safely on an untrusted repository: no pager, no hooks, no external diff or filters."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence

GIT_TIMEOUT = 600.0
"""Seconds for a short git query (rev-parse, ls-files)."""

_SAFE_CONFIG = (
    "-c",
    "core.quotePath=false",
    "-c",
    "safe.directory=*",
    "-c",
    "core.fsmonitor=false",
    "-c",
    "core.hooksPath=/dev/null",
    "-c",
    "diff.noprefix=false",
    "-c",
    "diff.mnemonicPrefix=false",
    "-c",
    "log.showSignature=false",
    "-c",
    "color.ui=false",
)


class GitError(Exception):
    """git is missing or failed; the message is one line and holds no file content."""


def git_argv(root: str, args: Sequence[str]) -> list[str]:
    """The full command line for `git args` in `root`."""
    return ["git", "--no-pager", "-C", root, *_SAFE_CONFIG, *args]


def git_env() -> dict[str, str]:
    """The environment for git: no prompts, no user or system config that could run programs."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        {
            "GIT_TERMINAL_PROMPT": "0",
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_OPTIONAL_LOCKS": "0",
            "LC_ALL": "C",
        }
    )
    return env


def run_git(root: str, args: Sequence[str], timeout: float = GIT_TIMEOUT) -> bytes:
    """stdout of a short git command; GitError with git's first error line on failure."""
    try:
        done = subprocess.run(
            git_argv(root, args),
            capture_output=True,
            timeout=timeout,
            env=git_env(),
            stdin=subprocess.DEVNULL,
            check=False,
        )
    except FileNotFoundError as exc:
        raise GitError("git is not installed (needed to scan the history)") from exc
    except subprocess.TimeoutExpired as exc:
        raise GitError(f"git {args[0]} did not finish within {timeout:.0f} s") from exc
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        first = message[0] if message else f"exit status {done.returncode}"
        raise GitError(f"git {args[0]} failed: {first[:300]}")
    return done.stdout
