"""Logs are key=value lines and never show a token, even in request URLs or tracebacks."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from bot import logs

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    root = logging.getLogger()
    before = (list(root.handlers), root.level)
    handler = logs.configure("DEBUG", [TOKEN, "", "short"], stream=stream)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(before[1])
        for name in logs.NOISY:
            logging.getLogger(name).setLevel(logging.NOTSET)


def test_the_token_is_redacted_from_messages_arguments_and_tracebacks(
    captured: io.StringIO,
) -> None:
    log = logging.getLogger("bot.test")
    log.info("event=call url=https://api.telegram.org/bot%s/getMe", TOKEN)
    try:
        raise RuntimeError(f"failed https://api.telegram.org/bot{TOKEN}/sendMessage")
    except RuntimeError:
        log.exception("event=failure")
    text = captured.getvalue()
    assert TOKEN not in text
    assert text.count(logs.REDACTED) == 2
    lines = text.splitlines()
    assert lines[0].startswith("ts=") and " level=info logger=bot.test event=call url=" in lines[0]
    assert "level=error" in lines[1] and "exc=" in lines[1] and len(lines) == 2


def test_httpx_request_lines_are_quiet_and_redacted(captured: io.StringIO) -> None:
    httpx_log = logging.getLogger("httpx")
    httpx_log.info('HTTP Request: POST https://api.telegram.org/bot%s/getUpdates "200 OK"', TOKEN)
    assert captured.getvalue() == ""  # below warning for httpx
    httpx_log.warning("HTTP Request: POST https://api.telegram.org/bot%s/getUpdates", TOKEN)
    assert TOKEN not in captured.getvalue() and logs.REDACTED in captured.getvalue()


def test_plain_messages_are_quoted(captured: io.StringIO) -> None:
    logging.getLogger("bot.test").warning('Something "odd"\nhappened')
    line = captured.getvalue().strip()
    assert line.endswith('msg="Something \\"odd\\"\\nhappened"')
    assert "\n" not in line


# -- logs for a person: handled conditions are one WARNING line, no traceback --------------


def lines(stream: io.StringIO) -> list[str]:
    return [line for line in stream.getvalue().splitlines() if line]


def test_polling_network_errors_and_conflicts_are_one_warning_line(
    captured: io.StringIO,
) -> None:
    from telegram.error import Conflict, NetworkError, TimedOut

    from bot.telegram import app

    app._throttle = logs.Throttle(60.0)
    app.log_error(None, NetworkError("httpx.ConnectError: All connection attempts failed"))
    for _ in range(19):  # another process polls with the same token: 19 conflicts in 25 s
        app.log_error(None, Conflict("Conflict: terminated by other getUpdates request"))
    app.log_error(None, TimedOut())

    found = lines(captured)
    assert len(found) == 2
    assert all("level=warning" in line and "exc=" not in line for line in found)
    assert "event=polling_network_error" in found[0]
    assert "event=polling_conflict" in found[1] and "another process" in found[1]


def test_a_handler_bug_is_still_an_error_with_its_traceback(captured: io.StringIO) -> None:
    from bot.telegram import app

    try:
        raise KeyError("bug")
    except KeyError as exc:
        app.log_error(None, exc)
    (line,) = lines(captured)
    assert "level=error" in line and "Traceback" in line


def test_disk_full_is_one_warning_a_minute(captured: io.StringIO) -> None:
    import sqlite3

    from bot.telegram import app

    now = [0.0]
    app._throttle = logs.Throttle(60.0, clock=lambda: now[0])
    for second in range(120):
        now[0] = float(second)
        app.log_error(None, sqlite3.OperationalError("database or disk is full"))
    found = lines(captured)
    assert len(found) == 2
    assert all("level=warning" in line and "exc=" not in line for line in found)
    assert "repeated=59" in found[1] and "free space" in found[1]


def test_ptb_polling_cleanup_traceback_becomes_one_warning(captured: io.StringIO) -> None:
    from telegram.error import Conflict

    try:
        raise Conflict("terminated by other getUpdates request")
    except Conflict:
        logging.getLogger("telegram.ext.Updater").exception(
            "Error while calling `get_updates` one more time to mark all fetched updates. "
            "Suppressing error to ensure graceful shutdown."
        )
    (line,) = lines(captured)
    assert "level=warning" in line and "Traceback" not in line
