"""Loaded by every Python subprocess the tests start (tests/conftest.py puts this folder first on PYTHONPATH):
installs the loopback-only network guard, then runs the sitecustomize this one shadows, if any."""

import importlib.util
import os
import sys

_here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, _here)
try:
    import tracker_netguard

    tracker_netguard.install()
finally:
    sys.path.remove(_here)

for _entry in sys.path:  # the shadowed sitecustomize (e.g. a distribution's), found further along the path
    _candidate = os.path.join(_entry or ".", "sitecustomize.py")
    if os.path.abspath(os.path.dirname(_candidate)) != _here and os.path.isfile(_candidate):
        _spec = importlib.util.spec_from_file_location("_shadowed_sitecustomize", _candidate)
        _spec.loader.exec_module(importlib.util.module_from_spec(_spec))
        break
