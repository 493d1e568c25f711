"""Start-up failures and uncaught errors never print a secret: one redacted line, exit 1."""

from __future__ import annotations

import contextlib
import http.server
import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from http import HTTPStatus
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
"""The checkout under test (the subprocess imports this tree's ``bot``)."""

TOKEN_401 = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


@contextlib.contextmanager
def fake_bot_api(status_for: Callable[[str], int]) -> Iterator[str]:
    """A Bot API on 127.0.0.1 that answers every request with ``status_for(path)``."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            status = status_for(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(length)
            body = json.dumps(
                {"ok": False, "error_code": status, "description": HTTPStatus(status).phrase}
            ).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def run_classbot(env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    full = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "PYTHONPATH": str(ROOT),
        "CLASSBOT_DB": str(tmp_path / "bot.db"),
        **env,
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", "--db", str(tmp_path / "bot.db"), "run"],
        env=full,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("", "Telegram rejected the token"),
        ("/wrong/path", "BOT_API_URL answered 404"),
    ],
)
def test_a_start_up_failure_is_one_redacted_line_and_exit_1(
    tmp_path: Path, path: str, expected: str
) -> None:
    """6: a 401 (bad token) or a 404 (wrong BOT_API_URL path) never prints the token."""

    def status(request_path: str) -> int:
        return 401 if request_path.startswith("/bot") else 404

    with fake_bot_api(status) as url:
        done = run_classbot({"BOT_TOKEN": TOKEN_401, "BOT_API_URL": url + path}, tmp_path)
    assert done.returncode == 1
    assert TOKEN_401 not in done.stderr + done.stdout
    assert TOKEN_401.split(":")[1] not in done.stderr + done.stdout
    lines = [line for line in done.stderr.splitlines() if "level=" not in line]
    assert lines == [lines[0]] and expected in lines[0], done.stderr
    assert "Traceback" not in done.stderr


def test_an_uncaught_traceback_is_redacted(tmp_path: Path) -> None:
    code = (
        "from bot import logs; logs.configure('INFO', ['s3cr3t-token-value']); "
        "raise RuntimeError('boom s3cr3t-token-value')"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env={"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 1 and "boom [REDACTED]" in done.stderr
    assert "s3cr3t-token-value" not in done.stderr
