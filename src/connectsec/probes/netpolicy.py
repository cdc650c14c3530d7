"""Connection policy: which hosts and addresses a scan may connect to."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_METADATA = (
    ipaddress.ip_network("169.254.0.0/16"),
    ipaddress.ip_network("fe80::/10"),
    ipaddress.ip_network("fd00:ec2::254/128"),
    ipaddress.ip_network("100.100.100.200/32"),
)


class PolicyViolation(Exception):
    """A connection the policy refuses; the message says which host and why."""


def address_class(address: IPAddress) -> str:
    """`public`, `loopback`, `metadata` (link-local, cloud metadata) or `private`."""
    if address.is_loopback:
        return "loopback"
    if any(address in net for net in _METADATA):
        return "metadata"
    if address.is_private or address.is_reserved or address.is_multicast or address.is_unspecified:
        return "private"
    return "public"


@dataclass
class ConnectionPolicy:
    """Only hosts the target names; non-public addresses only where the user pointed the scan.

    `user_hosts` are hosts the user typed (descriptor URL, --base-url, --resolve, --endpoints):
    any address is fine for them. Other `app_hosts` (named by the descriptor) must resolve to
    public addresses unless the user's own target is not public (a lab or the demo), or
    `allow_private` is set. Metadata/link-local addresses need the user to name them.
    """

    user_hosts: set[str] = field(default_factory=set)
    app_hosts: set[str] = field(default_factory=set)
    allow_private: bool = False
    lab_classes: set[str] = field(default_factory=set)
    """Address classes the user's own hosts resolved to (e.g. loopback for the demo)."""

    def host_allowed(self, host: str) -> bool:
        """Whether requests to this host may be sent (redirects elsewhere are not followed)."""
        host = host.lower()
        return host in self.user_hosts or host in self.app_hosts

    def check_address(self, host: str, address: IPAddress) -> None:
        """Raise PolicyViolation when connecting `host` to `address` is not allowed."""
        host = host.lower()
        kind = address_class(address)
        if host in self.user_hosts:
            self.lab_classes.add(kind)
            return
        if not self.host_allowed(host):
            raise PolicyViolation(f"{host} is not named by the target")
        if kind == "public" or self.allow_private or kind in self.lab_classes:
            return
        raise PolicyViolation(f"{host} resolves to a {kind} address ({address}); not connecting")
