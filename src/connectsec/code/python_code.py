"""Python: R7 and R10 heuristics on the syntax tree (ast), per function."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from connectsec.code.facts import fact, line_text
from connectsec.code.patterns import (
    ATLASSIAN_HOST,
    ENCRYPTION,
    LOG_METHODS,
    SECRET_NAME,
    STORE_METHODS,
    TENANT_NAME,
)
from connectsec.model.source import CodeFact

_ROUTE_DECORATORS = frozenset(
    {"route", "get", "post", "put", "patch", "delete", "api_route", "api_view", "view_config"}
)
_REQUEST = frozenset({"request", "req"})
_PAYLOAD_ATTRS = frozenset({"json", "data", "body", "form", "get_json", "get_data", "POST"})
_INPUT_ATTRS = frozenset({"json", "form", "args", "values", "get_json", "data", "body", "POST", "GET"})
_RESPONSE_BUILDERS = frozenset(
    {"jsonify", "JSONResponse", "JsonResponse", "make_response", "Response", "HttpResponse", "json_response"}
)
_TEMPLATE_RENDERERS = frozenset({"render_template", "render", "TemplateResponse", "render_to_response"})
_PAYLOAD_PARAMS = re.compile(r"^(payload|body|data|install_?payload|install_?data|event|lifecycle)$")
_CREDENTIAL_LIBS = re.compile(r"^(jira|atlassian)(\.|$)")
_BASIC_AUTH_CALLS = frozenset({"HTTPBasicAuth", "BasicAuth", "BasicAuthentication"})

_RELEVANT = re.compile(
    r"shared_?secret|install|tenant|client_?info|atlassian|jira|host_?record|lifecycle", re.IGNORECASE
)
_LIBRARY_WORDS = re.compile(r"\b(jira|atlassian)\b")

Pred = Callable[[ast.AST], bool]


def call_name(node: ast.AST) -> str:
    """The called name: `f` for f(), `m` for x.y.m() ('' when neither)."""
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def dotted(node: ast.AST) -> str:
    """`a.b.c` for attribute chains of names ('' otherwise)."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = dotted(node.value)
        return f"{base}.{node.attr}" if base else ""
    return ""


def mentions(node: ast.AST, pred: Pred) -> bool:
    """Whether pred holds for the node or anything inside it, not looking inside encryption calls."""
    if pred(node):
        return True
    if isinstance(node, ast.Call) and ENCRYPTION.search(call_name(node)):
        return False
    return any(mentions(child, pred) for child in ast.iter_child_nodes(node))


def _is_request_part(node: ast.AST, attrs: frozenset[str]) -> bool:
    if isinstance(node, ast.Await):
        node = node.value
    if isinstance(node, ast.Call):
        node = node.func
    return (
        isinstance(node, ast.Attribute)
        and node.attr in attrs
        and isinstance(node.value, ast.Name)
        and node.value.id in _REQUEST
    )


@dataclass
class _Scope:
    """What one function (or the module body) holds, names tainted in assignment order."""

    node: ast.AST
    route: str | None
    install: bool
    secret: set[str] = field(default_factory=set)
    payload: set[str] = field(default_factory=set)
    record: set[str] = field(default_factory=set)
    user_input: set[str] = field(default_factory=set)
    encrypt_lines: list[int] = field(default_factory=list)

    def is_secret(self, node: ast.AST) -> bool:
        if isinstance(node, ast.Name):
            return bool(SECRET_NAME.search(node.id)) or node.id in self.secret
        if isinstance(node, ast.Attribute):
            return bool(SECRET_NAME.search(node.attr))
        if isinstance(node, ast.Subscript):
            key = node.slice
            return (
                isinstance(key, ast.Constant)
                and isinstance(key.value, str)
                and bool(SECRET_NAME.search(key.value))
            )
        if isinstance(node, ast.Call) and call_name(node) in {"get", "getattr", "pop"}:
            return any(
                isinstance(a, ast.Constant) and isinstance(a.value, str) and bool(SECRET_NAME.search(a.value))
                for a in node.args
            )
        return False

    def is_whole_payload(self, node: ast.AST) -> bool:
        if isinstance(node, ast.Name):
            return node.id in self.payload
        return self.install and _is_request_part(node, _PAYLOAD_ATTRS)

    def is_whole_record(self, node: ast.AST) -> bool:
        return isinstance(node, ast.Name) and (node.id in self.record or bool(TENANT_NAME.match(node.id)))

    def is_user_input(self, node: ast.AST) -> bool:
        if isinstance(node, ast.Name):
            return node.id in self.user_input
        if isinstance(node, ast.Call) and call_name(node) in {"input", "getpass"}:
            return True
        return _is_request_part(node, _INPUT_ATTRS)


def whole(node: ast.AST, pred: Pred) -> bool:
    """Whether a whole value (not one of its fields) satisfying pred appears in the expression."""
    if pred(node):
        return True
    if isinstance(node, ast.Subscript | ast.Attribute):
        return False
    if isinstance(node, ast.Call) and (
        ENCRYPTION.search(call_name(node)) or (isinstance(node.func, ast.Attribute) and pred(node.func.value))
    ):
        return False
    return any(whole(child, pred) for child in ast.iter_child_nodes(node))


def _route_of(decorators: list[ast.expr]) -> str | None:
    for deco in decorators:
        if isinstance(deco, ast.Call) and call_name(deco) in _ROUTE_DECORATORS:
            path = next(
                (a.value for a in deco.args if isinstance(a, ast.Constant) and isinstance(a.value, str)), ""
            )
            return path or "?"
    return None


def _scopes(tree: ast.Module) -> Iterator[_Scope]:
    yield _Scope(tree, None, False)
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            route = _route_of(node.decorator_list)
            install = "install" in (route or "").lower() or "install" in node.name.lower()
            scope = _Scope(node, route, install)
            if install:
                args = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
                scope.payload |= {a.arg for a in args if _PAYLOAD_PARAMS.match(a.arg)}
            yield scope


def _own_nodes(scope: _Scope) -> Iterator[ast.AST]:
    """The scope's nodes in source order, without the bodies of nested functions."""
    stack = list(reversed(getattr(scope.node, "body", [])))
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
            continue
        stack.extend(reversed(list(ast.iter_child_nodes(node))))


def _taint(scope: _Scope, node: ast.AST) -> None:
    if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        names = {t.id for t in targets if isinstance(t, ast.Name)}
        value = node.value
        if mentions(value, scope.is_secret):
            (
                scope.secret
                if isinstance(value, ast.Subscript | ast.Attribute | ast.Name | ast.Call)
                and scope.is_secret(value)
                else scope.record
            ).update(names)
        if whole(value, scope.is_whole_payload) or (
            scope.install
            and isinstance(value, ast.Call)
            and call_name(value) == "loads"
            and mentions(value, lambda n: _is_request_part(n, _PAYLOAD_ATTRS))
        ):
            scope.payload.update(names)
        if mentions(value, scope.is_user_input):
            scope.user_input.update(names)


class _Analyser:
    def __init__(self, rel: str, text: str, tree: ast.Module) -> None:
        self.rel, self.text, self.tree = rel, text, tree
        self.facts: dict[tuple[str, int], CodeFact] = {}
        self.atlassian = bool(ATLASSIAN_HOST.search(text)) or (
            bool(_LIBRARY_WORDS.search(text))
            and any(
                isinstance(n, ast.Import | ast.ImportFrom)
                and any(_CREDENTIAL_LIBS.match(m) for m in _imported(n))
                for n in ast.walk(tree)
            )
        )

    def add(self, rule: str, line: int, detail: str) -> None:
        self.facts.setdefault((rule, line), fact(rule, self.rel, line, detail, line_text(self.text, line)))

    def run(self) -> list[CodeFact]:
        for scope in _scopes(self.tree):
            nodes = list(_own_nodes(scope))
            for node in nodes:
                if isinstance(node, ast.Call) and ENCRYPTION.search(call_name(node)):
                    scope.encrypt_lines.append(node.lineno)
            for node in nodes:
                _taint(scope, node)
                if isinstance(node, ast.Call):
                    self._call(scope, node)
                elif isinstance(node, ast.Return) and node.value is not None and scope.route is not None:
                    self._response(scope, node.value, node.lineno, f"route {scope.route!r} returns")
        return list(self.facts.values())

    def _call(self, scope: _Scope, call: ast.Call) -> None:
        name = call_name(call)
        parts: list[ast.AST] = [*call.args, *(k.value for k in call.keywords)]
        if _is_log_call(call):
            if any(mentions(p, scope.is_secret) for p in parts):
                self.add(
                    "code.shared-secret-logged",
                    call.lineno,
                    f"`{name}(…)` writes the sharedSecret to the log.",
                )
            elif scope.install and any(whole(p, scope.is_whole_payload) for p in parts):
                self.add(
                    "code.install-payload-logged",
                    call.lineno,
                    f"`{name}(…)` in the install handler logs the whole install payload, which carries the "
                    "tenant's sharedSecret.",
                )
        if name in _TEMPLATE_RENDERERS and any(mentions(p, scope.is_secret) for p in parts):
            self.add(
                "code.shared-secret-client-side",
                call.lineno,
                f"`{name}(…)` hands the sharedSecret to a page template: it is rendered into the browser.",
            )
        if name in _RESPONSE_BUILDERS:
            for part in parts:
                self._response(scope, part, call.lineno, f"`{name}(…)` sends")
        stores = name in STORE_METHODS or name == "dump"
        if (
            stores
            and any(
                mentions(p, scope.is_secret)
                or whole(p, lambda n: isinstance(n, ast.Name) and n.id in scope.record)
                for p in parts
            )
            and not any(line <= call.lineno for line in scope.encrypt_lines)
        ):
            self.add(
                "code.shared-secret-stored-plain",
                call.lineno,
                f"`{name}(…)` stores a value holding the sharedSecret and no encryption call "
                "(encrypt/seal/KMS/Fernet …) comes before it in the function.",
            )
        self._credentials(scope, call, name)

    def _response(self, scope: _Scope, value: ast.AST, line: int, what: str) -> None:
        if mentions(value, scope.is_secret):
            self.add("code.shared-secret-in-response", line, f"{what} the sharedSecret to the client.")
        elif whole(value, scope.is_whole_record):
            self.add(
                "code.shared-secret-in-response",
                line,
                f"{what} a whole tenant record to the client; stored tenant records carry the sharedSecret.",
            )

    def _credentials(self, scope: _Scope, call: ast.Call, name: str) -> None:
        if not self.atlassian:
            return
        pairs: list[ast.AST] = []
        if name in _BASIC_AUTH_CALLS:
            pairs.extend(call.args)
        keywords = {k.arg: k.value for k in call.keywords if k.arg}
        for key in ("auth", "basic_auth"):
            if key in keywords:
                pairs.append(keywords[key])
        if "password" in keywords or "token" in keywords or "api_token" in keywords:
            pairs.extend(
                v for k, v in keywords.items() if k in {"username", "password", "token", "api_token"}
            )
        if name == "b64encode":
            pairs.extend(call.args)
        if any(mentions(p, scope.is_user_input) for p in pairs):
            self.add(
                "code.atlassian-basic-auth",
                call.lineno,
                f"`{name}(…)` builds basic authentication for the Atlassian site from credentials the user "
                "typed in (request/form/input): the app collects Atlassian passwords or API tokens.",
            )


def _imported(node: ast.Import | ast.ImportFrom) -> list[str]:
    if isinstance(node, ast.ImportFrom):
        return [node.module or ""]
    return [alias.name for alias in node.names]


def _is_log_call(call: ast.Call) -> bool:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id == "print"
    if isinstance(func, ast.Attribute) and func.attr in LOG_METHODS:
        receiver = dotted(func.value).lower()
        return "log" in receiver.rsplit(".", 1)[-1] or receiver in {"logging", "structlog"}
    return False


def analyse_python(rel: str, text: str) -> list[CodeFact]:
    """R7/R10 facts of one Python file; raises SyntaxError (or ValueError) when it does not parse.

    A file without any word a rule needs (secret names, install handlers, tenant records, Atlassian
    hosts or libraries) cannot produce a fact and is not parsed.
    """
    if not _RELEVANT.search(text):
        return []
    tree = ast.parse(text, filename=rel)
    return _Analyser(rel, text, tree).run()
