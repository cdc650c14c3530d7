"""Run the demo app over HTTPS on a loopback port, in a background thread."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
import sys
import threading
import time
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from types import TracebackType
from typing import Self

import uvicorn
from starlette.applications import Starlette

from connectsec.connect_jwt import InstallKeyPair
from connectsec.demo.app import DemoConfig, create_app
from connectsec.demo.auth import DemoTenant, tenant_index
from connectsec.demo.lifecycle import check_install_keys
from connectsec.demo.pki import DemoPKI
from connectsec.demo.violations import DEFAULT_DEMO_VIOLATIONS, check_auth_violations, check_violation_names

TLS_PROFILES = ("intermediate", "legacy")
"""`intermediate`: TLS 1.2+ with ECDHE and AEAD suites only (Mozilla intermediate).
`legacy`: TLS 1.0 and 1.1 accepted too, with OpenSSL's whole default suite list at security level 0."""


def tls_context(profile: str, cert_pem: str, key_pem: str) -> ssl.SSLContext:
    """The server-side TLS context of a demo/test server."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_pem, key_pem)
    if profile == "legacy":
        with warnings.catch_warnings():  # deliberately weak: that is the point of this profile
            warnings.simplefilter("ignore", DeprecationWarning)
            context.minimum_version = ssl.TLSVersion.TLSv1
        context.set_ciphers("DEFAULT:@SECLEVEL=0")
    else:
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.set_ciphers("ECDHE+AESGCM:ECDHE+CHACHA20")
    return context


class TlsAppServer:
    """An ASGI app served over HTTPS by uvicorn in a background thread; a context manager, started once.

    The server listens on `bind` (127.0.0.1) at `port` (0: OS-assigned); `app_factory` gets the
    server's own base URL `https://{host_name}:{port}`, which the certificate must cover.
    Without a `pki`, a fresh one is made and removed again on exit. Tests use it for any target app.
    """

    def __init__(
        self,
        app_factory: Callable[[str], Starlette],
        host_name: str = "localhost",
        pki: DemoPKI | None = None,
        *,
        port: int = 0,
        bind: str = "127.0.0.1",
        start_timeout: float = 10.0,
        stop_timeout: float = 10.0,
        tls: str = "intermediate",
    ) -> None:
        if tls not in TLS_PROFILES:
            raise ValueError(f"unknown TLS profile {tls!r} (known: {', '.join(TLS_PROFILES)})")
        self.tls = tls
        if pki is not None and not pki.covers(host_name):
            raise ValueError(f"the demo certificate does not cover {host_name!r} (it covers {pki.hosts})")
        self._app_factory = app_factory
        self.host_name = host_name
        self._bind = bind
        self._requested_port = port
        self._start_timeout = start_timeout
        self._stop_timeout = stop_timeout
        self._pki = pki
        self._owns_pki = pki is None
        self._port: int | None = None
        self._app: Starlette | None = None
        self._sock: socket.socket | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None
        self._used = False

    # --- lifecycle -------------------------------------------------------------------------------

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def start(self) -> None:
        """Bind, start serving and wait until the server accepts connections."""
        if self._used:
            raise RuntimeError("a DemoServer can be started only once")
        self._used = True
        try:
            self._start()
        except BaseException:
            self.stop()
            raise

    def _start(self) -> None:
        if self._pki is None:
            self._pki = DemoPKI(extra_hosts=(self.host_name,))
        family = socket.AF_INET6 if ":" in self._bind else socket.AF_INET
        # With proto 0, asyncio skips TCP_NODELAY on accepted sockets: 40 ms per response.
        self._sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        if sys.platform != "win32":
            self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind((self._bind, self._requested_port))
        self._sock.listen(128)
        self._port = int(self._sock.getsockname()[1])

        self._app = self._app_factory(self.base_url)
        config = uvicorn.Config(
            self._app,
            ssl_certfile=self._pki.cert_pem,
            ssl_keyfile=self._pki.key_pem,
            log_level="warning",
            log_config=None,
            access_log=False,
            lifespan="off",
            proxy_headers=False,
            timeout_graceful_shutdown=2,
        )
        config.load()
        config.ssl = tls_context(self.tls, self._pki.cert_pem, self._pki.key_pem)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._run,
            args=(self._server, self._sock),
            name=f"connectsec-demo-{self._port}",
            daemon=True,
        )
        self._thread.start()

        deadline = time.monotonic() + self._start_timeout
        while not self._server.started:
            if not self._thread.is_alive():
                raise RuntimeError(f"the demo server failed to start: {self._error!r}") from self._error
            if time.monotonic() > deadline:
                raise RuntimeError(f"the demo server did not start within {self._start_timeout} s")
            time.sleep(0.005)

    def _run(self, server: uvicorn.Server, sock: socket.socket) -> None:
        try:
            asyncio.run(server.serve(sockets=[sock]))
        except BaseException as exc:  # uvicorn may sys.exit() on startup failure
            self._error = exc

    def stop(self) -> None:
        """Stop serving, wait for the thread, release the socket and any PKI made here."""
        thread, server = self._thread, self._server
        if thread is not None and server is not None:
            server.should_exit = True
            thread.join(self._stop_timeout)
            if thread.is_alive():
                server.force_exit = True
                thread.join(self._stop_timeout)
        if self._sock is not None:
            self._sock.close()
        if self._owns_pki and self._pki is not None:
            self._pki.cleanup()
        if thread is not None and thread.is_alive():
            raise RuntimeError(f"the demo server thread {thread.name} did not stop")

    def wait(self) -> None:
        """Block until the server stops (Ctrl-C raises KeyboardInterrupt here)."""
        thread = self._thread
        if thread is None:
            raise RuntimeError("the demo server is not started")
        while thread.is_alive():
            thread.join(0.5)
        if self._error is not None:
            raise RuntimeError(f"the demo server stopped: {self._error!r}") from self._error

    # --- properties ------------------------------------------------------------------------------

    @property
    def port(self) -> int:
        """The TCP port it listens on."""
        if self._port is None:
            raise RuntimeError("the demo server is not started")
        return self._port

    @property
    def base_url(self) -> str:
        """https://{host_name}:{port}, the descriptor's baseUrl."""
        host = f"[{self.host_name}]" if ":" in self.host_name else self.host_name
        return f"https://{host}:{self.port}"

    @property
    def descriptor_url(self) -> str:
        """The URL of /atlassian-connect.json."""
        return f"{self.base_url}/atlassian-connect.json"

    @property
    def pki(self) -> DemoPKI:
        """The CA and server certificate in use."""
        if self._pki is None:
            raise RuntimeError("the demo server is not started")
        return self._pki

    @property
    def ca_pem(self) -> str:
        """Path of the CA certificate PEM that clients must trust."""
        return self.pki.ca_pem

    @property
    def app(self) -> Starlette:
        """The served Starlette app."""
        if self._app is None:
            raise RuntimeError("the demo server is not started")
        return self._app


class DemoServer(TlsAppServer):
    """The demo app over HTTPS; its descriptor names `https://{host_name}:{port}` as baseUrl.

    With `tenants`, module pages, the API, webhooks and enabled/disabled need a valid tenant JWT, and
    ``installed`` / ``uninstalled`` need a signed-install token whose kid is in `install_keys` (given as
    a mapping kid → SPKI PEM, as one `install_key`, or added later with `add_install_key`); accepted
    installs change `tenant_store`.
    """

    def __init__(
        self,
        violations: Iterable[str] = (),
        extra_pages: int = 0,
        host_name: str = "localhost",
        pki: DemoPKI | None = None,
        *,
        port: int = 0,
        bind: str = "127.0.0.1",
        start_timeout: float = 10.0,
        stop_timeout: float = 10.0,
        tenants: Iterable[DemoTenant] = (),
        install_keys: Mapping[str, bytes] | None = None,
        install_key: InstallKeyPair | None = None,
    ) -> None:
        self._install_keys: dict[str, bytes] = dict(install_keys or {})
        if install_key is not None:
            self._install_keys[install_key.kid] = install_key.public_pem
        check_install_keys(self._install_keys)
        self.violations = frozenset(violations)
        check_violation_names(self.violations)
        if extra_pages < 0:
            raise ValueError("extra_pages must be >= 0")
        self.extra_pages = extra_pages
        self.tenants = tuple(tenants)
        tenant_index(self.tenants)
        check_auth_violations(self.violations, has_tenants=bool(self.tenants))
        super().__init__(
            self._make_app,
            host_name,
            pki,
            port=port,
            bind=bind,
            start_timeout=start_timeout,
            stop_timeout=stop_timeout,
            tls="legacy" if "tls-legacy-protocol" in self.violations else "intermediate",
        )

    def _make_app(self, base_url: str) -> Starlette:
        return create_app(
            DemoConfig(
                violations=self.violations,
                extra_pages=self.extra_pages,
                base_url=base_url,
                tenants=self.tenants,
                install_keys=self._install_keys,
            )
        )

    @property
    def install_keys(self) -> dict[str, bytes]:
        """The live install key store, kid → SPKI PEM (before the start: what the app will get)."""
        if self._app is None:
            return self._install_keys
        keys: dict[str, bytes] = self._app.state.install_keys
        return keys

    def add_install_key(self, key: InstallKeyPair | None = None) -> InstallKeyPair:
        """Publish `key` (default: a fresh `InstallKeyPair`) in the install key store; returns it."""
        key = key or InstallKeyPair.generate()
        check_install_keys({key.kid: key.public_pem})
        self.install_keys[key.kid] = key.public_pem
        return key

    @property
    def tenant_store(self) -> dict[str, DemoTenant]:
        """The live tenant store, clientKey → tenant: the configured tenants as changed by lifecycle calls."""
        tenants: dict[str, DemoTenant] = self.app.state.tenants
        return tenants

    @property
    def hits(self) -> Counter[str]:
        """Requests seen so far, per path."""
        hits: Counter[str] = self.app.state.hits
        return hits

    @property
    def authenticated_hits(self) -> Counter[str]:
        """Requests so far, per path, that carried a valid tenant token (403s for non-admins included)."""
        hits: Counter[str] = self.app.state.authenticated_hits
        return hits

    @property
    def auth_rejections(self) -> Counter[tuple[str, str]]:
        """Refused requests so far, per (path, reason); reasons as `AuthResult.reason`."""
        rejections: Counter[tuple[str, str]] = self.app.state.auth_rejections
        return rejections


def _announce(server: DemoServer) -> None:
    print(
        f"connectsec demo app at {server.base_url}\n"
        f"  descriptor: {server.descriptor_url}\n"
        f"  CA certificate: {server.ca_pem}\n"
        f"  violations: {', '.join(sorted(server.violations)) or 'none'}\n"
        + "".join(f"  tenant clientKey: {tenant.client_key}\n" for tenant in server.tenants)
        + "Press Ctrl-C to stop.",
        file=sys.stderr,
        flush=True,
    )


def serve_forever(
    violations: Iterable[str] = DEFAULT_DEMO_VIOLATIONS,
    *,
    extra_pages: int = 0,
    host_name: str = "localhost",
    port: int = 8443,
    bind: str = "127.0.0.1",
    pki: DemoPKI | None = None,
    on_ready: Callable[[DemoServer], None] | None = None,
    tenants: Iterable[DemoTenant] = (),
) -> None:
    """Serve the demo app until Ctrl-C; `on_ready` (default: a note on stderr) gets the running server."""
    with DemoServer(violations, extra_pages, host_name, pki, port=port, bind=bind, tenants=tenants) as server:
        (on_ready or _announce)(server)
        with contextlib.suppress(KeyboardInterrupt):
            server.wait()
