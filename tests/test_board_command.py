"""`tracker board` serves the real Streamlit app on the configured host and port."""

import os
import socket
import subprocess
import sys
import time

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_board_command_serves_on_configured_port(tmp_path):
    port = free_port()
    cfg = tmp_path / "t.toml"
    cfg.write_text(f'[store]\npath = "{tmp_path / "b.db"}"\n[board]\nhost = "127.0.0.1"\nport = {port}\n')
    subprocess.run([sys.executable, "-m", "tracker", "--config", str(cfg), "init"], check=True, cwd=tmp_path,
                   capture_output=True)
    proc = subprocess.Popen([sys.executable, "-m", "tracker", "--config", str(cfg), "board"], cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=dict(os.environ))
    try:
        deadline = time.monotonic() + 60
        body = None
        while time.monotonic() < deadline:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/_stcore/health", timeout=1)
                body = r.text
                break
            except httpx.HTTPError:
                time.sleep(0.5)
        assert body == "ok", f"the board did not answer on the configured port: {body!r}"
    finally:
        proc.terminate()
        out = proc.communicate(timeout=20)[0].decode()
    assert f"board on http://127.0.0.1:{port}" in out
