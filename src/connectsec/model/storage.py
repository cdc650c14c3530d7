"""Cloud storage locations the app references, and what anonymous requests to them got (R6)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StorageProbe:
    """One referenced storage location (bucket, container, database) and the anonymous probes of it."""

    location: str
    """The bucket/container/database as a URL, e.g. `s3://bucket`, `https://acct.blob.core.windows.net/c`."""
    error: str | None = None
