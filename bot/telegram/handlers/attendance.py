"""Attendance and evaluation on Telegram: /attendance, /signin, /mark, /ratings, /evaluation,
/results, /closing, the plain words "điểm danh" / "ລົງຊື່" / "attendance", typed answers
(a room code, a comment, a free-text answer) and the results or questions sheet after
/results or /evalform.

Thin: every command goes through :func:`bot.attendance.commands.run` or
:func:`bot.evaluation.commands.run`, exactly as on Zalo;
button taps (``att:``, ``rate:``, ``ev:``, ``sheet:``) go through the general button
router (:mod:`bot.actions`).
"""

from __future__ import annotations

import datetime as dt

from telegram import Update
from telegram.ext import CommandHandler, MessageHandler, filters

from bot.attendance import commands
from bot.domain import Role, TrainingClass
from bot.evaluation import commands as evaluation_commands
from bot.evaluation import sheets, uploads
from bot.i18n import _
from bot.people.permissions import Forbidden, role_in
from bot.replies import Reply
from bot.store import classes
from bot.telegram import jobs
from bot.telegram.context import BotApp, BotContext, in_turn
from bot.telegram.handlers import trainee
from bot.telegram.handlers.common import current_class, not_joined, send

AWAITING_SHEET = "evaluation:awaiting_sheet"
"""chat_data key: (kind, asked at, class id): the next document is that class's results or
questions sheet."""

SHEET_WAIT = dt.timedelta(minutes=15)


async def command(update: Update, context: BotContext) -> None:
    """Any of the attendance and evaluation commands, for the chat's class."""
    message, person = update.effective_message, context.person
    if message is None or person is None:
        return
    name = (message.text or "").split()[0].lstrip("/").split("@")[0].lower()
    await _run(update, context, name, " ".join(context.args or []))


async def target_class(context: BotContext, arg: str) -> tuple[TrainingClass, str] | None:
    """The class named by the first word of ``arg`` (and the rest), else the chat's class."""
    first, _sep, rest = arg.partition(" ")
    if first:
        named = await classes.get_class_by_code(context.store, first)
        if named is not None:
            return named, rest.strip()
    found = await current_class(context)
    return (found[0], arg) if found is not None else None


async def _run(update: Update, context: BotContext, name: str, arg: str) -> None:
    person = context.person
    target = await target_class(context, arg)
    if person is None or target is None:
        await send(update, context, not_joined(context))
        return
    cls, arg = target
    if name in evaluation_commands.COMMANDS:
        outcome = await evaluation_commands.run(
            context.store, person, cls, name, context.now(), context.lang
        )
    else:
        outcome = await commands.run(
            context.store, person, cls, name, arg, context.now(), context.lang
        )
    await send(update, context, outcome.replies)
    if outcome.resync is not None:
        await jobs.resync(context, [outcome.resync])


async def plain_words(update: Update, context: BotContext) -> None:
    """ "điểm danh", "ລົງຊື່", "attendance": the person's own record (managers: the list)."""
    await _run(update, context, "attendance", "")


async def evaluation_words(update: Update, context: BotContext) -> None:
    await _run(update, context, "evaluation", "")


async def typed_answer(context: BotContext, text: str) -> list[Reply] | None:
    """What the bot was waiting for from this person (attendance first, then evaluation)."""
    person = context.person
    if person is None:
        return None
    db, now, lang = context.store, context.now(), context.lang
    found = await commands.typed_answer(db, person, text, now, lang)
    if found is None:
        found = await evaluation_commands.typed_answer(db, person, text, now, lang)
    return found


async def typed(update: Update, context: BotContext) -> None:
    """A private text: the answer the bot is waiting for, else a question for the assistant."""
    message, person = update.effective_message, context.person
    if message is None or person is None:
        return
    replies = await typed_answer(context, message.text or "")
    if replies is None:
        await trainee.ask(update, context)
        return
    async with in_turn(context, message.chat_id):
        await send(update, context, replies)


async def private_only(update: Update, context: BotContext) -> None:
    """An attendance or evaluation command in a group: point to the private chat."""
    await send(update, context, Reply.text(_("Please use this command in a private chat with me.")))


async def results_command(update: Update, context: BotContext) -> None:
    """/results: one's own result (managers: counts); organisers may then send the sheet."""
    await _run(update, context, "results", " ".join(context.args or []))
    target = await target_class(context, " ".join(context.args or []))
    person, chat = context.person, update.effective_chat
    if target is None or person is None or chat is None:
        return
    if await role_in(context.store, person, target[0].id) is not Role.ADMIN:
        return
    assert context.chat_data is not None
    context.chat_data[AWAITING_SHEET] = ("results", context.now(), target[0].id)
    text = _(
        "To publish results, send the results sheet (.xlsx or .csv) with the columns "
        "“Họ và tên | Kết quả | Khen thưởng | Lý do”. I will show a preview first."
    )
    await send(update, context, Reply.text(text))


async def evalform(update: Update, context: BotContext) -> None:
    """/evalform: organisers send their own evaluation questions (a sheet of the workbook)."""
    target = await target_class(context, " ".join(context.args or []))
    person, chat = context.person, update.effective_chat
    if target is None or person is None or chat is None:
        await send(update, context, not_joined(context))
        return
    if await role_in(context.store, person, target[0].id) is not Role.ADMIN:
        await send(update, context, organisers_only())
        return
    assert context.chat_data is not None
    context.chat_data[AWAITING_SHEET] = ("evaluation", context.now(), target[0].id)
    text = _(
        "Please send the class workbook (.xlsx) with a sheet “Đánh giá” (columns "
        "“Câu hỏi” and optionally “Loại”: scale or text), or a CSV of the questions. "
        "I will show a preview first."
    )
    await send(update, context, Reply.text(text))


def organisers_only() -> Reply:
    return Reply.text(_("Sorry, only the organisers of this class can do that."))


async def document(update: Update, context: BotContext) -> None:
    """A document after /results or /evalform (or captioned so): read, preview, confirm."""
    message, person = update.effective_message, context.person
    if message is None or message.document is None or person is None:
        return
    assert context.chat_data is not None
    caption = (message.caption or "").split()
    command_name = caption[0].split("@")[0].lstrip("/").lower() if caption else ""
    asked = context.chat_data.pop(AWAITING_SHEET, None)
    fresh = asked is not None and context.now() - asked[1] <= SHEET_WAIT
    cls: TrainingClass | None
    if command_name in ("results", "evalform"):
        kind = "results" if command_name == "results" else "evaluation"
        target = await target_class(context, " ".join(caption[1:]))
        cls = target[0] if target else None
    elif fresh:
        kind = asked[0]
        cls = await classes.get_class(context.store, asked[2])
    else:
        return
    if cls is None:
        await send(update, context, not_joined(context))
        return
    doc = message.document
    if (doc.file_size or 0) > sheets.MAX_BYTES or sheets.kind_of(doc.file_name or "") is None:
        await send(
            update,
            context,
            Reply.text(
                _(
                    "Please send an Excel workbook (.xlsx) or a CSV file of at most 5 MB. "
                    "Nothing was changed."
                )
            ),
        )
        return
    file = await context.bot.get_file(doc.file_id)
    data = bytes(await file.download_as_bytearray())
    try:
        reply = await uploads.stage(
            context.store,
            person,
            cls,
            kind,
            data,
            doc.file_name or "",
            context.now(),
            context.lang,
        )
    except Forbidden:
        reply = organisers_only()
    await send(update, context, reply)


def register(app: BotApp) -> None:
    """Commands and plain words in group 0 (before the fallbacks); documents in group 2.

    Everything here shows or changes one person's record, names or results, so it answers
    only in a private chat; in a class group a command points to the private chat and the
    plain words are left to the people talking there.
    """
    private = filters.ChatType.PRIVATE
    names = [*commands.COMMANDS, *evaluation_commands.COMMANDS, "evalform"]
    app.add_handler(CommandHandler(names, private_only, filters=~private))
    app.add_handler(CommandHandler("results", results_command, filters=private))
    app.add_handler(CommandHandler("evalform", evalform, filters=private))
    others = [c for c in names if c not in ("results", "evalform")]
    app.add_handler(CommandHandler(others, command, filters=private))
    app.add_handler(
        MessageHandler(
            filters.TEXT & ~filters.COMMAND & private & filters.Regex(commands.PLAIN_WORDS),
            plain_words,
        )
    )
    app.add_handler(
        MessageHandler(
            filters.TEXT
            & ~filters.COMMAND
            & private
            & filters.Regex(evaluation_commands.EVALUATION_WORDS),
            evaluation_words,
        )
    )
    # Every other private text: an awaited answer, else the assistant (trainee.ask).
    app.add_handler(
        MessageHandler(
            filters.TEXT & ~filters.COMMAND & filters.ChatType.PRIVATE, typed, block=False
        )
    )
    # Group 3: after the schedule uploads' (group 1) and the pocket's roster file (group 2)
    # handlers, which ignore documents they did not ask for.
    app.add_handler(
        MessageHandler(filters.Document.ALL & filters.ChatType.PRIVATE, document), group=3
    )
