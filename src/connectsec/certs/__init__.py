"""Certificates of the app's TLS endpoints: fetched with a full handshake, parsed and verified (R3)."""
