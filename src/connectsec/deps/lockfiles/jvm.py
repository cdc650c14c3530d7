"""Maven and Gradle: pom.xml (declared versions, properties resolved), gradle.lockfile, build.gradle."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from connectsec.deps.lockfiles.common import Lines, Parsed, ParseError

_PROPERTY = re.compile(r"\$\{([^}]+)\}")
_DEV_SCOPES = ("test",)


def parse_pom(path: str, text: str, folder: Path) -> Parsed:
    """A pom.xml: each declared dependency with its version; transitive ones cannot be resolved offline."""
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        raise ParseError("pom.xml with a DOCTYPE or entities is not read")
    try:
        root = ET.fromstring(text)  # noqa: S314 - DOCTYPE/entities refused above
    except ET.ParseError as exc:
        raise ParseError(f"not XML ({exc})") from exc
    ns = root.tag[: root.tag.index("}") + 1] if root.tag.startswith("{") else ""
    parsed = Parsed(path, "Maven", "pom.xml", transitive_resolved=False)
    lines = Lines(text)
    props = _properties(root, ns)
    managed: dict[str, str] = {}
    for dep in root.iterfind(f"{ns}dependencyManagement/{ns}dependencies/{ns}dependency"):
        group, artifact = _text(dep, ns, "groupId"), _text(dep, ns, "artifactId")
        if group and artifact and _text(dep, ns, "version"):
            managed[f"{group}:{artifact}"] = _resolve(_text(dep, ns, "version"), props)
    cursor = 1
    for section in (
        f"{ns}dependencies/{ns}dependency",
        f"{ns}dependencyManagement/{ns}dependencies/{ns}dependency",
    ):
        for dep in root.iterfind(section):
            group = _resolve(_text(dep, ns, "groupId"), props)
            artifact = _resolve(_text(dep, ns, "artifactId"), props)
            name = f"{group}:{artifact}"
            line = lines.find(
                f"<artifactId>{_text(dep, ns, 'artifactId')}</artifactId>", cursor, default=cursor
            )
            cursor = line
            raw = _text(dep, ns, "version")
            if section.startswith(f"{ns}dependencyManagement") and _text(dep, ns, "type") == "pom":
                continue
            version = _resolve(raw, props) if raw else managed.get(name, "")
            development = _text(dep, ns, "scope") in _DEV_SCOPES
            if not version:
                parsed.skip(name, "(no version)", line, "version managed by a parent or BOM not in this file")
            elif "${" in version:
                parsed.skip(name, version, line, "property not defined in this pom.xml")
            elif version[:1] in "[(":
                parsed.skip(name, version, line, "version range: the resolved version is unknown")
            else:
                parsed.add(name, version, line, direct=True, development=development)
    return parsed


def _properties(root: ET.Element, ns: str) -> dict[str, str]:
    props: dict[str, str] = {}
    for holder in root.iterfind(f"{ns}properties"):
        for child in holder:
            props[child.tag.removeprefix(ns)] = (child.text or "").strip()
    for key, element in (("project.version", "version"), ("project.groupId", "groupId")):
        value = _text(root, ns, element) or _text(root, ns, f"parent/{ns}{element}")
        if value:
            props[key] = value
            props[key.replace("project.", "pom.")] = value
    parent_version = _text(root, ns, f"parent/{ns}version")
    if parent_version:
        props["project.parent.version"] = parent_version
    return props


def _resolve(value: str, props: dict[str, str]) -> str:
    for _ in range(10):
        replaced = _PROPERTY.sub(lambda m: props.get(m.group(1), m.group(0)), value)
        if replaced == value:
            break
        value = replaced
    return value.strip()


def _text(element: ET.Element, ns: str, child: str) -> str:
    found = element.find(f"{ns}{child}")
    return (found.text or "").strip() if found is not None else ""


def parse_gradle_lockfile(path: str, text: str, folder: Path) -> Parsed:
    """gradle.lockfile: `group:artifact:version=configurations`; test-only configurations are development."""
    parsed = Parsed(path, "Maven", "gradle.lockfile")
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#") or line.startswith("empty="):
            continue
        coordinates, _, configurations = line.partition("=")
        parts = coordinates.split(":")
        if len(parts) != 3:
            raise ParseError(f"line {number} is not group:artifact:version=configurations")
        names = [c for c in configurations.split(",") if c]
        development = bool(names) and all(c.lower().startswith("test") for c in names)
        parsed.add(f"{parts[0]}:{parts[1]}", parts[2], number, direct=None, development=development)
    return parsed


def parse_build_gradle(path: str, text: str, folder: Path) -> Parsed:
    """build.gradle(.kts) without a gradle.lockfile: declarations listed, never resolved offline."""
    parsed = Parsed(path, "Maven", "build.gradle (no gradle.lockfile)", transitive_resolved=False)
    pattern = re.compile(r"""(\w+)\s*\(?\s*['"]([\w.\-]+):([\w.\-]+):([^'"@]+)['"]""")
    for number, raw in enumerate(text.splitlines(), 1):
        for match in pattern.finditer(raw):
            name = f"{match.group(2)}:{match.group(3)}"
            parsed.skip(name, match.group(4), number, "no gradle.lockfile: versions are not resolved offline")
    return parsed
