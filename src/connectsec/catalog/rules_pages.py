"""Finding types of R10 credential collection, R8 token leaks via Referer, R7 sharedSecret exposure."""

from __future__ import annotations

from connectsec.catalog.rule import Rule

PAGE_RULES: tuple[Rule, ...] = ()
