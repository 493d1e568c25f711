"""Group -1: record who wrote and choose the language for the rest of the update.

It is also the gate every update passes first: an edited message never runs a
command again (nothing handles it), and button data that is not one the bot
emits (:func:`bot.buttons.parse`) is answered "no longer active" to the tapper
alone and goes no further; the parsed data is ``context.button``.
"""

from __future__ import annotations

import datetime as dt

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop, TypeHandler

from bot import buttons
from bot.domain import Channel
from bot.i18n import _, resolve_lang, set_lang
from bot.people import groups
from bot.store import people, senders
from bot.telegram.context import BotApp, BotContext

REFRESH = dt.timedelta(minutes=1)
"""How long an unchanged identity goes without rewriting its last-seen time and reachability."""


async def identify(update: Update, context: BotContext) -> None:
    """Upsert the sender (ADMIN_IDS are admins), find a linked group's class, set the language.

    The upsert is a write transaction; for someone who wrote less than :data:`REFRESH`
    ago with the same name, username and language code it is skipped and the person is
    read in one query instead (this runs for every update), unless a channel has since
    marked the identity unreachable: writing to us again revives it at once.
    """
    if update.edited_message is not None or update.edited_channel_post is not None:
        raise ApplicationHandlerStop  # an edit never re-runs a command or a question
    user = update.effective_user
    if user is None or user.is_bot:
        return
    db = context.store
    now = context.now()
    is_admin = user.id in context.settings.admin_ids
    fingerprint = (user.full_name, user.username or "", user.language_code or "", is_admin)
    seen = context.bot_data.seen
    last = seen.get(user.id)
    found = None
    if last is not None and last[0] == fingerprint and now - last[1] < REFRESH:
        found = await senders.sender(db, Channel.TELEGRAM, str(user.id), now)
    created = False
    if found is None or not found.reachable:
        _person, _identity, created = await people.upsert_identity(
            db,
            channel=Channel.TELEGRAM,
            external_id=str(user.id),
            chat_id=str(user.id),
            display_name=user.full_name,
            language_code=user.language_code,
            username=user.username or "",
            now=now,
            is_admin=is_admin,
        )
        seen[user.id] = (fingerprint, now)
        found = await senders.sender(db, Channel.TELEGRAM, str(user.id))
        assert found is not None
    person = found.person
    chat = update.effective_chat
    class_default = found.class_lang
    if chat is not None and chat.type != ChatType.PRIVATE:
        context.in_group = True
        linked = await groups.linked_class(db, Channel.TELEGRAM, str(chat.id))
        if linked is not None:
            context.group_class_id = linked.id
            class_default = linked.default_lang
    lang = resolve_lang(person.lang, user.language_code, class_default)
    set_lang(lang)
    context.person = person
    context.lang = lang
    context.first_contact = created
    query = update.callback_query
    if query is not None:
        context.button = buttons.parse(query.data)
        if context.button is None:
            await query.answer(_("This button is no longer active."))
            raise ApplicationHandlerStop


def register(app: BotApp) -> None:
    app.add_handler(TypeHandler(Update, identify), group=-1)
