"""Whose name is it: the vendor's own registrable domain, or a third party's."""

from __future__ import annotations

from connectsec.domain.psl import normalise, registrable_domain


def is_third_party(name: str, target: str) -> bool:
    """Whether `target` lies outside the registrable domain of `name`."""
    own, theirs = registrable_domain(name), registrable_domain(target)
    if own is None or theirs is None:
        return normalise(name) != normalise(target)
    return own != theirs
