"""Finding types of R14 vulnerable dependencies."""

from __future__ import annotations

from connectsec.catalog.rule import Rule

DEPENDENCY_RULES: tuple[Rule, ...] = ()
