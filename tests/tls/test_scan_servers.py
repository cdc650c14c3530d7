"""scan_tls + the R1.1 judge against real loopback servers, one configuration each."""

from __future__ import annotations

import ssl

import pytest

from connectsec.checks.transport.profiles import mozilla_profile
from connectsec.checks.transport.tls_protocols import judge_endpoint
from connectsec.model.tls import TlsScan
from connectsec.tls.scan import scan_tls
from tests.tls.servers import (
    CertFiles,
    RawConfig,
    free_port,
    openssl_server,
    python_tls_server,
    raw_server,
    target,
)

TLS13_DEFAULT = {"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"}
SSL3, TLS10, TLS12 = 0x0300, 0x0301, 0x0303


async def scan(port: int) -> TlsScan:
    return await scan_tls(target(port), timeout=5)


def accepted(result: TlsScan) -> dict[str, bool | None]:
    return {p.protocol: p.accepted for p in result.protocols}


def suites(result: TlsScan, protocol: str) -> list[str]:
    found = result.protocol(protocol)
    assert found is not None
    return list(found.suites)


def rules(result: TlsScan) -> set[str]:
    findings, errors = judge_endpoint(result)
    assert errors == []
    return {f.rule for f in findings}


ONLY_12_13 = {
    "SSLv2": False,
    "SSLv3": False,
    "TLSv1.0": False,
    "TLSv1.1": False,
    "TLSv1.2": True,
    "TLSv1.3": True,
}


async def test_compliant_host_is_clean(certs: CertFiles) -> None:
    ciphers = "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305"
    with openssl_server(certs, "-min_protocol", "TLSv1.2", "-cipher", ciphers) as port:
        result = await scan(port)
    assert result.error is None
    assert accepted(result) == ONLY_12_13
    assert set(suites(result, "TLSv1.2")) == {
        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
    }
    assert set(suites(result, "TLSv1.3")) == TLS13_DEFAULT
    assert rules(result) == set()
    assert mozilla_profile(result) == "intermediate"
    assert result.baseline is not None
    assert "TLSv1.3" in result.baseline


async def test_tls13_only_meets_modern(certs: CertFiles) -> None:
    with openssl_server(certs, "-tls1_3") as port:
        result = await scan(port)
    assert {p for p, ok in accepted(result).items() if ok} == {"TLSv1.3"}
    assert rules(result) == set()
    assert mozilla_profile(result) == "modern"


async def test_tls10_and_11_accepted_is_legacy(certs: CertFiles) -> None:
    ciphers = "ECDHE-RSA-AES256-GCM-SHA384:AES128-SHA:@SECLEVEL=0"
    with openssl_server(
        certs, "-min_protocol", "TLSv1", "-max_protocol", "TLSv1.2", "-cipher", ciphers
    ) as port:
        result = await scan(port)
    assert accepted(result) == {**ONLY_12_13, "TLSv1.0": True, "TLSv1.1": True, "TLSv1.3": False}
    assert suites(result, "TLSv1.0") == ["TLS_RSA_WITH_AES_128_CBC_SHA"]
    assert rules(result) == {"tls.legacy-protocol"}
    assert mozilla_profile(result) == "old"


async def test_3des_is_a_weak_cipher() -> None:
    # This OpenSSL build has no 3DES at all, so a raw server offers it.
    config = RawConfig(versions=(TLS12,), suites=(0xC030, 0x000A), groups=(29, 23), server_preference=False)
    with raw_server(config) as port:
        result = await scan(port)
    assert set(suites(result, "TLSv1.2")) == {
        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
    }
    assert rules(result) == {"tls.weak-cipher"}
    tls12 = result.protocol("TLSv1.2")
    assert tls12 is not None
    assert set(tls12.groups) == {"x25519", "secp256r1"}


async def test_anonymous_suite_is_a_weak_cipher(certs: CertFiles) -> None:
    ciphers = "ECDHE-RSA-AES256-GCM-SHA384:ADH-AES256-GCM-SHA384:@SECLEVEL=0"
    with openssl_server(certs, "-tls1_2", "-cipher", ciphers) as port:
        result = await scan(port)
    assert "TLS_DH_anon_WITH_AES_256_GCM_SHA384" in suites(result, "TLSv1.2")
    findings, _ = judge_endpoint(result)
    assert [f.rule for f in findings] == ["tls.weak-cipher"]
    assert "anonymous" in findings[0].detail


async def test_server_order_preferring_aes128_warns(certs: CertFiles) -> None:
    ciphers = "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-SHA"
    with openssl_server(certs, "-tls1_2", "-serverpref", "-cipher", ciphers) as port:
        result = await scan(port)
    tls12 = result.protocol("TLSv1.2")
    assert tls12 is not None
    assert tls12.server_preference is True
    assert list(tls12.suites) == [
        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
    ]
    assert rules(result) == {"tls.weak-preferred"}


async def test_client_order_is_recognised(certs: CertFiles) -> None:
    ciphers = "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384"
    with openssl_server(certs, "-tls1_2", "-cipher", ciphers) as port:
        result = await scan(port)
    tls12 = result.protocol("TLSv1.2")
    assert tls12 is not None
    assert tls12.server_preference is False
    assert rules(result) == set()


async def test_only_aes128_warns_no_strong_cipher(certs: CertFiles) -> None:
    with openssl_server(certs, "-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256") as port:
        result = await scan(port)
    assert suites(result, "TLSv1.2") == ["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"]
    assert rules(result) == {"tls.no-strong-cipher"}


async def test_groups_are_enumerated(certs: CertFiles) -> None:
    with openssl_server(certs, "-min_protocol", "TLSv1.2", "-groups", "X25519:P-384") as port:
        result = await scan(port)
    for protocol in ("TLSv1.2", "TLSv1.3"):
        found = result.protocol(protocol)
        assert found is not None
        assert set(found.groups) == {"x25519", "secp384r1"}, protocol


async def test_tls13_suites_restricted_with_s_server(certs: CertFiles) -> None:
    with openssl_server(certs, "-tls1_3", "-ciphersuites", "TLS_CHACHA20_POLY1305_SHA256") as port:
        result = await scan(port)
    assert suites(result, "TLSv1.3") == ["TLS_CHACHA20_POLY1305_SHA256"]


async def test_python_server_tls11_only(certs: CertFiles) -> None:
    with python_tls_server(certs, ssl.TLSVersion.TLSv1_1, ssl.TLSVersion.TLSv1_1) as port:
        result = await scan(port)
    assert {p for p, ok in accepted(result).items() if ok} == {"TLSv1.1"}
    assert rules(result) >= {"tls.legacy-protocol", "tls.no-tls12"}


async def test_raw_sslv3_with_export_suites() -> None:
    config = RawConfig(versions=(SSL3,), suites=(0x0003, 0x0008, 0x002F))
    with raw_server(config) as port:
        result = await scan(port)
    assert {p for p, ok in accepted(result).items() if ok} == {"SSLv3"}
    assert suites(result, "SSLv3") == [
        "TLS_RSA_EXPORT_WITH_RC4_40_MD5",
        "TLS_RSA_EXPORT_WITH_DES40_CBC_SHA",
        "TLS_RSA_WITH_AES_128_CBC_SHA",
    ]
    protocol = result.protocol("SSLv3")
    assert protocol is not None
    assert protocol.server_preference is True
    findings, errors = judge_endpoint(result)
    assert errors == []
    assert {f.rule for f in findings} == {"tls.ssl-protocol", "tls.weak-cipher", "tls.no-tls12"}
    weak = next(f for f in findings if f.rule == "tls.weak-cipher")
    assert "EXPORT" in weak.detail
    assert "RC4" in weak.detail


async def test_raw_export_on_tls12_with_client_order() -> None:
    config = RawConfig(versions=(TLS10, TLS12), suites=(0xC030, 0x0014), server_preference=False)
    with raw_server(config) as port:
        result = await scan(port)
    assert accepted(result) == {**ONLY_12_13, "TLSv1.0": True, "TLSv1.3": False}
    assert set(suites(result, "TLSv1.2")) == {
        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        "TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA",
    }
    tls12 = result.protocol("TLSv1.2")
    assert tls12 is not None
    assert tls12.server_preference is False
    assert rules(result) == {"tls.legacy-protocol", "tls.weak-cipher"}


async def test_raw_sslv2() -> None:
    config = RawConfig(versions=(TLS12,), suites=(0xC030,), ssl2_kinds=(0x010080, 0x020080))
    with raw_server(config) as port:
        result = await scan(port)
    assert accepted(result)["SSLv2"] is True
    assert set(suites(result, "SSLv2")) == {"SSL_CK_RC4_128_WITH_MD5", "SSL_CK_RC4_128_EXPORT40_WITH_MD5"}
    assert rules(result) == {"tls.ssl-protocol", "tls.weak-cipher"}


@pytest.mark.parametrize("behaviour", ["silent", "garbage", "reset", "decode-error"])
async def test_hostile_servers_give_errors_never_pass(behaviour: str) -> None:
    with raw_server(RawConfig(behaviour=behaviour)) as port:
        result = await scan_tls(target(port), timeout=0.5)
    findings, errors = judge_endpoint(result)
    assert findings == []
    assert errors, result
    assert not any(p.accepted for p in result.protocols)


async def test_decode_error_is_told_from_refusal() -> None:
    with raw_server(RawConfig(behaviour="decode-error")) as port:
        result = await scan(port)
    tls12 = result.protocol("TLSv1.2")
    assert tls12 is not None
    assert tls12.accepted is None
    assert tls12.error is not None
    assert "malformed" in tls12.error


async def test_closed_port_is_an_endpoint_error() -> None:
    result = await scan(free_port())
    assert result.error is not None
    assert "cannot connect" in result.error
    assert judge_endpoint(result)[1]
