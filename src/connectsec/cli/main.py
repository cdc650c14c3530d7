"""The command line: arguments in, a scan request to the engine, renderers out, exit code."""

from __future__ import annotations

import asyncio
import json
import logging
import signal
import sys
from collections.abc import Callable, Coroutine
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar
from urllib.parse import urlsplit

import typer
from rich.console import Console

from connectsec import __version__
from connectsec.auth.credentials import SECRET_ENV, Credentials, CredentialsError, Tenant, load_credentials
from connectsec.cli.exit_codes import EXIT_INPUT, EXIT_INTERNAL, exit_code
from connectsec.cli.options import (
    advisory_path,
    parse_dns_server,
    parse_rdap_url,
    parse_resolve,
    read_endpoints_file,
    readable_file,
    select_requirements,
    source_tree,
)
from connectsec.cli.progress import RichProgress
from connectsec.descriptor.errors import DescriptorError
from connectsec.engine.request import ScanRequest
from connectsec.model import Inventory, Report, Severity
from connectsec.probes.trust import TrustError
from connectsec.reporting.json_report import render_json
from connectsec.reporting.markdown import render_markdown
from connectsec.reporting.terminal import print_summary
from connectsec.suppressions import Suppression, load_suppressions

if TYPE_CHECKING:  # the engine, the history store and the report formats load only when a command needs them
    from connectsec.baseline import KnownFinding
    from connectsec.sla import SlaPolicy
    from connectsec.store import Store

T = TypeVar("T")
DEMO_USER, DEMO_ADMIN = "demo-user", "demo-admin"

app = typer.Typer(
    name="connectsec",
    help="Test an Atlassian Connect cloud app against the Marketplace security requirements.",
    add_completion=False,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
)


class FailOn(StrEnum):
    """Severity threshold for exit code 1."""

    critical = "critical"
    high = "high"
    medium = "medium"
    low = "low"


class InputError(Exception):
    """Unusable input: one line, exit code 2."""


def _version(value: bool) -> None:
    if value:
        typer.echo(f"connectsec {__version__}")
        raise typer.Exit(0)


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """connectsec: automated, repeatable security testing of Atlassian Connect apps."""


DescriptorArg = Annotated[str, typer.Argument(help="https URL of atlassian-connect.json, or a local file.")]


OptionalDescriptorArg = Annotated[
    str | None,
    typer.Argument(help="https URL of atlassian-connect.json, or a local file (optional with --source)."),
]


@app.command()
def scan(
    descriptor: OptionalDescriptorArg = None,
    base_url: Annotated[
        str | None, typer.Option(help="Use this baseUrl instead of the descriptor's.")
    ] = None,
    json_path: Annotated[Path | None, typer.Option("--json", help="Write the JSON report here.")] = None,
    markdown_path: Annotated[
        Path | None, typer.Option("--markdown", help="Write the Markdown report here.")
    ] = None,
    ca_bundle: Annotated[
        Path | None, typer.Option(help="Extra trust anchors (PEM), e.g. a staging CA.")
    ] = None,
    resolve: Annotated[
        list[str] | None, typer.Option(help="HOST:PORT:ADDR, connect to ADDR for HOST:PORT (like curl).")
    ] = None,
    proxy: Annotated[
        str | None, typer.Option(help="HTTP(S) proxy URL (default: from the environment).")
    ] = None,
    timeout: Annotated[float, typer.Option(min=0.1, max=600, help="Seconds for one request.")] = 10.0,
    concurrency: Annotated[int, typer.Option(min=1, max=512, help="Requests in flight at once.")] = 16,
    per_host: Annotated[int, typer.Option(min=1, max=512, help="Requests in flight per host.")] = 8,
    max_body: Annotated[int, typer.Option(min=1024, help="Bytes read of any response body.")] = 2_000_000,
    only: Annotated[str | None, typer.Option(help="Test only these requirements, e.g. R2,R12.")] = None,
    skip: Annotated[str | None, typer.Option(help="Do not test these requirements.")] = None,
    endpoints: Annotated[Path | None, typer.Option(help="Extra URLs or /paths, one per line.")] = None,
    har: Annotated[
        Path | None, typer.Option(help="A HAR file of the app in use: its requests join the inventory.")
    ] = None,
    openapi: Annotated[
        Path | None, typer.Option(help="An OpenAPI/Swagger document (JSON or YAML) of the app's API.")
    ] = None,
    crawl_pages: Annotated[int, typer.Option(min=0, max=10000, help="Requests the crawl may add.")] = 100,
    crawl_depth: Annotated[int, typer.Option(min=0, max=20, help="Link depth of the crawl.")] = 3,
    allow_private: Annotated[
        bool,
        typer.Option(
            "--allow-private", help="Allow hosts named by the descriptor to resolve to private addresses."
        ),
    ] = False,
    client_key: Annotated[
        str | None, typer.Option(help="A test tenant's clientKey (enables tenant-aware tests).")
    ] = None,
    shared_secret_file: Annotated[
        Path | None,
        typer.Option(help=f"File holding that tenant's sharedSecret (or set {SECRET_ENV})."),
    ] = None,
    user_account_id: Annotated[
        str | None, typer.Option(help="A non-admin user's accountId to mint tokens for.")
    ] = None,
    admin_account_id: Annotated[
        str | None, typer.Option(help="An admin's accountId to mint tokens for.")
    ] = None,
    context_jwt_file: Annotated[
        Path | None, typer.Option(help="File holding a context token (AP.context.getToken).")
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(help="connectsec.toml with [[tenants]] (default: ./connectsec.toml if present)."),
    ] = None,
    insecure: Annotated[
        bool, typer.Option("--insecure", help="Send credentials even where the certificate did not verify.")
    ] = False,
    no_state_changing: Annotated[
        bool,
        typer.Option(
            "--no-state-changing",
            help="Skip probes that could change the app's state (forged webhooks, installs).",
        ),
    ] = False,
    max_attack_requests: Annotated[
        int, typer.Option(min=0, help="Upper bound on attack requests (R5/R9/R13).")
    ] = 20_000,
    attack_rate: Annotated[
        float, typer.Option(min=0, help="Attack requests per second and host (0: unpaced).")
    ] = 100.0,
    allow_install_hijack_test: Annotated[
        bool,
        typer.Option(
            "--allow-install-hijack-test",
            help="Try an unsigned install for the test tenant's own clientKey, then restore its secret.",
        ),
    ] = False,
    self_install: Annotated[
        bool,
        typer.Option(
            "--self-install",
            help="No secret? If the app accepts a forged install, run R9/R13 as that throwaway tenant.",
        ),
    ] = False,
    tenant_url: Annotated[
        str | None, typer.Option(help="The test tenant's product URL (restores it after the hijack test).")
    ] = None,
    no_rdap: Annotated[
        bool,
        typer.Option("--no-rdap", help="Do not ask RDAP (an outside service) for domain registrations."),
    ] = False,
    rdap_url: Annotated[
        str | None, typer.Option(help="One RDAP server for every domain (default: the IANA bootstrap).")
    ] = None,
    dns_server: Annotated[
        str | None, typer.Option(help="ADDR[:PORT] of the resolver for R4 (default: the system's).")
    ] = None,
    zone_file: Annotated[
        Path | None, typer.Option(help="A zone file of the vendor: R4 checks every name in it.")
    ] = None,
    hosts_file: Annotated[Path | None, typer.Option(help="More host names for R4, one per line.")] = None,
    takeover_fingerprints: Annotated[
        Path | None, typer.Option(help="A newer can-i-take-over-xyz fingerprints.json for R4.")
    ] = None,
    expiry_warn_days: Annotated[
        int, typer.Option(min=0, max=3650, help="Warn when a certificate or domain expires this soon.")
    ] = 30,
    http_port: Annotated[
        int, typer.Option(min=1, max=65535, help="Port where plain http must redirect or refuse (R1.1).")
    ] = 80,
    offline: Annotated[
        bool,
        typer.Option(
            "--offline", help="Contact only the target's hosts (and DNS): no RDAP, no storage probes."
        ),
    ] = False,
    no_storage_probe: Annotated[
        bool,
        typer.Option("--no-storage-probe", help="Do not contact the cloud storage the app references (R6)."),
    ] = False,
    allow_write_probe: Annotated[
        bool,
        typer.Option(
            "--allow-write-probe",
            help="R6 may write, then delete, a random object to test anonymous writes.",
        ),
    ] = False,
    retire_data: Annotated[
        Path | None, typer.Option(help="A newer RetireJS jsrepository-v5.json for R14.")
    ] = None,
    source: Annotated[
        Path | None,
        typer.Option(help="The app's source tree (git checkout): secrets, dependencies, code (R6-R10, R14)."),
    ] = None,
    no_git_history: Annotated[
        bool, typer.Option("--no-git-history", help="With --source: the working tree only, not git history.")
    ] = False,
    advisories: Annotated[
        list[Path] | None,
        typer.Option(help="More OSV advisory data: a directory or zip of OSV JSON (repeatable)."),
    ] = None,
    advisory_max_age: Annotated[
        int,
        typer.Option(min=1, max=3650, help="Advisory data older than this (days) makes R14 at best warn."),
    ] = 30,
    dev_vulns_fail: Annotated[
        bool,
        typer.Option(
            "--dev-vulns-fail",
            help="High/critical advisories of development-only dependencies fail (not warn).",
        ),
    ] = False,
    baseline: Annotated[
        Path | None,
        typer.Option(help="An earlier JSON report: findings already there are marked and do not fail."),
    ] = None,
    sarif_path: Annotated[
        Path | None, typer.Option("--sarif", help="Write a SARIF 2.1.0 report here (code scanning).")
    ] = None,
    junit_path: Annotated[
        Path | None, typer.Option("--junit", help="Write a JUnit XML report here (one test per requirement).")
    ] = None,
    html_path: Annotated[
        Path | None, typer.Option("--html", help="Write a self-contained HTML report.")
    ] = None,
    db_url: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="History database URL (default: SQLite in ~/.local/share/connectsec; postgresql://…).",
        ),
    ] = None,
    no_db: Annotated[
        bool, typer.Option("--no-db", help="Keep no history: no first-seen or due dates, R15 skipped.")
    ] = False,
    fail_on: Annotated[
        FailOn, typer.Option(help="Exit 1 on a failing finding at or above this.")
    ] = FailOn.low,
    plan: Annotated[
        bool, typer.Option("--plan", help="Print the inventory and planned requests; send nothing else.")
    ] = False,
    quiet: Annotated[bool, typer.Option("-q", "--quiet", help="No progress display.")] = False,
    verbose: Annotated[bool, typer.Option("-v", "--verbose", help="Debug logging on stderr.")] = False,
) -> None:
    """Scan one Connect app and report per requirement."""
    _logging(verbose)
    try:
        if not descriptor and source is None:
            raise ValueError("give the app's descriptor (URL or file), --source PATH, or both")
        request = ScanRequest(
            descriptor=descriptor or "",
            base_url=_checked_base_url(base_url),
            ca_bundle=str(ca_bundle) if ca_bundle else None,
            resolve=parse_resolve(resolve or []),
            proxy=proxy or _env_proxy(descriptor or ""),
            timeout=timeout,
            concurrency=concurrency,
            per_host=per_host,
            max_body=max_body,
            requirements=select_requirements(only, skip),
            extra_endpoints=read_endpoints_file(endpoints) if endpoints else (),
            har=readable_file("--har", har) if har else None,
            openapi=readable_file("--openapi", openapi) if openapi else None,
            crawl_pages=crawl_pages,
            crawl_depth=crawl_depth,
            allow_private=allow_private,
            credentials=load_credentials(
                client_key=client_key,
                shared_secret_file=shared_secret_file,
                user_account_id=user_account_id,
                admin_account_id=admin_account_id,
                context_jwt_file=context_jwt_file,
                product_url=tenant_url,
                config=config or _default_config(),
            ),
            suppressions=_suppressions(config or _default_config()),
            insecure=insecure,
            state_changing=not no_state_changing,
            max_attack_requests=max_attack_requests,
            allow_install_hijack=allow_install_hijack_test,
            self_install=self_install,
            attack_rate=attack_rate or None,
            rdap=not no_rdap,
            rdap_url=parse_rdap_url(rdap_url) if rdap_url else None,
            dns_server=parse_dns_server(dns_server) if dns_server else None,
            zone_file=readable_file("--zone-file", zone_file) if zone_file else None,
            hosts_file=readable_file("--hosts-file", hosts_file) if hosts_file else None,
            takeover_fingerprints=(
                readable_file("--takeover-fingerprints", takeover_fingerprints)
                if takeover_fingerprints
                else None
            ),
            expiry_warn_days=expiry_warn_days,
            plain_http_port=http_port,
            offline=offline,
            storage_probe=not no_storage_probe,
            allow_write_probe=allow_write_probe,
            retire_data=readable_file("--retire-data", retire_data) if retire_data else None,
            source=source_tree(source) if source else None,
            source_history=not no_git_history,
            advisories=tuple(advisory_path(a) for a in advisories or ()),
            dev_vulns_fail=dev_vulns_fail,
            advisory_max_age=advisory_max_age,
        )
        _check_input_files(request)
    except (ValueError, CredentialsError) as exc:
        _die(str(exc))
    if plan:
        _run(_plan(request))
        raise typer.Exit(0)
    known = _baseline(baseline)
    outputs = Outputs(json_path, markdown_path, sarif_path, junit_path, html_path, request.source)
    history = None if no_db else _open_history(db_url, config or _default_config())
    report = _run(_scan(request, quiet))
    if known is not None:
        from connectsec.baseline import mark_baseline

        report = mark_baseline(report, known)
    _finish(report, outputs, Severity(fail_on.value), history)


@dataclass(frozen=True)
class Outputs:
    """Where the reports go."""

    json: Path | None = None
    markdown: Path | None = None
    sarif: Path | None = None
    junit: Path | None = None
    html: Path | None = None
    source_root: str | None = None


@dataclass(frozen=True)
class History:
    """The open history store and the SLA policy for this scan."""

    store: Store
    policy: SlaPolicy


def _open_history(url: str | None, config: Path | None) -> History:
    from connectsec.sla import load_policy
    from connectsec.store import open_store

    try:
        return History(open_store(url), load_policy(config))
    except ValueError as exc:
        _die(str(exc))


def _baseline(path: Path | None) -> dict[str, KnownFinding] | None:
    from connectsec.baseline import read_findings

    if path is None:
        return None
    try:
        return read_findings(path)
    except ValueError as exc:
        _die(str(exc))


@app.command("diff")
def diff(
    old: Annotated[Path, typer.Argument(help="The earlier JSON report.")],
    new: Annotated[Path, typer.Argument(help="The later JSON report.")],
    json_output: Annotated[bool, typer.Option("--json", help="Print the difference as JSON.")] = False,
) -> None:
    """Findings new in NEW, fixed since OLD, and unchanged; exit 1 when there are new failing ones."""
    try:
        from connectsec.baseline import diff_reports

        changes = diff_reports(old, new)
    except ValueError as exc:
        _die(str(exc))
    if json_output:
        document = {
            kind: [asdict(f) for f in getattr(changes, kind)] for kind in ("new", "fixed", "unchanged")
        }
        typer.echo(json.dumps(document, indent=2))
    else:
        _out.print(
            f"{len(changes.new)} new, {len(changes.fixed)} fixed, {len(changes.unchanged)} unchanged",
            markup=False,
            highlight=False,
        )
        for label, items in (("new", changes.new), ("fixed", changes.fixed)):
            for f in items:
                line = f"  {label:5} {f.requirement:5} {f.verdict:4} {f.severity:8} {f.rule}  {f.location}"
                _out.print(line, markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(1 if any(f.verdict == "fail" for f in changes.new) else 0)


@app.command()
def demo(
    violation: Annotated[
        list[str] | None, typer.Option(help="Switch on only this violation (repeatable); default: all.")
    ] = None,
    compliant: Annotated[bool, typer.Option("--compliant", help="Serve the fully compliant app.")] = False,
    serve: Annotated[
        bool, typer.Option("--serve", help="Only serve the demo app until Ctrl-C; do not scan.")
    ] = False,
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port for --serve (0: any free port).")] = 8443,
    tenant: Annotated[
        bool,
        typer.Option("--tenant", help="Protect the app with Connect JWTs and scan it as a test tenant."),
    ] = False,
    json_path: Annotated[Path | None, typer.Option("--json", help="Write the JSON report here.")] = None,
    markdown_path: Annotated[
        Path | None, typer.Option("--markdown", help="Write the Markdown report here.")
    ] = None,
    fail_on: Annotated[
        FailOn, typer.Option(help="Exit 1 on a failing finding at or above this.")
    ] = FailOn.low,
    quiet: Annotated[bool, typer.Option("-q", "--quiet", help="No progress display.")] = False,
    verbose: Annotated[bool, typer.Option("-v", "--verbose", help="Debug logging on stderr.")] = False,
) -> None:
    """Start the bundled, deliberately vulnerable sample app on localhost and scan it."""
    _logging(verbose)
    from connectsec.connect_jwt import InstallKeyPair
    from connectsec.demo.auth import DemoTenant
    from connectsec.demo.server import DemoServer, serve_forever
    from connectsec.demo.violations import DEFAULT_DEMO_VIOLATIONS, VIOLATIONS

    names = () if compliant else tuple(violation or DEFAULT_DEMO_VIOLATIONS)
    unknown = [n for n in names if n not in VIOLATIONS]
    if unknown:
        _die(f"unknown violation {unknown[0]!r} (known: {', '.join(sorted(VIOLATIONS))})")
    needing = [n for n in names if VIOLATIONS[n].needs_auth]
    if needing and not tenant:
        _die(f"violation {needing[0]!r} only shows behind login: add --tenant")
    tenants = [DemoTenant.random(admin_account_ids=(DEMO_ADMIN,)) for _ in range(2)] if tenant else []
    if serve:
        signal.signal(signal.SIGTERM, _interrupt)  # stop cleanly (and remove the throwaway CA) on SIGTERM
        try:
            serve_forever(violations=names, port=port, tenants=tenants)
        except (OSError, RuntimeError) as exc:
            _die(f"cannot serve the demo app on port {port}: {exc}")
        return
    credentials = Credentials(
        tuple(
            Tenant(
                f"demo-{i + 1}",
                t.client_key,
                t.shared_secret,
                DEMO_USER,
                DEMO_ADMIN,
                "https://demo.atlassian.net",
            )
            for i, t in enumerate(tenants)
        )
    )
    with DemoServer(violations=names, tenants=tenants, install_key=InstallKeyPair.generate()) as server:
        _err.print(f"demo app at {server.descriptor_url} (throwaway CA: {server.ca_pem})", highlight=False)
        request = ScanRequest(
            descriptor=server.descriptor_url,
            ca_bundle=str(server.ca_pem),
            credentials=credentials,
            allow_install_hijack=tenant,
        )
        report = _run(_scan(request, quiet))
    history = _open_history("sqlite://", None)  # the demo's own throwaway history: R15 shows its due dates
    _finish(report, Outputs(json_path, markdown_path), Severity(fail_on.value), history)


@app.command("sla")
def sla(
    db_url: Annotated[
        str | None, typer.Option("--db", help="History database URL (default: the user's).")
    ] = None,
    target: Annotated[str | None, typer.Option(help="Only this target (its descriptor URL).")] = None,
    config: Annotated[
        Path | None, typer.Option(help="connectsec.toml with an [sla] table (default: ./connectsec.toml).")
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print the findings as JSON.")] = False,
) -> None:
    """Open findings with their security-SLA due dates, overdue first; exit 1 when any is overdue."""
    from connectsec.sla import due_date
    from connectsec.store import StoreError

    history = _open_history(db_url, config or _default_config())
    today = datetime.now(UTC).date()
    try:
        with history.store:
            tracked = history.store.open_findings(target)
    except StoreError as exc:
        _die(str(exc))
    rows = sorted(
        ((due_date(t, history.policy), t) for t in tracked), key=lambda row: (row[0], row[1].fingerprint)
    )
    if json_output:
        document = [
            {
                "target": t.target, "id": t.fingerprint, "requirement": t.requirement, "rule": t.rule,
                "severity": str(t.severity), "location": t.location, "title": t.title,
                "first_seen": t.first_seen.date().isoformat(), "due": due.isoformat(),
                "overdue": due < today, "reopened": t.reopened_count,
            }
            for due, t in rows
        ]  # fmt: skip
        typer.echo(json.dumps(document, indent=2))
    else:
        overdue = sum(due < today for due, _t in rows)
        _out.print(f"{len(rows)} open finding(s), {overdue} overdue", markup=False, highlight=False)
        for due, t in rows:
            state = "OVERDUE" if due < today else f"{(due - today).days:>4} d"
            line = f"  {due} {state:7} {t.severity!s:8} {t.requirement:5} {t.rule}  {t.location}"
            _out.print(line, markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(1 if any(due < today for due, _t in rows) else 0)


db = typer.Typer(help="Offline data: advisories, RetireJS, takeover fingerprints, public suffixes.")
app.add_typer(db, name="db")


@db.command("update")
def db_update(
    cache_dir: Annotated[
        Path | None, typer.Option(help="Where to keep the data (default: ~/.cache/connectsec).")
    ] = None,
    timeout: Annotated[float, typer.Option(min=1, max=3600, help="Seconds per download.")] = 120.0,
    mirror: Annotated[
        str | None,
        typer.Option(help="Fetch every file from this mirror (MIRROR/osv/npm.zip …) instead of upstream."),
    ] = None,
) -> None:
    """Download fresh OSV advisories, the RetireJS repository, takeover fingerprints and the PSL."""
    from connectsec.deps.update import DEFAULT_SOURCES, update_databases
    from connectsec.domain.bootstrap import default_cache_dir

    target = cache_dir or default_cache_dir()
    sources = dict(DEFAULT_SOURCES)
    if mirror:
        if not mirror.startswith(("https://", "http://")):
            _die(f"--mirror {mirror!r}: expected an http(s) URL")
        sources = {item: f"{mirror.rstrip('/')}/{item}" for item in sources}
    try:
        lines = update_databases(str(target), sources=sources, timeout=timeout)
    except OSError as exc:
        _die(f"cannot write to {target}: {exc.strerror or exc}")
    for line in lines:
        _out.print(line, markup=False, highlight=False, soft_wrap=True)
    failed = sum(line.startswith("failed") for line in lines)
    if failed:
        _err.print(f"{failed} of {len(lines)} download(s) failed; scans use the copies they have")
        raise typer.Exit(3)


def _check_input_files(request: ScanRequest) -> None:
    """Read the input files now, so a bad one is a one-line error before any traffic (ValueError)."""
    from connectsec.components.retire import load_repository
    from connectsec.sources.common import Found
    from connectsec.sources.har import har_endpoints
    from connectsec.sources.openapi import openapi_endpoints
    from connectsec.takeover.hosts_input import names_from_hosts_file, names_from_zone_file
    from connectsec.takeover.services import load_services

    if request.zone_file:
        names_from_zone_file(request.zone_file)
    if request.hosts_file:
        names_from_hosts_file(request.hosts_file)
    if request.takeover_fingerprints:
        load_services(request.takeover_fingerprints)
    if request.retire_data:
        load_repository(request.retire_data)
    if request.har:
        har_endpoints(request.har, set(), Found())
    if request.openapi:
        openapi_endpoints(request.openapi, "https://app.invalid", set(), Found())


_out = Console(soft_wrap=False)
_err = Console(stderr=True)


async def _scan(request: ScanRequest, quiet: bool) -> Report:
    from connectsec.engine.scan import Scanner

    with RichProgress(_err, enabled=not quiet and _err.is_terminal) as progress:
        async with Scanner(request, progress) as scanner:
            return await scanner.run()


async def _plan(request: ScanRequest) -> None:
    from connectsec.engine.scan import Scanner

    async with Scanner(request) as scanner:
        discovery = await scanner.discover()
        inventory = discovery.inventory
        specs = scanner.baseline_requests(inventory)
    url = scanner.redactor.url
    lines = [
        f"app {inventory.app_key} ({inventory.app_name or 'no name'}), baseUrl {url(inventory.base_url)}",
        f"hosts: {', '.join(inventory.hosts)}",
        f"{len(inventory.endpoints)} endpoints (kind, method, URL, where found, flags):",
    ]
    for e in map(scanner.redacted, inventory.endpoints):
        flags = " ".join(f for f, on in (("admin-only", e.admin_only), ("cacheable", e.cacheable)) if on)
        lines.append(f"  {e.kind.value:10} {e.method:5} {e.url}  [{e.source}] {flags}".rstrip())
    lines.append(
        f"requests the scan would send ({len(specs)}, plus a same-origin crawl of at most "
        f"{request.crawl_pages} requests, depth {request.crawl_depth}):"
    )
    lines.extend(f"  {s.method} {url(s.url)}" for s in specs)
    lines += _host_plan(request, inventory)
    for line in lines:
        _out.print(line, markup=False, highlight=False, soft_wrap=True)


def _host_plan(request: ScanRequest, inventory: Inventory) -> list[str]:
    """The host-level probes a scan would run (R1.1, R3, R4)."""
    from connectsec.domain.psl import special_use
    from connectsec.engine.hosts import https_endpoints, named_hosts

    wanted = set(request.requirements)
    lines: list[str] = []
    if wanted & {"R1.1", "R3"}:
        endpoints = ", ".join(f"{h}:{p}" for h, p in https_endpoints(inventory))
        lines.append(
            f"TLS endpoints (R1.1 suites, R3 certificate), each resolved address: {endpoints or 'none'}"
        )
    if "R1.1" in wanted:
        hosts = dict.fromkeys(h for h, _p in https_endpoints(inventory, links=False))
        lines.append(f"plain http (R1.1), port {request.plain_http_port}: {', '.join(hosts) or 'none'}")
    if "R4" in wanted:
        names = [h for h in named_hosts(inventory) if special_use(h) is None]
        extra = (
            " plus the names of " + " and ".join(f for f in (request.zone_file, request.hosts_file) if f)
            if (request.zone_file or request.hosts_file)
            else ""
        )
        resolver = ":".join(map(str, request.dns_server)) if request.dns_server else "the system resolver"
        lines.append(f"DNS names (R4) via {resolver}: {', '.join(names) or 'none'}{extra}")
    if wanted & {"R3", "R4"}:
        where = request.rdap_url or "the IANA bootstrap's RDAP servers"
        lines.append(f"RDAP (R3, R4): {where}" if request.rdap else "RDAP (R3, R4): off (--no-rdap)")
    return lines


def _run(coro: Coroutine[Any, Any, T]) -> T:
    try:
        return asyncio.run(coro)
    except DescriptorError as exc:
        _die(str(exc))
    except TrustError as exc:
        _die(str(exc))
    except KeyboardInterrupt:
        _err.print("connectsec: interrupted")
        raise typer.Exit(130) from None


def _finish(report: Report, outputs: Outputs, fail_on: Severity, history: History | None) -> NoReturn:
    from connectsec.engine.history_phase import with_history, without_history
    from connectsec.reporting.html import TrendPoint, render_html
    from connectsec.reporting.junit import render_junit
    from connectsec.reporting.sarif import render_sarif
    from connectsec.store import StoreError

    trend: list[TrendPoint] = []
    if history is None:
        report = without_history(report, "scan history is off (--no-db)")
    else:
        try:
            with history.store:
                report, trend = with_history(report, history.store, history.policy, datetime.now(UTC))
        except StoreError as exc:
            _err.print(f"connectsec: error: {exc}", markup=False, highlight=False)
            report = without_history(report, f"the history store failed: {exc}")
    renders: list[tuple[Path | None, Callable[[Report], bytes]]] = [
        (outputs.json, render_json),
        (outputs.markdown, render_markdown),
        (outputs.sarif, lambda r: render_sarif(r, source_root=outputs.source_root)),
        (outputs.junit, render_junit),
        (outputs.html, lambda r: render_html(r, trend)),
    ]
    for path, render in renders:
        if path is None:
            continue
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(render(report))
        except OSError as exc:
            _die(f"cannot write {path}: {exc.strerror or exc}")
    print_summary(report, _out)
    raise typer.Exit(exit_code(report, fail_on))


def _suppressions(config: Path | None) -> tuple[Suppression, ...]:
    return load_suppressions(config) if config else ()


def _default_config() -> Path | None:
    path = Path("connectsec.toml")
    return path if path.is_file() else None


def _checked_base_url(value: str | None) -> str | None:
    if value is None:
        return None
    if not value.lower().startswith(("https://", "http://")):
        raise ValueError(f"--base-url {value!r}: expected an absolute http(s) URL")
    try:
        host = urlsplit(value).hostname
    except ValueError:
        host = None
    if not host:
        raise ValueError(f"--base-url {value!r}: not a valid URL (no host)")
    return value.rstrip("/") or value


def _env_proxy(descriptor: str) -> str | None:
    import urllib.request

    host = urlsplit(descriptor).hostname if "://" in descriptor else None
    if host and urllib.request.proxy_bypass(host):
        return None
    scheme = "https" if descriptor.lower().startswith("https") else "http"
    return urllib.request.getproxies().get(scheme)


def _logging(verbose: bool) -> None:
    from rich.logging import RichHandler

    logging.basicConfig(
        level=logging.WARNING,
        handlers=[RichHandler(console=_err, show_path=False, markup=False)],
        format="%(message)s",
    )
    # Only our own debug lines: library traces are noise and may echo request details.
    logging.getLogger("connectsec").setLevel(logging.DEBUG if verbose else logging.WARNING)


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def _die(message: str) -> NoReturn:
    _err.print(f"connectsec: error: {message}", markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(EXIT_INPUT)


def run() -> None:
    """Console-script entry point: one-line errors, never a traceback."""
    try:
        code = app(standalone_mode=False)
    except typer.Exit as exc:
        code = exc.exit_code
    except typer.Abort:
        print("connectsec: interrupted", file=sys.stderr)
        code = 130
    except typer.TyperException as exc:  # usage errors: bad option, bad value
        message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
        print(f"connectsec: error: {' '.join(str(message).split())}", file=sys.stderr)
        code = EXIT_INPUT
    except Exception as exc:
        if "-v" in sys.argv or "--verbose" in sys.argv:
            raise
        print(
            f"connectsec: internal error: {type(exc).__name__}: {exc} (run with -v for details)",
            file=sys.stderr,
        )
        code = EXIT_INTERNAL
    sys.exit(code if isinstance(code, int) else 0)
