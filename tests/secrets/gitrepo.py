"""Real git repositories for the secret-scan tests, built with the git command line."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


class GitRepo:
    """A git work tree in a temporary directory; commits get fixed, increasing author dates."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._clock = 1_600_000_000
        path.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str) -> str:
        env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
        when = f"@{self._clock} +0000"
        env |= {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when, "GIT_CONFIG_GLOBAL": os.devnull}
        done = subprocess.run(
            [
                "git",
                "-c",
                "user.name=Dev",
                "-c",
                "user.email=dev@example.test",
                "-c",
                "commit.gpgsign=false",
                *args,
            ],
            cwd=self.path,
            env=env,
            capture_output=True,
            check=True,
        )
        return done.stdout.decode()

    def write(self, name: str, content: str | bytes) -> None:
        target = self.path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content.encode() if isinstance(content, str) else content)

    def commit(self, message: str, *names: str) -> str:
        """Stage `names` (all changes when none) and commit; returns the commit id."""
        self._clock += 86_400
        self.git("add", "-A", *(["--", *names] if names else []))
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.git("rev-parse", "HEAD").strip()

    def remove(self, name: str) -> None:
        self.git("rm", "-q", "--", name)
