"""All the wiring of the Telegram application in one place: :func:`build_application`.

Handlers reach the database, the clock and the settings through
:class:`BotContext` (``context.store``, ``context.clock``, ``context.settings``)
and the person who wrote through ``context.person``, which the group -1
handler sets for every update (see :mod:`bot.telegram.handlers`). The database is
opened in ``post_init`` and closed in ``post_shutdown``; tests, the terminal
chat and the benchmark use :func:`running` to do the same without polling.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import AsyncIterator

from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    ApplicationBuilder,
    ContextTypes,
    Defaults,
)
from telegram.request import BaseRequest

from bot import i18n
from bot.agenda.assistant import commands_for
from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.domain import LANGS, Channel, Role
from bot.i18n import _, use_lang
from bot.store import Database, people
from bot.telegram import jobs
from bot.telegram.context import BotApp, BotContext, BotData
from bot.telegram.handlers import register_all
from bot.telegram.sender import start_delivery, stop_delivery
from bot.zalo.channel import ZaloChannel

log = logging.getLogger(__name__)

OFFLINE_TOKEN = "0:offline"  # noqa: S105 - a placeholder for fake requests, not a secret
"""The token used when a fake request stands in for the Bot API (terminal, tests)."""


def _api_base(url: str) -> tuple[str, str]:
    """A self-hosted Bot API server's base URLs for methods and files."""
    root = url.rstrip("/")
    root = root.removesuffix("/bot")
    return f"{root}/bot", f"{root}/file/bot"


def build_application(
    settings: Settings,
    *,
    db: Database | None = None,
    request: BaseRequest | None = None,
    clock: Clock | None = None,
) -> BotApp:
    """The application with every handler registered; nothing is opened or started yet.

    Args:
        settings: the environment's settings (token, API URL, database path, admins).
        db: an already open database (tests); otherwise ``post_init`` opens ``settings.db_path``.
        request: a fake ``BaseRequest`` standing in for the Bot API (tests, terminal chat).
        clock: the clock services read; the system clock by default.
    """
    token = settings.bot_token or (OFFLINE_TOKEN if request is not None else "")
    if not token:
        raise ValueError("BOT_TOKEN is not set")
    builder = (
        ApplicationBuilder()
        .token(token)
        .context_types(ContextTypes(context=BotContext, bot_data=BotData))
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
                tzinfo=dt.UTC,
            )
        )
        .post_init(post_init)
        .post_shutdown(post_shutdown)
    )
    if settings.bot_api_url:
        base, files = _api_base(settings.bot_api_url)
        builder = builder.base_url(base).base_file_url(files)
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    # No PTB rate limiter: what the bot sends on its own is paced by the outbox worker's
    # limiter (bot.outbox.limits); a second one on the same bot stacked both and turned
    # every handled 429 into an ERROR traceback. Direct answers are one per message.
    app: BotApp = builder.build()  # type: ignore[assignment]
    app.bot_data.settings = settings
    app.bot_data.clock = clock or SystemClock()
    if db is not None:
        app.bot_data.db = db
    register_all(app)
    app.add_error_handler(on_error)
    return app


def command_menu(lang: str) -> list[BotCommand]:
    """The commands shown in Telegram's menu, described in ``lang``."""
    return [BotCommand(name, text) for name, text in commands_for(Role.TRAINEE, lang)]


async def post_init(app: BotApp) -> None:
    """Open the database, load every catalog (fail loudly), register the command menus."""
    data = app.bot_data
    if data.db is None:
        data.db = await Database.open(data.settings.db_path)
        data.owns_db = True
    # Global admins are exactly ADMIN_IDS at each start, plus explicit promotions.
    await people.sync_admins(data.db, Channel.TELEGRAM, data.settings.admin_ids)
    i18n.load_all()
    if data.settings.zalo_bot_token and data.zalo is None:

        async def resync(class_ids: tuple[int, ...]) -> None:
            if app.job_queue is not None:
                await jobs.sync_jobs(app, data.clock.now(), class_ids)

        data.zalo = ZaloChannel(data.settings, data.db, data.clock, resync=resync)
        await data.zalo.start()
    for lang in LANGS:
        await app.bot.set_my_commands(command_menu(lang), language_code=lang)
    await app.bot.set_my_commands(command_menu(i18n.DEFAULT_LANG))
    # ---- Start-up calls of other services go here, after the database is open. ----
    # (e.g. start the outbox delivery worker; derive reminder jobs from the database)
    await start_delivery(app)
    if app.job_queue is not None:
        await jobs.sync_jobs(app)
    log.info("event=started bot=%s db=%s", app.bot.username, data.db.path)


async def post_shutdown(app: BotApp) -> None:
    """Stop the delivery worker and the Zalo channel; close the database if we opened it."""
    data = app.bot_data
    await stop_delivery(app)
    if data.zalo is not None:
        await data.zalo.stop()
        data.zalo = None
    if data.db is not None and data.owns_db:
        await data.db.close()
        data.db = None
        data.owns_db = False


@contextlib.asynccontextmanager
async def running(app: BotApp) -> AsyncIterator[BotApp]:
    """Start the application (hooks, job queue) without fetching updates; stop it after.

    Drive it with ``await app.process_update(update)`` then ``await settle(app)``.
    """
    await app.initialize()
    try:
        await post_init(app)
        await app.start()
        try:
            yield app
        finally:
            await app.stop()
    finally:
        await post_shutdown(app)
        await app.shutdown()


async def on_error(update: object, context: BotContext) -> None:
    """Log the exception; tell the user, in their language, that it failed."""
    log.error(
        "event=handler_error update_id=%s error=%r",
        update.update_id if isinstance(update, Update) else None,
        context.error,
        exc_info=context.error,
    )
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    # The error handler gets a fresh context; the language chosen in group -1 is still
    # active in this task (a ContextVar), so the apology comes in the user's language.
    with use_lang(i18n.current_lang()):
        text = _("Sorry, something went wrong on my side. Please try again in a moment.")
    try:
        if update.callback_query is not None:
            with contextlib.suppress(TelegramError):  # stop the button's spinner if still on
                await update.callback_query.answer()
        await context.bot.send_message(update.effective_chat.id, text)
    except Exception as exc:  # the apology itself failed: nothing more to do than log it
        log.warning("event=apology_failed error=%r", exc)
