"""What source-mode scanners found in the app's repository (R6, R7, R8, R10, R14 in code)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SecretScan:
    """Secrets in the working tree and the whole git history (R8)."""

    root: str
    error: str | None = None


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
