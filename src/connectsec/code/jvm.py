"""Java/Kotlin/Groovy: R7 and R10 heuristics on a code view of the text."""

from __future__ import annotations

import re

from connectsec.code.analyser import PatternAnalyser
from connectsec.code.lexical import balanced_end, code_view, mentions_secret
from connectsec.code.patterns import ATLASSIAN_HOST, ENCRYPTION
from connectsec.model.source import CodeFact

_LOG = re.compile(
    r"\b(?:\w*(?:log|Log|LOG|logger|Logger|LOGGER))\.(?:info|debug|warn|error|trace|fatal)\s*\("
    r"|\bSystem\.(?:out|err)\.print(?:ln|f)?\s*\(|\bprintln\s*\("
)
_CONTROLLER = re.compile(r"@(?:RestController|Controller|ResponseBody)\b")
_RESPONSE = re.compile(r"\breturn\b|\bResponseEntity\s*\.\s*(?:ok|status|body)\s*\(|\.body\s*\(")
_INSTALL_MAPPING = re.compile(r"""@(?:PostMapping|RequestMapping)\s*\([^)]*installed""", re.IGNORECASE)
_REQUEST_BODY = re.compile(r"@RequestBody\s+(?:final\s+)?(?:[\w.<>,?\s]+?\s+)?(\w+)\s*[:,)]")
_HOST_VARS = re.compile(r"\bAtlassianHost\s+(\w+)|\b(\w+)\s*:\s*AtlassianHost\b")
_HOST_QUERY = re.compile(r"\b\w*[Hh]ostRepository\s*\.\s*find\w*\s*\(")
_STORE = re.compile(r"\.(?:save|saveAndFlush|persist|merge|insert|update|execute|executeUpdate|set)\s*\(")
_SETTER = re.compile(r"\.setSharedSecret\s*\(|\.sharedSecret\s*=(?!=)")
_BASIC_AUTH = re.compile(
    r""""Basic\s|BasicAuthenticationInterceptor|\.basicAuth(?:entication)?\s*\(|setBasicAuth\s*\(|Credentials\.basic\s*\("""
    r"""|HttpBasicAuth|UsernamePasswordCredentials"""
)
_USER_INPUT = r"@Request(?:Param|Body|Header)|\bgetParameter\s*\(|\breadLine\s*\(|Scanner\s*\(\s*System\.in"
_INPUT_PARAM = re.compile(r"@Request(?:Param|Header)(?:\([^)]*\))?\s+(?:final\s+)?(?:\w+\s+)?(\w+)\s*[:,)]")
_WINDOW_LINES = 3


class _Analyser(PatternAnalyser):
    def __init__(self, rel: str, text: str) -> None:
        super().__init__(rel, text, code_view(text, templates=False, kotlin=rel.endswith((".kt", ".kts"))))

    def span(self, match: re.Match[str]) -> tuple[str, str]:
        """A call's arguments, or a statement's rest up to `;`/end of line."""
        start = match.end() - 1
        if self.code[start] == "(":
            end = balanced_end(self.code, start)
        else:
            start = match.end()
            stops = [x for x in (self.code.find(";", start), self.code.find("\n", start)) if x >= 0]
            end = min(stops) if stops else len(self.code)
        return self.text[start:end], self.code[start:end]

    def run(self) -> list[CodeFact]:
        self._logging()
        if _CONTROLLER.search(self.code):
            self._responses()
        self._stores()
        self._credentials()
        return list(self.facts.values())

    def _logging(self) -> None:
        regions = []
        for match in _INSTALL_MAPPING.finditer(self.text):
            brace = self.code.find("{", match.end())
            if brace >= 0:
                end = balanced_end(self.code, brace)
                names = {m.group(1) for m in _REQUEST_BODY.finditer(self.code, match.end(), brace)}
                regions.append((match.start(), end, names))
        for match in _LOG.finditer(self.code):
            raw, code = self.span(match)
            if mentions_secret(raw, code):
                self.add("code.shared-secret-logged", match.start(), "A log call writes the sharedSecret.")
                continue
            for start, end, names in regions:
                if start <= match.start() < end and any(
                    re.search(rf"\b{re.escape(n)}\b(?!\s*[.\[])", code) for n in names
                ):
                    self.add(
                        "code.install-payload-logged",
                        match.start(),
                        "A log call in the install handler writes the whole install payload, which "
                        "carries the tenant's sharedSecret.",
                    )

    def _responses(self) -> None:
        hosts = {g for m in _HOST_VARS.finditer(self.code) for g in m.groups() if g}
        whole = re.compile(
            "|".join([_HOST_QUERY.pattern, *(rf"\b{re.escape(h)}\b(?!\s*[.\[])" for h in hosts)])
        )
        for match in _RESPONSE.finditer(self.code):
            raw, code = self.span(match)
            if mentions_secret(raw, code):
                self.add(
                    "code.shared-secret-in-response", match.start(), "A response sends the sharedSecret."
                )
            elif whole.search(code):
                self.add(
                    "code.shared-secret-in-response",
                    match.start(),
                    "A response sends a whole AtlassianHost record, which carries the sharedSecret.",
                )

    def _stores(self) -> None:
        encryptions = [
            m.start() for m in re.finditer(r"\b\w+\s*\(", self.code) if ENCRYPTION.search(m.group(0))
        ]
        stores = list(_STORE.finditer(self.code))
        for match in [*stores, *_SETTER.finditer(self.code)]:
            raw, code = self.span(match)
            setter = bool(_SETTER.match(self.code, match.start()))
            if setter and not any(s.start() > match.start() for s in stores if s.group(0) != ".set("):
                continue
            if not setter and not mentions_secret(raw, code):
                continue
            if ENCRYPTION.search(code) or any(offset < match.start() for offset in encryptions):
                continue
            self.add(
                "code.shared-secret-stored-plain",
                match.start(),
                "The sharedSecret is set on a stored record and saved without an encryption call before it.",
            )

    def _credentials(self) -> None:
        if not ATLASSIAN_HOST.search(self.text):
            return
        names = {m.group(1) for m in _INPUT_PARAM.finditer(self.code)}
        user = re.compile(_USER_INPUT + "".join(rf"|\b{re.escape(n)}\b" for n in sorted(names)))
        self.basic_auth_from_input(
            _BASIC_AUTH,
            user,
            _WINDOW_LINES,
            "Basic authentication for the Atlassian site is built from credentials the user supplied "
            "(request parameters or input): the app collects Atlassian passwords or API tokens.",
        )


def analyse_jvm(rel: str, text: str) -> list[CodeFact]:
    """R7/R10 facts of one Java/Kotlin/Groovy file."""
    return _Analyser(rel, text).run()
