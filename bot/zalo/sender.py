"""Sending replies on Zalo: the outbox's :class:`~bot.outbox.sender.Sender` and direct answers.

A reply is rendered as plain text (see :mod:`bot.zalo.render`), sent as one
or more messages ("parts": a photo, then texts under 2,000 UTF-16 units; the
outbox resumes after the parts a failed attempt delivered), and its numbered
choices are remembered for the chat so that a later "1" means the first button.

**Unreachable only on lasting evidence.** Zalo documents 403 as an error on its
side, so one 403 says nothing about the person. Each 403 to a chat is counted
(in the database); the chat is given up as unreachable only after at least
:data:`UNREACHABLE_AFTER` failed sends spread over at least
:data:`UNREACHABLE_SPAN` with no send getting through in between (a send that
goes through, or a message from the person, starts the count again). Before
that a 403 is a transient error: the outbox retries it with back-off.

**Never twice.** A send whose answer was lost
(:class:`~bot.zalo.client.DeliveryUncertain`) may be in the chat already: the
outbox records it as failed instead of resending, and a direct answer stops.

**Direct answers are retried** (:func:`answer`) after a 429 (as long as Zalo
asks, up to :data:`ANSWER_MAX_WAIT`), a 408, a 403 or a 5xx, a few times with
back-off, resuming after the parts already delivered.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import logging
from collections.abc import Awaitable, Callable

from bot.clock import Clock
from bot.domain import Channel, Person
from bot.i18n import current_lang, resolve_lang, use_lang
from bot.outbox.sender import (
    DeliveryError,
    PartlySent,
    Rejected,
    RetryAfter,
    TransientError,
    Unreachable,
)
from bot.outbox.worker import Limits
from bot.replies import Reply
from bot.store import choices, classes, people
from bot.store import zalo as zalo_store
from bot.store.database import Database
from bot.zalo import pictures
from bot.zalo.client import DeliveryUncertain, PlatformError, ZaloClient
from bot.zalo.render import Rendered, render

log = logging.getLogger(__name__)

ZALO_LIMITS = Limits(per_second=10.0, chat_interval=1.0, group_per_minute=20.0)
"""Zalo publishes no rates for bots; stay well under Telegram's (the worker backs off on 429)."""


UNREACHABLE_AFTER = 5
"""Failed sends (403) to a chat, with none going through in between, before it is given up…"""
UNREACHABLE_SPAN = dt.timedelta(hours=24)
"""…and only when the first and the last of them are at least this far apart."""

ANSWER_BACKOFF = (1.0, 2.0, 4.0, 8.0)
"""Seconds before each new attempt at a direct answer after a 408, 403, 5xx or network error."""
ANSWER_MAX_WAIT = 30.0
"""A direct answer waits at most this long for one flood limit (429) before it gives up."""

Sleep = Callable[[float], Awaitable[None]]

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
    reply = pictures.as_link(reply)
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

    async def send(self, chat_id: str, reply: Reply, *, skip: int = 0) -> str:
        """Send ``reply`` from part ``skip`` on; the id of the last message sent."""
        lang = await self._lang_of(chat_id)
        try:
            sent = await send_reply(
                self.client, self.db, chat_id, reply, lang, self.clock.now(), skip=skip
            )
        except PartlySent as exc:
            raise PartlySent(exc.done, await self._judge(chat_id, exc.cause)) from exc
        except DeliveryError as exc:
            raise await self._judge(chat_id, exc) from exc
        await zalo_store.clear_failures(self.db, chat_id)
        return sent

    async def _judge(self, chat_id: str, exc: DeliveryError) -> DeliveryError:
        """What the outbox should make of a failed send (see the module docstring)."""
        if isinstance(exc, DeliveryUncertain):
            return Rejected(f"{exc} (not resent, so that nobody gets it twice)")
        if isinstance(exc, PlatformError) and exc.code == 403:
            tally = await zalo_store.record_failure(self.db, chat_id, str(exc), self.clock.now())
            span = tally.last_failed_at - tally.first_failed_at
            if tally.failures >= UNREACHABLE_AFTER and span >= UNREACHABLE_SPAN:
                hours = span.total_seconds() / 3600
                return Unreachable(f"{exc} ({tally.failures} failed sends over {hours:.0f} h)")
        return exc

    async def _lang_of(self, chat_id: str) -> str:
        """The recipient's language (a Zalo private chat's id is the user's id)."""
        identity = await people.find_identity(self.db, Channel.ZALO, chat_id)
        person = await people.get_person(self.db, identity.person_id) if identity else None
        return await person_lang(self.db, person) if person is not None else current_lang()


async def answer(
    client: ZaloClient,
    db: Database,
    chat_id: str,
    reply: Reply,
    lang: str,
    now: dt.datetime,
    *,
    sleep: Sleep = asyncio.sleep,
) -> bool:
    """Send a direct answer, retrying what Zalo proved undelivered; True once it is all out.

    Retried: a flood limit (429, after the time Zalo asks, up to :data:`ANSWER_MAX_WAIT`),
    and 408 / 403 / 5xx / a failed connection (after :data:`ANSWER_BACKOFF`). Parts
    already delivered are not sent again. Not retried: a refused message (400) and a send
    whose answer was lost (it may be in the chat).
    """
    done = 0
    for attempt in range(len(ANSWER_BACKOFF) + 1):
        try:
            await send_reply(client, db, chat_id, reply, lang, now, skip=done)
            return True
        except PartlySent as exc:
            done, cause = exc.done, exc.cause
        except DeliveryError as exc:
            cause = exc
        if isinstance(cause, DeliveryUncertain) or not isinstance(
            cause, (RetryAfter, TransientError)
        ):
            log.warning("event=zalo_answer_failed error=%s retried=no", cause)
            return False
        if attempt == len(ANSWER_BACKOFF):
            break
        wait = cause.seconds if isinstance(cause, RetryAfter) else ANSWER_BACKOFF[attempt]
        if wait > ANSWER_MAX_WAIT:
            break
        log.info("event=zalo_answer_retry error=%s wait=%.1fs", cause, wait)
        await sleep(wait)
    log.warning("event=zalo_answer_failed chat=%s retried=gave_up", chat_id[-4:])
    return False


async def person_lang(db: Database, person: Person) -> str:
    """Their chosen language, else their active class's, else the default."""
    default = None
    if person.active_class_id is not None:
        cls = await classes.get_class(db, person.active_class_id)
        default = cls.default_lang if cls else None
    return resolve_lang(person.lang, None, default)
