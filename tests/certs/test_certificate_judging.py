"""Pure judgement of certificate records, host name matching and the verifier's view of chains."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from connectsec.certs.fetch import scan_from_chain
from connectsec.certs.hostname import matches
from connectsec.certs.parse import certificate_info
from connectsec.certs.verify import clean_reason, verify_chain
from connectsec.checks.domain.certificate import CertificateCheck, judge_scan
from connectsec.engine.rollup import roll_up
from connectsec.model import Outcome
from connectsec.model.certificate import PUBLIC_STORE, CertificateScan, ChainVerification
from tests.certs.pki import DAY, NOW, make_ca, make_leaf
from tests.certs.servers import HOST, observations, target

CA = make_ca()


@pytest.mark.parametrize(
    ("host", "names", "expected"),
    [
        ("app.example.com", ("app.example.com",), True),
        ("APP.example.com.", ("app.example.com",), True),
        ("a.example.com", ("*.example.com",), True),
        ("example.com", ("*.example.com",), False),
        ("a.b.example.com", ("*.example.com",), False),
        ("evil.com", ("*.com",), False),
        ("app.example.com", (), False),
        ("other.example.com", ("app.example.com",), False),
    ],
)
def test_hostname_matching(host: str, names: tuple[str, ...], expected: bool) -> None:
    assert matches(host, names, ()) is expected


def test_ip_hosts_match_ip_names_only() -> None:
    assert matches("127.0.0.1", (), ("127.0.0.1",))
    assert not matches("127.0.0.1", ("127.0.0.1",), ())
    assert matches("[::1]", (), ("::1",))


def _scan(leaf_cert, at: datetime = NOW, roots=(CA.cert,)) -> CertificateScan:  # type: ignore[no-untyped-def]
    return scan_from_chain(target(443), [leaf_cert], at, roots=roots)


def test_verifier_with_the_test_ca_as_public_store_passes_a_valid_chain() -> None:
    scan = _scan(make_leaf(CA, HOST).cert)
    assert scan.public == ChainVerification(PUBLIC_STORE, True, trusted=True, path=scan.public.path)  # type: ignore[union-attr]
    assert judge_scan(scan) == []


def test_verifier_tells_a_wrong_name_from_an_unknown_issuer() -> None:
    wrong = _scan(make_leaf(CA, "other.test").cert)
    assert wrong.public is not None
    assert wrong.public.verified is False
    assert wrong.public.trusted is True
    assert "subjectAltName" in (wrong.public.reason or "")
    assert [rule for rule, _ in judge_scan(wrong)] == ["cert.hostname-mismatch"]
    unknown = _scan(make_leaf(make_ca("x"), HOST).cert)
    assert unknown.public is not None
    assert unknown.public.trusted is False
    assert [rule for rule, _ in judge_scan(unknown)] == ["cert.untrusted"]


def test_expired_chain_is_still_recognised_as_trusted() -> None:
    scan = _scan(make_leaf(CA, HOST, not_before=NOW - 100 * DAY, not_after=NOW - DAY).cert)
    assert scan.public is not None
    assert scan.public.trusted is True
    problems = judge_scan(scan)
    assert [rule for rule, _ in problems] == ["cert.expired"]
    assert "1 day ago" in problems[0][1]


@pytest.mark.parametrize(
    ("days_left", "warn_days", "expected"),
    [(29.5, 30, ["cert.expiring"]), (31, 30, []), (10, 7, []), (6, 7, ["cert.expiring"])],
)
def test_expiry_threshold_is_configurable(days_left: float, warn_days: int, expected: list[str]) -> None:
    leaf = make_leaf(CA, HOST, not_after=NOW + timedelta(days=days_left))
    assert [rule for rule, _ in judge_scan(_scan(leaf.cert), warn_days)] == expected


def test_check_reads_the_threshold_from_observations() -> None:
    scan = _scan(make_leaf(CA, HOST, not_after=NOW + 20 * DAY).cert)
    assert {f.rule for f in CertificateCheck().judge(observations(scan)).findings} == {"cert.expiring"}
    relaxed = replace(observations(scan), expiry_warn_days=14)
    assert CertificateCheck().judge(relaxed).findings == ()


def test_weak_keys_and_hashes_of_intermediates_count_but_not_of_roots() -> None:
    info = certificate_info(make_leaf(CA, HOST).cert)
    weak_intermediate = replace(info, subject="CN=weak", key_bits=1024, is_ca=True, self_signed=False)
    sha1_root = replace(info, subject="CN=root", signature_hash="sha1", self_signed=True, is_ca=True)
    scan = CertificateScan(
        target(443),
        observed_at=NOW,
        chain=(info, weak_intermediate, sha1_root),
        public=ChainVerification(PUBLIC_STORE, True, trusted=True),
    )
    problems = judge_scan(scan)
    assert [rule for rule, _ in problems] == ["cert.weak-key"]
    assert "CN=weak" in problems[0][1]


def test_unexplained_verification_failure_never_passes() -> None:
    info = certificate_info(make_leaf(CA, HOST).cert)
    scan = CertificateScan(
        target(443),
        observed_at=NOW,
        chain=(info,),
        public=ChainVerification(PUBLIC_STORE, False, "cert is not valid at validation time", trusted=True),
    )
    assert [rule for rule, _ in judge_scan(scan)] == ["cert.verification-failed"]


def test_missing_observation_for_the_base_url_is_an_error() -> None:
    obs = observations()
    result = CertificateCheck().judge(obs)
    assert result.errors
    assert "not probed" in result.errors[0]
    assert roll_up("R3", "t", [result]).outcome is Outcome.ERROR


def test_plain_http_app_without_https_endpoint_is_skipped() -> None:
    result = CertificateCheck().judge(observations(base_url="http://app.test"))
    assert result.skipped is not None


def test_findings_of_several_addresses_merge_per_host_and_port() -> None:
    leaf = make_leaf(CA, HOST, not_after=NOW + 5 * DAY).cert
    first = _scan(leaf)
    second = replace(first, target=replace(first.target, address="127.0.0.2"))
    result = CertificateCheck().judge(observations(first, second))
    assert len(result.findings) == 1
    assert result.findings[0].location == f"{HOST}:443"
    assert len(result.findings[0].evidence) == 2
    assert result.findings[0].evidence[1].url == f"tls://{HOST}:443 (127.0.0.2)"
    assert "openssl s_client -connect 127.0.0.2:443 -servername app.test" in (
        result.findings[0].evidence[1].curl or ""
    )


def test_verify_chain_on_empty_inputs() -> None:
    leaf = make_leaf(CA, HOST).cert
    assert verify_chain([], HOST, NOW, [CA.cert], PUBLIC_STORE).verified is False
    empty = verify_chain([leaf], HOST, NOW, [], PUBLIC_STORE)
    assert empty.verified is False
    assert "no certificate" in (empty.reason or "")


def test_clean_reason_drops_debug_output() -> None:
    raw = (
        "validation failed: candidates exhausted: Forbidden signature algorithm: AlgorithmIdentifier "
        "{ oid: DefinedByMarker(PhantomData<x>), params: RsaWithSha1(Some(())) }"
    )
    assert clean_reason(raw) == "Forbidden signature algorithm"
    raw = (
        "validation failed: cert is not valid at validation time "
        "(encountered processing <Certificate(subject=<Name(CN=a)>, ...)>)"
    )
    assert clean_reason(raw) == "cert is not valid at validation time"


def test_observed_time_is_utc() -> None:
    scan = _scan(make_leaf(CA, HOST).cert, at=datetime.now(UTC))
    assert scan.leaf is not None
    assert scan.leaf.not_after.tzinfo is not None


def test_critical_subject_alt_name_and_key_usage_are_trusted_as_browsers_do() -> None:
    import trustme
    from cryptography import x509

    ca = trustme.CA()
    leaf = ca.issue_cert(HOST)  # trustme marks subjectAltName and extendedKeyUsage critical
    root = x509.load_pem_x509_certificate(ca.cert_pem.bytes())
    cert = x509.load_pem_x509_certificate(leaf.cert_chain_pems[0].bytes())
    assert cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).critical
    scan = scan_from_chain(target(443), [cert], datetime.now(UTC), roots=(root,))
    assert scan.public is not None
    assert scan.public.verified is True, scan.public.reason
    assert judge_scan(scan) == []
    wrong = scan_from_chain(target(443), [cert], datetime.now(UTC), roots=(make_ca("other").cert,))
    assert [rule for rule, _ in judge_scan(wrong)] == ["cert.untrusted"]


def test_leaf_without_server_auth_usage_is_not_trusted_for_tls() -> None:
    from cryptography.x509.oid import ExtendedKeyUsageOID

    root = make_ca("eku")
    client_only = make_leaf(root, HOST, usage=(ExtendedKeyUsageOID.CLIENT_AUTH,))
    scan = scan_from_chain(target(443), [client_only.cert], NOW, roots=(root.cert,))
    assert scan.public is not None
    assert scan.public.verified is False
    assert "server authentication" in (scan.public.reason or "")
