"""R3: the baseUrl has an origin of its own, not a path on a shared one, nor a hosting platform's domain."""

from __future__ import annotations

import shlex
from urllib.parse import urlsplit

from connectsec.checks.domain._collect import Findings
from connectsec.domain.psl import private_suffix, registrable_domain
from connectsec.model import CheckResult, Coverage, Evidence, Observations
from connectsec.redact import Redactor


class SharedOriginCheck:
    """R3 shared domain: judged from the descriptor alone."""

    requirement = "R3"
    needs: frozenset[str] = frozenset()

    def __init__(self, redactor: Redactor | None = None) -> None:
        self._redactor = redactor or Redactor()

    def judge(self, observations: Observations) -> CheckResult:
        """Flag a baseUrl with a path (origin unique only through it) and a platform-owned domain."""
        inventory = observations.inventory
        base = self._redactor.url(inventory.base_url)
        try:
            parts = urlsplit(inventory.base_url)
            host = (parts.hostname or "").lower()
            origin = f"{parts.scheme}://{parts.netloc}".lower()
        except ValueError as exc:
            return CheckResult(
                requirement=self.requirement, errors=(f"baseUrl {base} does not parse: {exc}",)
            )
        if not host:
            return CheckResult(requirement=self.requirement, errors=(f"baseUrl {base} has no host",))
        descriptor = self._redactor.url(inventory.descriptor_url)
        evidence = Evidence(
            method="GET",
            url=descriptor,
            status=None,
            excerpt=f'"baseUrl": "{base}"',
            curl=f"curl -sS {shlex.quote(descriptor)}",
        )
        findings = Findings()
        if parts.path.strip("/"):
            findings.add(
                "origin.path-only",
                base,
                f"The baseUrl identifies the app by the path {parts.path} on {origin}: the origin is "
                "unique to the app only if nothing else is served from it. Connect apps must have a "
                "unique origin, because the product isolates app iframes, and browsers scope cookies, "
                f"storage and the same-origin policy, per origin: anything else on {origin} can script "
                "the app's frames and read its cookies. Allowed only when the same partner owns every "
                "app and page on that origin.",
                evidence,
            )
        suffix = private_suffix(host)
        if suffix:
            owner = registrable_domain(host) or suffix
            findings.add(
                "origin.platform-domain",
                origin,
                f"{host} is a name under {suffix}, a hosting platform's shared domain (Public Suffix "
                f"List, private section). Browsers keep its sites apart, but the domain {owner} is "
                "registered to the platform, not to you: you hold the name only while the platform "
                f"account exists. If it is deleted, anyone can claim {host} there and receive the "
                "traffic of every install (see R4).",
                evidence,
            )
        return CheckResult(
            requirement=self.requirement,
            findings=findings.built(),
            coverage=Coverage(tested=1),
            tested=f"baseUrl origin {origin}",
        )


SHARED_ORIGIN_CHECK = SharedOriginCheck()
