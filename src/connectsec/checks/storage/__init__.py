"""R6 stored data: publicly accessible storage the app references."""

from __future__ import annotations

from connectsec.checks.storage.public import STORAGE_CHECK, StorageCheck

__all__ = ["STORAGE_CHECK", "StorageCheck"]
