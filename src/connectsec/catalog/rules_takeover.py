"""Finding types of R4 subdomain takeover."""

from __future__ import annotations

from connectsec.catalog.rule import Rule

TAKEOVER_RULES: tuple[Rule, ...] = ()
