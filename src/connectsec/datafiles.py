"""Reading the JSON data files connectsec bundles or is given (RetireJS, takeover fingerprints)."""

from __future__ import annotations

import json
from typing import Any


def json_document(data: bytes, label: str) -> Any:
    """The parsed JSON of a data file (ValueError naming `label` with one line when it is not JSON)."""
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{label}: not JSON ({exc})") from None
