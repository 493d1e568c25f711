"""Telegram handlers of the pocket: /me, /contacts, /materials, /roster (and its file), /attach.

Thin: /me, /contacts and /materials are questions like any other (answered by
:func:`bot.handlers.trainee.ask`, which consults :mod:`bot.pocket.ask` first);
``/roster`` in a private chat shows the list to managers and waits for the
trainees file; ``/attach`` in reply to a document asks which session it is for.
"""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot import buttons
from bot.domain import Channel
from bot.i18n import _
from bot.people import permissions
from bot.people.permissions import MANAGERS, Forbidden
from bot.pocket import ask as pocket_ask
from bot.pocket import materials, roster
from bot.replies import Reply
from bot.schedule.uploads import UPLOAD_TIMEOUT, check_document
from bot.telegram.context import BotApp, BotContext
from bot.telegram.handlers import admin, trainee
from bot.telegram.handlers.common import current_class, not_joined, send

AWAITING = "pocket:awaiting_roster"
"""chat_data key: when /roster was sent; the next document in the chat is the trainees list."""


def _private(update: Update) -> bool:
    return update.effective_chat is not None and update.effective_chat.type == ChatType.PRIVATE


async def roster_command(update: Update, context: BotContext) -> None:
    """/roster [links]: the list (managers), invite links per row, or wait for the file."""
    message, person = update.effective_message, context.person
    if message is None or person is None:
        return
    found = await current_class(context)
    if found is None:
        await send(update, context, not_joined(context))
        return
    replies = await pocket_ask.answer(
        context.store,
        person,
        found,
        message.text or "/roster",
        lang=context.lang,
        now=context.now(),
        channel=Channel.TELEGRAM,
        private=_private(update),
        bot_username=context.settings.bot_username,
    )
    manager = permissions.effective_role(person, found[1]) in MANAGERS
    if _private(update) and manager and not context.args:
        assert context.chat_data is not None
        context.chat_data[AWAITING] = context.now()
        context.chat_data.pop(admin.AWAITING, None)  # the last command says what the file is
        replies = [
            *(replies or []),
            Reply.text(
                _(
                    "To load or replace the trainees list, send the class workbook with its "
                    "trainees sheet (or a .csv): name, delegation, room, roommate, bus, seat, "
                    "group leader, language, phone. I will show a preview first."
                )
            ),
        ]
    await send(update, context, replies or [])


async def forget_roster_wait(update: Update, context: BotContext) -> None:
    """/upload or /newclass after /roster: the next document is theirs, not a trainees list."""
    if context.chat_data is not None:
        context.chat_data.pop(AWAITING, None)


async def roster_file(update: Update, context: BotContext) -> None:
    """A document sent after /roster: check it and preview the list."""
    message, person = update.effective_message, context.person
    if message is None or message.document is None or person is None:
        return
    assert context.chat_data is not None
    asked = context.chat_data.get(AWAITING)
    caption = (message.caption or "").strip().lower()
    if not caption.startswith("/roster") and (
        asked is None or context.now() - asked > UPLOAD_TIMEOUT
    ):
        return
    context.chat_data.pop(AWAITING, None)
    found = await current_class(context)
    if found is None:
        await send(update, context, not_joined(context))
        return
    doc = message.document
    problem = check_document(doc.file_name, doc.file_size, context.lang)
    if problem is not None:
        await send(update, context, problem)
        return
    file = await context.bot.get_file(doc.file_id)
    data = bytes(await file.download_as_bytearray())
    try:
        reply = await roster.stage(
            context.store,
            person,
            found[0],
            data,
            doc.file_name or "",
            now=context.now(),
            lang=context.lang,
        )
    except Forbidden:
        reply = Reply.text(_("Sorry, only the class managers can do that."))
    await send(update, context, reply)


async def attach(update: Update, context: BotContext) -> None:
    """/attach in reply to a document: which session is it for?"""
    message, person = update.effective_message, context.person
    if message is None or person is None:
        return
    target = message.reply_to_message
    doc = target.document if target is not None else None
    if doc is None:
        await send(
            update,
            context,
            Reply.text(_("Please reply to a document with /attach to attach it to a session.")),
        )
        return
    found = await current_class(context)
    if found is None:
        await send(update, context, not_joined(context))
        return
    title = " ".join(context.args or []) or doc.file_name or _("Document")
    try:
        reply = await materials.start_attach(
            context.store,
            person,
            found[0],
            title=title,
            file_id=doc.file_id,
            now=context.now(),
            lang=context.lang,
        )
    except Forbidden:
        reply = Reply.text(_("Sorry, only the class managers can do that."))
    await send(update, context, reply)


UPLOADED = "pocket:uploaded_workbook"
"""chat_data key: (upload id, file name, bytes) of a confirmed workbook with a trainees sheet."""


async def before_schedule_upload(update: Update, context: BotContext) -> None:
    """Confirm of a class workbook: keep its file if it has a trainees sheet (group -2; the
    confirm, in group 0, drops the file from the store)."""
    query = update.callback_query
    if query is None or not query.data or context.chat_data is None:
        return
    parsed = buttons.parse(query.data)  # group -2 runs before the entry parser in group -1
    if parsed is None or parsed.prefix != "upl" or parsed.word(0) != "ok":
        return
    upload_id = parsed.number(1)
    found = await roster.workbook_of_upload(context.store, upload_id)
    if found is not None:
        context.chat_data[UPLOADED] = (upload_id, *found)


async def after_schedule_upload(update: Update, context: BotContext) -> None:
    """The class workbook is live (group 0 applied it): preview its trainees list (group 1)."""
    person = context.person
    kept = context.chat_data.pop(UPLOADED, None) if context.chat_data is not None else None
    if kept is None or person is None:
        return
    upload_id, filename, data = kept
    reply = await roster.stage_from_schedule_upload(
        context.store, person, upload_id, (filename, data), now=context.now(), lang=context.lang
    )
    if reply is not None:
        await send(update, context, reply)


def register(app: BotApp) -> None:
    # Questions answered through the same path as plain words.
    app.add_handler(CommandHandler(["me", "contacts", "materials"], trainee.ask, block=False))
    app.add_handler(CommandHandler("roster", roster_command))
    app.add_handler(CommandHandler("attach", attach))
    # Confirming a class workbook (upl:ok:, handled in group 0 by the organisers' buttons):
    # group -2 keeps its file if it has a trainees sheet, group 1 then previews that list.
    confirm = r"^upl:ok:\d+$"
    app.add_handler(CallbackQueryHandler(before_schedule_upload, pattern=confirm), group=-2)
    app.add_handler(CallbackQueryHandler(after_schedule_upload, pattern=confirm), group=1)
    # Group -2: /upload or /newclass after /roster (the next file is a schedule, not a list).
    app.add_handler(CommandHandler(["upload", "newclass"], forget_roster_wait), group=-2)
    # Group 2: a trainees file after /roster (group 1 holds the schedule uploads).
    app.add_handler(
        MessageHandler(filters.Document.ALL & filters.ChatType.PRIVATE, roster_file), group=2
    )
