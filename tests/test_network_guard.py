import socket

import pytest

from tests.conftest import NetworkBlocked


def test_outside_connections_are_blocked():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    with pytest.raises(NetworkBlocked):
        s.connect(("93.184.216.34", 80))
    s.close()
    with pytest.raises(NetworkBlocked):
        socket.getaddrinfo("example.com", 443)


def test_loopback_allowed():
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    c = socket.create_connection(srv.getsockname(), timeout=2)
    c.close()
    srv.close()


def test_python_subprocesses_get_the_same_guard(tmp_path):
    """A `python -m tracker` (or any Python) subprocess started by a test inherits the guard through
    PYTHONPATH (tests/_netguard/sitecustomize.py): outside addresses and names are refused, loopback works."""
    import subprocess
    import sys

    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    code = (
        "import socket\n"
        f"socket.create_connection({srv.getsockname()!r}, timeout=5).close()\n"
        "print('loopback ok')\n"
        "for target in (lambda: socket.create_connection(('93.184.216.34', 80), timeout=5),\n"
        "               lambda: socket.getaddrinfo('example.com', 443)):\n"
        "    try:\n"
        "        target()\n"
        "    except Exception as e:\n"
        "        print(type(e).__name__)\n"
    )
    try:
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    finally:
        srv.close()
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["loopback", "ok", "NetworkBlocked", "NetworkBlocked"]


def test_subprocesses_import_this_checkout():
    """The same PYTHONPATH puts this checkout's tracker package first in subprocesses."""
    import subprocess
    import sys

    from tests.conftest import REPO

    out = subprocess.run([sys.executable, "-c", "import tracker; print(tracker.__file__)"], capture_output=True,
                         text=True, timeout=60)
    assert out.stdout.strip().startswith(str(REPO / "tracker"))
