"""The bundled demo target: a deliberately vulnerable sample Atlassian Connect app."""

from connectsec.demo.app import DemoConfig, build_descriptor, create_app
from connectsec.demo.auth import DemoTenant
from connectsec.demo.pki import DemoPKI
from connectsec.demo.server import DemoServer, serve_forever
from connectsec.demo.violations import DEFAULT_DEMO_VIOLATIONS, VIOLATIONS, Violation

__all__ = [
    "DEFAULT_DEMO_VIOLATIONS",
    "VIOLATIONS",
    "DemoConfig",
    "DemoPKI",
    "DemoServer",
    "DemoTenant",
    "Violation",
    "build_descriptor",
    "create_app",
    "serve_forever",
]
