"""Class managers' /broadcast conversation and /report, on Telegram.

/broadcast [text] (or as a reply to a photo or document): the text, an
optional version in another language, the audience, "ask to confirm
receipt" on or off, a preview with Send / Cancel. The conversation ends
cleanly after :data:`TIMEOUT` seconds without an answer. The work is done by
:mod:`bot.announcements.publish`; this module only asks and shows. Buttons use the
``bcast:`` prefix and are handled here, before the general button router.
"""

from __future__ import annotations

import datetime as dt
import warnings
from typing import Any

from telegram import Message, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.announcements import compose
from bot.announcements import publish as announcements
from bot.announcements import status as announcement_status
from bot.announcements.publish import Audience, Draft
from bot.domain import LANGS, localized
from bot.i18n import LANG_NAMES, _, ngettext, use_lang
from bot.people import permissions
from bot.people.permissions import Forbidden
from bot.replies import Reply
from bot.store import classes
from bot.telegram.context import BotApp, BotContext
from bot.telegram.handlers.common import current_class, not_joined, refused, send, target_class

CLASS, TEXT, SECOND, SECOND_TEXT, AUDIENCE, PREVIEW = range(6)
TIMEOUT = 600
"""Seconds of silence after which a draft is dropped (nothing is sent)."""
DRAFT = "broadcast_draft"
END = ConversationHandler.END


def _draft(context: BotContext) -> dict[str, Any]:
    data: dict[str, Any] = context.user_data.setdefault(DRAFT, {})  # type: ignore[union-attr]
    return data


def _media(message: Message | None) -> tuple[tuple[str, str] | None, str]:
    """The photo or document of the message replied to, and its caption."""
    if message is None:
        return None, ""
    if message.photo:
        return ("photo", message.photo[-1].file_id), message.caption or ""
    if message.document:
        return ("document", message.document.file_id), message.caption or ""
    return None, ""


async def start(update: Update, context: BotContext) -> int:
    """/broadcast: pick the class, take the text (or ask for it)."""
    person = context.person
    message = update.effective_message
    if person is None or message is None:
        return END
    context.user_data.pop(DRAFT, None)  # type: ignore[union-attr]
    draft = _draft(context)
    media, caption = _media(message.reply_to_message)
    draft.update(media=media, body={}, audience=Audience.CLASS, ack=True)
    named = (
        await classes.get_class_by_code(context.store, context.args[0]) if context.args else None
    )
    if named is not None:
        context.args = context.args[1:] if context.args else []
    text = " ".join(context.args or []).strip() or caption.strip()
    if text:
        draft["body"][context.lang] = text
    found = await current_class(context)
    if named is not None:
        if not await _may_announce(context, named.id):
            await send(update, context, refused())
            return _finish(context)
        draft["class_id"] = named.id
        return await _next_step(update, context)
    chosen = await compose.class_for(context.store, person, found, context.lang)
    if chosen is None:
        await send(update, context, refused() if found else not_joined())
        return END
    if isinstance(chosen, Reply):  # several classes: which one?
        await send(update, context, chosen)
        return CLASS
    draft["class_id"] = chosen
    return await _next_step(update, context)


async def _next_step(update: Update, context: BotContext) -> int:
    draft = _draft(context)
    if not draft["body"] and draft["media"] is None:
        await send(update, context, Reply.text(_("Please write the announcement.")))
        return TEXT
    offer = compose.language_offer(draft["body"])
    if offer is not None:
        await send(update, context, offer)
        return SECOND
    return await _ask_audience(update, context)


async def _ask_audience(update: Update, context: BotContext) -> int:
    await send(update, context, compose.audience_question())
    return AUDIENCE


async def _may_announce(context: BotContext, class_id: int) -> bool:
    """Whether the person manages the class now (asked again at every step)."""
    person = context.person
    if person is None:
        return False
    try:
        await permissions.require(context.store, person, class_id, permissions.MANAGERS)
    except Forbidden:
        return False
    return True


async def pick_class(update: Update, context: BotContext) -> int:
    query = update.callback_query
    button = context.button
    if query is None or button is None:
        return END
    class_id = button.number(0)
    if not await _may_announce(context, class_id):
        # A forged or stale pick: refused to the tapper, the picker left as it is.
        await query.answer(_("Sorry, only the class managers can do that."), show_alert=True)
        return _finish(context)
    await query.answer()
    _draft(context)["class_id"] = class_id
    return await _next_step(update, context)


async def text(update: Update, context: BotContext) -> int:
    message = update.effective_message
    if message is None or not message.text:
        return TEXT
    _draft(context)["body"][context.lang] = message.text.strip()
    return await _next_step(update, context)


async def second_language(update: Update, context: BotContext) -> int:
    query = update.callback_query
    if query is None:
        return END
    await query.answer()
    code = context.button.word(0) if context.button else "none"
    if code not in LANGS:
        return await _ask_audience(update, context)
    _draft(context)["second"] = code
    prompt = _("Please write the version in {language}.").format(language=LANG_NAMES[code])
    await send(update, context, Reply.text(prompt))
    return SECOND_TEXT


async def second_text(update: Update, context: BotContext) -> int:
    message = update.effective_message
    draft = _draft(context)
    if message is None or not message.text:
        return SECOND_TEXT
    draft["body"][draft.pop("second", context.lang)] = message.text.strip()
    return await _ask_audience(update, context)


async def audience(update: Update, context: BotContext) -> int:
    query = update.callback_query
    if query is None:
        return END
    await query.answer()
    _draft(context)["audience"] = Audience(context.button.word(0) if context.button else "class")
    preview = await _preview(context)
    if preview is None:
        await send(update, context, refused())
        return _finish(context)
    await send(update, context, preview)
    return PREVIEW


async def _preview(context: BotContext) -> Reply | None:
    """The draft as it will go out; None when the person does not manage its class now."""
    draft = _draft(context)
    person = context.person
    if "class_id" not in draft or person is None:
        return None
    return await compose.preview(
        context.store,
        person,
        draft["class_id"],
        draft["audience"],
        draft["body"],
        ack=draft["ack"],
        media=draft["media"],
        lang=context.lang,
    )


async def preview_tap(update: Update, context: BotContext) -> int:
    """The preview's buttons: toggle the confirmation, send, or cancel."""
    query = update.callback_query
    person = context.person
    if query is None or person is None:
        return END
    action = context.button.values[-1] if context.button else "cancel"
    draft = _draft(context)
    if action == "ack":
        draft["ack"] = not draft["ack"]
        await query.answer()
        preview = await _preview(context)
        if preview is None:
            await send(update, context, refused())
            return _finish(context)
        await send(update, context, preview)
        return PREVIEW
    if action == "cancel":
        await query.answer()
        return await cancel(update, context)
    await query.answer()
    new = Draft(
        class_id=draft["class_id"],
        body=localized(draft["body"]),
        audience=draft["audience"],
        needs_ack=draft["ack"],
        media=draft["media"],
    )
    try:
        delay = dt.timedelta(minutes=context.settings.ack_reminder_minutes)
        _ann, queued = await announcements.create(
            context.store,
            person,
            new,
            context.now(),
            ack_delay=delay,
            per_hour=context.settings.announcements_per_hour,
        )
    except Forbidden:
        await send(update, context, refused())
        return _finish(context)
    except announcements.TooMany as exc:
        await send(update, context, announcements.too_many_reply(exc, context.lang))
        return _finish(context)
    except announcements.NoRecipients:
        await send(update, context, announcements.no_recipients_reply(context.lang))
        return _finish(context)
    done = ngettext(
        "Sent to {n} person. They will receive it in a few seconds; /report shows who "
        "received and confirmed it.",
        "Sent to {n} people. They will receive it in a few seconds; /report shows who "
        "received and confirmed it.",
        queued,
    ).format(n=queued)
    await send(update, context, Reply.text(done))
    return _finish(context)


def _finish(context: BotContext) -> int:
    context.user_data.pop(DRAFT, None)  # type: ignore[union-attr]
    return END


async def cancel(update: Update, context: BotContext) -> int:
    await send(update, context, Reply.text(_("Cancelled. Nothing was sent.")))
    return _finish(context)


async def timed_out(update: Update, context: BotContext) -> int:
    with use_lang(context.lang):  # runs in the timeout job, outside the update's task
        message = _(
            "The announcement was not sent: there was no answer for 10 minutes. "
            "Start again with /broadcast."
        )
    await send(update, context, Reply.text(message))
    return _finish(context)


async def report(update: Update, context: BotContext) -> None:
    """/report: the recent announcements of the class with their figures and names."""
    person = context.person
    cls = await target_class(context)
    if person is None or cls is None:
        await send(update, context, not_joined(context))
        return
    try:
        reply = await announcement_status.report_for(context.store, person, cls.id, context.lang)
    except Forbidden:
        await send(update, context, refused())
        return
    await send(update, context, reply)


def conversation() -> ConversationHandler[BotContext]:
    """The /broadcast conversation (private chats only)."""
    private = filters.ChatType.PRIVATE
    typed = filters.TEXT & ~filters.COMMAND & private
    with warnings.catch_warnings():
        # per_message=False is intended: the draft belongs to the user, not to one message.
        warnings.simplefilter("ignore", PTBUserWarning)
        return ConversationHandler(
            entry_points=[CommandHandler("broadcast", start, filters=private)],
            states={
                CLASS: [CallbackQueryHandler(pick_class, pattern=r"^bcast:class:\d+$")],
                TEXT: [MessageHandler(typed, text)],
                SECOND: [CallbackQueryHandler(second_language, pattern=r"^bcast:lang:")],
                SECOND_TEXT: [MessageHandler(typed, second_text)],
                AUDIENCE: [CallbackQueryHandler(audience, pattern=r"^bcast:aud:")],
                PREVIEW: [CallbackQueryHandler(preview_tap, pattern=r"^bcast:(ack|send|cancel)$")],
                ConversationHandler.TIMEOUT: [
                    MessageHandler(filters.ALL, timed_out),
                    CallbackQueryHandler(timed_out),
                ],
            },
            fallbacks=[
                CommandHandler("cancel", cancel),
                CallbackQueryHandler(cancel, pattern=r"^bcast:cancel$"),
            ],
            conversation_timeout=TIMEOUT,
            name="broadcast",
        )


def register(app: BotApp) -> None:
    """/broadcast (before the general button router, so ``bcast:`` taps reach it) and /report."""
    app.add_handler(conversation())
    # Private chats only: the report names people, which is not for the class group.
    app.add_handler(CommandHandler("report", report, filters=filters.ChatType.PRIVATE))
