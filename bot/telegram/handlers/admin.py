"""Organisers' commands: /upload, /newclass, /versions, /rollback, /export, /template,
/invite, /members, /promote, /demote, /remove, /audit, and their buttons.

Thin: parse the update, call :mod:`bot.schedule.uploads`, :mod:`bot.people.members` or
:mod:`bot.people.invite_menu`, send the reply. A refused role gets a polite answer
and changes nothing. A file is refused by its announced size and name before
it is downloaded. After a confirmed change the jobs are re-derived from the
database (:func:`bot.telegram.jobs.resync`): the reminders, and the change notice at
the close of its window; a restart derives the same, so nothing is lost.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, cast

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.domain import Role, TrainingClass
from bot.i18n import _
from bot.people import invite_menu, permissions
from bot.people import members as organiser
from bot.people.permissions import Forbidden, refusal
from bot.replies import Reply
from bot.schedule import exports, uploads
from bot.schedule import newclass as class_details
from bot.schedule.preview import problems_reply
from bot.schedule.problems import ScheduleProblems
from bot.store import classes
from bot.telegram import jobs
from bot.telegram.context import BotApp, BotContext
from bot.telegram.handlers import trainee
from bot.telegram.handlers.common import current_class, send, target_class
from bot.telegram.render import edit_reply

AWAITING = "admin:awaiting_upload"
"""chat_data key: (kind, asked at): the next document is an upload or a new class's workbook."""

BUTTONS = r"^(upl|inv|exp|map|ncl):"


def refused() -> Reply:
    return Reply.text(_("Sorry, only the organisers of this class can do that."))


def no_class() -> Reply:
    return Reply.text(
        _("Which class? Write the command followed by the class code, e.g. /versions VTE-HN-2024.")
    )


Action = Callable[["BotContext", TrainingClass], Awaitable[Reply]]


async def _run(update: Update, context: BotContext, action: Action) -> None:
    """Find the class, run ``action``; a missing role becomes a polite refusal."""
    if context.person is None:
        return
    cls = await target_class(context)
    if cls is None:
        await send(update, context, no_class())
        return
    try:
        reply = await action(context, cls)
    except Forbidden as exc:
        reply = refusal(exc)
    except uploads.UploadRefused as exc:
        reply = exc.reply
    await send(update, context, reply)


def _number(context: BotContext) -> int | None:
    args = context.args or []
    return int(args[0].lstrip("#")) if args and args[0].lstrip("#").isdigit() else None


async def _may_send_files(context: BotContext, kind: str) -> bool:
    """A global admin; for an upload, an admin of the chat's class (checked again per file)."""
    person = context.person
    if person is None:
        return False
    found = await current_class(context)
    return await permissions.may_send_schedule_files(
        context.store, person, found[0].id if found else None, new_class=kind == "newclass"
    )


async def _ask_for_file(update: Update, context: BotContext, kind: str) -> None:
    if update.effective_chat is None or update.effective_chat.type != ChatType.PRIVATE:
        await send(update, context, Reply.text(_("Please send schedule files in a private chat.")))
        return
    if not await _may_send_files(context, kind):
        await send(update, context, refused())
        return
    assert context.chat_data is not None
    context.chat_data[AWAITING] = (kind, context.now())
    text = (
        _("Please send the workbook of the new class (.xlsx). /template gives a blank one.")
        if kind == "newclass"
        else _("Please send the schedule file (.xlsx or .csv). I will show the changes first.")
    )
    await send(update, context, Reply.text(text))


async def upload(update: Update, context: BotContext) -> None:
    """/upload: the next document is a new version of a class's schedule."""
    await _ask_for_file(update, context, "upload")


async def newclass(update: Update, context: BotContext) -> None:
    """/newclass: the next document is the workbook of a class that does not exist yet."""
    await _ask_for_file(update, context, "newclass")


async def document(update: Update, context: BotContext) -> None:
    """A document after /upload or /newclass (or captioned so): check, download, preview."""
    message, person = update.effective_message, context.person
    if message is None or message.document is None or person is None:
        return
    assert context.chat_data is not None
    caption = (message.caption or "").split()
    command = caption[0].split("@")[0].lstrip("/") if caption else ""
    asked = context.chat_data.pop(AWAITING, None)
    fresh = asked is not None and context.now() - asked[1] <= uploads.UPLOAD_TIMEOUT
    kind = command if command in ("upload", "newclass") else (asked[0] if fresh else None)
    if kind is None:  # not a schedule upload: say what the bot can read (never silence)
        from bot.telegram.handlers.media import help_for

        await send(update, context, await help_for(update, context))
        return
    if not await _may_send_files(context, kind):
        await send(update, context, refused())
        return
    doc = message.document
    problem = uploads.check_document(doc.file_name, doc.file_size, context.lang)
    if problem is not None:
        await send(update, context, problem)
        return
    file = await context.bot.get_file(doc.file_id)
    data = bytes(await file.download_as_bytearray())
    found = await current_class(context)
    try:
        reply = await uploads.stage_file(
            context.store,
            person,
            data,
            doc.file_name or "",
            now=context.now(),
            lang=context.lang,
            new_class=kind == "newclass",
            class_code=found[0].code if found else None,
        )
    except Forbidden:
        reply = refused()
    except uploads.UploadRefused as exc:
        reply = exc.reply
    except uploads.NeedsClassDetails:
        reply = await _start_new_class(update, context, data, doc.file_name or "")
    await send(update, context, reply)


DRAFT = "admin:newclass_draft"
"""chat_data key: (Draft, started at, chat id, person id) while a new class's details are asked."""
_DRAFT_CHATS: weakref.WeakKeyDictionary[object, filters.Chat] = weakref.WeakKeyDictionary()
"""Per application (its bot_data): the chats answering a new class's questions, so that
only their typed words reach :func:`new_class_text`."""


def _draft_chats(context: BotContext) -> filters.Chat:
    return _DRAFT_CHATS[context.bot_data]


def _end_draft(context: BotContext) -> None:
    assert context.chat_data is not None
    found = context.chat_data.pop(DRAFT, None)
    if found is not None:
        _draft_chats(context).remove_chat_ids(found[2])


async def _start_new_class(
    update: Update, context: BotContext, data: bytes, filename: str
) -> Reply:
    """/newclass with an organiser's programme: ask the class details it lacks."""
    assert context.chat_data is not None and update.effective_chat is not None
    try:
        draft = await asyncio.to_thread(class_details.start, data, filename, context.now().date())
    except ScheduleProblems as error:
        return problems_reply(error, context.lang)
    assert context.person is not None
    context.chat_data[DRAFT] = (draft, context.now(), update.effective_chat.id, context.person.id)
    _draft_chats(context).add_chat_ids(update.effective_chat.id)
    return class_details.question(draft, context.lang)


async def _new_class_step(context: BotContext, draft: class_details.Draft) -> Reply:
    """The next question, or with every answer in, the new class's usual preview."""
    assert context.chat_data is not None and context.person is not None
    if draft.step != "done":
        chat_id = context.chat_data[DRAFT][2]
        context.chat_data[DRAFT] = (draft, context.now(), chat_id, context.person.id)
        return class_details.question(draft, context.lang)
    _end_draft(context)
    try:
        data, name = await asyncio.to_thread(class_details.workbook, draft)
        return await uploads.stage_file(
            context.store,
            context.person,
            data,
            name,
            now=context.now(),
            lang=context.lang,
            new_class=True,
        )
    except ScheduleProblems as error:
        return problems_reply(error, context.lang)
    except uploads.UploadRefused as exc:
        return exc.reply


def _live_draft(context: BotContext) -> class_details.Draft | None:
    assert context.chat_data is not None
    found = context.chat_data.get(DRAFT)
    person = context.person
    if found is not None and (person is None or found[3] != person.id):
        return None  # someone else's questions: theirs stay as they are
    if found is None or context.now() - found[1] > uploads.UPLOAD_TIMEOUT:
        _end_draft(context)
        return None
    return cast("class_details.Draft", found[0])


async def new_class_text(update: Update, context: BotContext) -> None:
    """A typed answer to one of the new class's questions."""
    message = update.effective_message
    draft = _live_draft(context)
    if message is None or message.text is None:
        return
    if draft is None or context.person is None:
        await trainee.ask(update, context)  # the questions lapsed: plain words as usual
        return
    await send(
        update, context, await _new_class_step(context, class_details.answer(draft, message.text))
    )


async def _new_class_tap(context: BotContext, rest: str) -> Reply:
    draft = _live_draft(context)
    if draft is None:
        raise Expired  # no new class is being asked for here, by this person
    if rest == "cancel":
        _end_draft(context)
        return Reply.text(_("Cancelled. The schedule was not changed."))
    return await _new_class_step(context, class_details.tap(draft, rest))


async def versions(update: Update, context: BotContext) -> None:
    """/versions [CLASS]: the stored versions, the live one marked."""

    async def action(ctx: BotContext, cls: TrainingClass) -> Reply:
        assert ctx.person is not None
        return await exports.versions_view(ctx.store, ctx.person, cls, ctx.lang)

    await _run(update, context, action)


async def rollback(update: Update, context: BotContext) -> None:
    """/rollback [CLASS] N: preview going back to version N (confirmed with a button)."""

    async def action(ctx: BotContext, cls: TrainingClass) -> Reply:
        assert ctx.person is not None
        number = _number(ctx)
        if number is None:
            return Reply.text(_("Which version? For example: /rollback 2. /versions lists them."))
        return await uploads.stage_rollback(
            ctx.store, ctx.person, cls, number, now=ctx.now(), lang=ctx.lang
        )

    await _run(update, context, action)


async def export(update: Update, context: BotContext) -> None:
    """/export [CLASS]: ask the format, then send the live schedule as a document."""

    async def action(ctx: BotContext, cls: TrainingClass) -> Reply:
        assert ctx.person is not None
        return await exports.export_picker(ctx.store, ctx.person, cls, ctx.lang)

    await _run(update, context, action)


async def template(update: Update, context: BotContext) -> None:
    """/template: the blank workbook with instructions."""
    await send(update, context, exports.template_reply(context.lang))


async def members(update: Update, context: BotContext) -> None:
    """/members [CLASS]: who is in the class, with role, language and reachability."""

    async def action(ctx: BotContext, cls: TrainingClass) -> Reply:
        assert ctx.person is not None
        return await organiser.members_view(ctx.store, ctx.person, cls, ctx.lang)

    await _run(update, context, action)


def _member_command(
    service: Callable[..., Awaitable[Reply]],
) -> Callable[[Update, BotContext], Coroutine[Any, Any, None]]:
    async def handler(update: Update, context: BotContext) -> None:
        async def action(ctx: BotContext, cls: TrainingClass) -> Reply:
            assert ctx.person is not None
            number = _number(ctx)
            if number is None:
                return Reply.text(_("Whom? Write the member's number from /members."))
            return await service(ctx.store, ctx.person, cls, number, now=ctx.now(), lang=ctx.lang)

        await _run(update, context, action)

    return handler


promote = _member_command(organiser.promote)
"""/promote N: raise member N's role one step."""
demote = _member_command(organiser.demote)
"""/demote N: lower member N's role one step (a promoted global admin loses it)."""
remove = _member_command(organiser.remove)
"""/remove N: take member N out of the class."""


async def audit(update: Update, context: BotContext) -> None:
    """/audit [CLASS|all]: the audit log of the class (or of everything, global admins)."""
    person = context.person
    if person is None:
        return
    if context.args and context.args[0].lower() == "all":
        try:
            reply = await organiser.audit_view(context.store, person, None, context.lang)
        except Forbidden as exc:
            reply = refusal(exc)
        await send(update, context, reply)
        return

    async def action(ctx: BotContext, cls: TrainingClass) -> Reply:
        assert ctx.person is not None
        return await organiser.audit_view(ctx.store, ctx.person, cls, ctx.lang)

    await _run(update, context, action)


async def invite(update: Update, context: BotContext) -> None:
    """/invite [CLASS] [ROLE USES DAYS]: the role buttons, or a link made straight away."""

    async def action(ctx: BotContext, cls: TrainingClass) -> Reply:
        assert ctx.person is not None
        wanted = invite_menu.parse_args(list(ctx.args or []))
        if wanted is None:
            return await invite_menu.menu(ctx.store, ctx.person, cls, ctx.lang)
        role, uses, days = wanted
        return await invite_menu.create(
            ctx.store,
            ctx.person,
            cls,
            role,
            now=ctx.now(),
            lang=ctx.lang,
            bot_username=ctx.settings.bot_username,
            uses=uses,
            days=days,
        )

    await _run(update, context, action)


async def _tap(context: BotContext) -> tuple[Reply, int | None]:
    """The reply to an organiser's button, and the class whose schedule changed (if any).

    ``context.button`` was parsed and bounded in group -1; every service called here
    checks the tapper's role in the class now (:mod:`bot.people.permissions`).
    """
    person, db, now, lang = context.person, context.store, context.now(), context.lang
    button = context.button
    assert person is not None and button is not None
    if button.name == "upl":
        upload_id = button.number(1)
        if button.word(0) == "ok":
            applied = await uploads.confirm(db, person, upload_id, now=now, lang=lang)
            return applied.reply, applied.class_id
        return await uploads.cancel(db, person, upload_id, now=now, lang=lang), None
    if button.prefix == "ncl":  # a new class's details (issue 12)
        return await _new_class_tap(context, button.rest), None
    if button.name == "map":  # an answer of the column mapping (issue 12)
        return await uploads.map_column(db, person, button.rest, now=now, lang=lang), None
    if button.name == "inv:rv":
        return await invite_menu.revoke(db, person, button.number(0), now=now, lang=lang), None
    cls = await classes.get_class(db, button.number(0))
    if cls is None:
        raise Expired
    if button.name == "exp":
        return await exports.export(db, person, cls, button.word(1), lang), None
    if button.name == "inv:list":
        return await invite_menu.listing(db, person, cls, now=now, lang=lang), None
    if button.name == "inv:new":
        made = await invite_menu.create(
            db,
            person,
            cls,
            Role(button.word(1)),
            now=now,
            lang=lang,
            bot_username=context.settings.bot_username,
        )
        return made, None
    raise Expired


class Expired(Exception):
    """The button refers to something that no longer exists."""


async def button(update: Update, context: BotContext) -> None:
    """An organiser's button: answer in place of the message that carried it.

    A refused or stale tap is answered to the tapper alone (an alert), never by
    editing the message, which belongs to whoever asked for it.
    """
    query = update.callback_query
    if query is None or context.person is None or context.button is None:
        return
    try:
        reply, changed = await _tap(context)
    except Forbidden as exc:
        await query.answer(_plain(refusal(exc)), show_alert=True)
        return
    except Expired:
        await query.answer(_("This button is no longer active."))
        return
    except uploads.UploadRefused as exc:  # someone else's or a stale preview: theirs stays
        await query.answer(_plain(exc.reply), show_alert=True)
        return
    await query.answer()
    message = query.message
    if message is not None and reply.document is None:
        await edit_reply(context.bot, message.chat.id, message.message_id, reply)
    else:
        await send(update, context, reply)
    if changed is not None:
        await after_change(context, changed)


def _plain(reply: Reply) -> str:
    """A short reply as the text of a button alert."""
    return "\n".join(line for block in reply.blocks for line in block.lines)[:200]


async def after_change(context: BotContext, class_id: int) -> None:
    """Jobs follow the new version: reminders, and the notice at its window's close."""
    await jobs.resync(context, [class_id])


def register_buttons(app: BotApp) -> None:
    """The organisers' buttons; registered before the general button router. Also the typed
    answers to a new class's questions, only in chats where they are being asked."""
    app.add_handler(CallbackQueryHandler(button, pattern=BUTTONS))
    chats = filters.Chat(allow_empty=False)
    _DRAFT_CHATS[app.bot_data] = chats
    typed = filters.TEXT & ~filters.COMMAND & filters.ChatType.PRIVATE & chats
    app.add_handler(MessageHandler(typed, new_class_text))


PRIVATE_ONLY = (
    "versions",
    "rollback",
    "members",
    "promote",
    "demote",
    "remove",
    "audit",
    "invite",
    "broadcast",
    "report",
)
"""Commands that show members, invite links or the audit trail, or change roles or versions:
answered only in a private chat, so a class group never sees them."""


async def private_only(update: Update, context: BotContext) -> None:
    """An organiser command used in a group: point to the private chat, show nothing."""
    await send(update, context, Reply.text(_("Please use this command in a private chat with me.")))


def register(app: BotApp) -> None:
    private = filters.ChatType.PRIVATE
    for name, callback in (
        ("upload", upload),
        ("newclass", newclass),
        ("versions", versions),
        ("rollback", rollback),
        ("export", export),
        ("template", template),
        ("members", members),
        ("promote", promote),
        ("demote", demote),
        ("remove", remove),
        ("audit", audit),
        ("invite", invite),
    ):
        app.add_handler(
            CommandHandler(name, callback, filters=private if name in PRIVATE_ONLY else None)
        )
    app.add_handler(CommandHandler(list(PRIVATE_ONLY), private_only, filters=~private))
    # Group 1: documents, after group 0 (which never handles them), so the announcement
    # and upload flows do not compete; the handler acts only after /upload or /newclass.
    app.add_handler(
        MessageHandler(filters.Document.ALL & filters.ChatType.PRIVATE, document), group=1
    )
