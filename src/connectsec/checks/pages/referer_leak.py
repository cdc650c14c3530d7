"""R8 (remote part): a token in a page URL must not reach other origins through the Referer.

A page reached with a token in its URL (`?jwt=` for module pages, `access_token=`, `code=` …) leaks it to
every other origin it loads or links while the element's effective referrer policy sends the full URL.
Effective policy, as browsers resolve it: `rel="noreferrer"` (a, area, form) > the element's
`referrerpolicy` > the last `<meta name="referrer">` > the last recognised token of `Referrer-Policy` >
the browser default. The default assumed is `strict-origin-when-cross-origin` (Chrome 85+, Firefox 87+,
Safari 15+): it sends only the origin cross-origin, so a missing policy alone is no leak here (R12 fails
a missing header). `unsafe-url` always leaks; `no-referrer-when-downgrade` leaks except https → http.
Redirects from a token-bearing URL to another origin that carry a token in the Location fail too.
Resources on the app's own hosts are not judged (the token stays with the vendor), nor Atlassian's
(`*.atlassian.net`, `*.atlassian.com`, `*.atl-paas.net`, e.g. the Connect `all.js`): Atlassian issued it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urljoin

from connectsec.auth.oracle import looks_like_denial
from connectsec.checks.evidence import evidence_for
from connectsec.checks.headers._judging import Judgement, app_hosts, host_of, plural, viewed
from connectsec.checks.headers.referrer_policy import (
    BROWSER_DEFAULT,
    POLICIES,
    parse_meta_referrer,
    parse_referrer_policy,
)
from connectsec.checks.pages._pages import SeenPage, html_pages, origin, token_parameters, token_values
from connectsec.html.page import Page
from connectsec.model import AuthMode, CheckResult, EndpointKind, HttpResponse, Observations
from connectsec.redact import Redactor

_LOADING_RELS = frozenset(
    {
        "stylesheet",
        "icon",
        "shortcut",
        "apple-touch-icon",
        "apple-touch-icon-precomposed",
        "mask-icon",
        "preload",
        "prefetch",
        "modulepreload",
        "manifest",
    }
)
"""`link` relations browsers fetch (preconnect and dns-prefetch send no request, canonical nothing)."""
_NOREFERRER_TAGS = frozenset({"a", "area", "form"})
_PAGE_KINDS = frozenset({EndpointKind.PAGE, EndpointKind.CRAWLED, EndpointKind.EXTRA})
_SCRIPT_REQUEST = re.compile(
    r"""\b(?:fetch|sendBeacon|axios(?:\.(?:get|post|put|delete|patch|request))?|\$\.(?:get|post|ajax|getJSON)"""
    r"""|\.open)\s*\(\s*(?:["'](?:GET|POST|PUT|DELETE|PATCH|HEAD)["']\s*,\s*)?["'`](https?://[^"'`\s]+)["'`]"""
    r"""|\.src\s*=\s*["'`](https?://[^"'`\s]+)["'`]""",
    re.IGNORECASE,
)
_SCRIPT_POLICY = re.compile(r"""referrerPolicy\s*:\s*["']([A-Za-z-]+)["']""")
_SCRIPT_POLICY_REACH = 300
_ATLASSIAN_DOMAINS = ("atlassian.net", "atlassian.com", "atl-paas.net", "jira.com")
MAX_LISTED = 5
ASSUMED_TOKEN = "jwt"


@dataclass(frozen=True)
class Target:
    """A URL the page makes the browser request (or offers to follow), with its own referrer settings."""

    tag: str
    url: str
    policy: str | None = None
    """The element's own valid policy (attribute, fetch option), if any."""
    noreferrer: bool = False


@dataclass(frozen=True)
class Leak:
    """A cross-origin target that receives the full page URL."""

    target: Target
    policy: str
    source: str


def document_policy(response: HttpResponse, page: Page) -> tuple[str, str]:
    """The page's policy and where it comes from: meta > header > browser default."""
    meta = parse_meta_referrer(page.meta_referrer)
    if meta is not None:
        return meta, '<meta name="referrer">'
    values = response.header_values("referrer-policy")
    header = parse_referrer_policy(values) if values else None
    if header is not None:
        return header, "Referrer-Policy header"
    return BROWSER_DEFAULT, "browser default"


def sends_full_url(policy: str, page_url: str, target_url: str) -> bool:
    """Whether `policy` sends path and query from `page_url` to the cross-origin `target_url`."""
    if policy == "unsafe-url":
        return True
    if policy == "no-referrer-when-downgrade":
        downgrade = page_url.lower().startswith("https:") and not target_url.lower().startswith("https:")
        return not downgrade
    return False


def targets(page: Page) -> Iterator[Target]:
    """Every URL the page loads, links or submits to, including request URLs written in inline scripts."""
    for sub in page.subresources:
        if sub.tag == "link" and not _LOADING_RELS & set(sub.rel):
            continue
        policy = sub.referrerpolicy if sub.referrerpolicy in POLICIES else None
        yield Target(sub.tag, sub.url, policy, sub.noreferrer and sub.tag in _NOREFERRER_TAGS)
    for form in page.forms:
        yield Target("form", form.action, None, form.noreferrer)
    for script in page.scripts:
        code = script.inline_text or ""
        for match in _SCRIPT_REQUEST.finditer(code):
            url = match.group(1) or match.group(2)
            option = _SCRIPT_POLICY.search(code, match.end(), match.end() + _SCRIPT_POLICY_REACH)
            value = option.group(1).lower() if option else None
            yield Target("script request", url, value if value in POLICIES else None)


def leaks(page: Page, response: HttpResponse, own_hosts: frozenset[str]) -> list[Leak]:
    """The cross-origin targets outside `own_hosts` that get the full URL of `page` in the Referer."""
    doc_policy, doc_source = document_policy(response, page)
    page_origin = origin(page.url)
    found: dict[tuple[str, str], Leak] = {}
    for target in targets(page):
        host = host_of(target.url)
        if origin(target.url) == page_origin or host in own_hosts or _atlassian(host):
            continue
        if target.noreferrer:
            continue
        policy, source = doc_policy, doc_source
        if target.policy is not None:
            policy, source = target.policy, "the element's referrerpolicy"
        if sends_full_url(policy, page.url, target.url):
            found.setdefault((target.tag, target.url), Leak(target, policy, source))
    return list(found.values())


class TokenRefererLeakCheck:
    """R8 remote: token-bearing pages send no full URL to other origins, nor redirect tokens there."""

    requirement = "R8"
    needs: frozenset[str] = frozenset({"http"})

    def __init__(self, redactor: Redactor | None = None) -> None:
        self._redactor = redactor or Redactor()

    def judge(self, observations: Observations) -> CheckResult:
        """Judge every page reached with a token (or, without any, the module pages served openly)."""
        judgement = Judgement(self.requirement, self._redactor)
        own = app_hosts(observations)
        pages = [(seen, token_parameters(seen.response.url)) for seen in html_pages(observations)]
        with_token = [(seen, params) for seen, params in pages if params]
        assumed = not with_token
        if assumed:
            with_token = [(seen, (ASSUMED_TOKEN,)) for seen, _ in pages if _served_openly(seen)]
        for seen, params in with_token:
            self._page(judgement, seen, params, own, assumed)
        redirects = self._redirects(judgement, observations, own)
        if assumed and with_token:
            judgement.notes[
                f"no page was reached with a token; {plural(len(with_token), 'module page')} served without "
                "one judged as if loaded with ?jwt= (as the product loads them)"
            ] = None
        tenant_requests = any(x.request.auth is AuthMode.TENANT for x in viewed(observations))
        judgement.unreached(
            observations,
            lambda e: e.endpoint.kind in _PAGE_KINDS and (assumed or e.request.auth is AuthMode.TENANT),
        )
        tested = (
            f"{plural(len(with_token), 'token-bearing page')} checked for cross-origin resources, links, "
            f"forms and script requests that get the full URL in the Referer (browser default assumed: "
            f"{BROWSER_DEFAULT}); {plural(redirects, 'redirect')} from token-bearing URLs checked"
        )
        if tenant_requests:
            why = "no page requested with a token answered with an HTML page: no Referer leak could be judged"
        else:
            why = (
                "no page was reached with a token in its URL and no module page is served without one: a "
                "tenant secret (--shared-secret or --self-install) is needed to see the pages users get"
            )
        return judgement.result(tested, why)

    def _page(
        self,
        judgement: Judgement,
        seen: SeenPage,
        params: tuple[str, ...],
        own: frozenset[str],
        assumed: bool,
    ) -> None:
        url = judgement.judged(seen.response.url, seen.exchange)
        found = leaks(seen.page, seen.response, own)
        if not found:
            return
        names = ", ".join(f"`{p}`" for p in params)
        listed = "; ".join(
            f"<{leak.target.tag}> {judgement.url(leak.target.url)} ({leak.policy}, from {leak.source})"
            for leak in found[:MAX_LISTED]
        )
        more = f"; and {len(found) - MAX_LISTED} more" if len(found) > MAX_LISTED else ""
        how = (
            "The page is served without a token, and the product loads it with ?jwt= in the URL, so it is "
            "judged as if reached with one. "
            if assumed
            else ""
        )
        detail = (
            f"{how}The page URL carries {names}; {plural(len(found), 'cross-origin resource')} get the full "
            f"URL, token included, in the Referer: {listed}{more}"
        )
        extra = (
            ("resources", " ".join(judgement.url(leak.target.url) for leak in found)),
            ("token_parameters", " ".join(params)),
        )
        evidence = evidence_for(
            seen.exchange, seen.response, ("referrer-policy", "content-type"), redactor=self._redactor
        )
        judgement.add("referer.token-leak", url, detail, evidence, extra)

    def _redirects(self, judgement: Judgement, observations: Observations, own: frozenset[str]) -> int:
        count = 0
        for exchange in viewed(observations):
            for hop in exchange.hops:
                params = token_parameters(hop.url)
                if not hop.is_redirect or not params:
                    continue
                count += 1
                source = judgement.judged(hop.url, exchange)
                target = urljoin(hop.url, hop.header("location") or "")
                if origin(target) == origin(hop.url) or host_of(target) in own:
                    continue
                carried = token_parameters(target)
                values = token_values(hop.url)
                if not carried and not any(v in target for v in values):
                    continue
                shown = ", ".join(f"`{p}`" for p in carried) or "the token's value"
                detail = (
                    f"HTTP {hop.status} from a URL carrying {', '.join(f'`{p}`' for p in params)} to another "
                    f"origin, {judgement.url(target)}, with {shown} in the Location: that origin receives "
                    "the token."
                )
                evidence = evidence_for(exchange, hop, ("location",), redactor=self._redactor)
                judgement.add("referer.token-redirect", source, detail, evidence)
        return count


def _atlassian(host: str) -> bool:
    return any(host == d or host.endswith(f".{d}") for d in _ATLASSIAN_DOMAINS)


def _served_openly(seen: SeenPage) -> bool:
    """A module page answered without credentials with what looks like the real page."""
    exchange = seen.exchange
    return (
        exchange.endpoint.kind is EndpointKind.PAGE
        and exchange.request.auth is AuthMode.NONE
        and 200 <= seen.response.status < 300
        and not looks_like_denial(seen.response)
    )


TOKEN_REFERER_LEAK_CHECK = TokenRefererLeakCheck()
