"""Messages the bot cannot read (stickers, photos, voice, location, contact …): a short help.

A trainee who sends a sticker or a voice note must not meet silence: in a
private chat every such message gets one short answer in the reader's
language saying what the bot understands; in a group only when it replies
to the bot. Documents go to the upload flow first (:mod:`.admin`), which
answers the same help when the sender was not uploading a schedule.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import MessageHandler, filters

from bot.domain import Role
from bot.i18n import _
from bot.replies import Reply
from bot.telegram.context import BotApp, BotContext
from bot.telegram.handlers.common import current_class, send
from bot.telegram.handlers.trainee import ADDRESSED

UNREADABLE = (
    filters.Sticker.ALL
    | filters.PHOTO
    | filters.VOICE
    | filters.AUDIO
    | filters.VIDEO
    | filters.VIDEO_NOTE
    | filters.ANIMATION
    | filters.LOCATION
    | filters.VENUE
    | filters.CONTACT
    | filters.POLL
    | filters.Dice.ALL
)
"""What arrives with no text for the assistant to read."""


def only_text(*, can_announce: bool = False) -> Reply:
    """The help for a message the bot cannot read, in the active language.

    ``can_announce``: the sender manages the class and sent a photo or a
    document, which they can announce by replying to it with /broadcast.
    """
    lines = [
        _(
            "I can only read text messages. Please write your question, for example "
            "“What is on today?” or “next visit”, or tap /help."
        )
    ]
    if can_announce:
        lines.append(_("To announce this file to your class, reply to it with /broadcast."))
    return Reply.text(*lines)


async def help_for(update: Update, context: BotContext) -> Reply:
    """The help for this unreadable message and its sender."""
    message = update.effective_message
    is_file = message is not None and bool(message.photo or message.document)
    found = await current_class(context) if is_file and context.person else None
    return only_text(can_announce=bool(found and found[1] in (Role.MANAGER, Role.ADMIN)))


async def unreadable(update: Update, context: BotContext) -> None:
    """Answer a sticker, photo, voice note … with what the bot understands."""
    await send(update, context, await help_for(update, context))


def register(app: BotApp) -> None:
    app.add_handler(MessageHandler(UNREADABLE & ADDRESSED, unreadable))
