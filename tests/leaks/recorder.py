"""Records the Connect JWTs a running Starlette app receives (Authorization header and ?jwt=)."""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.types import ASGIApp, Receive, Scope, Send


class TokenRecorder:
    """Wraps the app's middleware stack; `tokens` holds every JWT seen, in arrival order."""

    def __init__(self, app: Starlette) -> None:
        self.tokens: list[str] = []
        self._inner: ASGIApp = app.middleware_stack or app.build_middleware_stack()
        app.middleware_stack = self

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            for name, value in scope["headers"]:
                if name.lower() == b"authorization" and b" " in value:
                    self.tokens.append(value.split(b" ", 1)[1].decode("latin-1").strip())
            query = scope.get("query_string", b"").decode("latin-1")
            self.tokens.extend(v for k, v in parse_qsl(query) if k == "jwt")
        await self._inner(scope, receive, send)

    def signatures(self) -> set[str]:
        """The signature part of every well-formed token seen."""
        return {
            t.rsplit(".", 1)[1] for t in self.tokens if t.count(".") == 2 and len(t.rsplit(".", 1)[1]) >= 20
        }
