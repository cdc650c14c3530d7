"""The code scan's entry point: walk the tree once, hand each file to its analyser, add framework facts."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from connectsec.code.ace import AceApp
from connectsec.code.cloudformation import TemplateError, analyse_cloudformation, looks_like_template
from connectsec.code.facts import fact
from connectsec.code.files import DEFAULT_EXCLUDES, SourceFile, walk
from connectsec.code.frameworks import ACE, ACSB, ACSB_ADVISORIES, affected
from connectsec.code.javascript import analyse_javascript
from connectsec.code.jvm import analyse_jvm
from connectsec.code.manifests import gradle_properties, gradle_uses, package_json_use, pom_uses
from connectsec.code.python_code import analyse_python
from connectsec.code.templates import analyse_template
from connectsec.code.terraform import analyse_terraform
from connectsec.model.source import CodeFact, CodeScan, FrameworkUse

_CODE_REQUIREMENTS = "R7,R10"


class _Scan:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.counts: Counter[str] = Counter()
        self.facts: list[CodeFact] = []
        self.frameworks: list[FrameworkUse] = []
        self.unreadable: list[tuple[str, str]] = []
        self.js_files: list[tuple[str, str]] = []
        self.large = 0

    def file(self, item: SourceFile) -> None:
        try:
            text = item.text()
        except OSError as exc:
            self.unreadable.append(
                (_requirements(item.kind), f"{item.rel}: not readable ({exc.strerror or exc})")
            )
            return
        try:
            self._analyse(item, text)
        except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
            reason = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else 'no detail'}"
            self.unreadable.append(
                (_requirements(item.kind), f"{item.rel}: could not be parsed ({reason[:200]})")
            )

    def _analyse(self, item: SourceFile, text: str) -> None:
        name = item.path.name.lower()
        if item.kind == "python":
            self.counts["python"] += 1
            self.facts.extend(analyse_python(item.rel, text))
        elif item.kind in {"javascript", "html"}:
            self.counts[item.kind] += 1
            self.js_files.append((item.rel, text))
            self.facts.extend(analyse_javascript(item.rel, text))
        elif item.kind == "template":
            self.counts["template"] += 1
            self.facts.extend(analyse_template(item.rel, text))
        elif item.kind == "jvm":
            self.counts["jvm"] += 1
            self.facts.extend(analyse_jvm(item.rel, text))
        elif item.kind == "terraform":
            self.counts["terraform"] += 1
            self.facts.extend(analyse_terraform(item.rel, text))
        elif item.kind == "gradle":
            self.counts["manifest"] += 1
            properties_file = item.path.parent / "gradle.properties"
            properties = (
                gradle_properties(properties_file.read_text("utf-8", "replace"))
                if properties_file.is_file()
                else {}
            )
            self.frameworks.extend(gradle_uses(item.rel, text, properties))
        elif name == "pom.xml":
            self.counts["manifest"] += 1
            self.frameworks.extend(pom_uses(item.rel, text))
        elif name == "package.json":
            self.counts["manifest"] += 1
            use = package_json_use(item.path, item.rel, text)
            if use is not None:
                self.frameworks.append(use)
        if item.kind in {"yaml", "json"} and looks_like_template(text):
            self.counts["cloudformation"] += 1
            try:
                self.facts.extend(analyse_cloudformation(item.rel, text))
            except TemplateError as exc:
                self.unreadable.append(("R6", f"{item.rel}: {exc}"))

    def frameworks_facts(self) -> None:
        for use in self.frameworks:
            if use.name == ACE:
                app = AceApp(self.root, use)
                app.judge(self.js_files)
                self.facts.extend(app.facts)
                self.unreadable.extend(app.unreadable)
            elif use.name == ACSB:
                self._acsb(use)

    def _acsb(self, use: FrameworkUse) -> None:
        if use.version is None:
            self.unreadable.append(
                (
                    "R7",
                    f"{use.path}:{use.line}: {ACSB} version not resolved (CVE-2021-26074/26077 not checked)",
                )
            )
            return
        hits = [a for a in ACSB_ADVISORIES if affected(use.version, a)]
        if hits:
            what = "; ".join(f"{a.id} ({a.aliases[0]}): {a.summary}" for a in hits)
            self.facts.append(
                fact(
                    "code.acsb-vulnerable", use.path, use.line, f"{ACSB} {use.version} is affected by {what}."
                )
            )


def _requirements(kind: str) -> str:
    return "R6" if kind in {"terraform", "yaml", "json"} else _CODE_REQUIREMENTS


def scan_code(root: str, *, exclude: Sequence[str] = DEFAULT_EXCLUDES) -> CodeScan:
    """Read the tree once: R7/R10 facts per language, R6 facts from infrastructure code, framework facts."""
    base = Path(root)
    if not base.is_dir():
        return CodeScan(root, error=f"not a directory: {root}")
    scan = _Scan(base)
    try:
        for item in walk(base, exclude):
            if isinstance(item, tuple):
                scan.large += 1
                continue
            scan.file(item)
        scan.frameworks_facts()
    except OSError as exc:
        return CodeScan(root, error=f"the tree could not be read: {exc.strerror or type(exc).__name__}")
    facts = sorted(scan.facts, key=lambda f: (f.path, f.line, f.rule))
    return CodeScan(
        root=os.fspath(root),
        facts=tuple(facts),
        files=tuple(sorted(scan.counts.items())),
        frameworks=tuple(scan.frameworks),
        unreadable=tuple(scan.unreadable),
        skipped_large=scan.large,
    )
