"""R14 vulnerable components: the served-JavaScript check (remote)."""

from connectsec.checks.components.served_js import SERVED_JS_CHECK, ServedJsCheck, served_js_check

__all__ = ["SERVED_JS_CHECK", "ServedJsCheck", "served_js_check"]
