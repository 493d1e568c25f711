"""All the wiring of the Telegram application in one place: :func:`build_application`.

Handlers reach the database, the clock and the settings through
:class:`BotContext` (``context.store``, ``context.clock``, ``context.settings``)
and the person who wrote through ``context.person``, which the group -1
handler sets for every update (see :mod:`bot.handlers`). The database is
opened in ``post_init`` and closed in ``post_shutdown``; tests, the terminal
chat and the benchmark use :func:`running` to do the same without polling.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackContext,
    ContextTypes,
    Defaults,
    ExtBot,
    JobQueue,
)
from telegram.request import BaseRequest

from bot import i18n
from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.domain import LANGS, Person, Role
from bot.i18n import _, use_lang
from bot.store import Database

if TYPE_CHECKING:
    from bot.outbox.worker import DeliveryWorker
    from bot.zalo.channel import ZaloChannel

log = logging.getLogger(__name__)

OFFLINE_TOKEN = "0:offline"  # noqa: S105 - a placeholder for fake requests, not a secret
"""The token used when a fake request stands in for the Bot API (terminal, tests)."""


class BotData:
    """What the whole application shares (``application.bot_data``)."""

    def __init__(self) -> None:
        self.db: Database | None = None
        self.owns_db = False
        self.clock: Clock = SystemClock()
        self.settings: Settings = Settings()
        self.zalo: ZaloChannel | None = None
        """The Zalo channel, started in ``post_init`` when ``ZALO_BOT_TOKEN`` is set."""
        self.delivery: DeliveryWorker | None = None
        """The outbox delivery worker (None when offline: tests, terminal chat)."""
        self.seen: dict[int, tuple[tuple[object, ...], dt.datetime]] = {}
        """Telegram user id → (name, username, language code, admin) and when last written."""
        self.chat_turns: dict[int, asyncio.Lock] = {}
        """Chat id → the lock questions from that chat take in turn (see :func:`in_turn`)."""


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    """The context every handler gets: typed access to the store, clock and settings."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application, chat_id, user_id)
        self.person: Person | None = None
        """The person who sent the update (set by the group -1 handler)."""
        self.lang: str = i18n.DEFAULT_LANG
        """The language chosen for this update."""
        self.in_group = False
        """True when the update came from a group chat."""
        self.group_class_id: int | None = None
        """The class linked to the group chat the update came from, if any."""
        self.first_contact = False
        """True when this update created the person."""

    @property
    def store(self) -> Database:
        db = self.bot_data.db
        if db is None:
            raise RuntimeError("the database is not open (post_init has not run)")
        return db

    @property
    def clock(self) -> Clock:
        return self.bot_data.clock

    @property
    def settings(self) -> Settings:
        return self.bot_data.settings

    def now(self) -> dt.datetime:
        return self.bot_data.clock.now()


BotApp = Application[
    ExtBot[None], BotContext, dict[Any, Any], dict[Any, Any], BotData, JobQueue[BotContext]
]


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
    rate_limit: bool | None = None,
) -> BotApp:
    """The application with every handler registered; nothing is opened or started yet.

    Args:
        settings: the environment's settings (token, API URL, database path, admins).
        db: an already open database (tests); otherwise ``post_init`` opens ``settings.db_path``.
        request: a fake ``BaseRequest`` standing in for the Bot API (tests, terminal chat).
        clock: the clock services read; the system clock by default.
        rate_limit: throttle to Telegram's limits; on by default only with the real Bot API.
    """
    from bot.handlers import register_all

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
    if rate_limit if rate_limit is not None else request is None:
        # The limiter's per-call arguments type (int) is not carried into BotApp's bot type.
        builder = builder.rate_limiter(AIORateLimiter())  # type: ignore[arg-type]
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
    from bot.agenda.assistant import commands_for

    return [BotCommand(name, text) for name, text in commands_for(Role.TRAINEE, lang)]


async def post_init(app: BotApp) -> None:
    """Open the database, load every catalog (fail loudly), register the command menus."""
    data = app.bot_data
    if data.db is None:
        data.db = await Database.open(data.settings.db_path)
        data.owns_db = True
    i18n.load_all()
    if data.settings.zalo_bot_token and data.zalo is None:
        from bot.zalo.channel import ZaloChannel

        async def resync(class_ids: tuple[int, ...]) -> None:
            if app.job_queue is not None:
                from bot.telegram import jobs

                await jobs.sync_jobs(app, data.clock.now(), class_ids)

        data.zalo = ZaloChannel(data.settings, data.db, data.clock, resync=resync)
        await data.zalo.start()
    for lang in LANGS:
        await app.bot.set_my_commands(command_menu(lang), language_code=lang)
    await app.bot.set_my_commands(command_menu(i18n.DEFAULT_LANG))
    # ---- Start-up calls of other services go here, after the database is open. ----
    # (e.g. start the outbox delivery worker; derive reminder jobs from the database)
    from bot.telegram.sender import start_delivery

    await start_delivery(app)
    if app.job_queue is not None:
        from bot.telegram import jobs

        await jobs.sync_jobs(app)
    log.info("event=started bot=%s db=%s", app.bot.username, data.db.path)


async def post_shutdown(app: BotApp) -> None:
    """Stop the delivery worker and the Zalo channel; close the database if we opened it."""
    from bot.telegram.sender import stop_delivery

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


async def settle(app: BotApp) -> None:
    """Wait until the handlers running with ``block=False`` have finished."""
    # PTB keeps these tasks in a private set (it awaits them itself only in ``stop()``).
    pending: set[asyncio.Task[Any]] = getattr(app, "_Application__create_task_tasks", set())
    while pending:
        await asyncio.gather(*list(pending), return_exceptions=True)


@contextlib.asynccontextmanager
async def in_turn(context: BotContext, chat_id: int) -> AsyncIterator[None]:
    """Run one question of ``chat_id`` after the ones it sent before (answers in order).

    Questions run as ``block=False`` tasks so a slow answer does not hold up other
    chats; without this, "/today" then "/tomorrow" sent quickly could be answered in
    the other order when the first needs the database and the second does not.
    Tasks start in the order updates arrive and ``asyncio.Lock`` is fair, so each
    chat's questions are answered one after the other, in order.
    """
    turns = context.bot_data.chat_turns
    lock = turns.get(chat_id)
    if lock is None:
        lock = turns[chat_id] = asyncio.Lock()
    try:
        async with lock:
            yield
    finally:
        if not lock.locked() and turns.get(chat_id) is lock:
            del turns[chat_id]  # nobody waiting: forget the chat


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
