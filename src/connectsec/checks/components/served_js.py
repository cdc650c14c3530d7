"""R14 (remote): vulnerable JavaScript libraries the app's pages load, identified with Retire.js data."""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field, replace

from connectsec.catalog.rules import make_finding
from connectsec.checks.evidence import EXCERPT_CHARS, evidence_for
from connectsec.checks.headers._judging import plural, viewed
from connectsec.components.identify import METHOD_TEXT, Detection, identify, normalised_content
from connectsec.components.retire import (
    STALE_DAYS,
    Advisory,
    RetireRepository,
    bundled_repository,
    load_repository,
)
from connectsec.components.served_js import ServedScript, app_origins, collect_scripts
from connectsec.components.versions import compare
from connectsec.model import CheckResult, Coverage, EndpointKind, Evidence, Finding, Observations
from connectsec.redact import Redactor

_RANK = {"low": 1, "medium": 2, "high": 3, "critical": 4}
_NO_FIX = "999"
"""`below` bounds starting like this (999.999.999) mean no fixed release exists."""
_LISTED = 10
_MAX_ERRORS = 20


class ServedJsCheck:
    """R14 remote part: libraries in served scripts (same-origin content, third-party URLs) vs advisories."""

    requirement = "R14"
    needs: frozenset[str] = frozenset({"http"})

    def __init__(self, repository: RetireRepository | None = None, redactor: Redactor | None = None) -> None:
        self._repository = repository
        self._redactor = redactor or Redactor()

    @property
    def repository(self) -> RetireRepository:
        """The Retire.js data judged against (the bundled snapshot unless one was given)."""
        return self._repository or bundled_repository()

    def judge(self, observations: Observations) -> CheckResult:
        """Identify every served script's libraries and report those inside an advisory's range."""
        repository = self.repository
        scripts = collect_scripts(viewed(observations), app_origins(observations))
        run = _Run(self._redactor, repository)
        for script in scripts:
            run.script(script)
        run.refused = sum(
            1
            for x in viewed(observations)
            if x.endpoint.kind is EndpointKind.PAGE and x.final is not None and x.final.status in (401, 403)
        )
        return run.result()


@dataclass
class _Run:
    redactor: Redactor
    repository: RetireRepository
    findings: list[Finding] = field(default_factory=list)
    identified: dict[str, None] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    unidentified_third_party: list[str] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)
    url_only: list[str] = field(default_factory=list)
    by_content: int = 0
    by_url: int = 0
    refused: int = 0
    """Module page responses that were 401/403 (pages a tenant token would open)."""

    def script(self, script: ServedScript) -> None:
        url = self.redactor.url(script.url)
        if script.gone:
            self.gone.append(url)
            return
        body = script.body if script.same_origin else None
        detections = identify(self.repository, script.url, body)
        if script.problem is not None:
            if not detections:
                self.errors.append(f"{url}: {self.redactor.text(script.problem)}")
                return
            self.url_only.append(url)
        elif body is not None and not detections and script.response and script.response.body_truncated:
            self.errors.append(
                f"{url}: body truncated at {len(body)} bytes, so its content could not be identified "
                "(raise --max-body)"
            )
            return
        if body is not None:
            self.by_content += 1
        else:
            self.by_url += 1
            if not detections:
                self.unidentified_third_party.append(url)
        for detection in detections:
            how = " and ".join(METHOD_TEXT[m] for m in detection.methods)
            self.identified[f"{detection.label} ({url}, by {how})"] = None
        vulnerable = [d for d in detections if d.advisories]
        if vulnerable:
            self.findings.append(self._finding(script, url, vulnerable))

    def _finding(self, script: ServedScript, url: str, detections: list[Detection]) -> Finding:
        advisories = [a for d in detections for a in d.advisories]
        worst = max(advisories, key=lambda a: _RANK.get(a.severity, 2)).severity
        pages = [self.redactor.url(p) for p in script.pages]
        detail = " ".join(_detection_text(d, self.repository) for d in detections)
        if pages:
            more = f" and {len(pages) - 3} more" if len(pages) > 3 else ""
            detail += f" Loaded by {', '.join(pages[:3])}{more}."
        elif script.same_origin:
            detail += " Served by the app (no page of the scan loads it by <script src>)."
        if not script.same_origin:
            detail += " Judged by its URL only: third-party scripts are never fetched."
        elif script.problem is not None:
            detail += f" Judged by its URL only: the file could not be fetched ({script.problem})."
        ids = [i for a in advisories for i in (*a.cves, *([a.ghsa] if a.ghsa else []))]
        info = [u for a in advisories for u in a.info]
        extra = (
            ("libraries", " ".join(d.label for d in detections)),
            ("identified_by", " ".join(sorted({m.value for d in detections for m in d.methods}))),
            ("advisories", " ".join(dict.fromkeys(ids))),
            ("pages", " ".join(pages)),
            ("info", " ".join(dict.fromkeys(info))),
            ("data", self.repository.source),
        )
        finding = make_finding(
            f"served-js.vulnerable-{worst}",
            url,
            self.redactor.text(detail),
            (self._evidence(script, url, detections),),
            extra,
        )
        return replace(finding, auth_mode=script.auth)

    def _evidence(self, script: ServedScript, url: str, detections: list[Detection]) -> Evidence:
        if script.exchange is not None and script.response is not None:
            excerpt = _version_excerpt(script.response.body, detections)
            return evidence_for(
                script.exchange, script.response, ("content-type",), excerpt=excerpt, redactor=self.redactor
            )
        page = self.redactor.url(script.pages[0]) if script.pages else "a page of the app"
        return Evidence(
            method="GET",
            url=url,
            status=None,
            excerpt=f'<script src="{url}"> on {page} (not fetched by the scan)',
            curl=f"curl -sS {shlex.quote(url)} | head -c {EXCERPT_CHARS}",
        )

    def result(self) -> CheckResult:
        notes = [f"Retire.js data: {self.repository.source}."]
        if self.repository.stale:
            notes.append(
                f"the Retire.js data is more than {STALE_DAYS} days old: advisories published since are "
                "missing (give a current jsrepository-v5.json)"
            )
        if self.identified:
            notes.append(f"libraries identified: {_listed(list(self.identified))}")
        if self.unidentified_third_party:
            notes.append(
                "third-party scripts not identified by URL or file name (never fetched, by design): "
                + _listed(self.unidentified_third_party)
            )
        if self.url_only:
            notes.append(f"judged by URL only (content not fetched): {_listed(self.url_only)}")
        if self.gone:
            notes.append(
                f"referenced but not served as JavaScript (404 or not a script): {_listed(self.gone)}"
            )
        if self.repository.runtime_only:
            notes.append(
                f"{self.repository.runtime_only} Retire.js `func`/`ast` extractors were not used (they need "
                "a JavaScript runtime): libraries recognisable only that way are not identified"
            )
        if self.repository.unusable:
            notes.append(f"extractors Python cannot run: {_listed(list(self.repository.unusable))}")
        judged = self.by_content + self.by_url
        errors = self.errors
        if len(errors) > _MAX_ERRORS:
            errors = [*errors[:_MAX_ERRORS], f"and {len(errors) - _MAX_ERRORS} more"]
        skipped = None
        if not judged and not self.errors:
            skipped = "no JavaScript found: no page loads a script by URL and no JavaScript file was fetched"
            if self.gone:
                skipped += " (every referenced script was missing)"
            if self.refused:
                skipped += (
                    f"; {plural(self.refused, 'module page response')} refused access (401/403): "
                    "give a test tenant's sharedSecret to scan what users see"
                )
        tested = ""
        if judged:
            found = (
                f"{plural(len(self.identified), 'library version')} identified"
                if self.identified
                else ("no known library identified")
            )
            tested = (
                f"{plural(judged, 'script')} ({self.by_content} same-origin by content and URL, "
                f"{self.by_url} by URL only): {found}"
            )
        return CheckResult(
            requirement="R14",
            findings=tuple(self.findings),
            coverage=Coverage(
                tested=judged - len(self.unidentified_third_party),
                untested=len(self.errors),
                inconclusive=len(self.unidentified_third_party),
                not_applicable=len(self.gone),
            ),
            tested=tested,
            errors=tuple(errors),
            notes=tuple(notes),
            skipped=skipped,
        )


def _detection_text(detection: Detection, repository: RetireRepository) -> str:
    how = " and ".join(METHOD_TEXT[m] for m in detection.methods)
    listed = "; ".join(_advisory_text(a) for a in detection.advisories)
    count = len(detection.advisories)
    known = "1 known vulnerability" if count == 1 else f"{count} known vulnerabilities"
    return (
        f"{detection.library} {detection.version} (identified by {how}) has {known}: {listed}. "
        f"{_upgrade_text(detection, repository)}"
    )


def _advisory_text(advisory: Advisory) -> str:
    severity = advisory.severity if advisory.severity_given else f"{advisory.severity} (no severity given)"
    summary = f" {advisory.summary[:160]}" if advisory.summary else ""
    return f"{advisory.name} [{severity}, affects {advisory.range_text}]{summary}"


def upgrade_target(version: str, advisories: tuple[Advisory, ...]) -> str | None:
    """The lowest release above `version` that no advisory affects; None when some range has no fix."""
    candidate = version
    for _ in range(len(advisories) + 1):
        hits = [a for a in advisories if a.affects(candidate)]
        if not hits:
            return candidate
        bounds = [a.below for a in hits]
        if any(b is None or b.startswith(_NO_FIX) for b in bounds):
            return None
        candidate = max((b for b in bounds if b is not None), key=_VersionKey)
    return None


def _upgrade_text(detection: Detection, repository: RetireRepository) -> str:
    library = repository.library(detection.library)
    target = upgrade_target(detection.version, library.advisories if library else detection.advisories)
    if target is None:
        return "At least one advisory has no fixed release: replace the library."
    return f"Upgrade to {target} or later (the first release outside every known advisory's range)."


class _VersionKey:
    """Orders versions the Retire.js way (for max())."""

    def __init__(self, version: str) -> None:
        self.version = version

    def __lt__(self, other: _VersionKey) -> bool:
        return compare(self.version, other.version) < 0


def _version_excerpt(body: bytes, detections: list[Detection]) -> str | None:
    text = normalised_content(body[:2_000_000])
    for detection in detections:
        at = text.find(detection.version)
        if at >= 0:
            start = max(at - 80, 0)
            return text[start : at + len(detection.version) + 80]
    return text[:EXCERPT_CHARS] or None


def _listed(items: list[str]) -> str:
    more = f" and {len(items) - _LISTED} more" if len(items) > _LISTED else ""
    return ", ".join(items[:_LISTED]) + more


SERVED_JS_CHECK = ServedJsCheck()


def served_js_check(retire_data: str | None) -> ServedJsCheck:
    """The check judging with a newer jsrepository-v5.json (`--retire-data`); ValueError on a bad file."""
    return SERVED_JS_CHECK if retire_data is None else ServedJsCheck(load_repository(retire_data))
