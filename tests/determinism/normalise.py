"""What may legitimately differ between two scans of the same target, and nothing else.

Normalised (every other byte of a report must be equal):
- the wall clock: `started_at`, `finished_at` (JSON), `startTimeUtc`/`endTimeUtc` (SARIF invocations),
  `timestamp` (JUnit suites), the Started/Finished rows (Markdown);
- durations: `duration_s` (JSON), `time` attributes (JUnit), the Duration row (Markdown);
- traffic counters, which retries and connection reuse change: `requests_sent`, `responses_received`,
  `bytes_received` (JSON summary);
- dates derived from today's date: a finding's `first_seen` and `due` are replaced by their difference in
  days (the SLA stays compared), "next due on DATE", and the age of bundled data ("N days old").
- `varied`: the values of options a test deliberately ran differently (JSON and SARIF `options`, JUnit
  `option.NAME` properties).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import date
from typing import Any

CLOCK_KEYS = frozenset({"started_at", "finished_at", "startTimeUtc", "endTimeUtc"})
COUNTER_KEYS = frozenset({"duration_s", "requests_sent", "responses_received", "bytes_received"})
DAYS_OLD = re.compile(r"\b\d+ days? old\b")
NEXT_DUE = re.compile(r"next due on \d{4}-\d{2}-\d{2}")


def _text(value: str) -> str:
    return NEXT_DUE.sub("next due on <date>", DAYS_OLD.sub("<n> days old", value))


def _walk(node: Any, varied: frozenset[str]) -> Any:
    if isinstance(node, dict):
        out: dict[str, Any] = {
            k: "<clock>" if k in CLOCK_KEYS else 0 if k in COUNTER_KEYS else _walk(v, varied)
            for k, v in node.items()
        }
        if isinstance(out.get("options"), dict):
            out["options"] = {k: "<varied>" if k in varied else v for k, v in out["options"].items()}
        if isinstance(node.get("first_seen"), str) and isinstance(node.get("due"), str):
            days = (date.fromisoformat(node["due"]) - date.fromisoformat(node["first_seen"])).days
            out["first_seen"], out["due"] = "<today>", f"<today+{days}>"
        return out
    if isinstance(node, list):
        return [_walk(v, varied) for v in node]
    return _text(node) if isinstance(node, str) else node


def json_report(text: str, varied: frozenset[str] = frozenset()) -> Any:
    """A JSON or SARIF report, normalised."""
    return _walk(json.loads(text), varied)


def junit(text: str, varied: frozenset[str] = frozenset()) -> str:
    """A JUnit report, normalised, re-serialised."""
    root = ET.fromstring(text)
    for element in root.iter():
        if element.tag == "property" and element.get("name", "").removeprefix("option.") in varied:
            element.set("value", "<varied>")
        for attribute in ("time", "timestamp"):
            element.attrib.pop(attribute, None)
        element.text = _text(element.text) if element.text else element.text
        for key, value in element.attrib.items():
            element.attrib[key] = _text(value)
    return ET.tostring(root, encoding="unicode")


def markdown(text: str, varied: frozenset[str] = frozenset()) -> str:
    """A Markdown report, normalised."""
    lines = []
    for line in text.splitlines():
        if re.match(r"\| (Started|Finished|Duration) \|", line):
            continue
        option = re.match(r"\| Option (\S+) \|", line)
        if option and option.group(1).replace("\\_", "_") in varied:
            line = f"| Option {option.group(1)} | <varied> |"
        lines.append(line)
    return _text("\n".join(lines))
