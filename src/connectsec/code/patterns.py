"""Names and call shapes shared by the language analysers."""

from __future__ import annotations

import re

SECRET_NAME = re.compile(r"shared[_-]?secret", re.IGNORECASE)
"""An identifier, key or getter that holds the tenant sharedSecret."""
ENCRYPTION = re.compile(r"encrypt|seal|kms|cipher|fernet|aesgcm|wrapkey|wrap_key|protect", re.IGNORECASE)
"""A call that makes a value unreadable without a key."""
LOG_METHODS = frozenset(
    {"debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log", "trace", "msg"}
)
TENANT_NAME = re.compile(
    r"^(tenant|tenants|tenant_?info|tenant_?record|client_?info|installation|install_?data|"
    r"atlassian_?host|host_?record)$",
    re.IGNORECASE,
)
"""Variables that, whole, hold a stored tenant record (sharedSecret included)."""
STORE_METHODS = frozenset(
    {
        "save",
        "insert",
        "insert_one",
        "insert_many",
        "insertOne",
        "insertMany",
        "put",
        "put_item",
        "putItem",
        "set",
        "hset",
        "hmset",
        "setex",
        "add",
        "create",
        "update",
        "update_one",
        "updateOne",
        "upsert",
        "replace_one",
        "findOneAndUpdate",
        "execute",
        "query",
        "bulk_create",
        "merge",
        "persist",
        "saveAndFlush",
    }
)
ATLASSIAN_HOST = re.compile(r"atlassian\.net", re.IGNORECASE)
