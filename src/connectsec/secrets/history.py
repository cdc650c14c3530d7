"""The history scan: the added lines of every commit reachable from any ref, streamed from `git log -p`.

git computes the diffs; this side runs the keyword automaton over large blocks of its output and looks
closer only where a keyword occurs: the run of added lines around it (prefix stripped), its hunk header
(for the line number), its file header (path) and its commit header (id and author date).
"""

from __future__ import annotations

import queue
import re
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO

from connectsec.secrets.gitcmd import GitError, git_argv, git_env, run_git
from connectsec.secrets.matcher import Matcher
from connectsec.secrets.paths import PathFilter

_BLOCK = 1 << 20
_READ_AHEAD = 16
_COMMIT = b"\n\x01"
_HUNK = re.compile(rb"@@@* (?:-\d+(?:,\d+)? )+\+(\d+)(?:,\d+)? @@")
_C_ESCAPES = {b"n": b"\n", b"t": b"\t", b'"': b'"', b"\\": b"\\", b"a": b"\a", b"b": b"\b", b"f": b"\f"}
_C_ESCAPES |= {b"r": b"\r", b"v": b"\v"}


@dataclass(frozen=True)
class HistoryHit:
    """A secret in an added line of one commit."""

    rule: str
    kind: str
    value: bytes
    path: str
    line: int
    commit: str
    author_time: int
    author_date: str
    order: int
    """Position in git's output (higher is older within one author second)."""
    note: str = ""


@dataclass
class HistoryResult:
    """First addition of every secret value (by value), and what was scanned."""

    first: dict[bytes, HistoryHit] = field(default_factory=dict)
    commits: int = 0
    refs: int = 0
    shallow: bool = False


def scan_history(root: str, matcher: Matcher, paths: PathFilter) -> HistoryResult:
    """Scan every commit reachable from any ref under `root`; GitError when git cannot."""
    result = HistoryResult()
    result.refs = len(run_git(root, ["for-each-ref", "--format=x"]).splitlines())
    result.shallow = run_git(root, ["rev-parse", "--is-shallow-repository"]).strip() == b"true"
    if result.refs == 0:
        return result
    args = [
        "log",
        "--all",
        "-p",
        "--text",
        "-U0",
        "--relative",
        "--no-color",
        "--no-ext-diff",
        "--no-textconv",
        "--no-renames",
        "--submodule=short",
        "--src-prefix=a/",
        "--dst-prefix=b/",
        "--format=%x01%H %at %aI",
    ]
    parser = _Parser(matcher, paths, result)
    with (
        tempfile.TemporaryFile() as errors,
        subprocess.Popen(
            git_argv(root, args),
            stdout=subprocess.PIPE,
            stderr=errors,
            stdin=subprocess.DEVNULL,
            env=git_env(),
        ) as proc,
    ):
        assert proc.stdout is not None
        try:
            for piece in _pieces(proc.stdout):
                parser.piece(piece)
        except BaseException:
            proc.kill()
            raise
        finally:
            proc.stdout.close()
            status = proc.wait()
        errors.seek(0)
        error = errors.read(4096)
    if status != 0:
        first = error.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git log failed: {first[0][:300] if first else f'exit status {status}'}")
    return result


def _pieces(stream: IO[bytes]) -> Iterator[bytes]:
    """Blocks of git's output cut at commit boundaries, read ahead in a thread so git never waits on us."""
    blocks: queue.Queue[bytes | OSError] = queue.Queue(maxsize=_READ_AHEAD)
    stop = threading.Event()

    def hand_over(item: bytes | OSError) -> None:
        while not stop.is_set():
            try:
                blocks.put(item, timeout=0.2)
                return
            except queue.Full:
                continue

    def read() -> None:
        try:
            while block := stream.read1(_BLOCK):  # type: ignore[attr-defined]
                hand_over(block)
                if stop.is_set():
                    return
            hand_over(b"")
        except (OSError, ValueError) as exc:  # ValueError: the stream was closed under us
            hand_over(exc if isinstance(exc, OSError) else OSError(str(exc)))

    reader = threading.Thread(target=read, name="git-log-reader", daemon=True)
    reader.start()
    pending = bytearray()
    try:
        while True:
            block = blocks.get()
            if isinstance(block, OSError):
                raise GitError(f"reading git log failed: {block.strerror or type(block).__name__}")
            if not block:
                break
            pending += block
            if len(pending) < _BLOCK:
                continue
            cut = pending.rfind(_COMMIT)
            if cut > 0:
                yield bytes(pending[: cut + 1])
                del pending[: cut + 1]
    finally:
        stop.set()
    reader.join()
    if pending:
        yield bytes(pending)


class _Parser:
    def __init__(self, matcher: Matcher, paths: PathFilter, result: HistoryResult) -> None:
        self._matcher = matcher
        self._paths = paths
        self._result = result
        self._order = 0

    def piece(self, data: bytes) -> None:
        commits = data.count(_COMMIT) + (1 if data.startswith(b"\x01") else 0)
        self._order += 1
        self._result.commits += commits
        positions = self._matcher.keyword_positions(data)
        run_start = run_end = -1
        for _, pos in positions:
            if run_start <= pos < run_end:
                continue  # inside the run of added lines just scanned
            line_start = data.rfind(b"\n", 0, pos) + 1
            if data[line_start : line_start + 1] != b"+":
                continue
            run = _added_run(data, line_start)
            if run is None:
                continue
            run_start, run_end = run
            self._run(data, run_start, run_end)

    def _run(self, data: bytes, start: int, end: int) -> None:
        hunk = data.rfind(b"\n@@", 0, start) + 1
        section = data.rfind(b"\ndiff --", 0, start) + 1
        commit_at = data.rfind(_COMMIT, 0, start) + 1
        if hunk <= section or not section or commit_at > section:
            return
        path = _path(data, section, hunk)
        if path is None or self._paths.excluded(path):
            return
        hunk_end = data.find(b"\n", hunk)
        header = _HUNK.match(data, hunk, hunk_end)
        if header is None:
            return
        first_line = int(header.group(1)) + sum(
            1 for line in data[hunk_end + 1 : start].split(b"\n")[:-1] if line[:1] not in (b"-", b"\\")
        )
        text = b"\n".join(line[1:] for line in data[start:end].split(b"\n"))
        hits = self._matcher.find(text, path)
        if not hits:
            return
        commit_line = data[commit_at + 1 : data.find(b"\n", commit_at)].split(b" ")
        commit, when, iso = [*commit_line, b"", b"0", b""][:3]
        counted, line = 0, first_line
        for hit in hits:
            line += text.count(b"\n", counted, hit.offset)
            counted = hit.offset
            found = HistoryHit(
                hit.rule,
                hit.kind,
                hit.value,
                path,
                line,
                commit.decode("ascii", "replace"),
                int(when) if when.isdigit() else 0,
                iso.decode("ascii", "replace"),
                self._order,
                hit.note,
            )
            kept = self._result.first.get(hit.value)
            if kept is None or (found.author_time, -found.order) <= (kept.author_time, -kept.order):
                self._result.first[hit.value] = found


def _added_run(data: bytes, line_start: int) -> tuple[int, int] | None:
    """Start and end of the consecutive added lines around `line_start`; None for a `+++` header."""
    if data.startswith(b"+++ ", line_start):
        previous = data.rfind(b"\n", 0, line_start - 1) + 1
        if data.startswith(b"--- ", previous):
            return None
    start = line_start
    while start > 0:
        previous = data.rfind(b"\n", 0, start - 1) + 1
        if data[previous : previous + 1] != b"+":
            break
        start = previous
    end = data.find(b"\n", line_start)
    while end >= 0 and data[end + 1 : end + 2] == b"+":
        end = data.find(b"\n", end + 1)
    return start, len(data) if end < 0 else end


def _path(data: bytes, section: int, hunk: int) -> str | None:
    """The new path of the file section (from its `+++ b/…` line)."""
    plus = data.find(b"\n+++ ", section, hunk)
    if plus < 0:
        return None
    raw = data[plus + 5 : data.find(b"\n", plus + 1)]
    if raw.endswith(b"\t"):
        raw = raw[:-1]  # git ends names with spaces with a tab, for patch(1)
    if raw.startswith(b'"') and raw.endswith(b'"'):
        raw = _unquote(raw[1:-1])
    if not raw.startswith(b"b/"):
        return None
    return raw[2:].decode("utf-8", "surrogateescape")


def _unquote(raw: bytes) -> bytes:
    out = bytearray()
    i = 0
    while i < len(raw):
        char = raw[i : i + 1]
        if char == b"\\" and i + 1 < len(raw):
            nxt = raw[i + 1 : i + 2]
            if nxt.isdigit() and i + 3 < len(raw):
                out.append(int(raw[i + 1 : i + 4], 8))
                i += 4
                continue
            out += _C_ESCAPES.get(nxt, nxt)
            i += 2
            continue
        out += char
        i += 1
    return bytes(out)
