"""R5: authentication and authorization of every endpoint, and of the install lifecycle."""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Iterable
from dataclasses import replace
from urllib.parse import urljoin, urlsplit

from connectsec.auth.credentials import Tenant
from connectsec.auth.minting import TokenMinter, without_jwt
from connectsec.auth.oracle import Access, judge_access, tenant_data
from connectsec.catalog.rules import make_finding
from connectsec.checks.auth.install import CLEANUP, PURPOSE, install_body, install_requests, uninstall
from connectsec.checks.auth.views import EndpointView, endpoint_views
from connectsec.checks.base import AttackContext, Send
from connectsec.checks.evidence import evidence_for
from connectsec.connect_jwt import InstallKeyPair
from connectsec.html.page import is_html, parse_page
from connectsec.model import (
    CheckResult,
    Coverage,
    Endpoint,
    EndpointKind,
    Finding,
    HttpExchange,
    HttpRequestSpec,
    Inventory,
    Observations,
)
from connectsec.redact import Redactor

VERTICAL = "R5:vertical"
HIJACK = "R5:hijack"
HORIZONTAL = "R5:horizontal"
_ID_SEGMENT = re.compile(r"(?:^|/)(?:\d{2,}|[0-9a-f]{6,}(?:-[0-9a-f]+)*)(?:/|$)", re.IGNORECASE)
_JSON_PATH = re.compile(r'"(/[A-Za-z0-9_\-./]+)"')
MAX_RESOURCES = 50


class AccessControlCheck:
    """R5: nothing protected is served without a token, installs cannot be forged, authz holds."""

    requirement = "R5"
    needs = frozenset({"http"})

    def __init__(self, redactor: Redactor | None = None) -> None:
        self._redactor = redactor or Redactor()

    async def attack(self, context: AttackContext, send: Send) -> tuple[HttpExchange, ...]:
        """Install forgeries (then cleanup), vertical and horizontal authorization probes."""
        inventory = context.observations.inventory
        sent: list[HttpExchange] = []
        lifecycle = {e.source: e for e in inventory.endpoints if e.kind is EndpointKind.LIFECYCLE}
        installed, uninstalled = lifecycle.get("lifecycle.installed"), lifecycle.get("lifecycle.uninstalled")
        if context.state_changing and installed is not None:
            key = InstallKeyPair.generate()
            attempts = await send(install_requests(inventory, installed, key))
            sent.extend(attempts)
            accepted = [x.request for x in attempts if x.final is not None and 200 <= x.final.status < 300]
            if accepted and uninstalled is not None:
                sent.extend(await uninstall(accepted, uninstalled, inventory, key, send))
        tenants = [t for t in context.credentials.tenants if t.shared_secret]
        views = endpoint_views(context.observations)
        primary_tenant = context.credentials.primary
        if context.state_changing and context.allow_install_hijack and installed and primary_tenant:
            sent.extend(await self._hijack(views, installed, primary_tenant, inventory, send))
        primary = context.credentials.primary
        if primary and primary.shared_secret and primary.user_account_id and primary.admin_account_id:
            sent.extend(await send(self._vertical(views, primary, inventory.base_url)))
        if len(tenants) >= 2:
            sent.extend(await self._horizontal(views, tenants[0], tenants[1], inventory.base_url, send))
        return tuple(sent)

    async def _hijack(
        self, views: list[EndpointView], installed: Endpoint, tenant: Tenant, inventory: Inventory, send: Send
    ) -> list[HttpExchange]:
        """Unsigned install for the real tenant with a new secret; prove it took; restore the original."""
        probe = next(
            (v.endpoint for v in views if v.live and v.refused_anonymous and v.endpoint.method == "GET"), None
        )
        if probe is None or not tenant.shared_secret or not tenant.product_url:
            return []
        new_secret = secrets.token_urlsafe(32)
        headers = (("Content-Type", "application/json"),)

        def install(secret: str, purpose: str) -> HttpRequestSpec:
            body = install_body(inventory, tenant.client_key, secret, tenant.product_url or "", "installed")
            return HttpRequestSpec("POST", installed.url, installed, headers, body, purpose=purpose)

        hijacked = replace(tenant, shared_secret=new_secret)
        base = inventory.base_url
        sent = await send([install(new_secret, f"{HIJACK}:install")])
        sent += await send(
            [_signed_request(probe, probe.url, hijacked, tenant.user_account_id, base, f"{HIJACK}:probe")]
        )
        sent += await send([install(tenant.shared_secret, f"{HIJACK}:restore")])
        sent += await send(
            [_signed_request(probe, probe.url, tenant, tenant.user_account_id, base, f"{HIJACK}:verify")]
        )
        return sent

    def _vertical(self, views: list[EndpointView], tenant: Tenant, base_url: str) -> list[HttpRequestSpec]:
        specs = []
        for view in views:
            if not view.endpoint.admin_only or view.endpoint.kind is EndpointKind.WEBHOOK:
                continue
            for role, subject in (("admin", tenant.admin_account_id), ("user", tenant.user_account_id)):
                specs.append(
                    _signed_request(
                        view.endpoint, view.endpoint.url, tenant, subject, base_url, f"{VERTICAL}:{role}"
                    )
                )
        return specs

    async def _horizontal(
        self, views: list[EndpointView], attacker: Tenant, owner: Tenant, base_url: str, send: Send
    ) -> list[HttpExchange]:
        pages = [v.endpoint for v in views if v.endpoint.method == "GET"]
        owner_view = await send(
            [
                _signed_request(e, e.url, owner, owner.user_account_id, base_url, f"{HORIZONTAL}:discover")
                for e in pages
            ]
        )
        resources = _resources(owner_view, base_url)[:MAX_RESOURCES]
        specs = []
        for url in resources:
            endpoint = Endpoint(url=url, kind=EndpointKind.API, source="horizontal")
            specs.append(
                _signed_request(endpoint, url, owner, owner.user_account_id, base_url, f"{HORIZONTAL}:owner")
            )
            specs.append(
                _signed_request(
                    endpoint, url, attacker, attacker.user_account_id, base_url, f"{HORIZONTAL}:other"
                )
            )
        return [*owner_view, *await send(specs)]

    def judge(self, observations: Observations) -> CheckResult:
        """Judge anonymous access per endpoint, installs, and authorization pairs."""
        findings: list[Finding] = []
        errors: list[str] = []
        notes: list[str] = []
        tested = inconclusive = 0
        for view in endpoint_views(observations):
            outcome = self._judge_anonymous(view, findings, notes)
            if outcome is None:
                continue
            if outcome:
                tested += 1
            else:
                inconclusive += 1
                errors.append(f"{self._redactor.url(view.endpoint.url)}: {self._anonymous_reason(view)}")
        install_tested = self._judge_installs(observations, findings, notes)
        install_tested += self._judge_hijack(observations, findings, errors)
        if not install_tested and any(
            e.source == "lifecycle.installed" for e in observations.inventory.endpoints
        ):
            notes.append("install forgery not tested (--no-state-changing): lifecycle `installed` left alone")
        authz_tested, authz_errors = self._judge_authz(observations, findings)
        errors.extend(authz_errors)
        purposes = {x.request.purpose.rsplit(":", 1)[0] for x in observations.exchanges}
        if VERTICAL not in purposes and any(e.admin_only for e in observations.inventory.endpoints):
            notes.append(
                "vertical authorization not tested: needs a tenant secret, "
                "--user-account-id and --admin-account-id"
            )
        if HORIZONTAL not in purposes:
            notes.append("horizontal authorization not tested: needs two tenants with secrets ([[tenants]])")
        if not observations.inventory.signed_install and not any(
            f.rule.startswith("install.") for f in findings
        ):
            notes.append('signed install is not enabled ("apiMigrations": {"signed-install": true})')
        summary = f"{tested} endpoints refused or safely served without a token"
        if install_tested:
            summary += f"; {install_tested} forged installs tried"
        if authz_tested:
            summary += f"; {authz_tested} authorization pairs compared"
        return CheckResult(
            requirement=self.requirement,
            findings=tuple(findings),
            coverage=Coverage(tested=tested + install_tested + authz_tested, inconclusive=inconclusive),
            tested=summary,
            errors=tuple(errors),
            notes=tuple(notes),
            skipped=None
            if tested or install_tested or inconclusive
            else "no endpoint that needs authentication was found",
        )

    def _anonymous_reason(self, view: EndpointView) -> str:
        if view.anonymous is None:
            return "not requested"
        return judge_access(view.anonymous).reason

    def _judge_anonymous(self, view: EndpointView, findings: list[Finding], notes: list[str]) -> bool | None:
        """True: judged; False: inconclusive; None: not requested."""
        anonymous = view.anonymous
        if anonymous is None:
            return None
        reference = view.authenticated if view.live else None
        verdict = judge_access(anonymous, reference=reference)
        final = anonymous.final
        location = self._redactor.url(view.endpoint.url)
        if verdict.access is Access.INCONCLUSIVE:
            # a webhook answering 4xx without a token did not process it
            return final is not None and view.endpoint.kind is EndpointKind.WEBHOOK and final.status < 500
        if verdict.access is Access.REFUSED or final is None:
            return True
        data = tenant_data(final)
        if (
            verdict.access is Access.ACCEPTED
            and data is None
            and view.endpoint.kind is not EndpointKind.WEBHOOK
        ):
            # the same page with and without a token, and nothing tenant-specific in it: a public page
            verdict = replace(
                verdict, access=Access.SHELL, reason=f"{verdict.reason}; no tenant data recognised"
            )
        evidence = (
            evidence_for(
                anonymous,
                final,
                ("content-type", "location", "www-authenticate"),
                excerpt=verdict.reason,
                redactor=self._redactor,
            ),
        )
        if view.endpoint.kind is EndpointKind.WEBHOOK:
            findings.append(
                make_finding(
                    "auth.webhook-unauthenticated",
                    location,
                    f"HTTP {final.status} to a webhook POST without a token: {verdict.reason}",
                    evidence,
                )
            )
        elif verdict.access is Access.ACCEPTED:
            findings.append(
                make_finding(
                    "auth.unauthenticated-data",
                    location,
                    f"Served without a token: {verdict.reason}",
                    evidence,
                )
            )
        elif view.endpoint.kind is EndpointKind.PAGE:
            findings.append(
                make_finding(
                    "auth.unauthenticated-shell",
                    location,
                    f"Served without a token: {verdict.reason}",
                    evidence,
                )
            )
        else:
            notes.append(f"{location} is served without a token and shows no tenant data")
        return True

    def _judge_installs(self, observations: Observations, findings: list[Finding], notes: list[str]) -> int:
        attempts = [x for x in observations.exchanges if x.request.purpose.startswith(PURPOSE + ":")]
        signed = observations.inventory.signed_install
        reported: set[str] = set()
        for exchange in attempts:
            final = exchange.final
            attack_id = exchange.request.purpose.rsplit(":", 1)[-1]
            if final is None or not 200 <= final.status < 300:
                continue
            if attack_id == "unsigned":
                rule = "install.unsigned-accepted" if signed else "install.signed-install-not-enabled"
            else:
                rule = "install.forged-accepted"
            evidence = (evidence_for(exchange, final, ("content-type",), redactor=self._redactor),)
            detail = (
                f"`installed` answered HTTP {final.status} to a {attack_id} install for a throwaway tenant."
            )
            location = f"{self._redactor.url(exchange.request.url)} ({attack_id})"
            if location not in reported:
                reported.add(location)
                findings.append(make_finding(rule, location, detail, evidence))
        done: dict[str, bool] = {}
        for x in observations.exchanges:
            if x.request.purpose.startswith(CLEANUP + ":"):
                client_key = json.loads(x.request.body or b"{}").get("clientKey", "")
                ok = x.final is not None and 200 <= x.final.status < 300
                done[client_key] = done.get(client_key, False) or ok
        failed = [k for k, ok in done.items() if not ok]
        if failed:
            notes.append(
                f"{len(failed)} throwaway tenants registered by accepted install attacks "
                "could not be uninstalled"
            )
        return len(attempts)

    def _judge_hijack(self, observations: Observations, findings: list[Finding], errors: list[str]) -> int:
        steps = {
            x.request.purpose.rsplit(":", 1)[-1]: x
            for x in observations.exchanges
            if x.request.purpose.startswith(HIJACK)
        }
        if not steps:
            return 0
        ok = {k: x.final is not None and 200 <= x.final.status < 300 for k, x in steps.items()}
        if ok.get("install") and ok.get("probe"):
            install, probe = steps["install"], steps["probe"]
            assert install.final is not None
            assert probe.final is not None
            evidence = (
                evidence_for(
                    install,
                    install.final,
                    ("content-type",),
                    excerpt="unsigned install, new secret",
                    redactor=self._redactor,
                ),
                evidence_for(
                    probe,
                    probe.final,
                    ("content-type",),
                    excerpt="token signed with the new secret accepted",
                    redactor=self._redactor,
                ),
            )
            location = self._redactor.url(install.request.url)
            detail = (
                "An unsigned install for the existing tenant replaced its sharedSecret; "
                "tokens signed with the attacker's secret were then accepted."
            )
            findings.append(make_finding("install.hijack", location, detail, evidence))
        if ok.get("install") and not ok.get("verify"):
            errors.append(
                "the install hijack test could not restore the tenant's original sharedSecret: "
                "reinstall the app on the test tenant"
            )
        return 1

    def _judge_authz(self, observations: Observations, findings: list[Finding]) -> tuple[int, list[str]]:
        pairs = _pairs(observations.exchanges, VERTICAL, "admin", "user") + _pairs(
            observations.exchanges, HORIZONTAL, "owner", "other"
        )
        tested, errors = 0, []
        for control, attempt in pairs:
            location = self._redactor.url(without_jwt(control.request.url))
            kind = "vertical" if control.request.purpose.startswith(VERTICAL) else "horizontal"
            control_final = control.final
            if control_final is None or not 200 <= control_final.status < 300:
                status = control_final.status if control_final else control.error
                errors.append(f"{location}: {kind} test inconclusive, the positive control got {status}")
                continue
            tested += 1
            verdict = judge_access(attempt, reference=control)
            if verdict.access is Access.ACCEPTED and attempt.final is not None:
                who = "a non-admin user" if kind == "vertical" else "another tenant"
                evidence = (
                    evidence_for(
                        control,
                        control_final,
                        ("content-type",),
                        excerpt="positive control",
                        redactor=self._redactor,
                    ),
                    evidence_for(
                        attempt,
                        attempt.final,
                        ("content-type",),
                        excerpt=verdict.reason,
                        redactor=self._redactor,
                    ),
                )
                findings.append(
                    make_finding(f"authz.{kind}", location, f"Served to {who}: {verdict.reason}", evidence)
                )
        return tested, errors


def _pairs(
    exchanges: Iterable[HttpExchange], prefix: str, control: str, attempt: str
) -> list[tuple[HttpExchange, HttpExchange]]:
    controls: dict[str, HttpExchange] = {}
    attempts: dict[str, HttpExchange] = {}
    for x in exchanges:
        if x.request.purpose == f"{prefix}:{control}":
            controls[without_jwt(x.request.endpoint.url)] = x
        elif x.request.purpose == f"{prefix}:{attempt}":
            attempts[without_jwt(x.request.endpoint.url)] = x
    return [(controls[u], attempts[u]) for u in controls if u in attempts]


def _signed_request(
    endpoint: Endpoint, url: str, tenant: Tenant, subject: str | None, base_url: str, purpose: str
) -> HttpRequestSpec:
    """A request of `tenant` as `subject`, its token minted at send time."""
    minter = TokenMinter(base_url)

    def prepare(spec: HttpRequestSpec) -> HttpRequestSpec:
        return minter.sign(spec, tenant, subject=subject)

    return HttpRequestSpec(
        endpoint.method, url, endpoint, purpose=purpose, tenant=tenant.name, prepare=prepare
    )


def _resources(exchanges: Iterable[HttpExchange], base_url: str) -> list[str]:
    """Same-origin URLs carrying ids, linked from the owner tenant's responses."""
    origin = urlsplit(base_url)
    found: dict[str, None] = {}
    for x in exchanges:
        final = x.final
        if final is None or not 200 <= final.status < 300:
            continue
        links: list[str] = []
        if is_html(final.content_type, final.body):
            links = list(parse_page(final.body, final.url, final.header("content-type")).links)
        elif "json" in final.content_type:
            links = [urljoin(final.url, m) for m in _JSON_PATH.findall(final.body.decode("utf-8", "replace"))]
        for link in links:
            parts = urlsplit(link)
            if (parts.scheme, parts.netloc) == (origin.scheme, origin.netloc) and _ID_SEGMENT.search(
                parts.path
            ):
                found[without_jwt(link)] = None
    return list(found)


ACCESS_CONTROL_CHECK = AccessControlCheck()
