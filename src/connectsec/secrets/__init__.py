"""R8: secrets in the app's working tree and its whole git history."""

from connectsec.secrets.paths import DEFAULT_EXCLUDES
from connectsec.secrets.scan import scan_secrets

__all__ = ["DEFAULT_EXCLUDES", "scan_secrets"]
