"""Finding types of R4 subdomain takeover."""

from __future__ import annotations

from connectsec.catalog.rule import Rule
from connectsec.model.outcome import Severity, Verdict

_REMOVE = (
    "Delete the DNS record (CNAME, or the NS delegation) that points at the resource you no longer own, "
    "or claim the resource again at the provider before anyone else does; remove DNS records before "
    "deprovisioning the resources they point at."
)
_REGISTER = (
    "Delete the CNAME now, or register the target domain yourself; then check every record that points "
    "at a domain you do not control."
)
_INTERNAL = "Delete or fix the record: it points at a name in your own domain that does not exist."

TAKEOVER_RULES: tuple[Rule, ...] = (
    Rule(
        "takeover.confirmed",
        "R4",
        Verdict.FAIL,
        Severity.CRITICAL,
        "Subdomain takeover: the service shows its unclaimed page for the name",
        _REMOVE,
    ),
    Rule(
        "takeover.unregistered-domain",
        "R4",
        Verdict.FAIL,
        Severity.CRITICAL,
        "CNAME into an unregistered domain (anyone can register it)",
        _REGISTER,
    ),
    Rule(
        "takeover.dangling-nxdomain",
        "R4",
        Verdict.FAIL,
        Severity.HIGH,
        "CNAME to a missing name at a hosting provider where anyone can create it",
        _REMOVE,
    ),
    Rule(
        "takeover.lame-delegation",
        "R4",
        Verdict.FAIL,
        Severity.HIGH,
        "Name delegated to name servers that do not serve its zone",
        _REMOVE,
    ),
    Rule(
        "takeover.dangling-third-party",
        "R4",
        Verdict.FAIL,
        Severity.MEDIUM,
        "CNAME to a third-party name that does not exist",
        _REMOVE,
    ),
    Rule(
        "takeover.potential",
        "R4",
        Verdict.WARN,
        Severity.MEDIUM,
        "Possible subdomain takeover (not confirmed)",
        _REMOVE,
    ),
    Rule(
        "takeover.dangling-unclaimable",
        "R4",
        Verdict.WARN,
        Severity.LOW,
        "Dangling CNAME at a service that does not let others claim the name",
        _REMOVE,
    ),
    Rule(
        "takeover.dangling-internal",
        "R4",
        Verdict.WARN,
        Severity.LOW,
        "CNAME to a missing name in your own domain",
        _INTERNAL,
    ),
)
