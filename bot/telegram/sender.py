"""The delivery worker's :class:`~bot.outbox.sender.Sender` for Telegram.

Sends the parts of :func:`bot.telegram.render.reply_parts` in order, from
the first one an earlier attempt did not deliver (``skip``), and turns
``telegram.error`` exceptions into the typed delivery errors: flood control
(429) → ``RetryAfter``; blocked, kicked or deactivated (403) and "chat not
found" → ``Unreachable``; any other 400 → ``Rejected``. Network trouble is
split by what it proves: an error *answer* (5xx, Bad Gateway), a refused or
timed-out connection, or a full connection pool means the request never
reached Telegram → ``TransientError`` (retried); a read timeout, a reset or a
failed write after the connection was made means Telegram may have the
message and gives no way to ask → ``Uncertain`` (never resent, reported). A
part failing after others went out raises ``PartlySent``. With
``paid=True`` every send carries ``allow_paid_broadcast`` (up to 1,000
messages/s, charged in Stars to the bot's balance).
"""

from __future__ import annotations

import datetime as dt
import functools
import warnings
from typing import Any, cast

import httpx
from telegram import Bot
from telegram import error as tg
from telegram.warnings import PTBDeprecationWarning

from bot.domain import Channel
from bot.outbox.sender import (
    DeliveryError,
    PartlySent,
    Rejected,
    RetryAfter,
    TransientError,
    Uncertain,
    Unreachable,
)
from bot.outbox.worker import PAID_TELEGRAM_LIMITS, TELEGRAM_LIMITS, DeliveryWorker
from bot.replies import Reply
from bot.telegram.context import BotApp
from bot.telegram.render import reply_parts

_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
"""Transport errors raised before any byte of the request left: the message was not sent."""

_GONE = ("chat not found", "user is deactivated", "bot was kicked", "peer_id_invalid")
"""400 descriptions that mean the chat is gone rather than the message being wrong."""


class _PaidBot:
    """A view of a Bot whose ``send_*`` calls carry ``allow_paid_broadcast=True``."""

    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._bot, name)
        if name.startswith("send_"):
            return functools.partial(attr, allow_paid_broadcast=True)
        return attr


def retry_seconds(exc: tg.RetryAfter) -> float:
    """The wait Telegram asked for, in seconds (whatever PTB's int/timedelta setting)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)


class TelegramSender:
    """Sends outbox replies through a PTB ``Bot``."""

    def __init__(self, bot: Bot, *, paid: bool = False) -> None:
        self.bot = bot
        self.paid = paid
        self._target = cast(Bot, _PaidBot(bot)) if paid else bot

    @property
    def channel(self) -> Channel:
        return Channel.TELEGRAM

    async def probe(self) -> None:
        """A cheap call that raises unless the Bot API answers (``getMe``)."""
        await self.bot.get_me()

    async def send(self, chat_id: str, reply: Reply, *, skip: int = 0) -> str:
        """Send ``reply`` from part ``skip`` on; the id of the first message sent, or "".

        A failing part raises its typed delivery error, wrapped in
        :class:`~bot.outbox.sender.PartlySent` when earlier parts went out in this call.
        """
        first = ""
        done = skip
        for part in reply_parts(self._target, chat_id, reply)[skip:]:
            try:
                message = await part()
            except tg.TelegramError as exc:
                error = delivery_error(exc)
                if done > skip:
                    raise PartlySent(done, error) from exc
                raise error from exc
            done += 1
            first = first or str(message.message_id)
        return first


def delivery_error(exc: tg.TelegramError) -> DeliveryError:
    """The typed delivery error for a Bot API error."""
    if isinstance(exc, tg.RetryAfter):
        return RetryAfter(retry_seconds(exc), str(exc))
    if isinstance(exc, tg.Forbidden):
        return Unreachable(str(exc))
    if isinstance(exc, tg.ChatMigrated):
        return Rejected(f"group moved to chat {exc.new_chat_id}")
    if isinstance(exc, tg.BadRequest):
        if any(marker in str(exc).lower() for marker in _GONE):
            return Unreachable(str(exc))
        return Rejected(str(exc))
    if isinstance(exc, tg.NetworkError):  # includes TimedOut and 5xx answers
        text = str(exc) or type(exc).__name__
        cause = exc.__cause__
        if cause is None or isinstance(cause, (tg.TelegramError, *_NOT_SENT)):
            return TransientError(text)  # an error answer, or nothing left this machine
        return Uncertain(f"{text} ({type(cause).__name__})")
    return Rejected(str(exc))  # InvalidToken, Conflict …: nothing a retry fixes


def build_worker(app: BotApp) -> DeliveryWorker | None:
    """The application's delivery worker: Telegram with a real token, Zalo when it runs."""
    data = app.bot_data
    if data.db is None or not (data.settings.bot_token or data.zalo is not None):
        return None  # offline (tests, terminal chat): nothing to deliver to
    worker = DeliveryWorker(data.db, [], data.clock)
    if data.settings.bot_token:
        paid = data.settings.paid_broadcast
        worker.add_sender(
            TelegramSender(app.bot, paid=paid), PAID_TELEGRAM_LIMITS if paid else TELEGRAM_LIMITS
        )
    if data.zalo is not None:
        data.zalo.register_with(worker)
    return worker


async def start_delivery(app: BotApp) -> None:
    """Start the worker (from ``post_init``): recover interrupted sends, then drain the outbox."""
    worker = build_worker(app)
    if worker is not None:
        app.bot_data.delivery = worker
        worker.start()


async def stop_delivery(app: BotApp) -> None:
    """Let the send in progress finish, then stop the worker (from ``post_shutdown``)."""
    worker, app.bot_data.delivery = app.bot_data.delivery, None
    if worker is not None:
        await worker.stop()
