"""What trainees ask: /today, /tomorrow, /week, /next, /topics, /topic N, /visits, plain words.

Every question, command or not, goes through :func:`bot.agenda.assistant.understand`
(the one parser) and :func:`bot.agenda.assistant.answer`, so a command and its
plain-word form give the same answer. In a group the bot answers only when addressed: a command, an
@mention, or a reply to one of its messages.
"""

from __future__ import annotations

import re

from telegram import Message, Update
from telegram.constants import ChatType
from telegram.ext import CommandHandler, MessageHandler, filters

from bot.agenda import assistant
from bot.agenda.intents import IntentKind
from bot.domain import Channel
from bot.i18n import _
from bot.pocket import ask as pocket_ask
from bot.replies import Reply
from bot.telegram.context import BotApp, BotContext, in_turn
from bot.telegram.handlers import common
from bot.telegram.handlers.common import current_class, not_joined, send

QUESTIONS = (
    "today",
    "tomorrow",
    "day",
    "week",
    "next",
    "topics",
    "topic",
    "visits",
    "bring",
    "meeting",
)
"""Commands answered by the assistant, the same as their plain-word forms."""

_ADDRESSED_TO = re.compile(r"^(/\w+)@\w+")


class Addressed(filters.MessageFilter):
    """Private chats always; in groups, only a message that mentions or replies to the bot."""

    def filter(self, message: Message) -> bool:
        if message.chat.type == ChatType.PRIVATE:
            return True
        username = message.get_bot().username
        text = message.text or ""
        if username and f"@{username}".lower() in text.lower():
            return True
        replied = message.reply_to_message
        return bool(replied and replied.from_user and replied.from_user.id == message.get_bot().id)


ADDRESSED = Addressed(name="addressed")


def question_text(message: Message) -> str:
    """The message's text without '@botname' (after a command or as a mention)."""
    text = message.text or ""
    username = message.get_bot().username
    text = _ADDRESSED_TO.sub(r"\1", text)
    if username:
        text = re.sub(rf"@{re.escape(username)}\b", " ", text, flags=re.IGNORECASE)
    return " ".join(text.split())


def hint() -> Reply:
    """What to say when a question is not understood."""
    return Reply.text(
        _(
            "Sorry, I did not understand. You can ask, for example: "
            "“What is on today?”, “tomorrow”, “this week”, “next visit” or “topic 2”."
        ),
        _("Or tap /help to see everything I can do."),
    )


async def ask(update: Update, context: BotContext) -> None:
    """A question by command or in plain words, answered after the chat's earlier ones."""
    message = update.effective_message
    if message is None:
        return
    async with in_turn(context, message.chat_id):
        await _answer(update, context, message)


async def _answer(update: Update, context: BotContext, message: Message) -> None:
    """Parse the question and let the assistant answer it."""
    found = await current_class(context)
    if found is None:
        await send(update, context, not_joined(context))
        return
    cls = found[0]
    now = context.now()
    if context.person is not None:  # issue 18: card, contacts, materials, roster, picture
        pocket = await pocket_ask.answer(
            context.store,
            context.person,
            found,
            question_text(message),
            lang=context.lang,
            now=now,
            channel=Channel.TELEGRAM,
            private=not context.in_group,
            bot_username=context.settings.bot_username,
        )
        if pocket is not None:
            await send(update, context, pocket)
            return
    intent = await assistant.understand(context.store, cls, question_text(message), now)
    if intent is None:
        await send(update, context, hint())
    elif intent.kind is IntentKind.LANG:
        await common.lang(update, context)
    elif intent.kind is IntentKind.CLASS:
        await common.choose_class(update, context)
    else:
        replies = await assistant.answer(
            context.store, cls, intent, lang=context.lang, now=now, role=common.role_of(found)
        )
        await send(update, context, replies)


async def unknown_command(update: Update, context: BotContext) -> None:
    """A command nobody registered: say so and point at /help."""
    message = update.effective_message
    command = (message.text or "").split()[0] if message else ""
    command = _ADDRESSED_TO.sub(r"\1", command)
    text = _("I do not know the command {command}. Tap /help to see what I can do.")
    await send(update, context, Reply.text(text.format(command=command)))


def register(app: BotApp) -> None:
    app.add_handler(CommandHandler(list(QUESTIONS), ask, block=False))


def register_fallbacks(app: BotApp) -> None:
    """Plain words and unknown commands; registered after every other group-0 handler."""
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND & ADDRESSED, ask, block=False))
    app.add_handler(MessageHandler(filters.COMMAND & ADDRESSED, unknown_command))
