"""Scan history: every scan, its outcomes and findings, and each finding's life (first seen, fixed, reopened).

SQLite by default (`default_db_url()`), PostgreSQL by URL (`postgresql+pg8000://…`, or
`postgresql+psycopg://…` when psycopg is installed). The schema is migrated (Alembic) whenever a store opens.
"""

from connectsec.store.database import default_db_url
from connectsec.store.history import TrackedFinding, target_key
from connectsec.store.store import ScanSummary, Store, StoreError, open_store

__all__ = [
    "ScanSummary",
    "Store",
    "StoreError",
    "TrackedFinding",
    "default_db_url",
    "open_store",
    "target_key",
]
