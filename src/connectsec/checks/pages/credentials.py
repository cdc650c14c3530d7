"""R10 (remote part): pages, scripts and challenges that ask users for Atlassian credentials.

Fails: a password field with Atlassian wording nearby (labels, placeholders, names, the form's text, an
`*.atlassian.net` site field), an API-token field next to Atlassian wording, an email field or a link to
Atlassian's API-token page, a script string asking for a Jira/Atlassian password or token, a script
that sends `Authorization: Basic` to `*.atlassian.net`, and a `WWW-Authenticate: Basic` prompt on a
page. Warns: a password or token form that names nobody (the app's own login), a Basic challenge on
an API endpoint. An OAuth 2.0 (3LO) link (auth.atlassian.com/authorize) asks for nothing and is fine.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from connectsec.checks.evidence import evidence_for
from connectsec.checks.headers._judging import Judgement, app_hosts, host_of, plural, viewed
from connectsec.checks.pages._pages import SeenPage, html_pages, quote
from connectsec.checks.pages.wording import (
    API_TOKEN_PAGE,
    asks_for_email,
    asks_for_token,
    atlassian_wording,
    field_words,
    form_texts,
    script_wording,
    takes_text,
)
from connectsec.html.page import Form
from connectsec.model import CheckResult, EndpointKind, HttpExchange, HttpResponse, Observations
from connectsec.redact import Redactor

_BASIC_CHALLENGE = re.compile(r"(?:^|,)\s*basic\b", re.IGNORECASE)
_BROWSER_KINDS = frozenset(
    {
        EndpointKind.PAGE,
        EndpointKind.CRAWLED,
        EndpointKind.EXTRA,
        EndpointKind.STATIC,
        EndpointKind.DESCRIPTOR,
    }
)
_PAGE_KINDS = frozenset({EndpointKind.PAGE, EndpointKind.CRAWLED, EndpointKind.EXTRA})
_ATLASSIAN_NET = re.compile(r"atlassian\.net", re.IGNORECASE)
_BASIC_AUTH_CODE = re.compile(
    r"""["'`]Basic\s|btoa\s*\(|toString\(\s*["']base64["']\s*\)|\bauth\s*:\s*\{\s*["']?username""",
    re.IGNORECASE,
)
_NEAR = 600
_SCRIPT_TYPES = ("javascript", "ecmascript")


@dataclass(frozen=True)
class _Verdict:
    rule: str
    detail: str
    excerpt: str


def judge_form(form: Form, links_token_page: bool, loose: bool = False) -> _Verdict | None:
    """R10's verdict on one form (or the page's loose controls); None when it asks for no credential."""
    fields = [f for f in form.inputs if takes_text(f)]
    passwords = [f for f in fields if f.type == "password"]
    tokens = [f for f in fields if asks_for_token(f)]
    if not passwords and not tokens and not (links_token_page and fields):
        return None
    texts = form_texts(form)
    if loose:
        texts += [f.context for f in fields]
    wording = atlassian_wording(texts)
    asked = passwords or tokens or fields
    shown = " ".join(f.html for f in asked[:2])
    excerpt = shown if loose else form.html
    where = "controls outside any form" if loose else "a form"
    if tokens and (wording or links_token_page or any(asks_for_email(f) for f in fields)):
        why = (
            f"Atlassian wording {quote(wording, 60)!r}"
            if wording
            else (
                "a link to Atlassian's API-token page"
                if links_token_page
                else "an email field (email + token is how Atlassian basic auth works)"
            )
        )
        field = quote(field_words(tokens[0]), 60)
        return _Verdict(
            "credentials.atlassian-api-token",
            f"{where.capitalize()} asks for an API token ({field!r}) next to {why}: {quote(shown)}",
            excerpt,
        )
    if passwords and wording:
        return _Verdict(
            "credentials.atlassian-password",
            f"{where.capitalize()} with a password field names Atlassian credentials "
            f"({quote(wording, 60)!r}): {quote(shown)}",
            excerpt,
        )
    if links_token_page:
        return _Verdict(
            "credentials.atlassian-api-token",
            f"The page links to Atlassian's API-token page and has {where} to type into: {quote(shown)}",
            excerpt,
        )
    kind = "password" if passwords else "token"
    return _Verdict(
        "credentials.own-login-form",
        f"{where.capitalize()} asks for a {kind} without naming whose (no Atlassian wording near it): "
        f"{quote(shown)}. If it is the app's own login, users may still type their Atlassian credentials "
        "into it inside the product.",
        excerpt,
    )


def basic_auth_call(code: str) -> str | None:
    """The code around a basic-auth request to `*.atlassian.net`, or None."""
    for match in _ATLASSIAN_NET.finditer(code):
        start, end = max(0, match.start() - _NEAR), match.end() + _NEAR
        window = code[start:end]
        auth = _BASIC_AUTH_CODE.search(window)
        if auth is not None:
            low, high = sorted((match.start() - start, auth.start()))
            return window[max(0, low - 40) : high + 60]
    return None


def judge_script(code: str) -> _Verdict | None:
    """R10's verdict on one script's code."""
    call = basic_auth_call(code)
    if call is not None:
        return _Verdict(
            "credentials.basic-auth-script",
            f"The script sends basic-auth requests to *.atlassian.net (user credentials): {quote(call)}",
            call,
        )
    token_page = API_TOKEN_PAGE.search(code)
    if token_page is not None:
        around = code[max(0, token_page.start() - 80) : token_page.end() + 80]
        return _Verdict(
            "credentials.atlassian-api-token",
            f"The script sends users to Atlassian's API-token page (to ask for a token): {quote(around)}",
            around,
        )
    literal = script_wording(code)
    if literal is not None:
        return _Verdict(
            "credentials.atlassian-password",
            f"The script asks for Atlassian credentials: {quote(literal)!r}",
            literal,
        )
    return None


def basic_challenge(response: HttpResponse) -> str | None:
    """The `WWW-Authenticate` value that offers Basic, or None."""
    for value in response.header_values("www-authenticate"):
        if _BASIC_CHALLENGE.search(value):
            return value
    return None


class CredentialCollectionCheck:
    """R10 remote: pages and scripts of the app must never ask for Atlassian credentials."""

    requirement = "R10"
    needs: frozenset[str] = frozenset({"http"})

    def __init__(self, redactor: Redactor | None = None) -> None:
        self._redactor = redactor or Redactor()

    def judge(self, observations: Observations) -> CheckResult:
        """Judge every HTML page, script and response of the app's hosts."""
        judgement = Judgement(self.requirement, self._redactor)
        pages = scripts = 0
        for seen in html_pages(observations):
            pages += 1
            self._page(judgement, seen)
        for exchange, response, code, label in _scripts(observations):
            scripts += 1
            url = judgement.judged(response.url, exchange)
            verdict = judge_script(code)
            if verdict is not None:
                evidence = evidence_for(
                    exchange, response, ("content-type",), verdict.excerpt, self._redactor
                )
                judgement.add(verdict.rule, url, f"{label}: {verdict.detail}", evidence)
        challenges = self._challenges(judgement, observations)
        judgement.unreached(observations, lambda e: e.endpoint.kind in _PAGE_KINDS)
        tested = (
            f"{plural(pages, 'HTML page')} and {plural(scripts, 'script')} searched for password and "
            f"API-token fields, Atlassian wording and basic-auth calls to *.atlassian.net; "
            f"{plural(challenges, 'response')} checked for Basic challenges (OAuth 2.0 3LO links are fine)"
        )
        return judgement.result(
            tested, "no response of the app was received, so no page could be searched for credential forms"
        )

    def _page(self, judgement: Judgement, seen: SeenPage) -> None:
        page = seen.page
        url = judgement.judged(seen.response.url, seen.exchange)
        links_token_page = any(API_TOKEN_PAGE.search(link) for link in page.links)
        candidates = [(form, False) for form in page.forms]
        if page.loose_inputs:
            candidates.append((Form(page.url, "GET", page.loose_inputs), True))
        for form, loose in candidates:
            verdict = judge_form(form, links_token_page, loose)
            if verdict is not None:
                evidence = evidence_for(
                    seen.exchange, seen.response, ("content-type",), verdict.excerpt, self._redactor
                )
                judgement.add(verdict.rule, url, verdict.detail, evidence)

    def _challenges(self, judgement: Judgement, observations: Observations) -> int:
        hosts = app_hosts(observations)
        count = 0
        for exchange in viewed(observations):
            for hop in exchange.hops:
                if host_of(hop.url) not in hosts:
                    continue
                count += 1
                url = judgement.judged(hop.url, exchange)
                value = basic_challenge(hop)
                if value is None:
                    continue
                browser = exchange.endpoint.kind in _BROWSER_KINDS
                rule = "credentials.basic-challenge" if browser else "credentials.basic-challenge-api"
                where = "the browser shows a password dialog" if browser else "a client may send a password"
                evidence = evidence_for(exchange, hop, ("www-authenticate",), redactor=self._redactor)
                detail = f"HTTP {hop.status} with `WWW-Authenticate: {quote(value, 80)}`: {where}"
                judgement.add(rule, url, detail, evidence)
        return count


def _scripts(observations: Observations) -> Iterator[tuple[HttpExchange, HttpResponse, str, str]]:
    """Inline scripts of the app's pages and its script files: (exchange, response, code, label)."""
    for seen in html_pages(observations):
        for index, script in enumerate(seen.page.scripts):
            if script.inline_text and script.inline_text.strip():
                yield seen.exchange, seen.response, script.inline_text, f"inline script #{index + 1}"
    hosts = app_hosts(observations)
    for exchange in viewed(observations):
        response = exchange.final
        if (
            response is None
            or response.is_redirect
            or not response.body
            or host_of(response.url) not in hosts
        ):
            continue
        media = response.content_type
        path = response.url.split("?", 1)[0].lower()
        if any(t in media for t in _SCRIPT_TYPES) or (
            exchange.endpoint.kind is EndpointKind.STATIC and path.endswith((".js", ".mjs"))
        ):
            yield exchange, response, response.body.decode("utf-8", "replace"), "script file"


CREDENTIAL_COLLECTION_CHECK = CredentialCollectionCheck()
