"""Every fuzz property again with HEAVY settings (1,000 examples, random seeds): slow, so CI only."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.fuzz import test_descriptor, test_headers, test_inputs, test_lockfiles, test_qsh, test_versions

HEAVY_TESTS: dict[str, Callable[[], None]] = {
    f"{module.__name__.rsplit('.', 1)[-1]}.{name}": test.heavy
    for module in (test_descriptor, test_headers, test_inputs, test_lockfiles, test_qsh, test_versions)
    for name, test in vars(module).items()
    if name.startswith("test_") and hasattr(test, "heavy")
}


@pytest.mark.slow
@pytest.mark.timeout(600)
@pytest.mark.parametrize("name", sorted(HEAVY_TESTS))
def test_heavy(name: str) -> None:
    HEAVY_TESTS[name]()


def test_every_property_has_a_heavy_variant() -> None:
    assert len(HEAVY_TESTS) >= 25
