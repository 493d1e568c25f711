"""Sending replies on Zalo: the outbox's :class:`~bot.outbox.sender.Sender` and direct answers.

A reply is rendered as plain text (see :mod:`bot.zalo.render`), sent as one
or more messages ("parts": a photo, then texts under 2,000 characters; the
outbox resumes after the parts a failed attempt delivered), and its numbered
choices are remembered for the chat so that a later "1" means the first button.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Awaitable, Callable

from bot.clock import Clock
from bot.domain import Channel, Person
from bot.i18n import current_lang, resolve_lang, use_lang
from bot.outbox.sender import DeliveryError, PartlySent
from bot.outbox.worker import Limits
from bot.replies import Reply
from bot.store import choices, classes, people
from bot.store.database import Database
from bot.zalo.client import ZaloClient
from bot.zalo.render import Rendered, render

log = logging.getLogger(__name__)

ZALO_LIMITS = Limits(per_second=10.0, chat_interval=1.0, group_per_minute=20.0)
"""Zalo publishes no rates for bots; stay well under Telegram's (the worker backs off on 429)."""


Part = Callable[[], Awaitable[str]]
"""One Zalo message of a reply, ready to send; returns the message id."""


def reply_parts(client: ZaloClient, chat_id: str, rendered: Rendered) -> list[Part]:
    """The messages a rendered reply goes out as, in order: the photo, then the texts."""
    parts: list[Part] = []
    texts = rendered.texts
    if rendered.photo_url is not None:
        caption = texts[0] if len(texts) == 1 else ""
        parts.append(functools.partial(client.send_photo, chat_id, rendered.photo_url, caption))
        texts = texts[1:] if caption else texts
    parts.extend(functools.partial(client.send_message, chat_id, text) for text in texts)
    return parts


async def send_reply(
    client: ZaloClient,
    db: Database,
    chat_id: str,
    reply: Reply,
    lang: str,
    now: dt.datetime,
    *,
    skip: int = 0,
) -> str:
    """Render ``reply`` in ``lang`` and send it but its first ``skip`` parts; the last message id.

    Raises the :mod:`bot.outbox.sender` delivery errors of the client, as
    :class:`~bot.outbox.sender.PartlySent` when a part fails after others went out
    in this call. Once the last part is out, a reply's buttons replace the
    chat's pending numbered choices.
    """
    with use_lang(lang):
        rendered = render(reply)
    last = ""
    done = skip
    for part in reply_parts(client, chat_id, rendered)[skip:]:
        try:
            last = await part()
        except DeliveryError as exc:
            if done > skip:
                raise PartlySent(done, exc) from exc
            raise
        done += 1
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

    async def probe(self) -> None:
        """A cheap call that raises unless the Zalo API answers (``getMe``)."""
        await self.client.get_me()

    async def send(self, chat_id: str, reply: Reply, *, skip: int = 0) -> str:
        """Send ``reply`` from part ``skip`` on; the id of the last message sent."""
        lang = await self._lang_of(chat_id)
        return await send_reply(
            self.client, self.db, chat_id, reply, lang, self.clock.now(), skip=skip
        )

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
