"""The IANA TLS cipher suite and supported group registries, with the properties R1.1 judges."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any


@dataclass(frozen=True)
class CipherSuite:
    """One cipher suite code point (2 bytes; 3 bytes for SSL 2.0 cipher kinds)."""

    code: int
    name: str
    """The IANA name (`TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256`; `SSL_CK_…` for SSL 2.0)."""
    tls13: bool = False
    kex: str = ""
    """Key exchange: RSA, DHE, ECDHE, DH, ECDH, PSK, … (`ANY` for TLS 1.3 suites)."""
    auth: str = ""
    """Authentication: RSA, ECDSA, DSS, anon, PSK, … (`ANY` for TLS 1.3 suites)."""
    cipher: str = ""
    bits: int = 0
    mac: str = ""
    """MD5, SHA (SHA-1), SHA256, SHA384 or AEAD."""
    aead: bool = False
    export: bool = False
    null: bool = False
    anon: bool = False
    rc4: bool = False
    des: bool = False
    triple_des: bool = False
    scsv: bool = False
    """A signalling value, not a suite (never offered as one)."""
    ssl2: bool = False

    @property
    def weaknesses(self) -> tuple[str, ...]:
        """Why the suite is weak: NULL, EXPORT, RC4, 3DES, DES, anonymous (empty when none)."""
        flags = (
            (self.null, "NULL cipher"),
            (self.export, "EXPORT"),
            (self.rc4, "RC4"),
            (self.triple_des, "3DES"),
            (self.des, "DES"),
            (self.anon, "anonymous"),
        )
        return tuple(label for flag, label in flags if flag)

    @property
    def strong(self) -> bool:
        """AES-256 or ChaCha20-Poly1305 with an AEAD or SHA-256+ MAC, and no weakness."""
        cipher_ok = self.cipher.startswith("AES_256") or self.cipher == "CHACHA20_POLY1305"
        mac_ok = self.aead or self.mac in ("SHA256", "SHA384")
        return cipher_ok and mac_ok and not self.weaknesses


@dataclass(frozen=True)
class Group:
    """One supported group (named curve, finite-field group, KEM or hybrid)."""

    code: int
    name: str
    kind: str
    """`ec`, `ffdhe`, `kem` or `hybrid`."""
    bits: int
    tls12: bool
    """Usable for TLS 1.2 ECDHE/DHE."""
    tls13: bool


@dataclass(frozen=True)
class Registry:
    """The whole registry, indexed."""

    suites: tuple[CipherSuite, ...]
    ssl2_suites: tuple[CipherSuite, ...]
    groups: tuple[Group, ...]

    def suite(self, code: int) -> CipherSuite | None:
        """The TLS suite with a 2-byte code."""
        return _suite_index(self).get(code)

    def ssl2_suite(self, code: int) -> CipherSuite | None:
        """The SSL 2.0 cipher kind with a 3-byte code."""
        return next((s for s in self.ssl2_suites if s.code == code), None)

    def by_name(self, name: str) -> CipherSuite | None:
        """A suite (TLS or SSL 2.0) by IANA name."""
        return _name_index(self).get(name)

    def group(self, code: int) -> Group | None:
        """A group by code."""
        return next((g for g in self.groups if g.code == code), None)

    def suite_name(self, code: int) -> str:
        """The IANA name, or `0xC0FF (unassigned)` for a code outside the registry."""
        suite = self.suite(code)
        return suite.name if suite else f"0x{code:04X} (unassigned)"

    def group_name(self, code: int) -> str:
        """The group's name, or its code when unknown."""
        group = self.group(code)
        return group.name if group else f"group 0x{code:04X}"


@cache
def _suite_index(registry: Registry) -> dict[int, CipherSuite]:
    return {s.code: s for s in registry.suites}


@cache
def _name_index(registry: Registry) -> dict[str, CipherSuite]:
    return {s.name: s for s in (*registry.suites, *registry.ssl2_suites)}


def _suite(raw: dict[str, Any], *, ssl2: bool = False) -> CipherSuite:
    fields = {k: v for k, v in raw.items() if k in CipherSuite.__dataclass_fields__}
    return CipherSuite(**fields, ssl2=ssl2)


@cache
def registry() -> Registry:
    """The bundled registry (data/tls/registry.json), loaded once."""
    text = resources.files("connectsec.data.tls").joinpath("registry.json").read_text("utf-8")
    data = json.loads(text)
    return Registry(
        suites=tuple(_suite(s) for s in data["cipher_suites"]),
        ssl2_suites=tuple(_suite(s, ssl2=True) for s in data["ssl2_cipher_suites"]),
        groups=tuple(Group(**g) for g in data["groups"]),
    )
