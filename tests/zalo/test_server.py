"""The Zalo webhook (secret header, payload shapes) and the getUpdates polling loop."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from bot.zalo.client import ZaloClient
from bot.zalo.server import WEBHOOK_PATH, WebhookServer, poll, unwrap, webhook_target
from tests.helpers.zalo_server import TOKEN, FakeZaloServer, text_update

SECRET = "webhook-secret-123"


class Received:
    def __init__(self, fail_on: str = "") -> None:
        self.updates: list[dict[str, Any]] = []
        self.fail_on = fail_on
        self.arrived = asyncio.Event()

    async def __call__(self, update: dict[str, Any]) -> None:
        self.updates.append(update)
        self.arrived.set()
        if self.fail_on and update.get("message", {}).get("text") == self.fail_on:
            raise RuntimeError("handler bug")


@pytest.fixture
async def webhook() -> AsyncIterator[tuple[WebhookServer, Received, str]]:
    received = Received(fail_on="boom")
    server = WebhookServer(received, SECRET, port=0)
    port = await server.start()
    try:
        yield server, received, f"http://127.0.0.1:{port}{WEBHOOK_PATH}"
    finally:
        await server.stop()


async def _post(url: str, body: Any, secret: str | None) -> httpx.Response:
    headers = {"X-Bot-Api-Secret-Token": secret} if secret is not None else {}
    async with httpx.AsyncClient(timeout=5) as http:
        return await http.post(url, content=json.dumps(body), headers=headers)


async def test_right_secret_delivers_the_update(
    webhook: tuple[WebhookServer, Received, str],
) -> None:
    server, received, url = webhook
    update = text_update("lịch hôm nay")
    response = await _post(url, update, SECRET)
    assert response.status_code == 200 and response.json() == {"ok": True}
    await server.drain()
    assert received.updates == [update]


@pytest.mark.parametrize("secret", [None, "", "wrong-secret", SECRET + "x"])
async def test_wrong_or_missing_secret_is_403_and_nothing_is_handled(
    webhook: tuple[WebhookServer, Received, str], secret: str | None
) -> None:
    _, received, url = webhook
    response = await _post(url, text_update("lịch hôm nay"), secret)
    assert response.status_code == 403
    assert received.updates == []


async def test_wrapped_payloads_are_unwrapped_and_junk_is_ignored(
    webhook: tuple[WebhookServer, Received, str],
) -> None:
    server, received, url = webhook
    update = text_update("ngày mai")
    assert (await _post(url, {"ok": True, "result": update}, SECRET)).status_code == 200
    assert (await _post(url, {"hello": "world"}, SECRET)).status_code == 200
    async with httpx.AsyncClient(timeout=5) as http:
        bad = await http.post(url, content=b"{not json", headers={"X-Bot-Api-Secret-Token": SECRET})
    assert bad.status_code == 400
    await server.drain()
    assert received.updates == [update]


async def test_a_failing_handler_still_answers_200(
    webhook: tuple[WebhookServer, Received, str],
) -> None:
    server, received, url = webhook
    response = await _post(url, text_update("boom"), SECRET)
    assert response.status_code == 200
    await server.drain()
    assert len(received.updates) == 1


async def test_the_webhook_answers_at_once_and_handles_the_update_afterwards() -> None:
    release = asyncio.Event()
    handled: list[str] = []

    async def slow(update: dict[str, Any]) -> None:
        await release.wait()  # e.g. a slow database, or a reply Zalo makes us wait for
        handled.append(update["message"]["text"])

    server = WebhookServer(slow, SECRET, port=0)
    port = await server.start()
    try:
        url = f"http://127.0.0.1:{port}{WEBHOOK_PATH}"
        first = await _post(url, {"ok": True, "result": text_update("một")}, SECRET)
        second = await _post(url, {"ok": True, "result": text_update("hai")}, SECRET)
        assert (first.status_code, second.status_code) == (200, 200)
        assert handled == []  # answered before the work was done
        release.set()
    finally:
        await server.stop()  # finishes what was accepted
    assert handled == ["một", "hai"]


@pytest.mark.parametrize(
    ("given", "registered", "path"),
    [
        ("https://bot.example.org", "https://bot.example.org/zalo/webhook", "/zalo/webhook"),
        ("https://bot.example.org/", "https://bot.example.org/zalo/webhook", "/zalo/webhook"),
        ("https://bot.example.org/z/hook", "https://bot.example.org/z/hook", "/z/hook"),
        ("https://bot.example.org:8443/hook/", "https://bot.example.org:8443/hook/", "/hook/"),
    ],
)
def test_the_path_registered_is_the_path_listened_on(
    given: str, registered: str, path: str
) -> None:
    assert webhook_target(given) == (registered, path)


def test_webhook_needs_a_secret_and_unwrap_rejects_non_updates() -> None:
    with pytest.raises(ValueError):
        WebhookServer(Received(), "")
    assert unwrap([1, 2]) is None
    assert unwrap({"ok": True, "result": {"no": "event"}}) is None


async def test_polling_handles_updates_and_rides_out_server_errors(
    zalo_server: FakeZaloServer,
) -> None:
    received = Received()
    stop = asyncio.Event()
    zalo_server.fail_next("getUpdates", status=502, description="Bad gateway", times=2)
    zalo_server.fail_next("getUpdates", status=429, retry_after=0)
    first, second = text_update("lịch hôm nay"), text_update("ngày mai")
    zalo_server.push_update(first)
    zalo_server.push_update(second)
    async with ZaloClient(TOKEN, zalo_server.url, timeout=5) as client:
        task = asyncio.create_task(poll(client, received, stop, wait=1, first_backoff=0.01))
        async with asyncio.timeout(10):
            while len(received.updates) < 2:
                received.arrived.clear()
                await received.arrived.wait()
        stop.set()
        await asyncio.wait_for(task, 5)
    assert received.updates == [first, second]
    methods = [c.method for c in zalo_server.calls]
    assert methods[:4] == ["getUpdates"] * 4


async def _raw(port: int, head: str, body: bytes = b"") -> bytes:
    """Send raw bytes (headers, optionally some body) and read the first answer."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(head.encode() + body)
    await writer.drain()
    try:
        return await asyncio.wait_for(reader.read(200), 5)
    finally:
        writer.close()


class Streamed:
    """Counts the body bytes the webhook's handler reads (``data_received``)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from bot.zalo import server as module

        self.size = 0
        handler = module._WebhookHandler
        original = getattr(handler, "data_received", None)

        def counting(this: Any, chunk: bytes) -> Any:
            self.size += len(chunk)
            return original(this, chunk) if original is not None else None

        monkeypatch.setattr(handler, "data_received", counting, raising=False)


async def test_an_unauthenticated_or_oversize_body_is_refused_before_it_is_read(
    webhook: tuple[WebhookServer, Received, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 14 point 12 on the Zalo webhook: the secret and the announced size are checked
    when the headers arrive. Only the headers are sent: a server that waits for the body
    (to buffer it before looking at the secret) never answers and the read times out."""
    server, received, _ = webhook
    streamed = Streamed(monkeypatch)
    head = f"POST {WEBHOOK_PATH} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    right = f"X-Bot-Api-Secret-Token: {SECRET}\r\n"
    wrong = "X-Bot-Api-Secret-Token: wrong-one\r\n"
    near_limit = "Content-Length: 900000\r\n"  # under the limit, never read without the secret
    huge = "Content-Length: 60000000\r\n"
    assert (await _raw(server.port, head + near_limit + "\r\n")).startswith(b"HTTP/1.1 403")
    assert (await _raw(server.port, head + near_limit + wrong + "\r\n")).startswith(b"HTTP/1.1 403")
    assert (await _raw(server.port, head + huge + wrong + "\r\n")).startswith(b"HTTP/1.1 403")
    assert (await _raw(server.port, head + huge + right + "\r\n")).startswith(b"HTTP/1.1 413")
    # Some of an unauthenticated body already sent: refused, and none of it reaches the handler.
    answer = await _raw(server.port, head + near_limit + "\r\n", b"x" * 64_000)
    assert answer.startswith(b"HTTP/1.1 403")
    assert streamed.size == 0  # not a byte of an unauthenticated body was read into memory
    # A chunked body (no announced size) past the limit, with the secret: cut off, never handled.
    chunk = b"%x\r\n%s\r\n" % (500_000, b"x" * 500_000)
    cut = await _raw(server.port, head + right + "Transfer-Encoding: chunked\r\n\r\n", chunk * 3)
    assert not cut.startswith(b"HTTP/1.1 200")
    assert 0 < streamed.size <= 1_000_000  # the counter counts; the limit held
    await server.drain()
    assert received.updates == []


def test_the_webhook_secret_is_compared_in_constant_time() -> None:
    import inspect

    from bot import webhooks
    from bot.zalo import server as module

    assert issubclass(module._WebhookHandler, webhooks.GuardedJsonHandler)
    source = inspect.getsource(webhooks)
    assert "hmac.compare_digest" in source and "!= self.secret" not in source
