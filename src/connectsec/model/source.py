"""What source-mode scanners found in the app's repository (R6, R7, R8, R10, R14 in code)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


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
class ResolvedPackage:
    """One package pinned to an exact version by a lockfile or manifest."""

    ecosystem: str
    """The OSV ecosystem name: `npm`, `PyPI`, `Maven`, `Go`, `RubyGems`, `Packagist`, `NuGet`."""
    name: str
    version: str
    path: str
    """The file that pins it, relative to the scanned root, `/`-separated."""
    line: int
    direct: bool | None
    """True: declared by the project; False: pulled in by another package; None: cannot be told."""
    development: bool
    """True when only development/test dependencies lead to it."""

    @property
    def location(self) -> str:
        """`path:line`, the finding location."""
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class UncheckedPackage:
    """A declared dependency without an exact version (unpinned, local, git, unresolvable offline)."""

    ecosystem: str
    name: str
    spec: str
    """What the file says instead of an exact version."""
    path: str
    line: int
    reason: str


@dataclass(frozen=True)
class ManifestFile:
    """One lockfile or manifest read."""

    path: str
    ecosystem: str
    kind: str
    """`package-lock.json v3`, `yarn.lock berry`, `pom.xml` …"""
    packages: int
    transitive_resolved: bool = True
    """False when the file cannot name transitive dependencies (pom.xml, build.gradle, package.json)."""


@dataclass(frozen=True)
class AdvisoryMatch:
    """One advisory (aliases merged) affecting one resolved package."""

    package: ResolvedPackage
    id: str
    aliases: tuple[str, ...]
    """Other ids of the same issue (CVE, GHSA, de-duplicated records)."""
    summary: str
    severity: str
    """`critical`, `high`, `medium`, `low` or `unscored`."""
    score: float | None
    severity_source: str
    """The CVSS vector scored, `database_specific`, or '' when unscored."""
    affected: str
    """The affected ranges as text (`>=1.0.0 <1.2.3`)."""
    fixed: str | None
    """The lowest fixed version above the installed one, when the advisory names one."""
    url: str | None = None
    upgrade: str | None = None
    """The lowest version above the installed one that no loaded advisory affects (None: no fix known)."""


@dataclass(frozen=True)
class AdvisorySource:
    """Advisory data used for one ecosystem, and how old it is."""

    ecosystem: str
    origin: str
    """`bundled snapshot (…)`, a directory, zip file or cache file."""
    records: int
    date: datetime | None
    """When the data was current (snapshot commit, download time or newest `modified`)."""


@dataclass(frozen=True)
class DependencyScan:
    """Resolved dependencies from lockfiles and manifests, matched against advisories (R14)."""

    root: str
    error: str | None = None
    manifests: tuple[ManifestFile, ...] = ()
    packages: tuple[ResolvedPackage, ...] = ()
    unchecked: tuple[UncheckedPackage, ...] = ()
    matches: tuple[AdvisoryMatch, ...] = ()
    sources: tuple[AdvisorySource, ...] = ()
    missing_data: tuple[str, ...] = ()
    """Ecosystems present in the tree with no advisory data loaded."""
    unparsed: tuple[str, ...] = ()
    """Files that could not be read or parsed, or advisory ranges that could not be evaluated."""
    checked_at: datetime | None = None
    """The clock of the scan (for the age of the advisory data)."""
    dev_high_is_warn: bool = True
    """A high/critical advisory reachable only through development dependencies is a warning."""


@dataclass(frozen=True)
class CodeScan:
    """Code and framework facts: sharedSecret handling (R7), credential collection (R10), public storage
    in infrastructure-as-code (R6)."""

    root: str
    error: str | None = None
    facts: tuple[CodeFact, ...] = ()
    files: tuple[tuple[str, int], ...] = ()
    """Files read per kind (`python`, `javascript`, `jvm`, `terraform`, `cloudformation`, …), sorted."""
    frameworks: tuple[FrameworkUse, ...] = ()
    """Connect frameworks the tree depends on, with their declared versions."""
    unreadable: tuple[tuple[str, str], ...] = ()
    """What could not be examined: (requirement, `path: reason`); that requirement cannot pass."""
    skipped_large: int = 0
    """Files above the size cap, not read."""

    def count(self, *kinds: str) -> int:
        """Files read of the given kinds."""
        return sum(n for kind, n in self.files if kind in kinds)


@dataclass(frozen=True)
class CodeFact:
    """One thing seen in the code: a rule of the catalog at path:line, and why."""

    rule: str
    """A rule id of catalog/rules_code.py (its requirement decides which check reports it)."""
    requirement: str
    path: str
    """Relative to the scanned root, `/`-separated."""
    line: int
    detail: str
    snippet: str = ""
    """The source line, trimmed and cut; secret-looking literals already masked."""

    @property
    def location(self) -> str:
        """`path:line`, the finding location."""
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class FrameworkUse:
    """A Connect framework declared in a manifest."""

    name: str
    """`atlassian-connect-express` or `atlassian-connect-spring-boot`."""
    version: str | None
    """The declared or locked version; None when it cannot be resolved."""
    path: str
    line: int
