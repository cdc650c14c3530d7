"""R7 (dynamic part): the tenant sharedSecret must appear in no response of the app, in any encoding.

Every recorded response of the app's hosts is searched, attack traffic included (a secret echoed in
the error page answering a forged token is still a leak): bodies, every header, cookies, redirect
Locations and URLs reached by redirects. Fields named like `sharedSecret` with a value are a warning
even when the value is not a known secret. Findings name the response, the part and the encoding,
never the secret.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from connectsec.checks.evidence import evidence_for
from connectsec.checks.headers._judging import Judgement, app_hosts, host_of, plural
from connectsec.checks.pages.secret_forms import (
    MIN_SECRET_CHARS,
    Part,
    SecretForm,
    find,
    mask,
    response_parts,
    secret_fields,
    secret_forms,
)
from connectsec.model import AuthMode, CheckResult, Evidence, HttpExchange, HttpResponse, Observations
from connectsec.redact import Redactor

_AROUND = 60
NO_SECRET = "no sharedSecret known: give one (--shared-secret-file) or use --self-install"


@dataclass
class _Found:
    """What one response URL showed, over every exchange that reached it."""

    evidence: list[Evidence]
    auth: AuthMode
    places: dict[str, list[str]] = field(default_factory=dict)
    """Part → encodings (or `field` hits)."""

    def add(self, part: str, what: str, auth: AuthMode) -> None:
        encodings = self.places.setdefault(part, [])
        if what not in encodings:
            encodings.append(what)
        if auth is AuthMode.NONE:
            self.auth = AuthMode.NONE


class SharedSecretExposureCheck:
    """R7 dynamic: search every app response for the known tenant secrets and sharedSecret fields."""

    requirement = "R7"
    needs: frozenset[str] = frozenset({"http"})

    def __init__(self, redactor: Redactor | None = None) -> None:
        self._redactor = redactor or Redactor()

    def judge(self, observations: Observations) -> CheckResult:
        """Search every response of the app's hosts; skipped (field search aside) without a known secret."""
        secrets = [s for s in dict.fromkeys(observations.known_secrets) if s]
        searchable = [s for s in secrets if len(s) >= MIN_SECRET_CHARS]
        forms = tuple(f for s in searchable for f in secret_forms(s))
        redactor = Redactor(secrets)
        judgement = Judgement(self.requirement, redactor)
        exposed: dict[str, _Found] = {}
        fields: dict[str, _Found] = {}
        hosts = app_hosts(observations)
        truncated = 0
        for exchange in observations.exchanges:
            for index, hop in enumerate(exchange.hops):
                if host_of(hop.url) not in hosts:
                    continue
                url = judgement.judged(hop.url, exchange)
                truncated += hop.body_truncated
                for part in response_parts(hop, redirected=index > 0):
                    self._search(exchange, hop, part, forms, url, exposed, fields, redactor)
        for url, found in exposed.items():
            where = "; ".join(f"{part} ({', '.join(enc)})" for part, enc in found.places.items())
            detail = f"A known tenant sharedSecret appears in the response: {where}."
            judgement.add("shared-secret.exposed", url, detail, found.evidence[0], auth=found.auth)
        for url, found in fields.items():
            where = ", ".join(found.places)
            detail = (
                f"A field named like sharedSecret carries a value in the {where}. The value is not a "
                "secret the scan knows (or none is known); check that it is not a tenant's secret."
            )
            judgement.add("shared-secret.field-exposed", url, detail, found.evidence[0], auth=found.auth)
        if truncated:
            cut = f"{plural(truncated, 'response')} cut at the byte cap: their tail was not searched"
            judgement.notes[cut] = None
        errors: tuple[str, ...] = ()
        if len(searchable) < len(secrets):
            errors = (
                f"a known sharedSecret is shorter than {MIN_SECRET_CHARS} characters: it cannot be searched "
                "for without matching by chance",
            )
        if not searchable:
            judgement.notes[NO_SECRET] = None
        tested = (
            f"{plural(len(judgement.tested), 'response URL')} of the app searched for "
            f"{plural(len(searchable), 'known sharedSecret')} (raw, base64, base64url, hex, percent-encoded) "
            "and for fields named like sharedSecret"
        )
        result = judgement.result(tested, "no response of the app was received, so none could be searched")
        if not searchable and not fields:
            return CheckResult(self.requirement, skipped=None if errors else NO_SECRET, errors=errors)
        return replace(result, errors=(*result.errors, *errors))

    def _search(
        self,
        exchange: HttpExchange,
        hop: HttpResponse,
        part: Part,
        forms: tuple[SecretForm, ...],
        url: str,
        exposed: dict[str, _Found],
        fields: dict[str, _Found],
        redactor: Redactor,
    ) -> None:
        auth = exchange.request.auth
        found = find(part.content, forms)
        if found is not None:
            encodings, view, at, form = found
            around = view[max(0, at - _AROUND) : at + len(form.value) + _AROUND]
            excerpt = mask(around.decode("utf-8", "replace"), forms)
            if part.header is not None:
                excerpt = f"{part.header}: {excerpt}"
            record = exposed.get(url)
            if record is None:
                evidence = self._evidence(exchange, hop, part, excerpt, redactor)
                record = exposed[url] = _Found([evidence], auth)
            for encoding in encodings:
                record.add(part.name, encoding, auth)
        known = {f.value.decode("utf-8", "replace") for f in forms}
        values = [v for v in secret_fields(part) if not any(k in v for k in known)]
        if values:
            record = fields.get(url)
            if record is None:
                shown = f"{part.name}: a sharedSecret field with a {len(values[0])}-character value (hidden)"
                evidence = self._evidence(exchange, hop, part, shown, redactor)
                record = fields[url] = _Found([evidence], auth)
            for _ in values:
                record.add(part.name, "field", auth)

    @staticmethod
    def _evidence(
        exchange: HttpExchange, hop: HttpResponse, part: Part, excerpt: str, redactor: Redactor
    ) -> Evidence:
        names = (part.header,) if part.header is not None and part.header != "set-cookie" else ()
        return evidence_for(exchange, hop, (*names, "content-type"), excerpt=excerpt, redactor=redactor)


SHARED_SECRET_EXPOSURE_CHECK = SharedSecretExposureCheck()
