"""Alembic environment: runs on the connection open_store hands over in `config.attributes`."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from connectsec.store.models import Base

connection = context.config.attributes.get("connection")
if not isinstance(connection, Connection):
    raise RuntimeError("connectsec migrations run through connectsec.store.open_store, not the alembic CLI")
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
