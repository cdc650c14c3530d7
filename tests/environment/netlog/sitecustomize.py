"""Loaded by `connectsec` subprocesses of the environment tests (through PYTHONPATH): records every name
lookup and connection attempt to $CONNECTSEC_NETLOG and refuses those that would leave loopback."""

from __future__ import annotations

import ipaddress
import json
import os
import socket
import sys
import threading
from typing import Any

_LOG = os.environ.get("CONNECTSEC_NETLOG")
_NAMES = frozenset(filter(None, os.environ.get("CONNECTSEC_NETLOG_NAMES", "").split(",")))
_lock = threading.Lock()


def _loopback(host: object) -> bool:
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


def _write(entry: dict[str, Any]) -> None:
    assert _LOG is not None
    with _lock, open(_LOG, "a", encoding="utf-8") as log:
        log.write(json.dumps(entry) + "\n")


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if event == "socket.getaddrinfo":
        host = args[0].decode() if isinstance(args[0], bytes) else str(args[0])
        allowed = host in _NAMES or _loopback(host) or host in ("localhost", "None")
        _write({"event": "getaddrinfo", "host": host, "port": args[1], "allowed": allowed})
        if not allowed:
            raise socket.gaierror(socket.EAI_NONAME, f"name lookup of {host} refused by the test")
    elif event in ("socket.connect", "socket.sendto", "socket.sendmsg"):
        address = args[1]
        if not isinstance(address, tuple):
            return  # unix sockets
        host, port = address[0], address[1]
        _write({"event": event.split(".")[1], "host": str(host), "port": port, "allowed": _loopback(host)})
        if not _loopback(host):
            raise PermissionError(f"connection to {host}:{port} refused by the test")


if _LOG:
    sys.addaudithook(_hook)
