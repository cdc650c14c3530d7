"""Source mode's code scan: sharedSecret handling (R7), Atlassian credentials (R10), public storage in
infrastructure-as-code (R6), and what the Connect frameworks do by default."""

from __future__ import annotations

from connectsec.code.files import DEFAULT_EXCLUDES
from connectsec.code.scan import scan_code

__all__ = ["DEFAULT_EXCLUDES", "scan_code"]
