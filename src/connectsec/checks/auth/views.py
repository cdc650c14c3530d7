"""Per-endpoint views of the baseline: the request without a token and the one with a correct token."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from connectsec.auth.minting import without_jwt
from connectsec.auth.oracle import SIMILAR_ENOUGH, Access, judge_access, similarity
from connectsec.model import AuthMode, Endpoint, EndpointKind, HttpExchange, Observations

# Endpoints the product calls with a token: iframe pages, webhooks, APIs, pages found by crawling.
TOKEN_KINDS = frozenset(
    {EndpointKind.PAGE, EndpointKind.WEBHOOK, EndpointKind.API, EndpointKind.CRAWLED, EndpointKind.EXTRA}
)


@dataclass(frozen=True)
class EndpointView:
    """One endpoint as the baseline saw it."""

    endpoint: Endpoint
    anonymous: HttpExchange | None
    """The request without any token."""
    authenticated: HttpExchange | None
    """The request with a correct token of the primary tenant (None without a secret)."""

    @cached_property
    def refused_anonymous(self) -> bool:
        """The request without a token was refused (401/403, a login redirect or a denial page).

        A "denial" page that a correct token gets just the same is the page itself, not a refusal.
        """
        if self.anonymous is None or judge_access(self.anonymous).access is not Access.REFUSED:
            return False
        anonymous, authenticated = (
            self.anonymous.final,
            self.authenticated.final if self.authenticated else None,
        )
        if anonymous is None or authenticated is None or not self.live:
            return True
        return anonymous.status >= 300 or similarity(anonymous, authenticated) < SIMILAR_ENOUGH

    @property
    def live(self) -> bool:
        """A correct token got a 2xx: the endpoint works and attack results mean something."""
        final = self.authenticated.final if self.authenticated else None
        return final is not None and 200 <= final.status < 300


_LAST: list[tuple[Observations, list[EndpointView]]] = []


def endpoint_views(observations: Observations) -> list[EndpointView]:
    """Views of every token-bearing endpoint (not static, not cacheable, not lifecycle), inventory order.

    The three auth checks ask for the same observations in turn: the last answer is kept.
    """
    if _LAST and _LAST[0][0] is observations:
        return _LAST[0][1]
    views = _endpoint_views(observations)
    _LAST[:] = [(observations, views)]
    return views


def _endpoint_views(observations: Observations) -> list[EndpointView]:
    anonymous: dict[tuple[str, str], HttpExchange] = {}
    authenticated: dict[tuple[str, str], HttpExchange] = {}
    for exchange in observations.exchanges:
        request = exchange.request
        if request.purpose not in ("baseline", "crawl"):
            continue
        key = (request.method, without_jwt(request.endpoint.url))
        target = authenticated if request.auth is AuthMode.TENANT else anonymous
        target.setdefault(key, exchange)
    views = []
    for endpoint in observations.inventory.endpoints:
        if endpoint.kind not in TOKEN_KINDS or endpoint.cacheable:
            continue
        key = (endpoint.method, endpoint.url)
        views.append(EndpointView(endpoint, anonymous.get(key), authenticated.get(key)))
    return views
