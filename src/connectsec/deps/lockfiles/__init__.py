"""Parsers of lockfiles and manifests, one module per ecosystem family; each returns a `Parsed`."""
