"""R9 JWT validation and R13 qsh tampering: the attack set against every JWT-protected endpoint."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, replace

from connectsec.auth.attacks import TAMPER_ATTACKS, TOKEN_ATTACKS, Attack, AttackInput
from connectsec.auth.minting import token_in_query
from connectsec.auth.oracle import Access, judge_access
from connectsec.catalog.rules import attack_rule_id, make_finding
from connectsec.checks.auth.views import EndpointView, endpoint_views
from connectsec.checks.base import AttackContext, Send
from connectsec.checks.evidence import evidence_for
from connectsec.model import (
    CheckResult,
    Coverage,
    EndpointKind,
    Evidence,
    Finding,
    HttpExchange,
    HttpRequestSpec,
    Observations,
)
from connectsec.redact import Redactor

_EVIDENCE_HEADERS = ("content-type", "www-authenticate", "location")


@dataclass(frozen=True)
class _Judged:
    access: Access
    reason: str


class TokenAttackCheck:
    """Sends each attack of its set to every JWT-protected endpoint; any accepted attack fails."""

    needs = frozenset({"http"})

    def __init__(
        self,
        requirement: str,
        attacks: tuple[Attack, ...],
        without_secret: str,
        redactor: Redactor | None = None,
    ) -> None:
        self.requirement = requirement
        self._attacks = attacks
        self._without_secret = without_secret
        self._redactor = redactor or Redactor()

    def targets(self, observations: Observations, state_changing: bool = True) -> list[EndpointView]:
        """JWT-protected endpoints: those that refused a request without a token."""
        return [
            v
            for v in endpoint_views(observations)
            if v.refused_anonymous and (state_changing or v.endpoint.kind is not EndpointKind.WEBHOOK)
        ]

    async def attack(self, context: AttackContext, send: Send) -> tuple[HttpExchange, ...]:
        """Every applicable attack against every target, tokens built at send time."""
        tenant = context.credentials.primary
        secret = tenant.shared_secret if tenant else None
        others = [t for t in context.credentials.tenants[1:] if t.shared_secret]
        other = (others[0].client_key, others[0].shared_secret or "") if others else None
        client_key = tenant.client_key if tenant else str(uuid.uuid4())
        attacks = [
            a for a in self._attacks if (secret or not a.needs_secret) and (other or not a.needs_other_tenant)
        ]
        specs: list[HttpRequestSpec] = []
        base_url = context.observations.inventory.base_url
        for view in self.targets(context.observations, context.state_changing):
            endpoint = view.endpoint
            subject = tenant.subject_for(endpoint.admin_only) if tenant else None
            for attack in attacks:
                specs.append(
                    _attack_spec(
                        endpoint.method,
                        endpoint.url,
                        view,
                        attack,
                        base_url,
                        client_key,
                        secret,
                        subject,
                        other,
                    )
                )
        return tuple(await send(specs)) if specs else ()

    def judge(self, observations: Observations) -> CheckResult:
        """Per endpoint and attack: accepted (fail), refused, or inconclusive (with the reason)."""
        by_target: dict[tuple[str, str], list[HttpExchange]] = {}
        prefix = f"{self.requirement}:"
        for x in observations.exchanges:
            if x.request.purpose.startswith(prefix):
                by_target.setdefault((x.request.endpoint.method, x.request.endpoint.url), []).append(x)
        findings: list[Finding] = []
        errors: list[str] = []
        tested = inconclusive = refused_total = 0
        have_secret = False
        for view in self.targets(observations):
            attempts = by_target.get((view.endpoint.method, view.endpoint.url), [])
            if not attempts:
                continue
            location = self._redactor.url(view.endpoint.url)
            have_secret = have_secret or view.authenticated is not None
            if view.authenticated is not None and not view.live:
                final = view.authenticated.final
                got = f"HTTP {final.status}" if final else view.authenticated.error
                errors.append(
                    f"{location}: endpoint did not accept a valid token ({got}); attack results unusable"
                )
                inconclusive += 1
                continue
            unclear = []
            for exchange in attempts:
                attack_id = exchange.request.purpose.removeprefix(prefix)
                judged = self._verdict(view, exchange)
                if judged.access is Access.ACCEPTED:
                    findings.append(self._finding(view, exchange, attack_id, judged.reason, location))
                elif judged.access is Access.REFUSED:
                    refused_total += 1
                else:
                    unclear.append(f"{attack_id}: {judged.reason}")
            if unclear:
                inconclusive += 1
                errors.append(f"{location}: {len(unclear)} attacks inconclusive ({'; '.join(unclear[:3])})")
            else:
                tested += 1
        notes: list[str] = []
        untouched = [
            v for v in self.targets(observations) if (v.endpoint.method, v.endpoint.url) not in by_target
        ]
        if untouched and by_target:
            shown = ", ".join(self._redactor.url(v.endpoint.url) for v in untouched[:3])
            notes.append(f"{len(untouched)} protected endpoints not attacked (--no-state-changing: {shown})")
        coverage = Coverage(tested=tested, inconclusive=inconclusive)
        summary = f"{refused_total} attack requests refused at {tested} JWT-protected endpoints"
        if not by_target:
            reason = (
                "no JWT-protected endpoint found"
                if have_secret or not self._needs_secret()
                else self._without_secret
            )
            return CheckResult(self.requirement, coverage=coverage, tested=summary, skipped=reason)
        if not have_secret and not findings:
            tried = sorted({x.request.purpose.removeprefix(prefix) for xs in by_target.values() for x in xs})
            return CheckResult(
                self.requirement,
                coverage=coverage,
                tested=summary,
                notes=(f"attacks refused without a secret: {', '.join(tried)}", *errors),
                skipped=f"{summary} (attacks that need no secret); {self._without_secret}",
            )
        return CheckResult(self.requirement, tuple(findings), coverage, summary, tuple(errors), tuple(notes))

    def _needs_secret(self) -> bool:
        return all(a.needs_secret for a in self._attacks)

    def _verdict(self, view: EndpointView, attempt: HttpExchange) -> _Judged:
        final = attempt.final
        if final is None:
            return _Judged(Access.INCONCLUSIVE, attempt.error or "no response")
        reference = view.authenticated if view.live else None
        baseline = view.anonymous if view.refused_anonymous else None
        verdict = judge_access(attempt, reference=reference, refused_baseline=baseline)
        if verdict.access in (Access.ACCEPTED, Access.REFUSED):
            return _Judged(verdict.access, verdict.reason)
        if final.status >= 400 and (reference is not None or baseline is not None):
            return _Judged(Access.REFUSED, f"HTTP {final.status} where a valid request succeeds")
        return _Judged(Access.INCONCLUSIVE, verdict.reason)

    def _finding(
        self, view: EndpointView, attempt: HttpExchange, attack_id: str, reason: str, location: str
    ) -> Finding:
        attack = next(a for a in self._attacks if a.id == attack_id)
        evidence: list[Evidence] = []
        for label, exchange in (
            ("without a token", view.anonymous),
            ("with a valid token", view.authenticated),
        ):
            if exchange is not None and exchange.final is not None:
                evidence.append(
                    evidence_for(
                        exchange, exchange.final, _EVIDENCE_HEADERS, excerpt=label, redactor=self._redactor
                    )
                )
        assert attempt.final is not None
        evidence.append(
            evidence_for(
                attempt,
                attempt.final,
                _EVIDENCE_HEADERS,
                excerpt=f"attack {attack_id}: {reason}",
                redactor=self._redactor,
            )
        )
        finding = make_finding(
            attack_rule_id(attack),
            location,
            f"Attack `{attack_id}` ({attack.title}) was accepted: {reason}.",
            tuple(evidence),
        )
        return replace(finding, extra=(("attack", attack_id),))


def _attack_spec(
    method: str,
    url: str,
    view: EndpointView,
    attack: Attack,
    base_url: str,
    client_key: str,
    secret: str | None,
    subject: str | None,
    other: tuple[str, str] | None,
) -> HttpRequestSpec:
    endpoint = view.endpoint
    in_query = token_in_query(endpoint)
    body = b"{}" if method == "POST" else None
    base_headers: tuple[tuple[str, str], ...] = (("Content-Type", "application/json"),) if body else ()

    def prepare(spec: HttpRequestSpec) -> HttpRequestSpec:
        given = AttackInput(
            method=method,
            url=url,
            base_url=base_url,
            token_in_query=in_query,
            client_key=client_key,
            shared_secret=secret,
            subject=subject,
            now=int(time.time()),
            other_tenant=other,
        )
        built = attack.build(given)
        return replace(spec, method=built.method, url=built.url, headers=(*base_headers, *built.headers))

    return HttpRequestSpec(
        method,
        url,
        endpoint,
        base_headers,
        body,
        purpose=f"{attack.requirement}:{attack.id}",
        prepare=prepare,
    )


JWT_VALIDATION_CHECK = TokenAttackCheck(
    "R9", TOKEN_ATTACKS, "give a test tenant (--client-key and its shared secret) to complete R9"
)
QSH_CHECK = TokenAttackCheck(
    "R13", TAMPER_ATTACKS, "needs a test tenant's shared secret (--client-key with --shared-secret-file)"
)
