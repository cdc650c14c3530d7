"""Finding types of R3 certificate and domain registration validity."""

from __future__ import annotations

from connectsec.catalog.rule import Rule

DOMAIN_RULES: tuple[Rule, ...] = ()
