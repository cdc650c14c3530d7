"""Connect frameworks declared in manifests: package.json/package-lock.json, pom.xml, Gradle builds."""

from __future__ import annotations

import json
import re
from pathlib import Path

from connectsec.code.frameworks import ACE, ACSB
from connectsec.code.lexical import line_of
from connectsec.model.source import FrameworkUse

_POM_DEPENDENCY = re.compile(r"<(dependency|parent)>(.*?)</\1>", re.DOTALL)
_POM_ARTIFACT = re.compile(r"<artifactId>\s*atlassian-connect-spring-boot[\w-]*\s*</artifactId>")
_POM_VERSION = re.compile(r"<version>\s*([^<\s]+)\s*</version>")
_POM_PROPERTY = re.compile(r"<([\w.-]+)>\s*([^<\s]+)\s*</\1>")
_GRADLE = re.compile(r"""['"]com\.atlassian\.connect:atlassian-connect-spring-boot[\w-]*:([^'"]+)['"]""")
_GRADLE_VARIABLE = re.compile(r"""\b(?:val\s+|def\s+|ext\.)?([\w.]+)\s*=\s*['"]([\w.+-]+)['"]""")
_PLACEHOLDER = re.compile(r"^\$\{([\w.-]+)\}$|^\$([\w.]+)$")


def package_json_use(path: Path, rel: str, text: str) -> FrameworkUse | None:
    """atlassian-connect-express in a package.json (version from the lockfile beside it when present)."""
    try:
        manifest = json.loads(text)
    except ValueError:
        return None
    if not isinstance(manifest, dict):
        return None
    declared = None
    for section in ("dependencies", "devDependencies", "optionalDependencies"):
        deps = manifest.get(section)
        if isinstance(deps, dict) and isinstance(deps.get(ACE), str):
            declared = deps[ACE]
            break
    if declared is None:
        return None
    match = re.search(rf'"{re.escape(ACE)}"\s*:', text)
    line = line_of(text, match.start()) if match else 1
    return FrameworkUse(ACE, _locked_version(path.parent) or declared, rel, line)


def _locked_version(folder: Path) -> str | None:
    for name in ("package-lock.json", "npm-shrinkwrap.json"):
        lock = folder / name
        if not lock.is_file():
            continue
        try:
            data = json.loads(lock.read_text("utf-8", "replace"))
        except ValueError:
            continue
        entry = (data.get("packages") or {}).get(f"node_modules/{ACE}") or (
            data.get("dependencies") or {}
        ).get(ACE)
        if isinstance(entry, dict) and isinstance(entry.get("version"), str):
            return str(entry["version"])
    return None


def pom_uses(rel: str, text: str) -> list[FrameworkUse]:
    """atlassian-connect-spring-boot artifacts in a pom.xml, `${property}` versions resolved from the pom."""
    properties = {m.group(1): m.group(2) for m in _POM_PROPERTY.finditer(_section(text, "properties"))}
    properties.setdefault("project.version", "")
    uses = []
    for match in _POM_DEPENDENCY.finditer(text):
        body = match.group(2)
        if not _POM_ARTIFACT.search(body):
            continue
        version_match = _POM_VERSION.search(body)
        version = _resolve(version_match.group(1), properties) if version_match else None
        uses.append(FrameworkUse(ACSB, version, rel, line_of(text, match.start())))
    return uses


def gradle_uses(rel: str, text: str, properties: dict[str, str]) -> list[FrameworkUse]:
    """atlassian-connect-spring-boot coordinates in a Gradle build, `$var` versions resolved when declared."""
    variables = {**properties, **{m.group(1): m.group(2) for m in _GRADLE_VARIABLE.finditer(text)}}
    return [
        FrameworkUse(ACSB, _resolve(m.group(1), variables), rel, line_of(text, m.start()))
        for m in _GRADLE.finditer(text)
    ]


def gradle_properties(text: str) -> dict[str, str]:
    """key=value pairs of a gradle.properties file."""
    pairs = (
        line.split("=", 1) for line in text.splitlines() if "=" in line and not line.lstrip().startswith("#")
    )
    return {k.strip(): v.strip() for k, v in pairs}


def _resolve(version: str, properties: dict[str, str]) -> str | None:
    for _ in range(5):
        placeholder = _PLACEHOLDER.match(version.strip())
        if placeholder is None:
            return version.strip() or None
        name = placeholder.group(1) or placeholder.group(2)
        if not properties.get(name):
            return None
        version = properties[name]
    return None


def _section(text: str, tag: str) -> str:
    match = re.search(rf"<{tag}>(.*?)</{tag}>", text, re.DOTALL)
    return match.group(1) if match else ""
