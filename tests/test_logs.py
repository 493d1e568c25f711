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
