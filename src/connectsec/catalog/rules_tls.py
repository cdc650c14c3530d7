"""Finding types of R1.1 TLS protocols, cipher suites and plain http."""

from __future__ import annotations

from connectsec.catalog.rule import Rule

TLS_RULES: tuple[Rule, ...] = ()
