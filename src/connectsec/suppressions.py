"""Accepted findings: `[[suppress]]` entries of connectsec.toml, by fingerprint or by rule and path.

[[suppress]]
fingerprint = "3f1c…"           # a finding's id, or the `fingerprint` of a source finding
reason = "test fixture key, revoked"
expires = 2027-01-31             # optional: the finding comes back after this day

[[suppress]]
rule = "secret.generic-*"        # glob over rule ids
path = "tests/fixtures/**"       # glob over the finding's location (file, URL, host)
reason = "fixtures hold fake credentials"
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from fnmatch import fnmatchcase
from pathlib import Path

from connectsec.model import CheckResult, Finding


@dataclass(frozen=True)
class Suppression:
    """One accepted finding (or family of findings) and why."""

    reason: str
    fingerprint: str | None = None
    rule: str | None = None
    path: str | None = None
    expires: date | None = None

    def matches(self, finding: Finding) -> bool:
        """Whether this entry names the finding."""
        if self.fingerprint is not None:
            return self.fingerprint in (finding.id, dict(finding.extra).get("fingerprint"))
        if self.rule is not None and not fnmatchcase(finding.rule, self.rule):
            return False
        if self.path is not None:
            location = finding.location
            bare = location.rsplit(":", 1)[0] if location.rsplit(":", 1)[-1].isdigit() else location
            return fnmatchcase(location, self.path) or fnmatchcase(bare, self.path)
        return True

    def describe(self) -> str:
        """How the entry is written, for reports."""
        what = f"fingerprint {self.fingerprint}" if self.fingerprint else f"rule {self.rule or '*'}"
        where = f" at {self.path}" if self.path else ""
        return f"{what}{where}"


def load_suppressions(path: Path) -> tuple[Suppression, ...]:
    """The `[[suppress]]` entries of a connectsec.toml (ValueError with one line when one is unusable)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"--config {path}: {getattr(exc, 'strerror', None) or type(exc).__name__}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"--config {path}: not valid TOML ({exc})") from None
    entries = data.get("suppress", [])
    if not isinstance(entries, list):
        raise ValueError(f"--config {path}: `suppress` must be an array of tables ([[suppress]])")
    return tuple(_entry(path, i, e) for i, e in enumerate(entries))


def _entry(path: Path, index: int, entry: object) -> Suppression:
    where = f"--config {path}: suppress[{index}]"
    if not isinstance(entry, dict):
        raise ValueError(f"{where}: expected a table")
    unknown = set(entry) - {"fingerprint", "rule", "path", "reason", "expires"}
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    reason = entry.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise ValueError(f"{where}: a `reason` is required")
    values = {k: entry.get(k) for k in ("fingerprint", "rule", "path")}
    for key, value in values.items():
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise ValueError(f"{where}: `{key}` must be a non-empty string")
    if values["fingerprint"] is None and values["rule"] is None:
        raise ValueError(f"{where}: give a `fingerprint`, or a `rule` (with an optional `path`)")
    if values["fingerprint"] is not None and (values["rule"] or values["path"]):
        raise ValueError(f"{where}: a `fingerprint` stands alone (no `rule`/`path` with it)")
    expires = entry.get("expires")
    if expires is not None and not (isinstance(expires, date) and not hasattr(expires, "hour")):
        raise ValueError(f"{where}: `expires` must be a date (expires = 2027-01-31)")
    return Suppression(reason.strip(), values["fingerprint"], values["rule"], values["path"], expires)


def apply_suppressions(result: CheckResult, suppressions: Sequence[Suppression], today: date) -> CheckResult:
    """The result without the accepted findings; expired entries let their findings through, with a note."""
    if not suppressions or not result.findings:
        return result
    kept: list[Finding] = []
    gone: list[str] = []
    notes: list[str] = []
    for finding in result.findings:
        entry = next((s for s in suppressions if s.matches(finding)), None)
        if entry is None:
            kept.append(finding)
        elif entry.expires is not None and entry.expires < today:
            kept.append(finding)
            notes.append(f"suppression {entry.describe()} expired on {entry.expires}: {finding.rule} is back")
        else:
            until = f" (until {entry.expires})" if entry.expires else ""
            gone.append(f"{finding.rule} at {finding.location} [{finding.id}]: {entry.reason}{until}")
    if not gone and not notes:
        return result
    return replace(
        result,
        findings=tuple(kept),
        suppressed=(*result.suppressed, *gone),
        notes=(*result.notes, *dict.fromkeys(notes)),
    )
