"""Group -1: record who wrote and choose the language for the rest of the update."""

from __future__ import annotations

from typing import TYPE_CHECKING

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import TypeHandler

from bot import groups
from bot.domain import Channel
from bot.i18n import resolve_lang, set_lang
from bot.store import classes, people

if TYPE_CHECKING:
    from bot.app import BotApp, BotContext


async def identify(update: Update, context: BotContext) -> None:
    """Upsert the sender (ADMIN_IDS are admins), find a linked group's class, set the language."""
    user = update.effective_user
    if user is None or user.is_bot:
        return
    db = context.store
    person, _identity, created = await people.upsert_identity(
        db,
        channel=Channel.TELEGRAM,
        external_id=str(user.id),
        chat_id=str(user.id),
        display_name=user.full_name,
        language_code=user.language_code,
        username=user.username or "",
        now=context.now(),
        is_admin=user.id in context.settings.admin_ids,
    )
    chat = update.effective_chat
    class_default: str | None = None
    if chat is not None and chat.type != ChatType.PRIVATE:
        context.in_group = True
        linked = await groups.linked_class(db, Channel.TELEGRAM, str(chat.id))
        if linked is not None:
            context.group_class_id = linked.id
            class_default = linked.default_lang
    elif person.active_class_id is not None:
        active = await classes.get_class(db, person.active_class_id)
        class_default = active.default_lang if active else None
    lang = resolve_lang(person.lang, user.language_code, class_default)
    set_lang(lang)
    context.person = person
    context.lang = lang
    context.first_contact = created


def register(app: BotApp) -> None:
    app.add_handler(TypeHandler(Update, identify), group=-1)
