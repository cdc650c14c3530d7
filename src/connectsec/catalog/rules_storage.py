"""Finding types of R6 stored data: publicly accessible storage."""

from __future__ import annotations

from connectsec.catalog.rule import Rule

STORAGE_RULES: tuple[Rule, ...] = ()
