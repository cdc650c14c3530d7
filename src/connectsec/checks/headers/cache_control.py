"""R2: Cache-Control `no-cache, no-store` on responses that can carry tenant data (RFC 9111)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from connectsec.checks.evidence import evidence_for
from connectsec.checks.headers._judging import HeaderCheck, Judgement, app_hosts, is_https_url, viewed
from connectsec.model import CheckResult, EndpointKind, HttpExchange, HttpResponse, Observations

_TCHAR = frozenset("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_OWS = " \t"
_HEADERS = ("cache-control", "content-type", "pragma", "expires")

# Static assets carry no tenant data. application/octet-stream stays in scope: on a page or API
# endpoint it is usually a download (an export, an attachment), which can.
_STATIC_TYPES = frozenset(
    {
        "text/css",
        "text/javascript",
        "application/javascript",
        "application/x-javascript",
        "application/ecmascript",
        "text/ecmascript",
        "application/wasm",
        "application/font-woff",
        "application/font-woff2",
        "application/x-font-woff",
        "application/x-font-ttf",
        "application/x-font-otf",
        "application/vnd.ms-fontobject",
    }
)
_STATIC_TYPE_PREFIXES = ("image/", "font/", "audio/", "video/")
_OUT_OF_SCOPE_KINDS = frozenset({EndpointKind.STATIC, EndpointKind.DESCRIPTOR})


@dataclass(frozen=True)
class CacheControl:
    """Every Cache-Control directive of a response, in order, names lower-cased."""

    directives: tuple[tuple[str, str | None], ...]
    """(name, value) pairs; value None when the directive has no `=`; repeats kept."""
    malformed: tuple[str, ...] = ()
    """Pieces that are not `token[=value]`, which caches ignore (e.g. `no-cache no-store`)."""

    def has(self, name: str) -> bool:
        """Whether a directive is present, with or without a value."""
        return any(key == name for key, _ in self.directives)

    def as_dict(self) -> dict[str, str | None]:
        """Name to value, the first occurrence of each name winning."""
        result: dict[str, str | None] = {}
        for key, value in self.directives:
            result.setdefault(key, value)
        return result

    @property
    def no_store(self) -> bool:
        """`no-store` is present."""
        return self.has("no-store")

    @property
    def no_cache(self) -> bool:
        """An unqualified `no-cache` is present (`no-cache="Set-Cookie"` only covers that field)."""
        return any(key == "no-cache" and value is None for key, value in self.directives)

    @property
    def private(self) -> bool:
        """`private` is present (qualified or not)."""
        return self.has("private")


def parse_cache_control(values: str | Iterable[str]) -> CacheControl:
    """Combine every Cache-Control header (comma-joined, RFC 9111) and parse it; never raises."""
    joined = values if isinstance(values, str) else ",".join(values)
    directives: list[tuple[str, str | None]] = []
    malformed: list[str] = []
    for piece in _split_outside_quotes(joined):
        item = piece.strip(_OWS)
        if not item:
            continue
        name, eq, raw_value = item.partition("=")
        name = name.strip(_OWS)
        value = _unquote(raw_value.strip(_OWS)) if eq else None
        if not name or any(c not in _TCHAR for c in name) or (eq and value is None):
            malformed.append(item)
            continue
        directives.append((name.lower(), value))
    return CacheControl(tuple(directives), tuple(malformed))


def _split_outside_quotes(text: str) -> list[str]:
    pieces: list[str] = []
    current: list[str] = []
    in_quotes = escaped = False
    for char in text:
        if in_quotes:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_quotes = False
        elif char == '"':
            in_quotes = True
        elif char == ",":
            pieces.append("".join(current))
            current = []
            continue
        current.append(char)
    pieces.append("".join(current))
    return pieces


def _unquote(raw: str) -> str | None:
    """A token or quoted-string value, unescaped; None when it is neither."""
    if not raw.startswith('"'):
        return raw if all(c in _TCHAR for c in raw) else None
    if len(raw) < 2 or not raw.endswith('"'):
        return None
    out: list[str] = []
    chars = iter(raw[1:-1])
    for char in chars:
        if char == "\\":
            char = next(chars, "\\")
        elif char == '"':
            return None
        out.append(char)
    return "".join(out)


def _is_static_type(content_type: str) -> bool:
    return content_type in _STATIC_TYPES or content_type.startswith(_STATIC_TYPE_PREFIXES)


def _endpoint_in_scope(exchange: HttpExchange) -> bool:
    endpoint = exchange.endpoint
    return endpoint.kind not in _OUT_OF_SCOPE_KINDS and not endpoint.cacheable


def _response_in_scope(response: HttpResponse) -> bool:
    status = response.status
    return 200 <= status < 300 and status not in (204, 205) and not _is_static_type(response.content_type)


class CacheControlCheck(HeaderCheck):
    """R2: pages and endpoints that can return tenant data forbid caching (`no-cache, no-store`).

    Scope: the final response of each exchange whose endpoint is not static, not the descriptor and
    not a `cacheable` module, with a 2xx status other than 204/205 and a content type that is not a
    static asset (scripts, styles, images, fonts, audio, video, wasm). Redirects and bare error
    responses carry no tenant data and are out of scope.

    Findings: no header at all is `cache-control.missing`; `private` without either directive is
    `cache-control.private-only`; otherwise one finding per missing directive.
    """

    requirement = "R2"

    def judge(self, observations: Observations) -> CheckResult:
        """Judge the combined Cache-Control of every in-scope final response."""
        judgement = Judgement(self.requirement, self._redactor)
        hosts = app_hosts(observations)
        for exchange in viewed(observations):
            final = exchange.final
            if final is None:
                continue
            if (
                _endpoint_in_scope(exchange)
                and _response_in_scope(final)
                and judgement.own_host(final.url, hosts)
            ):
                self._judge_response(judgement, exchange, final)
            else:
                judgement.out_of_scope(final.url)
        judgement.unreached(observations, lambda e: _endpoint_in_scope(e) and is_https_url(e.request.url))
        tested = f"{judgement.counted('response')} that can carry tenant data"
        return judgement.result(
            tested,
            "no response in scope: every response was an error, redirect, static asset or cacheable "
            "module; authenticated pages are tested when credentials are given",
        )

    def _judge_response(self, judgement: Judgement, exchange: HttpExchange, final: HttpResponse) -> None:
        url = judgement.judged(final.url, exchange)
        values = final.header_values("cache-control")
        evidence = evidence_for(exchange, final, _HEADERS, redactor=self._redactor)
        if not values:
            judgement.add(
                "cache-control.missing",
                url,
                f"HTTP {final.status} response has no Cache-Control header.",
                evidence,
            )
            return
        parsed = parse_cache_control(values)
        shown = self._redactor.text(", ".join(v.strip() for v in values))[:200]
        note = ""
        if parsed.malformed:
            note = (
                " Malformed directives, ignored by caches: "
                + "; ".join(repr(m) for m in parsed.malformed)
                + "."
            )
        if parsed.private and not parsed.no_store and not parsed.no_cache:
            judgement.add(
                "cache-control.private-only",
                url,
                f"Cache-Control is {shown!r}: `private` still lets the browser store the response.{note}",
                evidence,
            )
            return
        if not parsed.no_store:
            judgement.add(
                "cache-control.no-store-missing",
                url,
                f"Cache-Control is {shown!r}, without no-store.{note}",
                evidence,
            )
        if not parsed.no_cache:
            qualified = (
                " (`no-cache` with field names only covers those fields)" if parsed.has("no-cache") else ""
            )
            judgement.add(
                "cache-control.no-cache-missing",
                url,
                f"Cache-Control is {shown!r}, without an unqualified no-cache{qualified}.{note}",
                evidence,
            )


CACHE_CONTROL_CHECK = CacheControlCheck()
