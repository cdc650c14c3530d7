"""The scanner on real git repositories: each seeded secret at its file, line and commit; none on the twin."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from connectsec.model.source import SecretScan
from connectsec.secrets import DEFAULT_EXCLUDES, scan_secrets
from tests.secrets.gitrepo import GitRepo
from tests.secrets.seeds import Built, build_repository, make_seeds

SEEDS = make_seeds()


def _fingerprint(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Built, SecretScan]:
    built = build_repository(GitRepo(tmp_path_factory.mktemp("seeded") / "app"), SEEDS.__getitem__)
    return built, scan_secrets(str(built.repo.path))


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> tuple[Built, SecretScan]:
    built = build_repository(GitRepo(tmp_path_factory.mktemp("clean") / "app"), lambda name: f"<{name}>")
    return built, scan_secrets(str(built.repo.path))


@pytest.mark.parametrize("name", sorted(set(SEEDS) - {"vendored_github"}))
def test_every_seeded_secret_is_found_where_it_was_added(seeded: tuple[Built, SecretScan], name: str) -> None:
    built, scan = seeded
    value = next(v for v, where in built.expected.items() if v in (SEEDS[name], _pem_or(SEEDS[name])))
    where = built.expected[value]
    found = [m for m in scan.matches if m.fingerprint == _fingerprint(value)]
    assert len(found) == 1, f"{name}: {found}"
    match = found[0]
    assert (match.rule, match.path, match.line) == (where.rule, where.path, where.line)
    assert match.commit == where.commit
    assert match.in_worktree is where.in_worktree
    assert match.author_date is not None
    assert match.author_date.startswith("20")


def _pem_or(value: str) -> str:
    from tests.secrets.seeds import pem_body

    return pem_body(value) if value.startswith("-----BEGIN") else value


def test_nothing_else_is_reported(seeded: tuple[Built, SecretScan]) -> None:
    """Documentation bait, vendored and minified copies and dev-default URLs stay silent."""
    built, scan = seeded
    assert {m.fingerprint for m in scan.matches} == {_fingerprint(v) for v in built.expected}
    assert not any(m.path.startswith(("node_modules/", "dist/", "README")) for m in scan.matches)


def test_the_scan_says_what_it_covered(seeded: tuple[Built, SecretScan]) -> None:
    built, scan = seeded
    assert scan.error is None
    assert scan.history_error is None
    assert scan.history_scanned
    assert scan.commits_scanned == int(built.repo.git("rev-list", "--all", "--count"))
    assert scan.refs == 2
    assert scan.files_excluded == 2  # node_modules/lib/index.js, dist/bundle.min.js
    assert scan.files_scanned >= 10


def test_the_clean_twin_has_no_findings(clean: tuple[Built, SecretScan]) -> None:
    _, scan = clean
    assert scan.error is None
    assert scan.history_error is None
    assert scan.commits_scanned > 30
    assert scan.matches == ()


def test_no_record_holds_a_secret(seeded: tuple[Built, SecretScan]) -> None:
    _, scan = seeded
    text = repr(scan)
    for value in (*SEEDS.values(), *(_pem_or(v) for v in SEEDS.values())):
        for piece in (value, value[4:16]):
            assert piece not in text


def test_excludes_are_configurable(seeded: tuple[Built, SecretScan]) -> None:
    built, _ = seeded
    everything = scan_secrets(str(built.repo.path), exclude=(), history=False)
    paths = {m.path for m in everything.matches if m.fingerprint == _fingerprint(SEEDS["vendored_github"])}
    assert paths == {"node_modules/lib/index.js", "dist/bundle.min.js"}
    assert not everything.history_scanned
    assert everything.commits_scanned == 0
    narrower = scan_secrets(str(built.repo.path), exclude=(*DEFAULT_EXCLUDES, "deploy"), history=False)
    assert not any(m.path.startswith("deploy/") for m in narrower.matches)
    assert any(m.path.startswith("deploy/") for m in everything.matches)


def test_working_tree_only_secret_has_no_commit(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "r")
    repo.write("a.txt", "hello\n")
    repo.commit("a")
    repo.write("local.py", f"TOKEN = '{SEEDS['npm']}'\n")
    repo.write("ignored/secret.py", f"TOKEN = '{SEEDS['gitlab']}'\n")
    repo.write(".gitignore", "ignored/\n")
    scan = scan_secrets(str(repo.path))
    assert [(m.path, m.line, m.commit, m.in_worktree) for m in scan.matches] == [("local.py", 1, None, True)]
    assert scan.files_ignored == 1


def test_a_directory_outside_git_is_scanned_but_history_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "x.py").write_text(f"\n\nkey = '{SEEDS['github']}'\n")
    (tmp_path / "node_modules").mkdir()
    (tmp_path / "node_modules" / "y.js").write_text(f"k = '{SEEDS['github']}'\n")
    scan = scan_secrets(str(tmp_path))
    assert [(m.path, m.line, m.rule) for m in scan.matches] == [("src/x.py", 3, "secret.github-token")]
    assert scan.history_error is not None
    assert "not a git repository" in scan.history_error
    assert not scan.history_scanned
    assert scan_secrets(str(tmp_path), history=False).history_error is None


def test_a_shallow_clone_is_reported_as_incomplete_history(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "origin")
    repo.write("a.py", f"T = '{SEEDS['github']}'\n")
    repo.commit("one")
    repo.write("a.py", "T = None\n")
    repo.commit("two")
    clone = tmp_path / "clone"
    repo.git("clone", "-q", "--depth", "1", f"file://{repo.path}", str(clone))
    scan = scan_secrets(str(clone))
    assert scan.history_error is not None
    assert "shallow" in scan.history_error
    assert scan.matches == ()


def test_oversized_files_are_listed_not_scanned(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "r")
    repo.write("big.txt", "x" * 2000 + f"\ntoken = '{SEEDS['github']}'\n")
    repo.write("small.txt", f"token = '{SEEDS['gitlab']}'\n")
    repo.commit("files")
    scan = scan_secrets(str(repo.path), max_file_bytes=1000)
    assert scan.too_large == ("big.txt",)
    assert {m.path for m in scan.matches if m.in_worktree} == {"small.txt"}


def test_odd_paths_in_history_keep_their_names(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "r")
    name = 'dir with space/tab\tand "quote" ünï.env'
    repo.write(name, f"A=1\nNPM_TOKEN={SEEDS['npm']}\n")
    commit = repo.commit("odd")
    repo.remove(name)
    repo.commit("gone")
    scan = scan_secrets(str(repo.path))
    assert [(m.path, m.line, m.commit) for m in scan.matches] == [(name, 2, commit)]


def test_a_subdirectory_of_a_repository_is_scanned_with_relative_paths(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "mono")
    repo.write("app/src/a.js", f"const t = '{SEEDS['slack']}';\n")
    repo.write("other/b.js", f"const t = '{SEEDS['gitlab']}';\n")
    commit = repo.commit("both")
    repo.write("app/src/a.js", "const t = null;\n")
    repo.commit("clean app")
    scan = scan_secrets(str(repo.path / "app"))
    assert [(m.path, m.line, m.commit, m.in_worktree) for m in scan.matches] == [
        ("src/a.js", 1, commit, False)
    ]


def test_a_missing_root_is_an_error(tmp_path: Path) -> None:
    scan = scan_secrets(str(tmp_path / "nope"))
    assert scan.error is not None
    assert "not a directory" in scan.error


def test_a_broken_repository_is_a_history_error(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "r")
    repo.write("a.py", "x = 1\n")
    repo.commit("one")
    repo.write("a.py", "x = 2\n")
    repo.commit("two")
    blob = repo.git("rev-parse", "HEAD~1:a.py").strip()
    (repo.path / ".git" / "objects" / blob[:2] / blob[2:]).unlink()
    scan = scan_secrets(str(repo.path))
    assert scan.history_error is not None
    assert scan.history_error.startswith("git log failed:")
