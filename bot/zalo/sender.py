"""Sending replies on Zalo: the delivery worker's :class:`~bot.channels.Sender` and direct answers.

A reply is rendered as plain text (see :mod:`bot.zalo.render`), sent as one
or more messages, and its numbered choices are remembered for the chat so
that a later "1" means the first button.
"""

from __future__ import annotations

import datetime as dt
import logging

from bot.clock import Clock
from bot.delivery import Limits
from bot.domain import Channel, Person
from bot.i18n import current_lang, resolve_lang, use_lang
from bot.replies import Reply
from bot.store import choices, classes, people
from bot.store.database import Database
from bot.zalo.client import ZaloClient
from bot.zalo.render import render

log = logging.getLogger(__name__)

ZALO_LIMITS = Limits(per_second=10.0, chat_interval=1.0, group_per_minute=20.0)
"""Zalo publishes no rates for bots; stay well under Telegram's (the worker backs off on 429)."""


async def send_reply(
    client: ZaloClient, db: Database, chat_id: str, reply: Reply, lang: str, now: dt.datetime
) -> str:
    """Render ``reply`` in ``lang`` and send it; returns the id of the last message sent.

    Raises the :mod:`bot.channels` delivery errors of the client. If a reply
    has buttons, its actions replace the chat's pending numbered choices.
    """
    with use_lang(lang):
        rendered = render(reply)
    last = ""
    if rendered.photo_url is not None:
        caption = rendered.texts[0] if len(rendered.texts) == 1 else ""
        last = await client.send_photo(chat_id, rendered.photo_url, caption)
        texts = rendered.texts[1:] if caption else rendered.texts
    else:
        texts = rendered.texts
    for text in texts:
        last = await client.send_message(chat_id, text)
    if rendered.choices:
        await choices.remember(db, Channel.ZALO, chat_id, rendered.choices, now)
    return last


class ZaloSender:
    """Delivers outbox messages on Zalo, in the recipient's language."""

    def __init__(self, client: ZaloClient, db: Database, clock: Clock) -> None:
        self.client = client
        self.db = db
        self.clock = clock

    @property
    def channel(self) -> Channel:
        return Channel.ZALO

    async def send(self, chat_id: str, reply: Reply) -> str:
        lang = await self._lang_of(chat_id)
        return await send_reply(self.client, self.db, chat_id, reply, lang, self.clock.now())

    async def _lang_of(self, chat_id: str) -> str:
        """The recipient's language (a Zalo private chat's id is the user's id)."""
        identity = await people.find_identity(self.db, Channel.ZALO, chat_id)
        person = await people.get_person(self.db, identity.person_id) if identity else None
        return await person_lang(self.db, person) if person is not None else current_lang()


async def person_lang(db: Database, person: Person) -> str:
    """Their chosen language, else their active class's, else the default."""
    default = None
    if person.active_class_id is not None:
        cls = await classes.get_class(db, person.active_class_id)
        default = cls.default_lang if cls else None
    return resolve_lang(person.lang, None, default)
