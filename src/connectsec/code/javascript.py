"""JavaScript/TypeScript (and HTML pages): R7 and R10 heuristics on a code view of the text."""

from __future__ import annotations

import re

from connectsec.code.analyser import PatternAnalyser
from connectsec.code.lexical import balanced_end, code_view, mentions_secret
from connectsec.code.patterns import ATLASSIAN_HOST, ENCRYPTION, SECRET_NAME
from connectsec.model.source import CodeFact

_LOG = re.compile(
    r"\b(?:console\.(?:log|info|debug|warn|error|trace|dir)"
    r"|[\w$.]*?(?:log|logger|LOG|Logger|LOGGER|winston|pino|bunyan)\w*\."
    r"(?:debug|info|warn|warning|error|trace|fatal|log|verbose|silly))\s*\("
)
_RESPONSE = re.compile(
    r"\b(?:res|response|reply|h)\.(?:json|send|jsonp|end|write|response)\s*\(|\bctx\.body\s*="
)
_INSTALL_ROUTE = re.compile(r"""\.(?:post|all|use|route)\s*\(\s*(['"`])[^'"`]*install""", re.IGNORECASE)
_INSTALL_ROUTE_CODE = re.compile(r"""\.(?:post|all|use|route)\s*\(\s*(['"`])""")
_ACE_SETTINGS_EVENT = re.compile(r"""\.on\(\s*['"]host_settings_saved['"]""")
_WHOLE_BODY = r"\b(?:req|request|ctx\.request)\.body\b(?!\s*(?:\.|\[|\?\.))"
_TENANT_WHOLE = re.compile(
    r"\b(?:clientInfo|tenant|tenantInfo|tenantRecord|installation|installData|hostSettings)\b"
    r"(?!\s*(?:\.|\[|\?\.|:|\())"
)
_STORE = re.compile(
    r"\.(?:save|insert|insertOne|insertMany|create|set|put|putItem|upsert|updateOne|update|"
    r"findOneAndUpdate|query|execute|hset|hmset|setex)\s*\("
)
_RENDER = re.compile(r"\b(?:res|response|ctx|reply|h)\.(?:render|view)\s*\(")
_CLIENT_STORAGE = re.compile(
    r"\b(?:localStorage|sessionStorage)\s*(?:\.\s*setItem\s*\(|\.\s*\w+\s*=|\[[^\]]*\]\s*=)|\bdocument\.cookie\s*="
)
_FRONT_END_DIRS = re.compile(r"(^|/)(public|static|assets|client|frontend|front-end|www|browser|web|ui)/")
_FRONT_END_SUFFIXES = (".jsx", ".tsx", ".vue", ".svelte", ".html", ".htm")
_BASIC_AUTH = re.compile(
    r"""['"`]Basic\s|\bauth\s*:\s*\{|\bbasicAuth\b|\bbtoa\s*\(|\bBuffer\.from\s*\([^)]*:""", re.IGNORECASE
)
_USER_INPUT = r"\b(?:req|request|ctx\.request)\.(?:body|query|params)\b|\bprompt\s*\(|\bformData\b|\.value\b"
_DESTRUCTURE = re.compile(r"\{([^{}]*)\}\s*=\s*(?:req|request|ctx\.request)\.(?:body|query)\b")
_ASSIGN_INPUT = re.compile(
    r"\b(?:const|let|var)\s+(\w+)\s*=\s*(?:req|request|ctx\.request)\.(?:body|query)(?:\.\w+|\[[^\]]*\])"
)
_ASSIGN_BODY = re.compile(
    r"\b(?:const|let|var)\s+(\w+)\s*=\s*(?:await\s+)?(?:req|request|ctx\.request)\.body\s*;?\s*$",
    re.MULTILINE,
)
_WINDOW_LINES = 3


def is_front_end(rel: str) -> bool:
    """Code that runs in the browser: by folder or by file type."""
    return rel.lower().endswith(_FRONT_END_SUFFIXES) or bool(_FRONT_END_DIRS.search(rel.lower()))


class _Analyser(PatternAnalyser):
    def __init__(self, rel: str, text: str) -> None:
        super().__init__(rel, text, code_view(text))

    def args(self, match: re.Match[str]) -> tuple[str, str]:
        """Raw text and code view of a call's argument list (or the rest of an assignment's statement)."""
        start = match.end() - 1
        if self.code[start] == "(":
            end = balanced_end(self.code, start)
        else:
            semi = self.code.find(";", start)
            newline = self.code.find("\n", start)
            end = min(x for x in (semi, newline, len(self.code)) if x >= 0)
        return self.text[start:end], self.code[start:end]

    def run(self) -> list[CodeFact]:
        self._logging()
        self._responses()
        self._client_side()
        self._stores()
        self._credentials()
        return list(self.facts.values())

    def _install_regions(self) -> list[tuple[int, int, set[str]]]:
        """Install handlers (routes named like /installed, ACE `host_settings_saved`) and payload names."""
        regions: list[tuple[int, int, set[str]]] = []
        for match in _INSTALL_ROUTE_CODE.finditer(self.code):
            open_at = self.code.rfind("(", 0, match.end())
            if not _INSTALL_ROUTE.match(self.text, match.start()):
                continue
            regions.append((open_at, balanced_end(self.code, open_at), set()))
        for match in _ACE_SETTINGS_EVENT.finditer(self.text):
            open_at = match.start() + 3
            end = balanced_end(self.code, open_at)
            params = re.search(r"\(\s*\w+\s*,\s*(\w+)", self.code[match.end() : end])
            regions.append((open_at, end, {params.group(1)} if params else set()))
        for start, end, names in regions:
            names.update(m.group(1) for m in _ASSIGN_BODY.finditer(self.code, start, end))
        return regions

    def _logging(self) -> None:
        regions = self._install_regions()
        for match in _LOG.finditer(self.code):
            raw, code = self.args(match)
            if mentions_secret(raw, code):
                self.add("code.shared-secret-logged", match.start(), "A log call writes the sharedSecret.")
                continue
            for start, end, names in regions:
                if not start <= match.start() < end:
                    continue
                whole = _WHOLE_BODY + "".join(rf"|\b{re.escape(n)}\b(?!\s*(?:\.|\[|\?\.))" for n in names)
                if re.search(whole, code):
                    self.add(
                        "code.install-payload-logged",
                        match.start(),
                        "A log call in the install handler writes the whole install payload, which carries "
                        "the tenant's sharedSecret.",
                    )

    def _responses(self) -> None:
        for match in _RESPONSE.finditer(self.code):
            raw, code = self.args(match)
            if mentions_secret(raw, code):
                self.add(
                    "code.shared-secret-in-response", match.start(), "A response sends the sharedSecret."
                )
            elif _TENANT_WHOLE.search(code):
                self.add(
                    "code.shared-secret-in-response",
                    match.start(),
                    "A response sends a whole tenant record (clientInfo/tenant), carrying the sharedSecret.",
                )

    def _client_side(self) -> None:
        for match in _RENDER.finditer(self.code):
            raw, code = self.args(match)
            if mentions_secret(raw, code):
                self.add(
                    "code.shared-secret-client-side",
                    match.start(),
                    "The sharedSecret is handed to a page template: it is rendered into the browser.",
                )
        for match in _CLIENT_STORAGE.finditer(self.code):
            raw, code = self.args(match) if self.code[match.end() - 1] in "(=" else ("", "")
            if SECRET_NAME.search(raw) or _TENANT_WHOLE.search(code):
                self.add(
                    "code.shared-secret-client-side",
                    match.start(),
                    "The sharedSecret is written to browser storage (localStorage, sessionStorage, cookie).",
                )
        if is_front_end(self.rel):
            for match in re.finditer(r"shared_?secret", self.code, re.IGNORECASE):
                self.add(
                    "code.shared-secret-client-side",
                    match.start(),
                    "Front-end code (served to browsers) uses the sharedSecret.",
                )

    def _stores(self) -> None:
        encryptions = [
            m.start() for m in re.finditer(r"\b\w+\s*\(", self.code) if ENCRYPTION.search(m.group(0))
        ]
        for match in _STORE.finditer(self.code):
            raw, code = self.args(match)
            if not mentions_secret(raw, code) or ENCRYPTION.search(code):
                continue
            if any(offset < match.start() for offset in encryptions):
                continue
            self.add(
                "code.shared-secret-stored-plain",
                match.start(),
                "A store call saves a value holding the sharedSecret and no encryption call comes before it.",
            )

    def _credentials(self) -> None:
        if not ATLASSIAN_HOST.search(self.text):
            return
        names = {
            n.strip().split(":")[-1].strip()
            for m in _DESTRUCTURE.finditer(self.code)
            for n in m.group(1).split(",")
        }
        names |= {m.group(1) for m in _ASSIGN_INPUT.finditer(self.code)}
        names.discard("")
        user = re.compile(_USER_INPUT + "".join(rf"|\b{re.escape(n)}\b" for n in sorted(names)))
        self.basic_auth_from_input(
            _BASIC_AUTH,
            user,
            _WINDOW_LINES,
            "Basic authentication for the Atlassian site is built from credentials the user typed in "
            "(request body/query or a form): the app collects Atlassian passwords or API tokens.",
        )


def analyse_javascript(rel: str, text: str) -> list[CodeFact]:
    """R7/R10 facts of one JavaScript/TypeScript/HTML file."""
    return _Analyser(rel, text).run()
