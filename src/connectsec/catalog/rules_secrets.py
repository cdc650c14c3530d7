"""Finding types of R8 secrets committed to the repository."""

from __future__ import annotations

from connectsec.catalog.rule import Rule

SECRET_RULES: tuple[Rule, ...] = ()
