"""/link on Telegram: make a code for Zalo, or use one made on Zalo (:mod:`bot.people.linking`)."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import CommandHandler

from bot.domain import Channel
from bot.people import linking
from bot.telegram.context import BotApp, BotContext
from bot.telegram.handlers.common import send


async def link(update: Update, context: BotContext) -> None:
    """``/link`` or ``/link CODE`` in a private chat."""
    person = context.person
    user = update.effective_user
    chat = update.effective_chat
    if person is None or user is None or chat is None or chat.type != ChatType.PRIVATE:
        return
    reply = await linking.link_command(
        context.store,
        person=person,
        channel=Channel.TELEGRAM,
        external_id=str(user.id),
        argument=" ".join(context.args or []),
        now=context.now(),
    )
    await send(update, context, reply)


def register(app: BotApp) -> None:
    app.add_handler(CommandHandler("link", link))
