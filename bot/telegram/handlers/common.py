"""Everyone's commands: joining (/start), /lang, /class, /help, /myclass, /linkgroup, buttons.

Handlers are thin: read the update, call a service, send what it returns
through :mod:`bot.telegram.render`. :func:`send` and :func:`current_class`
are shared with the other handler modules.
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import BotCommand, BotCommandScopeChat, Update
from telegram.constants import ChatType
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot import actions
from bot.actions import ActionContext
from bot.agenda import assistant
from bot.domain import LANGS, Channel, Role, TrainingClass
from bot.i18n import N_, _
from bot.people import groups, invites, preferences
from bot.people.permissions import ROLE_NAMES, Forbidden, role_in
from bot.pocket import roster as pocket_roster
from bot.replies import Reply
from bot.store import classes
from bot.telegram.context import BotApp, BotContext
from bot.telegram.render import edit_reply, send_reply

_INVITE_PROBLEMS: dict[invites.InviteProblem, str] = {
    invites.InviteProblem.UNKNOWN: N_(
        "This invitation code is not valid. Please check the link with your class manager."
    ),
    invites.InviteProblem.USED_UP: N_(
        "This invitation link has already been used the maximum number of times. "
        "Please ask your class manager for a new link."
    ),
    invites.InviteProblem.EXPIRED: N_(
        "This invitation link has expired. Please ask your class manager for a new link."
    ),
    invites.InviteProblem.REVOKED: N_(
        "This invitation link has been withdrawn. Please ask your class manager for a new link."
    ),
    invites.InviteProblem.REMOVED: N_(
        "You were removed from this class, so this invitation no longer admits you. "
        "Please ask the class managers if you should rejoin."
    ),
}


def not_joined(context: BotContext | None = None) -> Reply:
    """What a stranger who has not joined a class is told (in a group: how to link it)."""
    if context is not None and context.in_group:
        return Reply.text(
            _(
                "This group is not linked to a class yet. A class manager can link it "
                "by writing /linkgroup here."
            )
        )
    return Reply.text(
        _(
            "You have not joined a class yet. Please open the invitation link "
            "your class manager sent you."
        )
    )


def refused() -> Reply:
    return Reply.text(_("Sorry, only the class managers can do that."))


def role_of(found: tuple[TrainingClass, Role | None] | None) -> Role:
    """The role to answer for (someone reading a linked group without joining: a trainee)."""
    return found[1] if found and found[1] is not None else Role.TRAINEE


async def send(update: Update, context: BotContext, replies: Reply | Sequence[Reply]) -> None:
    """Send replies to the chat the update came from (in a group, as a reply to the message)."""
    chat = update.effective_chat
    if chat is None:
        return
    message = update.effective_message
    reply_to = message.message_id if message and chat.type != ChatType.PRIVATE else None
    for reply in [replies] if isinstance(replies, Reply) else replies:
        await send_reply(context.bot, chat.id, reply, reply_to=reply_to)


async def current_class(context: BotContext) -> tuple[TrainingClass, Role | None] | None:
    """The class this update is about: the group's linked class, else the person's active one."""
    db = context.store
    person = context.person
    if context.group_class_id is not None:
        cls = await classes.get_class(db, context.group_class_id)
        if cls is None:
            return None
        role = await role_in(db, person, cls.id) if person else None
        return cls, role
    if person is None or context.in_group:
        return None
    return await preferences.active_class(db, person, context.now())


async def target_class(context: BotContext) -> TrainingClass | None:
    """The class a command is about: named by its first argument (a class code), else the
    class of the group it was written in, else the person's active class."""
    if context.args:
        named = await classes.get_class_by_code(context.store, context.args[0])
        if named is not None:
            context.args = context.args[1:]
            return named
    found = await current_class(context)
    return found[0] if found else None


async def start(update: Update, context: BotContext) -> None:
    """/start [code]: join with an invitation code; on first contact, ask the language."""
    person = context.person
    if person is None:
        return
    code = context.args[0] if context.args else ""
    replies: list[Reply] = []
    if code:
        try:
            joined = await invites.redeem(context.store, code, person, now=context.now())
        except invites.InviteRejected as exc:
            replies.append(Reply.text(_(_INVITE_PROBLEMS[exc.problem])))
        else:
            await pocket_roster.claim(context.store, code, person)  # a roster row's own link
            role = _(ROLE_NAMES[joined.role])
            name = joined.cls.title(context.lang)
            if joined.already_member:
                text = _("You are already a member of {name}. Your role: {role}.")
            else:
                text = _("Welcome! You have joined {name}. Your role: {role}.")
            replies.append(Reply.text(text.format(name=name, role=role)))
            await refresh_menu(update, context, joined.role, context.lang)
    if person.lang is None:
        replies.append(preferences.language_picker(context.lang))
    else:
        found = await current_class(context)
        replies.append(assistant.help_reply(role_of(found), context.lang))
        if found is None and not code:
            replies.append(not_joined(context))
    await send(update, context, replies)


async def lang(update: Update, context: BotContext) -> None:
    """/lang: the language picker, the current language ticked."""
    await send(update, context, preferences.language_picker(context.lang))


async def choose_class(update: Update, context: BotContext) -> None:
    """/class: a member of several classes picks the one they ask about."""
    person = context.person
    if person is None:
        return
    mine = await preferences.member_classes(context.store, person)
    if not mine:
        await send(update, context, not_joined(context))
        return
    active = await preferences.active_class(context.store, person)
    active_id = active[0].id if active else None
    if len(mine) == 1:
        text = _("You are a member of one class: {name}").format(
            name=mine[0][0].title(context.lang)
        )
        await send(update, context, Reply.text(text))
        return
    await send(update, context, preferences.class_picker(mine, active_id, context.lang))


async def help_command(update: Update, context: BotContext) -> None:
    """/help: what this person can do, by their role in the class."""
    found = await current_class(context)
    await send(update, context, assistant.help_reply(role_of(found), context.lang))


async def myclass(update: Update, context: BotContext) -> None:
    """/myclass: the class's name, dates, venue and the person's role."""
    found = await current_class(context)
    if found is None:
        await send(update, context, not_joined(context))
        return
    await send(update, context, assistant.myclass_reply(found[0], role_of(found), context.lang))


async def linkgroup(update: Update, context: BotContext) -> None:
    """/linkgroup [CLASS]: a class manager links this group chat to the class."""
    person, chat = context.person, update.effective_chat
    if person is None or chat is None:
        return
    if chat.type == ChatType.PRIVATE:
        await send(update, context, Reply.text(_("Please use /linkgroup inside the group chat.")))
        return
    db = context.store
    if context.args:
        cls = await classes.get_class_by_code(db, context.args[0])
    else:
        found = await preferences.active_class(db, person)
        cls = found[0] if found else None
    if cls is None:
        text = _("Which class? Write /linkgroup followed by the class code.")
        await send(update, context, Reply.text(text))
        return
    try:
        await groups.link(
            db, person, cls.id, channel=Channel.TELEGRAM, chat_id=str(chat.id), now=context.now()
        )
    except Forbidden:
        await send(update, context, refused())
        return
    context.group_class_id = cls.id
    text = _(
        "This group is now linked to {name}. Members can ask me here by mentioning me "
        "or replying to my messages."
    ).format(name=cls.title(context.lang))
    await send(update, context, Reply.text(text))


async def button(update: Update, context: BotContext) -> None:
    """A tap on an inline button: route its action; edit in place or answer anew."""
    query = update.callback_query
    person = context.person
    if query is None or person is None:
        return
    ctx = ActionContext(
        db=context.store,
        person=person,
        lang=context.lang,
        now=context.now(),
        channel=Channel.TELEGRAM,
        group_class_id=context.group_class_id,
        private=not context.in_group,
    )
    result = await actions.dispatch(ctx, query.data or "")
    await query.answer(result.toast, show_alert=result.alert)
    replies = list(result.replies)
    message = query.message
    if result.replace and replies and message is not None:
        await edit_reply(context.bot, message.chat.id, message.message_id, replies.pop(0))
    if replies:
        await send(update, context, replies)
    chosen = (query.data or "").removeprefix("lang:")
    if query.data and query.data.startswith("lang:") and chosen in LANGS:
        found = await current_class(context)
        await refresh_menu(update, context, role_of(found), chosen)


async def refresh_menu(update: Update, context: BotContext, role: Role, lang: str) -> None:
    """Give a manager or organiser their own command menu in their private chat, in ``lang``.

    Trainees keep the default menu registered at start-up for every language.
    """
    chat = update.effective_chat
    if role is Role.TRAINEE or chat is None or chat.type != ChatType.PRIVATE:
        return
    commands = [BotCommand(name, text) for name, text in assistant.commands_for(role, lang)]
    await context.bot.set_my_commands(commands, scope=BotCommandScopeChat(chat.id))


def register(app: BotApp) -> None:
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CommandHandler(["lang", "language"], lang))
    app.add_handler(CommandHandler("class", choose_class))
    app.add_handler(CommandHandler("help", help_command))
    app.add_handler(CommandHandler("myclass", myclass))
    app.add_handler(CommandHandler("linkgroup", linkgroup))
    app.add_handler(CallbackQueryHandler(button))
