"""R8 secrets: history scan vs `git log -p --all`, working-tree scan vs detect-secrets.

Run: `python bench/secrets_scan.py [--commits 20000] [--files 400] [--keep DIR]`. Builds a repository with
`git fast-import` (code-like files, one file changed per commit, labelled secrets added in some commits and
removed later, a few branches), then times:
  1. `git log -p --all` printing the whole history to /dev/null, against connectsec's history scan
     (`scan_history`: its own `git log -p --all --text -U0` plus the matching); goal ≤ 2×;
  2. connectsec's working-tree scan against detect-secrets (in-process, its default plugins, every file)
     on the checked-out tree; goal ≥ 10× faster, finding at least the labelled secrets detect-secrets finds.
detect-secrets (Apache-2.0) is a development-only reference: connectsec never imports it.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from subprocess import DEVNULL

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.secrets.seeds import make_seeds, pem_body

from connectsec.secrets.history import HistoryResult, scan_history
from connectsec.secrets.matcher import Matcher
from connectsec.secrets.paths import DEFAULT_EXCLUDES, PathFilter
from connectsec.secrets.worktree import TreeResult, scan_tree

_WORDS = (
    "user",
    "tenant",
    "issue",
    "project",
    "page",
    "request",
    "response",
    "handler",
    "config",
    "client",
    "server",
    "token",
    "session",
    "cache",
    "value",
    "result",
    "error",
    "status",
    "context",
    "install",
    "lifecycle",
    "webhook",
    "module",
    "render",
    "payload",
    "secret",
    "password",
    "key",
)
_TREE_SECRETS = 80
_KINDS = ("github", "gitlab", "slack", "npm", "pypi", "aws_id", "jwt", "azure", "atlassian", "pem")


def _code_line(rng: random.Random) -> str:
    a, b, c = (rng.choice(_WORDS) for _ in range(3))
    return rng.choice(
        (
            f"const {a}{b.title()} = await {c}.get{a.title()}(req.params.{b});",
            f"if ({a} && {a}.{b} !== undefined) {{ return {c}({a}.{b}, {rng.randint(0, 9999)}); }}",
            f"// {a} {b} {c}: keep the {b} in the {c} until the {a} expires",
            f"  {a}_{b} = os.environ.get('{a.upper()}_{b.upper()}', '')",
            f"logger.info('{a} {b} handled', {{ {c}: {a}.id }});",
            f"export function {a}{b.title()}({c}) {{ return {c}.{a}; }}",
        )
    )


def _secret_line(kind: str, value: str) -> str:
    if kind == "pem":
        return value.rstrip("\n")
    if kind == "azure":
        return f'const conn = "DefaultEndpointsProtocol=https;AccountKey={value};EndpointSuffix=x";'
    return f"const {kind.upper()}_CREDENTIAL = '{value}';"


def _label(kind: str, value: str) -> str:
    return pem_body(value) if kind == "pem" else value


class _Corpus:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.seeds = 0

    def secret(self) -> tuple[str, str]:
        self.seeds += 1
        kind = self.rng.choice(_KINDS)
        return kind, make_seeds(self.seeds)[kind]


def build(path: Path, commits: int, files: int) -> tuple[set[str], dict[tuple[str, int], str]]:
    """The repository; returns the labelled values in history and the labelled (path, line) of HEAD."""
    corpus = _Corpus(7)
    rng = corpus.rng
    subprocess.run(["git", "init", "-q", "-b", "main", str(path)], check=True)
    names = [
        f"src/{rng.choice(_WORDS)}/{n:04d}_{rng.choice(_WORDS)}.{rng.choice(('js', 'py', 'ts'))}"
        for n in range(files)
    ]
    contents = {name: [_code_line(rng) for _ in range(rng.randint(80, 200))] for name in names}
    history: set[str] = set()
    planted: dict[str, list[tuple[int, str]]] = {}
    label_of: dict[str, str] = {}

    def stream() -> Iterator[bytes]:
        when = 1_500_000_000
        for mark in range(1, commits + 1):
            when += 600
            name = names[mark % files] if mark > files else names[mark - 1]
            lines = contents[name]
            for _ in range(rng.randint(1, 3)):
                lines[rng.randrange(len(lines))] = _code_line(rng)
            if rng.random() < 0.01:
                kind, value = corpus.secret()
                at = rng.randrange(len(lines))
                lines.insert(at, _secret_line(kind, value))
                history.add(_label(kind, value))
                label_of[_secret_line(kind, value)] = _label(kind, value)
                planted.setdefault(name, []).append((at, _secret_line(kind, value)))
            elif planted.get(name) and rng.random() < 0.3:
                _, line = planted[name].pop()
                if line in lines:
                    lines.remove(line)
            body = ("\n".join(lines) + "\n").encode()
            ref = "refs/heads/main" if mark % 5000 != 0 else f"refs/heads/side-{mark}"
            person = f"Dev <d@e.test> {when} +0000"
            head = f"commit {ref}\nmark :{mark}\nauthor {person}\ncommitter {person}\n"
            msg = f"change {mark}".encode()
            parent = f"from :{mark - 1}\n" if mark > 1 else ""
            yield (head.encode() + b"data %d\n" % len(msg) + msg + b"\n" + parent.encode())
            yield b"M 100644 inline " + name.encode() + b"\ndata %d\n" % len(body) + body + b"\n"
            if ref != "refs/heads/main":
                yield f"reset refs/heads/main\nfrom :{mark}\n\n".encode()
        # A last commit plants a labelled corpus of every kind in the working tree.
        touched = set()
        for number in range(_TREE_SECRETS):
            kind = _KINDS[number % len(_KINDS)]
            corpus.seeds += 1
            value = make_seeds(corpus.seeds)[kind]
            name = rng.choice(names)
            contents[name].insert(rng.randrange(len(contents[name])), _secret_line(kind, value))
            label_of[_secret_line(kind, value)] = _label(kind, value)
            history.add(_label(kind, value))
            touched.add(name)
        when += 600
        head = f"commit refs/heads/main\nmark :{commits + 1}\nauthor Dev <d@e.test> {when} +0000\n"
        head += f"committer Dev <d@e.test> {when} +0000\ndata 6\nplant\nfrom :{commits}\n"
        yield head.encode()
        for name in sorted(touched):
            body = ("\n".join(contents[name]) + "\n").encode()
            yield b"M 100644 inline " + name.encode() + b"\ndata %d\n" % len(body) + body + b"\n"

    importer = subprocess.Popen(["git", "-C", str(path), "fast-import", "--quiet"], stdin=subprocess.PIPE)
    assert importer.stdin is not None
    for chunk in stream():
        importer.stdin.write(chunk)
    importer.stdin.close()
    if importer.wait() != 0:
        raise SystemExit("git fast-import failed")
    subprocess.run(["git", "-C", str(path), "checkout", "-q", "-f", "main"], check=True)
    labelled: dict[tuple[str, int], str] = {}
    for name, lines in contents.items():
        number = 1
        for line in lines:
            if line in label_of:
                labelled[(name, number)] = label_of[line]
            number += line.count("\n") + 1
    return history, labelled


def _time(label: str, func: Callable[[], object], runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    print(f"  {label:<46} {best:8.2f} s (best of {runs})")
    return best


def detect_secrets_scan(root: Path, files: list[str]) -> dict[tuple[str, int], str]:
    from detect_secrets.core.secrets_collection import SecretsCollection
    from detect_secrets.settings import default_settings

    found: dict[tuple[str, int], str] = {}
    with default_settings():
        collection = SecretsCollection(root=str(root))
        for name in files:
            collection.scan_file(name)
        for filename, secret in collection:
            found[(filename, secret.line_number)] = secret.type
    return found


def bench_history(root: Path, history: set[str], runs: int) -> None:
    """git log -p --all against the history scan."""
    matcher, paths = Matcher(), PathFilter(DEFAULT_EXCLUDES)
    command = ["git", "-C", str(root), "log", "-p", "--all"]
    print("history")
    git_log = _time(
        "git log -p --all > /dev/null", lambda: subprocess.run(command, stdout=DEVNULL, check=True), runs
    )
    results: list[HistoryResult] = []
    ours = _time(
        "connectsec history scan", lambda: results.append(scan_history(str(root), matcher, paths)), runs
    )
    found = results[-1].first
    missed = [v for v in history if v.encode() not in found]
    print(
        f"  commits scanned {results[-1].commits}; "
        f"labelled secrets found {len(history) - len(missed)}/{len(history)}"
    )
    print(f"  ratio connectsec / git log -p: {ours / git_log:.2f}x (goal <= 2x)")


def bench_tree(root: Path, labelled: dict[tuple[str, int], str], runs: int) -> None:
    """The working-tree scan against detect-secrets, on the same files."""
    matcher, paths = Matcher(), PathFilter(DEFAULT_EXCLUDES)
    print("working tree")
    listed = subprocess.run(["git", "-C", str(root), "ls-files"], capture_output=True, text=True, check=True)
    trees: list[TreeResult] = []
    ours = _time(
        "connectsec working-tree scan",
        lambda: trees.append(scan_tree(str(root), matcher, paths, True, 5_000_000)),
        runs,
    )
    reports: list[dict[tuple[str, int], str]] = []
    cwd = os.getcwd()
    os.chdir(root)
    try:
        theirs = _time(
            "detect-secrets (default plugins, in-process)",
            lambda: reports.append(detect_secrets_scan(root, listed.stdout.split())),
            1,
        )
    finally:
        os.chdir(cwd)
    ours_at = {(h.path, h.line) for h in trees[-1].hits}
    theirs_at, wanted = set(reports[-1]), set(labelled)
    print(
        f"  labelled secrets in the tree: {len(wanted)}; connectsec found {len(wanted & ours_at)}, "
        f"detect-secrets found {len(wanted & theirs_at)}"
    )
    print(f"  labelled found by detect-secrets only: {sorted(wanted & theirs_at - ours_at)}")
    print(
        f"  unlabelled reports: connectsec {len(ours_at - wanted)}, detect-secrets {len(theirs_at - wanted)}"
    )
    print(f"  speed-up connectsec vs detect-secrets: {theirs / ours:.1f}x (goal >= 10x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--commits", type=int, default=20_000)
    parser.add_argument("--files", type=int, default=400)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="build the repository here and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = args.keep or Path(scratch) / "repo"
        started = time.perf_counter()
        history, labelled = build(root, args.commits, args.files)
        print(
            f"built {args.commits} commits, {args.files} files, {len(history)} labelled secrets in history, "
            f"{len(labelled)} in the working tree ({time.perf_counter() - started:.1f} s)"
        )
        bench_history(root, history, args.runs)
        bench_tree(root, labelled, args.runs)


if __name__ == "__main__":
    main()
