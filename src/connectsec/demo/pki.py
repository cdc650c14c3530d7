"""A throwaway certificate authority and server certificate for the demo target."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

import trustme

DEFAULT_HOSTS: tuple[str, ...] = ("localhost", "127.0.0.1", "::1")


class DemoPKI:
    """A fresh local CA plus a server certificate, written as PEM files.

    The certificate covers ``localhost``, ``127.0.0.1``, ``::1`` and every extra host given.
    Without a directory the files go to a new temporary directory, removed by `cleanup()`.
    """

    def __init__(self, directory: str | Path | None = None, extra_hosts: Iterable[str] = ()) -> None:
        self._owns_directory = directory is None
        self.directory = (
            Path(directory)
            if directory is not None
            else Path(tempfile.mkdtemp(prefix="connectsec-demo-pki-"))
        )
        self.directory.mkdir(parents=True, exist_ok=True)
        self.hosts: tuple[str, ...] = tuple(dict.fromkeys((*DEFAULT_HOSTS, *extra_hosts)))

        ca = trustme.CA(organization_name="connectsec demo CA")
        leaf = ca.issue_cert(*self.hosts, common_name=self.hosts[0])

        self.ca_pem: str = str(self.directory / "ca.pem")
        self.cert_pem: str = str(self.directory / "server-chain.pem")
        self.key_pem: str = str(self.directory / "server-key.pem")
        ca.cert_pem.write_to_path(self.ca_pem)
        Path(self.cert_pem).write_bytes(b"".join(blob.bytes() for blob in leaf.cert_chain_pems))
        leaf.private_key_pem.write_to_path(self.key_pem)
        Path(self.key_pem).chmod(0o600)

    def covers(self, host: str) -> bool:
        """Whether the server certificate names this host (exact match, case-insensitive)."""
        return host.lower() in (h.lower() for h in self.hosts)

    def cleanup(self) -> None:
        """Remove the directory if this object created it."""
        if self._owns_directory:
            shutil.rmtree(self.directory, ignore_errors=True)

    def __enter__(self) -> DemoPKI:
        return self

    def __exit__(self, *exc: object) -> None:
        self.cleanup()
