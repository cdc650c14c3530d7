"""atlassian-connect-express apps: their configuration, descriptor and routes against ACE's behaviours."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from connectsec.code.facts import fact, line_text
from connectsec.code.frameworks import (
    ACE_BEHAVIOURS,
    AUTHENTICATE_TRUE,
    DEPLOYMENT_FILES,
    NODE_ENV_PRODUCTION,
)
from connectsec.code.lexical import code_view, line_of
from connectsec.model.source import CodeFact, FrameworkUse

_R7 = "R7"


def _read_json(path: Path) -> tuple[Any, str] | None:
    try:
        text = path.read_text("utf-8", "replace")
        return json.loads(text), text
    except (OSError, ValueError):
        return None


def _key_line(text: str, key: str, default: int = 1) -> int:
    match = re.search(rf'"{re.escape(key)}"\s*:', text)
    return line_of(text, match.start()) if match else default


def _rel(folder: str, name: str) -> str:
    return f"{folder}/{name}" if folder else name


class AceApp:
    """One atlassian-connect-express app: the folder of its package.json."""

    def __init__(self, root: Path, use: FrameworkUse) -> None:
        self.root, self.use = root, use
        self.folder = os.path.dirname(use.path)
        self.path = root / self.folder if self.folder else root
        self.facts: list[CodeFact] = []
        self.unreadable: list[tuple[str, str]] = []

    def add(self, rule: str, rel: str, line: int, detail: str, text: str = "") -> None:
        self.facts.append(fact(rule, rel, line, detail, line_text(text, line) if text else ""))

    def judge(self, js_files: Sequence[tuple[str, str]]) -> None:
        """Every ACE behaviour that applies to this app."""
        self._logging()
        config = _read_json(self.path / "config.json")
        self._store(config)
        self._signed_install(config)
        prefix = f"{self.folder}/" if self.folder else ""
        for rel, text in js_files:
            if rel.startswith(prefix):
                code = code_view(text)
                for match in AUTHENTICATE_TRUE.finditer(code):
                    line = line_of(text, match.start())
                    self.add("code.ace-qsh-skipped", rel, line, ACE_BEHAVIOURS["code.ace-qsh-skipped"], text)

    def _logging(self) -> None:
        package = _read_json(self.root / self.use.path)
        scripts = package[0].get("scripts") if package and isinstance(package[0], dict) else None
        if isinstance(scripts, dict) and any(
            isinstance(v, str) and NODE_ENV_PRODUCTION.search(v) for v in scripts.values()
        ):
            return
        for folder in dict.fromkeys([self.path, self.root]):
            for entry in sorted(os.scandir(folder), key=lambda e: e.name):
                if entry.is_file() and DEPLOYMENT_FILES.match(entry.name):
                    try:
                        if NODE_ENV_PRODUCTION.search(Path(entry.path).read_text("utf-8", "replace")):
                            return
                    except OSError:
                        continue
        detail = ACE_BEHAVIOURS["code.ace-dev-logging"]
        self.add("code.ace-dev-logging", self.use.path, self.use.line, detail, package[1] if package else "")

    def _store(self, config: tuple[Any, str] | None) -> None:
        rel = _rel(self.folder, "config.json")
        adapter, line = "the default adapter", self.use.line
        where = self.use.path
        package = _read_json(self.root / self.use.path)
        text = package[1] if package else ""
        if config is not None and isinstance(config[0], dict):
            env = config[0].get("production") or {}
            store = env.get("store") if isinstance(env, dict) else None
            if isinstance(store, dict) and isinstance(store.get("adapter"), str):
                adapter = f"`{store['adapter']}`"
            production = config[1].find('"production"')
            store_at = config[1].find('"store"', max(production, 0))
            if store_at >= 0:
                where, line, text = rel, line_of(config[1], store_at), config[1]
        detail = ACE_BEHAVIOURS["code.ace-plaintext-store"].format(adapter=adapter)
        self.add("code.ace-plaintext-store", where, line, detail, text)

    def _signed_install(self, config: tuple[Any, str] | None) -> None:
        descriptor_rel = _rel(self.folder, "atlassian-connect.json")
        descriptor = _read_json(self.path / "atlassian-connect.json")
        if descriptor is None or not isinstance(descriptor[0], dict):
            self.unreadable.append(
                (
                    _R7,
                    f"{descriptor_rel}: missing or not JSON, so the signed-install opt-in was not checked",
                )
            )
            return
        migrations = descriptor[0].get("apiMigrations")
        if not (isinstance(migrations, dict) and migrations.get("signed-install") is True):
            line = _key_line(descriptor[1], "apiMigrations")
            detail = ACE_BEHAVIOURS["code.ace-unsigned-install.no-migration"]
            self.add("code.ace-unsigned-install", descriptor_rel, line, detail, descriptor[1])
            return
        config_rel = _rel(self.folder, "config.json")
        settings = config[0] if config is not None and isinstance(config[0], dict) else {}
        production = settings.get("production")
        forced = (isinstance(production, dict) and production.get("signed-install") == "force") or (
            settings.get("signed-install") == "force"
        )
        if forced:
            return
        elsewhere = [
            k for k, v in settings.items() if isinstance(v, dict) and v.get("signed-install") == "force"
        ]
        where = f" for production (only for {', '.join(elsewhere)})" if elsewhere else ""
        line = _key_line(config[1], "production") if config is not None else 1
        detail = ACE_BEHAVIOURS["code.ace-unsigned-install.no-force"].format(where=where)
        self.add("code.ace-unsigned-install", config_rel, line, detail, config[1] if config else "")
