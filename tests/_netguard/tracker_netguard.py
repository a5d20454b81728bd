"""No network beyond loopback: the guard pytest installs on itself (tests/conftest.py) and on every Python
subprocess the tests start (tests/_netguard/sitecustomize.py, found through PYTHONPATH).

Connecting an AF_INET/AF_INET6 socket anywhere but a loopback address, or resolving any name but
localhost, raises NetworkBlocked.
"""

from __future__ import annotations

import ipaddress
import socket


class NetworkBlocked(RuntimeError):
    pass


def _is_loopback(address) -> bool:
    if not isinstance(address, tuple):  # AF_UNIX path
        return True
    host = address[0]
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a hostname: resolving it would already be network


_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_real_getaddrinfo = socket.getaddrinfo


def _check(sock, address) -> None:
    if sock.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address):
        raise NetworkBlocked(f"tests may only connect to loopback, not {address!r}")


def _guard_connect(self, address):
    _check(self, address)
    return _real_connect(self, address)


def _guard_connect_ex(self, address):
    _check(self, address)
    return _real_connect_ex(self, address)


def _guard_getaddrinfo(host, *args, **kwargs):
    h = host.decode() if isinstance(host, bytes) else host
    if h is not None and not _is_loopback((h, 0)):
        raise NetworkBlocked(f"tests may not resolve {h!r} (no network beyond loopback)")
    return _real_getaddrinfo(host, *args, **kwargs)


def install() -> None:
    """Patch the socket module (idempotent)."""
    if socket.getaddrinfo is _guard_getaddrinfo:
        return
    socket.socket.connect = _guard_connect
    socket.socket.connect_ex = _guard_connect_ex
    socket.getaddrinfo = _guard_getaddrinfo
