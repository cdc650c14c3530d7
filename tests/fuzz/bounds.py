"""Hypothesis settings for the fuzz tests: bounded and reproducible in `make check`, heavier when slow.

`@fuzz(strategies…)` makes a property a test with the BOUNDED settings and keeps a HEAVY variant of
it as the test's `heavy` attribute, which test_heavy.py runs under `@pytest.mark.slow`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis.strategies import SearchStrategy

_HEALTH = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
BOUNDED = settings(
    max_examples=120, deadline=5_000, derandomize=True, database=None, suppress_health_check=_HEALTH
)
"""At most 120 examples from a fixed seed, so a red run reproduces."""
HEAVY = settings(
    max_examples=1_000, deadline=20_000, derandomize=True, database=None, suppress_health_check=_HEALTH
)
"""About 8 times the examples, also from a fixed seed: CI never turns red by chance (`make fuzz` explores)."""


def fuzz(*strategies: SearchStrategy[Any]) -> Callable[[Callable[..., None]], Callable[[], None]]:
    """A bounded Hypothesis test of the property, with its heavy variant attached as `.heavy`."""

    def decorate(check: Callable[..., None]) -> Callable[[], None]:
        test: Callable[[], None] = BOUNDED(given(*strategies)(check))
        test.heavy = HEAVY(given(*strategies)(check))  # type: ignore[attr-defined]
        return test

    return decorate
