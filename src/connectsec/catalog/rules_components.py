"""Finding types of R14 vulnerable components."""

from __future__ import annotations

from connectsec.catalog.rule import Rule

COMPONENT_RULES: tuple[Rule, ...] = ()
