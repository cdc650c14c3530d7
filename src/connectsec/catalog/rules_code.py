"""Finding types of R6, R7 and R10 in the app's code."""

from __future__ import annotations

from connectsec.catalog.rule import Rule

CODE_RULES: tuple[Rule, ...] = ()
