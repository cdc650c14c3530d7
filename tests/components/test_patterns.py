"""Retire.js extractors under Python: placeholders, anchoring, replacement, lookbehind, literals."""

from __future__ import annotations

import pytest

from connectsec.components.identify import Method, content_sha1, file_name, identify, normalised_content
from connectsec.components.patterns import PatternError, compile_extractor, required_literal
from connectsec.components.retire import bundled_repository


def test_version_placeholder_and_min_suffix() -> None:
    pattern = compile_extractor("/(§§version§§)/jquery(\\.min)?\\.js")
    assert pattern.versions("https://cdn.example/ajax/libs/jquery/1.8.3/jquery.min.js") == ["1.8.3"]
    assert pattern.versions("https://cdn.example/jquery/latest/jquery.js") == []
    stripped = compile_extractor("jquery-(§§version§§)\\.js", anchored=True)
    assert stripped.versions("jquery-3.1.0.min.js") == ["3.1.0"]  # Retire.js drops a trailing .min


def test_filename_extractors_match_the_whole_name() -> None:
    pattern = compile_extractor("jquery-(§§version§§)(\\.min)?\\.js", anchored=True)
    assert pattern.versions("jquery-1.8.3.min.js") == ["1.8.3"]
    assert pattern.versions("my-jquery-1.8.3.js.map") == []


def test_replacement_extractor_builds_the_version() -> None:
    pattern = compile_extractor(
        "/majorVersion:.([0-9]+).,minorVersion:.([0-9.]+)./$1.$2/", replace=True, content=True
    )
    assert pattern.versions('tinymce={majorVersion:"4",minorVersion:"7.3",x:1}') == ["4.7.3"]


def test_replacement_of_the_bundled_jquery_extractor() -> None:
    jquery = bundled_repository().library("jquery")
    assert jquery is not None
    assert jquery.filecontentreplace
    text = 'var a=b.document,c="1.7.2",d=' + "x" * 140 + ";d.fn=d.prototype={jquery:c"
    assert jquery.filecontentreplace[0].versions(text) == ["1.7.2"]


def test_variable_width_lookbehind_becomes_a_check() -> None:
    source = (
        '="(§§version§§)(?<=[0-9]{1,2}\\.[0-9]{1,2}\\.[0-9]{1,2})"[\\s\\S]{1,300}__lodash_hash_undefined__'
    )
    pattern = compile_extractor(source, content=True)
    assert pattern.versions('v="4.17.4";var h="__lodash_hash_undefined__"') == ["4.17.4"]
    assert pattern.versions('v="4.17.4-x";var h="__lodash_hash_undefined__"') == []  # lookbehind fails
    assert pattern.groups == (1,)  # the position marker is not counted as the version group


def test_lodash_lookbehind_extractor_from_the_bundle_runs() -> None:
    repository = bundled_repository()
    assert repository.unusable == ()
    found = identify(repository, None, b'a.VERSION="4.17.4";var q="__lodash_hash_undefined__";')
    assert [(d.label, d.methods) for d in found] == [("lodash@4.17.4", (Method.CONTENT,))]


def test_unusable_extractor_is_an_error() -> None:
    with pytest.raises(PatternError):
        compile_extractor("(unclosed §§version§§")
    with pytest.raises(PatternError):
        compile_extractor("no-slashes", replace=True)


def test_unbounded_gaps_are_bounded_in_content_extractors() -> None:
    pattern = compile_extractor('[^a-z]f="(§§version§§)",.*[^a-z]jquery:f,', content=True)
    assert ".{0,1000}" in pattern.regex.pattern
    near = ' f="1.8.3",' + "x" * 500 + ",jquery:f,"
    far = ' f="1.8.3",' + "x" * 5000 + ",jquery:f,"
    assert pattern.versions(near) == ["1.8.3"]
    assert pattern.versions(far) == []


@pytest.mark.parametrize(
    ("regex", "literal"),
    [
        (r"/\*!? jQuery v([0-9]+)", " jQuery v"),
        (r"[^a-z]f=\"([0-9]+)\",.{0,1000}[^a-z]jquery:f,", "jquery:f,"),
        (r"a{1,300}bcd", "bcd"),  # quantifier digits are not text
        (r"\x41bc", ""),  # nor escape digits (conservatively, nothing after them either)
        (r"ab|cd", ""),  # a top-level alternative: nothing is required
        (r"(?i)jquery", ""),  # flags: case may differ
        (r"xy?z", "x"),  # an optional character splits the text
    ],
)
def test_required_literal(regex: str, literal: str) -> None:
    assert required_literal(regex) == literal


def test_every_bundled_literal_is_in_a_matching_text() -> None:
    repository = bundled_repository()
    jquery = repository.library("jquery")
    assert jquery is not None
    banner = "/*! jQuery v1.8.3 jquery.com | jquery.org/license */"
    assert [v for p in jquery.filecontent for v in p.versions(banner)] == ["1.8.3", "1.8.3"]


def test_content_is_hashed_with_normalised_line_breaks() -> None:
    assert normalised_content(b"a\r\nb\rc\n") == "a\nb\nc\n"
    assert content_sha1(normalised_content(b"x\r\n")) == content_sha1("x\n")


def test_file_name_of_url() -> None:
    assert file_name("https://h/a/b/jquery-1.8.3.min.js?v=2#x") == "jquery-1.8.3.min.js"
    assert file_name("https://h/") == ""


def test_identification_by_uri_and_filename() -> None:
    repository = bundled_repository()
    by_uri = identify(repository, "https://cdn.example/ajax/libs/jquery/1.8.3/jquery.min.js", None)
    assert [(d.label, d.methods) for d in by_uri] == [("jquery@1.8.3", (Method.URI,))]
    assert {a.severity for a in by_uri[0].advisories} == {"medium", "low"}
    by_name = identify(repository, "https://app.example/js/jquery-1.8.3.min.js?v=1", None)
    assert [(d.label, d.methods) for d in by_name] == [("jquery@1.8.3", (Method.FILENAME,))]
    assert identify(repository, "https://app.example/js/jquery.min.js", None) == ()
