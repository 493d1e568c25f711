"""Answering a pocket question (card, contacts, materials, roster, picture) on any channel.

Every channel calls :func:`answer` with the message's text before the agenda's
parser; ``None`` means the text is not a pocket question. Personal data is
given only in a private chat (``private``): in a group the card and the roster
point to the private chat instead.
"""

from __future__ import annotations

import datetime as dt

from bot.agenda import assistant, contacts
from bot.agenda.phrases import normalize
from bot.domain import Channel, Person, Role, TrainingClass
from bot.i18n import _, use_lang
from bot.people import permissions
from bot.people.permissions import MANAGERS, Forbidden
from bot.pocket import materials, roster, week
from bot.pocket.words import Ask, PocketIntent, parse
from bot.replies import Reply
from bot.store.database import Database


async def understand(db: Database, cls: TrainingClass, text: str) -> PocketIntent | None:
    """The pocket request in ``text``, unless its keyword is one of the schedule's own words.

    "ຫົວຂໍ້ການຮ່າງເອກະສານ" names topic 10 (whose title has ເອກະສານ, documents) and "tự
    nghiên cứu tài liệu lúc nào" a self-study session: a keyword found only inside a phrase
    the message shares with the class's schedule is left to the agenda's parser.
    """
    intent = parse(text)
    if intent is None or text.lstrip().startswith("/"):
        return intent
    index = await assistant.schedule_index(db, cls)
    if index is None:
        return intent
    if parse(index.mask_shared(normalize(text))) is None:
        return None
    return intent


async def answer(
    db: Database,
    person: Person,
    found: tuple[TrainingClass, Role | None] | None,
    text: str,
    *,
    lang: str,
    now: dt.datetime,
    channel: Channel,
    private: bool = True,
    bot_username: str = "",
) -> list[Reply] | None:
    """The replies to a pocket question in ``text``; None if it is not one (or no class)."""
    if found is None:
        return None
    cls, role = found
    intent = await understand(db, cls, text)
    if intent is None:
        return None
    try:
        return await _answer(
            db,
            person,
            cls,
            role,
            intent,
            lang=lang,
            now=now,
            channel=channel,
            private=private,
            bot_username=bot_username,
        )
    except Forbidden:
        with use_lang(lang):
            return [Reply.text(_("Sorry, only the class managers can do that."))]


async def _answer(
    db: Database,
    person: Person,
    cls: TrainingClass,
    role: Role | None,
    intent: PocketIntent,
    *,
    lang: str,
    now: dt.datetime,
    channel: Channel,
    private: bool,
    bot_username: str,
) -> list[Reply]:
    match intent.ask:
        case Ask.CARD:
            reply = await roster.card_reply(
                db, person, cls, lang, focus=intent.focus, private=private
            )
            return [reply]
        case Ask.CONTACTS:
            return [await contacts.contacts_reply(db, cls, lang)]
        case Ask.MATERIALS:
            return await materials.materials_reply(
                db, cls, intent.number, lang=lang, channel=channel
            )
        case Ask.PICTURE:
            today = cls.local_now(now).date()
            monday = today - dt.timedelta(days=today.weekday())
            if not cls.first_day <= today <= cls.last_day:
                monday = cls.first_day - dt.timedelta(days=cls.first_day.weekday())
            return await week.picture_reply(db, cls, monday, lang)
        case Ask.ROSTER:
            if not private:
                with use_lang(lang):
                    return [Reply.text(_("Please use this command in a private chat with me."))]
            if permissions.effective_role(person, role) not in MANAGERS:
                return [await roster.card_reply(db, person, cls, lang)]
            if intent.argument.lower() in ("links", "link", "invite", "invites"):
                return [
                    await roster.invite_links(
                        db, person, cls, now=now, lang=lang, bot_username=bot_username
                    )
                ]
            return [await roster.roster_reply(db, person, cls, lang)]
