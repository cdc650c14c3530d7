"""A parsed HTML page: the links, forms, scripts and referrer settings later checks judge.

Parsing is HTML5-conformant (lexbor, with scripting enabled as in a browser) and never raises,
whatever the bytes.
"""

from __future__ import annotations

import codecs
import functools
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

_NETWORK_SCHEMES = frozenset({"http", "https"})
_URL_NOISE = str.maketrans("", "", "\t\n\r")
_ASCII_WS = " \t\n\r\f"
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_FORM_METHODS = frozenset({"get", "post", "dialog"})
_FOREIGN_ROOTS = frozenset({"svg", "math"})
EXCERPT_CHARS = 200
CONTEXT_CHARS = 1000
_CONTEXT_MIN = 40

# WHATWG Encoding Standard: encodings a page may declare, as Python codec names.
_WEB_CODECS = frozenset(
    {
        "utf-8",
        "cp866",
        "koi8-r",
        "koi8-u",
        "mac-roman",
        "cp874",
        "mac-cyrillic",
        "gbk",
        "gb18030",
        "big5",
        "euc_jp",
        "iso2022_jp",
        "shift_jis",
        "euc_kr",
        "utf-16-be",
        "utf-16-le",
    }
    | {f"iso8859-{n}" for n in (2, 3, 4, 5, 6, 7, 8, 10, 13, 14, 15, 16)}
    | {f"cp{n}" for n in range(1250, 1259)}
)
_LABEL_ALIASES = {
    "windows-874": "cp874",
    "tis-620": "cp874",
    "x-mac-cyrillic": "mac-cyrillic",
    "iso-8859-8-i": "iso8859-8",
    "x-sjis": "shift_jis",
    "gb2312": "gbk",
}
_CODEC_ALIASES = {"iso8859-1": "cp1252", "ascii": "cp1252", "gb2312": "gbk", "utf-16": "utf-16-le"}
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_CHARSET_PARAM = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_:.+-]+)""", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_:.+-]+)""", re.IGNORECASE)
_REFRESH = re.compile(
    r"""^[ \t\n\r\f]*[0-9.]+[ \t\n\r\f]*[;,]?[ \t\n\r\f]*(?:url[ \t\n\r\f]*=[ \t\n\r\f]*)?(.*)$""",
    re.IGNORECASE | re.DOTALL,
)
# WHATWG MIME Sniffing, "identifying a resource with an unknown MIME type": the HTML patterns.
_HTML_SNIFF = re.compile(
    rb"<(?:!doctype html|html|head|script|iframe|h1|div|font|table|a|style|title|b|body|br|p|!--)[ >]",
    re.IGNORECASE,
)
_UNKNOWN_TYPES = frozenset({"", "unknown/unknown", "application/unknown", "*/*"})


@dataclass(frozen=True)
class Input:
    """A form control (input, select or textarea)."""

    name: str | None
    type: str
    """Lower-cased `type` of an input (`text` when absent), or `select` / `textarea`."""
    id: str | None
    placeholder: str | None
    label_text: str | None
    """Text of its `<label>` (by `for` or by nesting), else its `aria-label`."""
    autocomplete: str | None
    html: str = field(default="", compare=False)
    """The element's markup, at most `EXCERPT_CHARS` characters."""
    context: str = field(default="", compare=False)
    """Visible text around it: of the nearest ancestor with some text (at most `CONTEXT_CHARS`)."""


@dataclass(frozen=True)
class Form:
    """A form and the controls it owns."""

    action: str
    """Absolute; the page URL when the action is absent or empty."""
    method: str
    """GET, POST or DIALOG (invalid values are GET, as in browsers)."""
    inputs: tuple[Input, ...]
    text: str = field(default="", compare=False)
    """The form's visible text, whitespace collapsed, at most `CONTEXT_CHARS` characters."""
    html: str = field(default="", compare=False)
    """The form's markup, at most `EXCERPT_CHARS` characters."""
    noreferrer: bool = field(default=False, compare=False)
    """Whether its `rel` contains `noreferrer` (submissions send no Referer)."""


@dataclass(frozen=True)
class Script:
    """A `<script>` element."""

    src: str | None
    """Absolute URL (any scheme, `data:` scripts run too), or None for an inline script."""
    inline_text: str | None
    """The inline code when there is no `src`."""
    type: str | None


@dataclass(frozen=True)
class Subresource:
    """An element that makes the browser send a Referer (loading or following a URL)."""

    tag: str
    url: str
    referrerpolicy: str | None
    """The element's `referrerpolicy` attribute, lower-cased and trimmed."""
    noreferrer: bool
    """Whether its `rel` contains `noreferrer`."""
    rel: tuple[str, ...] = field(default=(), compare=False)
    """The lower-cased `rel` tokens (a `link` loads something only for some of them)."""


@dataclass(frozen=True)
class Page:
    """What later checks need from one HTML document. All URLs absolute, http(s) only unless noted."""

    url: str
    base_url: str
    """The document base URL: the first `<base href>` when it resolves to http(s), else `url`."""
    title: str | None
    links: tuple[str, ...]
    """`a[href]` and `area[href]`, fragments stripped, deduplicated in document order."""
    forms: tuple[Form, ...]
    loose_inputs: tuple[Input, ...]
    """Controls owned by no form (pages that submit by script)."""
    scripts: tuple[Script, ...]
    stylesheets: tuple[str, ...]
    images: tuple[str, ...]
    """`img` `src` and `srcset` candidates, `picture > source` `srcset` candidates."""
    iframes: tuple[str, ...]
    meta_referrer: tuple[str, ...]
    """Content of every `<meta name="referrer">` (name case-insensitive), in document order."""
    meta_refresh: str | None
    """Target URL of the first `<meta http-equiv="refresh">` that names one."""
    subresources: tuple[Subresource, ...]
    encoding: str
    """The Python codec the body was decoded with."""


def is_html(content_type: str, body: bytes) -> bool:
    """Whether a response is an HTML document; sniffs the body only when the type is missing."""
    media = content_type.split(";", 1)[0].strip().lower()
    if media in {"text/html", "application/xhtml+xml"}:
        return True
    if media not in _UNKNOWN_TYPES:
        return False
    head = body[:1024]
    for bom, _ in _BOMS:
        if head.startswith(bom):
            head = head[len(bom) :]
            break
    return _HTML_SNIFF.match(head.lstrip(b" \t\n\r\f")) is not None


@functools.lru_cache(maxsize=256)
def parse_page(body: bytes, url: str, content_type_header: str | None = None) -> Page:
    """Parse an HTML body fetched from `url`; never raises. Cached: the crawl and checks share pages."""
    text, encoding = decode_body(body, content_type_header)
    tree = LexborHTMLParser(text, scripting=True)
    base_url = _base_url(tree, url)
    return _Extractor(tree, url, base_url).page(encoding)


def decode_body(body: bytes, content_type_header: str | None) -> tuple[str, str]:
    """Decode as a browser would: BOM, then header charset, then `<meta charset>`, else UTF-8."""
    for bom, bom_codec in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(bom_codec, errors="replace"), bom_codec
    codec: str | None = None
    if content_type_header:
        match = _CHARSET_PARAM.search(content_type_header)
        codec = _web_codec(match.group(1)) if match else None
    if codec is None:
        match_bytes = _META_CHARSET.search(body[:1024])
        if match_bytes:
            codec = _web_codec(match_bytes.group(1).decode("ascii"))
            if codec in {"utf-16-le", "utf-16-be"}:
                codec = "utf-8"  # a page cannot declare UTF-16 from inside itself
    chosen = codec or "utf-8"
    return body.decode(chosen, errors="replace"), chosen


def _web_codec(label: str) -> str | None:
    label = label.strip().lower()
    if label in _LABEL_ALIASES:
        return _LABEL_ALIASES[label]
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    name = _CODEC_ALIASES.get(name, name)
    return name if name in _WEB_CODECS else None


def _resolve(base: str, ref: str) -> str | None:
    """Resolve an attribute URL as a browser would, or None when it cannot be parsed."""
    ref = ref.strip(_ASCII_WS).translate(_URL_NOISE)
    scheme = _SCHEME.match(ref)
    if scheme is None or scheme.group(1).lower() in _NETWORK_SCHEMES:
        ref = ref.replace("\\", "/")
    try:
        absolute = urljoin(base, ref)
        _ = urlsplit(absolute).port
    except ValueError:
        return None
    return absolute


def _network_url(base: str, ref: str | None) -> str | None:
    if ref is None:
        return None
    absolute = _resolve(base, ref)
    scheme = _SCHEME.match(absolute) if absolute is not None else None
    if absolute is None or scheme is None or scheme.group(1).lower() not in _NETWORK_SCHEMES:
        return None
    return absolute


def _base_url(tree: LexborHTMLParser, url: str) -> str:
    for node in tree.css("base"):
        href = node.attributes.get("href")
        if href is None:
            continue
        resolved = _network_url(url, href)
        return resolved or url
    return url


def _attr(node: LexborNode, name: str) -> str | None:
    value = node.attributes.get(name)
    return value if isinstance(value, str) else None


def _lower_attr(node: LexborNode, name: str) -> str | None:
    value = _attr(node, name)
    return value.strip(_ASCII_WS).lower() if value is not None else None


def _rel_tokens(node: LexborNode) -> frozenset[str]:
    return frozenset((_attr(node, "rel") or "").lower().split())


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _markup(node: LexborNode) -> str:
    html = node.html or ""
    return html if len(html) <= EXCERPT_CHARS else html[: EXCERPT_CHARS - 1] + "…"


def _context(node: LexborNode) -> str:
    """Visible text of the nearest ancestor with at least a few words (the body at the latest)."""
    parent = node.parent
    text = ""
    while parent is not None and parent.tag not in ("html", "#document"):
        text = _collapse(parent.text(separator=" "))
        if len(text) >= _CONTEXT_MIN or parent.tag == "body":
            break
        parent = parent.parent
    return text[:CONTEXT_CHARS]


def _in_foreign_content(node: LexborNode) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.tag in _FOREIGN_ROOTS:
            return True
        parent = parent.parent
    return False


def _srcset_urls(value: str) -> list[str]:
    """Image candidate URLs of a `srcset` (HTML "parse a srcset attribute", descriptors skipped)."""
    urls: list[str] = []
    pos, size = 0, len(value)
    while True:
        while pos < size and (value[pos] in _ASCII_WS or value[pos] == ","):
            pos += 1
        if pos >= size:
            return urls
        start = pos
        while pos < size and value[pos] not in _ASCII_WS:
            pos += 1
        candidate = value[start:pos]
        if candidate.endswith(","):
            urls.append(candidate.rstrip(","))
            continue
        urls.append(candidate)
        depth = 0
        while pos < size and not (value[pos] == "," and depth == 0):
            depth += {"(": 1, ")": -1}.get(value[pos], 0)
            depth = max(depth, 0)
            pos += 1


def _meta_refresh_target(content: str, base: str) -> str | None:
    match = _REFRESH.match(content)
    target = match.group(1).strip(_ASCII_WS) if match else ""
    if len(target) >= 1 and target[0] in "'\"":
        quote = target[0]
        target = target[1:].split(quote, 1)[0]
    return _network_url(base, target) if target else None


class _Extractor:
    """One walk over the tree collecting everything a `Page` holds."""

    def __init__(self, tree: LexborHTMLParser, url: str, base: str) -> None:
        self._tree = tree
        self._url = url
        self._base = base

    def page(self, encoding: str) -> Page:
        tree, base = self._tree, self._base
        links: list[str] = []
        scripts: list[Script] = []
        stylesheets: list[str] = []
        images: list[str] = []
        iframes: list[str] = []
        metas: list[str] = []
        refresh: str | None = None
        refresh_seen = False
        subresources: list[Subresource] = []
        title: str | None = None

        for node in tree.root.traverse() if tree.root is not None else ():
            tag = node.tag
            if tag in ("a", "area"):
                target = _network_url(base, _attr(node, "href"))
                if target is not None:
                    links.append(target.split("#", 1)[0])
                    subresources.append(self._subresource(node, tag, target))
            elif tag == "script":
                scripts.append(self._script(node))
                src = _network_url(base, _attr(node, "src"))
                if src is not None:
                    subresources.append(self._subresource(node, tag, src))
            elif tag == "link":
                href = _network_url(base, _attr(node, "href"))
                if href is not None:
                    if "stylesheet" in _rel_tokens(node):
                        stylesheets.append(href)
                    subresources.append(self._subresource(node, tag, href))
            elif tag in ("img", "source"):
                for src in self._image_urls(node, tag):
                    images.append(src)
                    subresources.append(self._subresource(node, "img", src))
            elif tag in ("iframe", "frame"):
                src = _network_url(base, _attr(node, "src"))
                if src is not None:
                    iframes.append(src)
                    subresources.append(self._subresource(node, tag, src))
            elif tag == "meta":
                name = _lower_attr(node, "name")
                content = _attr(node, "content")
                if name == "referrer" and content is not None:
                    metas.append(content)
                if not refresh_seen and _lower_attr(node, "http-equiv") == "refresh" and content is not None:
                    refresh_seen = True
                    refresh = _meta_refresh_target(content, base)
            elif tag == "title" and title is None and not _in_foreign_content(node):
                title = _collapse(node.text())

        forms, loose = self._forms()
        return Page(
            url=self._url,
            base_url=base,
            title=title,
            links=tuple(dict.fromkeys(links)),
            forms=forms,
            loose_inputs=loose,
            scripts=tuple(scripts),
            stylesheets=tuple(stylesheets),
            images=tuple(dict.fromkeys(images)),
            iframes=tuple(iframes),
            meta_referrer=tuple(metas),
            meta_refresh=refresh,
            subresources=tuple(subresources),
            encoding=encoding,
        )

    def _subresource(self, node: LexborNode, tag: str, url: str) -> Subresource:
        return Subresource(
            tag=tag,
            url=url,
            referrerpolicy=_lower_attr(node, "referrerpolicy"),
            noreferrer="noreferrer" in _rel_tokens(node),
            rel=tuple(sorted(_rel_tokens(node))),
        )

    def _script(self, node: LexborNode) -> Script:
        raw_src = _attr(node, "src")
        script_type = _lower_attr(node, "type")
        if raw_src is not None:
            return Script(src=_resolve(self._base, raw_src), inline_text=None, type=script_type)
        return Script(src=None, inline_text=node.text(), type=script_type)

    def _image_urls(self, node: LexborNode, tag: str) -> list[str]:
        refs: list[str] = []
        if tag == "img":
            src = _attr(node, "src")
            if src is not None:
                refs.append(src)
        elif node.parent is None or node.parent.tag != "picture":
            return []
        refs.extend(_srcset_urls(_attr(node, "srcset") or ""))
        return [u for u in (_network_url(self._base, r) for r in refs) if u is not None]

    def _forms(self) -> tuple[tuple[Form, ...], tuple[Input, ...]]:
        tree = self._tree
        form_nodes = tree.css("form")
        by_mem = {node.mem_id: index for index, node in enumerate(form_nodes)}
        by_id: dict[str, int] = {}
        for index, node in enumerate(form_nodes):
            form_id = _attr(node, "id")
            if form_id:
                by_id.setdefault(form_id, index)
        labels: dict[str, str] = {}
        for label in tree.css("label"):
            target = _attr(label, "for")
            if target:
                labels.setdefault(target, _collapse(label.text()))

        owned: list[list[Input]] = [[] for _ in form_nodes]
        loose: list[Input] = []
        for control in tree.css("input, select, textarea"):
            owner_ref = _attr(control, "form")
            owner: int | None
            owner = by_id.get(owner_ref) if owner_ref is not None else self._ancestor_form(control, by_mem)
            item = self._input(control, labels)
            (owned[owner] if owner is not None else loose).append(item)

        forms = tuple(
            Form(
                action=self._action(node),
                method=self._method(node),
                inputs=tuple(inputs),
                text=_collapse(node.text(separator=" "))[:CONTEXT_CHARS],
                html=_markup(node),
                noreferrer="noreferrer" in _rel_tokens(node),
            )
            for node, inputs in zip(form_nodes, owned, strict=True)
        )
        return forms, tuple(loose)

    @staticmethod
    def _ancestor_form(node: LexborNode, by_mem: dict[int, int]) -> int | None:
        parent = node.parent
        while parent is not None:
            if parent.tag == "form":
                return by_mem.get(parent.mem_id)
            parent = parent.parent
        return None

    def _action(self, node: LexborNode) -> str:
        action = _attr(node, "action")
        if action is None or not action.strip(_ASCII_WS):
            return self._url
        return _resolve(self._base, action) or self._url

    @staticmethod
    def _method(node: LexborNode) -> str:
        method = _lower_attr(node, "method")
        return method.upper() if method in _FORM_METHODS else "GET"

    @staticmethod
    def _input(node: LexborNode, labels: dict[str, str]) -> Input:
        control_id = _attr(node, "id")
        control_type = _lower_attr(node, "type") or "text" if node.tag == "input" else node.tag or "input"
        label_text = labels.get(control_id) if control_id else None
        if label_text is None:
            parent = node.parent
            while parent is not None and parent.tag not in ("label", "form"):
                parent = parent.parent
            if parent is not None and parent.tag == "label":
                label_text = _collapse(parent.text())
        if not label_text:
            label_text = _attr(node, "aria-label")
        return Input(
            name=_attr(node, "name"),
            type=control_type,
            id=control_id,
            placeholder=_attr(node, "placeholder"),
            label_text=label_text or None,
            autocomplete=_attr(node, "autocomplete"),
            html=_markup(node),
            context=_context(node),
        )
