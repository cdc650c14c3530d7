"""Shared fixtures: one throwaway certificate for every loopback TLS server."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tls.servers import CertFiles, make_cert


@pytest.fixture(scope="session")
def certs(tmp_path_factory: pytest.TempPathFactory) -> CertFiles:
    """A localhost certificate and key on disk."""
    directory: Path = tmp_path_factory.mktemp("tls-certs")
    return make_cert(directory)
