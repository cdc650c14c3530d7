"""Run a fuzz target: `python fuzz/run.py descriptor -runs=100000` (or `headers`).

With atheris installed the target runs under libFuzzer with connectsec instrumented, and every
libFuzzer flag works (`-runs=`, `-max_total_time=`, `-seed=`, corpus folders). Without it a plain
driver feeds the target mutated seeds and random bytes, honouring `-runs=`, `-seed=` and
`-max_len=`, and replays any files or folders given. A crash prints the input and writes
`crash-<sha1>` in the current folder, as libFuzzer does.
"""

from __future__ import annotations

import hashlib
import importlib
import random
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import ModuleType

TARGETS = ("descriptor", "headers")
Target = Callable[[bytes], None]


def _load(name: str) -> ModuleType:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    return importlib.import_module(name)


def _flags(args: Sequence[str]) -> tuple[dict[str, int], list[Path]]:
    flags: dict[str, int] = {}
    paths: list[Path] = []
    for arg in args:
        if arg.startswith("-") and "=" in arg:
            key, _, value = arg.lstrip("-").partition("=")
            if value.lstrip("-").isdigit():
                flags[key] = int(value)
        elif not arg.startswith("-"):
            paths.append(Path(arg))
    return flags, paths


def _mutate(rnd: random.Random, data: bytes, seeds: Sequence[bytes], max_len: int) -> bytes:
    buf = bytearray(data)
    for _ in range(rnd.randint(1, 8)):
        choice = rnd.randrange(6)
        at = rnd.randint(0, len(buf))
        if choice == 0 and buf:
            buf[min(at, len(buf) - 1)] = rnd.randrange(256)
        elif choice == 1:
            buf[at:at] = bytes(rnd.randrange(256) for _ in range(rnd.randint(1, 8)))
        elif choice == 2:
            del buf[at : at + rnd.randint(1, 16)]
        elif choice == 3:
            other = rnd.choice(seeds)
            start = rnd.randint(0, len(other))
            buf[at:at] = other[start : start + rnd.randint(1, 64)]
        elif choice == 4:
            buf[at:at] = rnd.choice(
                [b'"', b"{", b"}", b"[", b"]", b",", b":", b";", b"=", b"\\", b"\x00", b"\xff"]
            )
        else:
            buf[at:at] = buf[at : at + rnd.randint(1, 32)] * rnd.randint(2, 50)
    return bytes(buf[:max_len])


def _inputs(rnd: random.Random, seeds: Sequence[bytes], runs: int, max_len: int) -> Iterator[bytes]:
    corpus = list(seeds) or [b""]
    yield from corpus
    for _ in range(max(runs - len(corpus), 0)):
        if rnd.random() < 0.1:
            yield bytes(rnd.randrange(256) for _ in range(rnd.randint(0, max_len)))
        else:
            yield _mutate(rnd, rnd.choice(corpus), corpus, max_len)


def _crash(data: bytes) -> int:
    traceback.print_exc()
    path = Path(f"crash-{hashlib.sha1(data, usedforsecurity=False).hexdigest()}")
    path.write_bytes(data)
    print(f"crashing input ({len(data)} bytes) written to {path}: {data[:200]!r}", file=sys.stderr)
    return 1


def plain_driver(target: Target, seeds: Sequence[bytes], args: Sequence[str]) -> int:
    """Mutated seeds and random bytes, no coverage feedback; files and folders in `args` are replayed."""
    flags, paths = _flags(args)
    files = [f for p in paths for f in (sorted(p.iterdir()) if p.is_dir() else [p]) if f.is_file()]
    if files:
        inputs: Iterator[bytes] = (f.read_bytes() for f in files)
    else:
        rnd = random.Random(flags.get("seed", 0))
        inputs = _inputs(rnd, seeds, flags.get("runs", 10_000), flags.get("max_len", 4_096))
    count = 0
    for data in inputs:
        count += 1
        try:
            target(data)
        except Exception:
            return _crash(data)
    print(f"Done {count} runs (plain random-bytes driver; install atheris for coverage-guided fuzzing)")
    return 0


def main(argv: Sequence[str]) -> int:
    """`run.py TARGET [libFuzzer flags] [corpus or crash files]`."""
    if len(argv) < 2 or argv[1] not in TARGETS:
        print(
            f"usage: python fuzz/run.py {{{','.join(TARGETS)}}} [-runs=N] [-seed=N] [files]", file=sys.stderr
        )
        return 2
    name, args = argv[1], list(argv[2:])
    force_plain = "-plain=1" in args
    args = [a for a in args if a != "-plain=1"]
    try:
        if force_plain:
            raise ImportError
        import atheris
    except ImportError:
        module = _load(name)
        return plain_driver(module.test_one_input, module.SEEDS, args)
    with atheris.instrument_imports(include=["connectsec"]):
        module = _load(name)
    with tempfile.TemporaryDirectory(prefix=f"connectsec-fuzz-{name}-") as corpus:
        if not any(not a.startswith("-") for a in args):
            for index, seed in enumerate(module.SEEDS):
                Path(corpus, f"seed-{index}").write_bytes(seed)
            args.append(corpus)
        atheris.Setup([argv[0], *args], module.test_one_input)
        atheris.Fuzz()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
