"""R12: Referrer-Policy on every https response and `<meta name="referrer">` in HTML (W3C Referrer Policy)."""

from __future__ import annotations

from collections.abc import Iterable

from connectsec.checks.evidence import evidence_for
from connectsec.checks.headers._judging import HeaderCheck, Judgement, is_https_url
from connectsec.html.page import is_html, parse_page
from connectsec.model import CheckResult, Observations

POLICIES = frozenset(
    {
        "no-referrer",
        "no-referrer-when-downgrade",
        "same-origin",
        "origin",
        "strict-origin",
        "origin-when-cross-origin",
        "strict-origin-when-cross-origin",
        "unsafe-url",
    }
)
UNSAFE_POLICIES = frozenset({"unsafe-url", "no-referrer-when-downgrade"})
"""Policies that send the full URL (path and query, e.g. `?jwt=`) to other origins."""
BROWSER_DEFAULT = "strict-origin-when-cross-origin"
_LEGACY_META = {
    "never": "no-referrer",
    "always": "unsafe-url",
    "origin-when-crossorigin": "origin-when-cross-origin",
    "default": BROWSER_DEFAULT,
}
_HEADERS = ("referrer-policy", "content-type")


def _last_policy(value: str, legacy: bool) -> str | None:
    policy = None
    for raw in value.split(","):
        token = raw.strip(" \t\n\r\f").lower()
        if legacy:
            token = _LEGACY_META.get(token, token)
        if token in POLICIES:
            policy = token
    return policy


def parse_referrer_policy(values: str | Iterable[str]) -> str | None:
    """The effective policy of all Referrer-Policy headers: the last recognised token, or None (invalid)."""
    joined = values if isinstance(values, str) else ",".join(values)
    return _last_policy(joined, legacy=False)


def parse_meta_referrer(contents: Iterable[str]) -> str | None:
    """The policy set by `<meta name="referrer">` elements: the last recognised one, or None.

    Legacy HTML values are mapped; a comma-separated content is read like the header, as Chromium does.
    """
    policy = None
    for content in contents:
        found = _last_policy(content, legacy=True)
        if found is not None:
            policy = found
    return policy


class ReferrerPolicyCheck(HeaderCheck):
    """R12: a safe Referrer-Policy header on every https response; no `<meta>` weakening it."""

    requirement = "R12"

    def judge(self, observations: Observations) -> CheckResult:
        """Judge the header and, for HTML documents, the meta policy of every https response."""
        judgement = Judgement(self.requirement, self._redactor)
        for exchange, hop in judgement.app_https_hops(observations):
            url = judgement.judged(hop.url, exchange)
            values = hop.header_values("referrer-policy")
            header_policy = parse_referrer_policy(values) if values else None
            meta_policy: str | None = None
            meta_contents: tuple[str, ...] = ()
            content_type = hop.header("content-type") or ""
            if not hop.is_redirect and hop.body and is_html(content_type, hop.body):
                meta_contents = parse_page(hop.body, hop.url, content_type).meta_referrer
                meta_policy = parse_meta_referrer(meta_contents)
            excerpt = None
            if meta_policy is not None:
                excerpt = " ".join(f'<meta name="referrer" content="{c}">' for c in meta_contents)
            evidence = evidence_for(exchange, hop, _HEADERS, excerpt=excerpt, redactor=self._redactor)
            effective = _effective(header_policy, meta_policy, bool(values))
            shown = self._redactor.text(", ".join(values))[:200]
            if not values:
                judgement.add(
                    "referrer-policy.missing", url, f"No Referrer-Policy header. {effective}", evidence
                )
            elif header_policy is None:
                judgement.add(
                    "referrer-policy.invalid",
                    url,
                    f"Referrer-Policy {shown!r} names no policy browsers recognise. {effective}",
                    evidence,
                )
            elif header_policy in UNSAFE_POLICIES:
                judgement.add(
                    "referrer-policy.unsafe",
                    url,
                    f"Referrer-Policy {shown!r} resolves to {header_policy}, which sends the full URL "
                    f"to other origins. {effective}",
                    evidence,
                )
            if meta_policy in UNSAFE_POLICIES:
                judgement.add(
                    "referrer-policy.meta-unsafe",
                    url,
                    f'<meta name="referrer"> sets {meta_policy}, overriding the header, and sends the full '
                    f"URL to other origins. {effective}",
                    evidence,
                )
        judgement.unreached(observations, lambda e: is_https_url(e.request.url))
        tested = judgement.counted()
        return judgement.result(
            tested, "no https response was received, so no Referrer-Policy could be judged"
        )


def _effective(header_policy: str | None, meta_policy: str | None, header_present: bool) -> str:
    if meta_policy is not None:
        return f'Effective policy: {meta_policy} (from <meta name="referrer">).'
    if header_policy is not None:
        return f"Effective policy: {header_policy} (from the Referrer-Policy header)."
    reason = "invalid header" if header_present else "no header"
    return f"Effective policy: {BROWSER_DEFAULT} (browser default, {reason})."


REFERRER_POLICY_CHECK = ReferrerPolicyCheck()
