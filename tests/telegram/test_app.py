"""The application's wiring: start-up, the group -1 identity handler, errors, API base URL."""

from __future__ import annotations

import logging

import pytest
from telegram.ext import CommandHandler

from bot import actions
from bot.clock import FakeClock
from bot.store import Database
from bot.telegram.app import _api_base, build_application, running
from bot.telegram.context import BotContext
from tests.helpers.app import app_settings, feed, started_app
from tests.helpers.telegram import RecordingRequest, callback_update, message_update


async def test_start_up_registers_the_command_menu_per_language(
    db: Database, clock: FakeClock, request_recorder: RecordingRequest
) -> None:
    app = build_application(app_settings(), db=db, request=request_recorder, clock=clock)
    async with running(app):
        menus = request_recorder.sent("setMyCommands")
        assert [c.params.get("language_code") for c in menus] == ["vi", "lo", "en", None]
        names = {c["command"] for c in menus[0].params["commands"]}
        assert {"today", "tomorrow", "help", "lang"} <= names
        by_lang = {c.params.get("language_code"): c.params["commands"] for c in menus}
        descriptions = {
            lang: {c["command"]: c["description"] for c in by_lang[lang]} for lang in by_lang
        }
        assert descriptions["en"]["today"] == "Today's schedule"
        assert descriptions["vi"]["today"] != descriptions["en"]["today"]
        assert descriptions["lo"]["today"] != descriptions["en"]["today"]
    assert app.bot_data.db is db  # a database handed in is not closed by the application


async def test_post_init_opens_and_post_shutdown_closes_the_database(
    tmp_path, clock: FakeClock, request_recorder: RecordingRequest
) -> None:
    settings = app_settings(db_path=str(tmp_path / "own.db"))
    app = build_application(settings, request=request_recorder, clock=clock)
    async with running(app):
        assert app.bot_data.db is not None
        assert app.bot_data.db.path.endswith("own.db")
    assert app.bot_data.db is None


def test_a_real_bot_needs_a_token() -> None:
    with pytest.raises(ValueError, match="BOT_TOKEN"):
        build_application(app_settings())


def test_self_hosted_bot_api_urls() -> None:
    assert _api_base("http://localhost:8081/") == (
        "http://localhost:8081/bot",
        "http://localhost:8081/file/bot",
    )
    assert _api_base("http://api.local/bot")[0] == "http://api.local/bot"
    app = build_application(app_settings(bot_token="1:abc", bot_api_url="http://localhost:8081"))
    assert app.bot.base_url == "http://localhost:8081/bot1:abc"


async def test_a_failing_handler_is_logged_and_the_user_gets_an_apology(
    db: Database,
    clock: FakeClock,
    request_recorder: RecordingRequest,
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def boom(update: object, context: BotContext) -> None:
        raise RuntimeError("kaboom")

    async with started_app(db, clock, request_recorder) as app:
        app.add_handler(CommandHandler("boom", boom), group=5)
        with caplog.at_level(logging.ERROR, logger="bot.telegram.app"):
            await feed(app, message_update("/boom", user_id=8, language_code="en"))
    assert any("kaboom" in r.getMessage() for r in caplog.records)
    [apology] = request_recorder.sent("sendMessage", 8)[-1:]
    assert apology.text == ("Sorry, something went wrong on my side. Please try again in a moment.")


async def test_a_failing_button_stops_its_spinner_and_apologises(
    db: Database,
    clock: FakeClock,
    request_recorder: RecordingRequest,
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def boom(ctx: actions.ActionContext, rest: str) -> actions.ActionResult:
        raise RuntimeError("tap failed")

    # Button data must be a shape the bot emits (bot.buttons): break the day handler.
    actions.load_modules()
    original = actions._handlers["day:"]
    actions._handlers["day:"] = boom
    try:
        async with started_app(db, clock, request_recorder) as app:
            with caplog.at_level(logging.ERROR, logger="bot.telegram.app"):
                await feed(app, callback_update("day:1:2024-07-15", user_id=8, language_code="lo"))
    finally:
        actions._handlers["day:"] = original
    assert any("tap failed" in r.getMessage() for r in caplog.records)
    assert [c.method for c in request_recorder.calls] == ["answerCallbackQuery", "sendMessage"]
    assert request_recorder.calls[1].text == ("ຂໍອະໄພ, ລະບົບເກີດຂໍ້ຜິດພາດ. ກະລຸນາລອງໃໝ່ອີກຄັ້ງໃນອີກບໍ່ດົນ.")
