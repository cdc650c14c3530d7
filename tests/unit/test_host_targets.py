"""Which TLS endpoints and plain-http URLs a scan probes, and at which addresses."""

from __future__ import annotations

import asyncio

from connectsec.engine.hosts import https_endpoints, plain_http_requests, resolve_targets
from connectsec.model import Endpoint, EndpointKind, Inventory
from connectsec.model.hosts import HostTarget
from connectsec.probes.netpolicy import ConnectionPolicy


def inventory() -> Inventory:
    return Inventory(
        descriptor_url="https://app.vendor.example:8443/atlassian-connect.json",
        app_key="app",
        app_name=None,
        base_url="https://app.vendor.example:8443",
        authentication="jwt",
        endpoints=(
            Endpoint("https://app.vendor.example:8443/page", EndpointKind.PAGE),
            Endpoint("https://api.vendor.example/hook", EndpointKind.WEBHOOK),
            Endpoint("http://plain.vendor.example/x", EndpointKind.PAGE),
        ),
        hosts=("app.vendor.example", "api.vendor.example", "www.vendor.example"),
        https_origins=(("app.vendor.example", 8443), ("www.vendor.example", 443)),
    )


def test_https_endpoints_with_and_without_link_hosts() -> None:
    assert https_endpoints(inventory()) == (
        ("app.vendor.example", 8443),
        ("www.vendor.example", 443),
        ("api.vendor.example", 443),
    )
    assert https_endpoints(inventory(), links=False) == (
        ("app.vendor.example", 8443),
        ("api.vendor.example", 443),
    )


def test_plain_http_once_per_host() -> None:
    specs = plain_http_requests([("app.vendor.example", 8443), ("app.vendor.example", 9443), ("::1", 443)])
    assert [s.url for s in specs] == ["http://app.vendor.example/", "http://[::1]/"]
    assert {s.purpose for s in specs} == {"plain-http"}
    assert [s.url for s in plain_http_requests([("h.example", 443)], port=8080)] == ["http://h.example:8080/"]


def test_resolve_targets_honours_resolve_policy_and_special_use_names() -> None:
    policy = ConnectionPolicy(user_hosts={"app.vendor.test"}, app_hosts={"other.vendor.test"})
    endpoints = [
        ("app.vendor.test", 443),  # --resolve to loopback: the user's own lab
        ("other.vendor.test", 443),  # named only by the descriptor: loopback is fine once the user's is
        ("meta.vendor.test", 443),  # not named at all
        ("gone.invalid", 443),  # can never resolve: dropped without an error
    ]
    resolve = {
        ("app.vendor.test", 443): "127.0.0.1",
        ("other.vendor.test", 443): "127.0.0.2",
        ("meta.vendor.test", 443): "127.0.0.3",
    }
    targets, problems = asyncio.run(resolve_targets(endpoints, resolve, policy, timeout=2))
    assert targets == [
        HostTarget("app.vendor.test", 443, "127.0.0.1"),
        HostTarget("other.vendor.test", 443, "127.0.0.2"),
    ]
    assert [(p.host, p.port) for p in problems] == [("meta.vendor.test", 443)]
    assert "not named by the target" in problems[0].reason


def test_offline_turns_every_outside_service_off() -> None:
    from connectsec.engine.request import ScanRequest

    request = ScanRequest(descriptor="https://app.vendor.example/atlassian-connect.json", offline=True)
    assert (request.rdap, request.storage_probe) == (False, False)
    assert ("offline", "true") in request.option_pairs()
    assert ScanRequest(descriptor="x").rdap is True
