"""Run the real CLI (`python -m tracker`) in a subprocess, optionally as a user that file permissions apply to.

The tests run as root on some machines, and root ignores file modes. ``cli(..., unprivileged=True)`` then
starts the command through ``setpriv`` without CAP_DAC_OVERRIDE / CAP_DAC_READ_SEARCH, so a read-only file
or folder really is read-only to it; ``needs_permissions()`` skips a test where that is not possible.
Subprocesses inherit tests/conftest.py's PYTHONPATH: this checkout's package and the network guard.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

_DROP = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"]


def _prefix() -> list[str] | None:
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        return None
    probe = subprocess.run([*_DROP, "true"], capture_output=True)
    return _DROP if probe.returncode == 0 else None


def needs_permissions() -> list[str]:
    prefix = _prefix()
    if prefix is None:
        pytest.skip("running as root without setpriv: file permissions cannot be made to apply")
    return prefix


def cli(*args: str, cwd, unprivileged: bool = False, timeout: float = 120, **kw) -> subprocess.CompletedProcess:
    prefix = needs_permissions() if unprivileged else []
    return subprocess.run([*prefix, sys.executable, "-m", "tracker", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, **kw)


def one_error_line(proc: subprocess.CompletedProcess) -> str:
    """The single 'error: ...' line of a failed command (asserting there is nothing else on stderr)."""
    lines = [x for x in proc.stderr.splitlines() if x.strip()]
    assert proc.returncode == 1 and len(lines) == 1 and lines[0].startswith("error: "), (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr + proc.stdout
    return lines[0]
