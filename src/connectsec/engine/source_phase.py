"""Source mode: the repository's secrets, dependencies and code, scanned in threads beside the rest."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from connectsec.engine.fresh_data import cache_dir
from connectsec.engine.request import ScanRequest
from connectsec.model.source import CodeScan, DependencyScan, SecretScan
from connectsec.redact import Redactor


@dataclass(frozen=True)
class SourceObservations:
    """What the source scanners found (None: not asked for)."""

    secrets: SecretScan | None = None
    dependencies: DependencyScan | None = None
    code: CodeScan | None = None


async def scan_source(request: ScanRequest, redactor: Redactor) -> SourceObservations:
    """The three source scanners at once, each in a thread; a crash becomes that record's error."""
    root = request.source
    if root is None:
        return SourceObservations()
    from connectsec.code.scan import scan_code  # the scanners load their data on import: only when asked
    from connectsec.deps.advisories import load_advisories
    from connectsec.deps.scan import scan_dependencies
    from connectsec.secrets.scan import scan_secrets

    def secrets() -> SecretScan:
        try:
            return scan_secrets(root, history=request.source_history)
        except Exception as exc:  # one scanner's bug must not stop the others
            return SecretScan(root, error=redactor.text(f"secret scan crashed: {type(exc).__name__}: {exc}"))

    def dependencies() -> DependencyScan:
        try:
            database = load_advisories(request.advisories, cache_dir=str(cache_dir(request)))
            return scan_dependencies(root, database, dev_high_is_warn=not request.dev_vulns_fail)
        except Exception as exc:
            reason = f"dependency scan crashed: {type(exc).__name__}: {exc}"
            return DependencyScan(root, error=redactor.text(reason))

    def code() -> CodeScan:
        try:
            return scan_code(root)
        except Exception as exc:
            return CodeScan(root, error=redactor.text(f"code scan crashed: {type(exc).__name__}: {exc}"))

    found = await asyncio.gather(
        asyncio.to_thread(secrets), asyncio.to_thread(dependencies), asyncio.to_thread(code)
    )
    return SourceObservations(*found)
