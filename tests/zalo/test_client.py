"""The Zalo HTTP client against the local fake platform: calls, long polling, error mapping."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import httpx
import pytest

from bot.outbox.sender import Rejected, RetryAfter, TransientError, Unreachable
from bot.zalo.client import PlatformError, ZaloClient, error_for
from tests.helpers.zalo_server import TOKEN, FakeZaloServer, text_update


@pytest.fixture
async def client(zalo_server: FakeZaloServer) -> AsyncIterator[ZaloClient]:
    async with ZaloClient(TOKEN, zalo_server.url, timeout=5) as c:
        yield c


async def test_get_me_and_send_message_use_the_token_path(
    client: ZaloClient, zalo_server: FakeZaloServer
) -> None:
    me = await client.get_me()
    message_id = await client.send_message("zu1", "Xin chào")
    assert me["id"] == "b0t1d"
    assert message_id.startswith("m")
    call = zalo_server.sent("sendMessage")[0]
    assert call.token == TOKEN and call.params == {"chat_id": "zu1", "text": "Xin chào"}


async def test_photo_chat_action_and_webhook_calls(
    client: ZaloClient, zalo_server: FakeZaloServer
) -> None:
    await client.send_photo("zu1", "https://example.invalid/a.jpg", "caption")
    await client.send_chat_action("zu1")
    await client.set_webhook("https://bot.example.org/zalo", "s3cret-value")
    assert zalo_server.webhook == {
        "url": "https://bot.example.org/zalo",
        "secret_token": "s3cret-value",
    }
    await client.delete_webhook()
    assert zalo_server.webhook == {}
    assert [c.method for c in zalo_server.calls] == [
        "sendPhoto",
        "sendChatAction",
        "setWebhook",
        "deleteWebhook",
    ]
    assert zalo_server.calls[0].params["photo"] == "https://example.invalid/a.jpg"


async def test_get_update_returns_one_update_or_none_after_the_wait(
    client: ZaloClient, zalo_server: FakeZaloServer
) -> None:
    update = text_update("lịch hôm nay")
    zalo_server.push_update(update)
    assert await client.get_update(wait=1) == update
    assert await client.get_update(wait=1) is None


async def test_429_is_retry_after_with_the_platforms_delay(
    client: ZaloClient, zalo_server: FakeZaloServer
) -> None:
    zalo_server.fail_next("sendMessage", status=429, description="Too many", retry_after=7)
    with pytest.raises(RetryAfter) as caught:
        await client.send_message("zu1", "x")
    assert caught.value.seconds == 7


@pytest.mark.parametrize("status", [500, 502, 503])
async def test_server_errors_are_transient(
    client: ZaloClient, zalo_server: FakeZaloServer, status: int
) -> None:
    zalo_server.fail_next("sendMessage", status=status, description="Internal error")
    with pytest.raises(TransientError):
        await client.send_message("zu1", "x")


async def test_403_is_a_server_side_error_and_bad_request_is_rejected(
    client: ZaloClient, zalo_server: FakeZaloServer
) -> None:
    # The error-code page lists 403 with the platform's own errors: retry, do not give up.
    zalo_server.fail_next("sendMessage", chat_id="zu1", status=403)
    zalo_server.fail_next("sendMessage", chat_id="zu2", status=400, description="Bad Request")
    with pytest.raises(PlatformError) as caught:
        await client.send_message("zu1", "x")
    assert isinstance(caught.value, TransientError) and caught.value.code == 403
    with pytest.raises(Rejected):
        await client.send_message("zu2", "x")
    # The failures were for those chats only.
    assert await client.send_message("zu3", "x")


async def test_too_long_text_is_refused_before_sending(
    client: ZaloClient, zalo_server: FakeZaloServer
) -> None:
    with pytest.raises(Rejected):
        await client.send_message("zu1", "x" * 2001)
    assert zalo_server.calls == []


async def test_network_failure_is_transient_and_hides_the_token() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    async with ZaloClient(TOKEN, "http://127.0.0.1:9", transport=httpx.MockTransport(refuse)) as c:
        with pytest.raises(TransientError) as caught:
            await c.send_message("zu1", "x")
    assert TOKEN not in str(caught.value) and TOKEN not in repr(c)


async def test_the_token_never_reaches_the_log(
    client: ZaloClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        await client.get_me()
    assert "getMe" in caplog.text
    assert TOKEN not in caplog.text


def test_error_codes_in_the_body_win_over_http_status() -> None:
    body = {"ok": False, "error_code": 429, "description": "quota"}
    assert isinstance(error_for("sendMessage", 200, body, "3"), RetryAfter)
    forbidden = {"ok": False, "error_code": 403, "description": "Forbidden"}
    assert not isinstance(error_for("sendMessage", 403, forbidden, None), Unreachable)
    assert isinstance(error_for("sendMessage", 403, forbidden, None), TransientError)
    assert isinstance(error_for("sendMessage", 504, {}, None), TransientError)


def test_client_needs_a_token() -> None:
    with pytest.raises(ValueError):
        ZaloClient("")


def test_the_default_host_is_the_one_the_documentation_gives() -> None:
    from bot.config import Settings
    from bot.zalo.client import DEFAULT_API_URL

    assert DEFAULT_API_URL == "https://bot-api.zaloplatforms.com"
    assert Settings().zalo_api_url == DEFAULT_API_URL
    assert Settings.from_env({"ZALO_API_URL": "http://127.0.0.1:9"}).zalo_api_url == (
        "http://127.0.0.1:9"
    )


async def test_a_text_with_emoji_is_measured_as_the_platform_measures_it(
    client: ZaloClient, zalo_server: FakeZaloServer
) -> None:
    with pytest.raises(Rejected):
        await client.send_message("zu1", "🚌" * 1001)  # 1,001 code points, 2,002 units
    assert zalo_server.calls == []
    assert await client.send_message("zu1", "🚌" * 1000)
