"""Every form in which a secret could show up in an output: the encodings the scanner itself knows (R7)."""

from __future__ import annotations

import base64
import json
from urllib.parse import quote, quote_plus


def forms(secret: str) -> dict[str, str]:
    """Encoding name → the secret in that encoding (base64 at each of the three alignments inside a longer
    value: the characters that depend on the neighbouring bytes are cut off)."""
    raw = secret.encode()
    found = {
        "raw": secret,
        "json": json.dumps(secret)[1:-1],
        "url": quote(secret, safe=""),
        "url-plus": quote_plus(secret),
        "hex": raw.hex(),
        "HEX": raw.hex().upper(),
    }
    for shift in range(3):
        encoded = base64.b64encode(b"\0" * shift + raw).decode().rstrip("=")
        core = encoded[4 if shift else 0 : len(encoded) - 3]  # the padding-dependent tail goes too
        found[f"base64@{shift}"] = core
        found[f"base64url@{shift}"] = core.replace("+", "-").replace("/", "_")
    return found


def leaks(secrets: dict[str, str], outputs: dict[str, str]) -> list[tuple[str, str, str]]:
    """(secret name, encoding, output name) for every secret form found in an output."""
    hits = []
    for name, secret in secrets.items():
        for encoding, form in forms(secret).items():
            for where, text in outputs.items():
                if form in text:
                    hits.append((name, encoding, where))
    return hits
