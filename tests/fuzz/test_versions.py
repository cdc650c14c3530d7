"""Version ordering and ranges: Retire.js compare is a total order; OSV evaluation raises only its errors."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from hypothesis import strategies as st

from connectsec.components.versions import compare, in_range
from connectsec.deps.ecosystems import ECOSYSTEMS, VersionError, version_key
from connectsec.deps.osv import Advisory, RecordError, advisories_from
from tests.fuzz.bounds import fuzz

_part = st.one_of(
    st.integers(0, 30).map(str),
    st.sampled_from(["0", "00", "01", "rc1", "beta", "alpha", "b1", "", "x", "min", "10" * 3]),
    st.text("0123456789abcz", min_size=1, max_size=5),
)
retire_versions = st.one_of(
    st.lists(st.tuples(_part, st.sampled_from([".", "-"])), min_size=1, max_size=5).map(
        lambda parts: "".join(p + sep for p, sep in parts)[:-1]
    ),
    st.text(max_size=12),
)


@fuzz(retire_versions, retire_versions, retire_versions)
def test_retire_compare_is_a_total_order(a: str, b: str, c: str) -> None:
    assert compare(a, a) == 0
    assert compare(a, b) == -compare(b, a)
    if compare(a, b) <= 0 and compare(b, c) <= 0:
        assert compare(a, c) <= 0
    if compare(a, b) == 0:
        assert compare(a, c) == compare(b, c)


@fuzz(retire_versions, st.one_of(st.none(), retire_versions), st.one_of(st.none(), retire_versions))
def test_retire_range_is_the_half_open_interval(version: str, below: str | None, low: str | None) -> None:
    expected = (below is None or compare(version, below) < 0) and (low is None or compare(version, low) >= 0)
    assert in_range(version, below, low) == expected
    assert not in_range(version, below, low, excludes=[version])


@pytest.mark.parametrize("digits", [4_301, 50_000])
def test_retire_compare_takes_numbers_of_any_length(digits: int) -> None:
    """Found by fuzzing: int() refused parts over 4,300 digits (a served file can name any version)."""
    huge = "1" * digits
    assert compare(huge, "2") == 1
    assert compare(f"1.{huge}", f"1.0{huge}") == 0
    assert compare(huge + "0", huge) == 1


# --- OSV --------------------------------------------------------------------------------------

pypi_versions = st.builds(
    lambda parts, pre: ".".join(map(str, parts)) + pre,
    st.lists(st.integers(0, 12), min_size=1, max_size=3),
    st.sampled_from(["", "a1", "rc2", ".post1", ".dev0"]),
)
npm_versions = st.builds(
    lambda major, minor, patch, pre: f"{major}.{minor}.{patch}{pre}",
    st.integers(0, 12),
    st.integers(0, 12),
    st.integers(0, 12),
    st.sampled_from(["", "-beta.1", "-rc.0", "-0"]),
)
any_versions = st.one_of(pypi_versions, npm_versions, st.text(max_size=12))


def _advisory(ecosystem: str, events: list[tuple[str, str]], versions: tuple[str, ...] = ()) -> Advisory:
    record = {
        "id": "GHSA-fuzz",
        "affected": [
            {
                "package": {"ecosystem": ecosystem, "name": "pkg"},
                "ranges": [{"type": "ECOSYSTEM", "events": [{kind: bound} for kind, bound in events]}],
                "versions": list(versions),
            }
        ],
    }
    advisories = list(advisories_from(record))
    assert len(advisories) == 1
    return advisories[0]


@fuzz(
    st.sampled_from(ECOSYSTEMS),
    st.lists(st.tuples(st.sampled_from(["introduced", "fixed", "last_affected"]), any_versions), max_size=5),
    st.lists(any_versions, max_size=3),
    any_versions,
)
def test_osv_evaluation_raises_only_version_error(
    ecosystem: str, events: list[tuple[str, str]], versions: list[str], version: str
) -> None:
    advisory = _advisory(ecosystem, events, tuple(versions))
    assert advisory.range_text
    try:
        affected = advisory.affects(version)
        fixed = advisory.fixed_above(version)
    except VersionError:
        return
    if version in versions:
        assert affected
    if fixed is not None:
        assert version_key(ecosystem, fixed) > version_key(ecosystem, version)


@fuzz(st.sampled_from(["PyPI", "npm"]), pypi_versions, pypi_versions, pypi_versions)
def test_osv_introduced_fixed_is_the_half_open_interval(
    ecosystem: str, low: str, high: str, version: str
) -> None:
    try:
        key = {v: version_key(ecosystem, v) for v in (low, high, version)}
    except VersionError:
        return
    if not key[low] < key[high]:
        return
    above_low = low == "0" or key[low] <= key[version]  # introduced "0" means every version (OSV)
    advisory = _advisory(ecosystem, [("fixed", high), ("introduced", low)])
    assert advisory.affects(version) == (above_low and key[version] < key[high])
    last = _advisory(ecosystem, [("introduced", low), ("last_affected", high)])
    assert last.affects(version) == (above_low and key[version] <= key[high])
    if key[version] < key[high]:
        assert advisory.fixed_above(version) == high


json_value = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=10,
)
osv_fields = st.sampled_from(
    [
        "id",
        "aliases",
        "affected",
        "withdrawn",
        "summary",
        "references",
        "severity",
        "package",
        "ranges",
        "events",
    ]
)


_package = st.one_of(st.fixed_dictionaries({"ecosystem": st.just("npm"), "name": st.just("x")}), json_value)
_affected_fields = {
    "ranges": json_value,
    "versions": json_value,
    "severity": json_value,
    "database_specific": json_value,
}


@fuzz(
    st.fixed_dictionaries(
        {"id": st.one_of(st.just("OSV-1"), json_value)},
        optional={
            "aliases": json_value,
            "summary": json_value,
            "modified": json_value,
            "references": json_value,
            "severity": json_value,
            "database_specific": json_value,
            "affected": st.one_of(
                json_value,
                st.lists(
                    st.fixed_dictionaries({"package": _package}, optional=_affected_fields),
                    max_size=2,
                ),
            ),
        },
    )
)
def test_osv_records_raise_only_record_error(record: dict[str, Any]) -> None:
    try:
        advisories = list(advisories_from(record))
    except RecordError:
        return
    for advisory in advisories:
        assert advisory.range_text
        with contextlib.suppress(VersionError):
            advisory.affects("1.0.0")


@pytest.mark.parametrize(
    ("ecosystem", "version"), [("NuGet", ":"), ("NuGet", ""), ("NuGet", " "), ("Maven", "")]
)
def test_unorderable_versions_raise_version_error(ecosystem: str, version: str) -> None:
    """Found by fuzzing: univers' InvalidNuGetVersion escaped, and NuGet's empty version broke comparisons."""
    with pytest.raises(VersionError):
        version_key(ecosystem, version)


def test_empty_nuget_bound_is_a_version_error_not_a_type_error() -> None:
    advisory = _advisory("NuGet", [("introduced", "1.0"), ("last_affected", " ")])
    with pytest.raises(VersionError):
        advisory.affects("1.0")


@pytest.mark.parametrize("field", ["aliases", "references", "ranges", "versions", "events"])
def test_osv_fields_of_the_wrong_type_are_ignored(field: str) -> None:
    """Found by the heavy fuzz profile: `true` where OSV promises an array raised TypeError."""
    entry: dict[str, Any] = {"package": {"ecosystem": "npm", "name": "x"}, "versions": ["1.0.0"]}
    record: dict[str, Any] = {"id": "OSV-1", "affected": [entry]}
    if field in ("aliases", "references"):
        record[field] = True
    elif field == "events":
        entry["ranges"] = [{"type": "ECOSYSTEM", "events": True}]
    else:
        entry[field] = True
    (advisory,) = advisories_from(record)
    assert advisory.ranges == ()
    assert advisory.affects("1.0.0") == (field != "versions")
