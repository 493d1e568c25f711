"""A class manager's /broadcast on Zalo, as numbered choices: the same steps as on Telegram.

The text (or ``/broadcast TEXT``), an optional version in another language, the
audience, "ask to confirm receipt" on or off, a preview, then Send or Cancel.
Zalo has no buttons, so each question is a numbered list (actions ``bcast:…``)
and typed text answers the "please write" steps. The draft lives in the
database (:mod:`bot.store.zalo`), so a restart in the middle loses nothing; a
draft left for :data:`TIMEOUT` seconds is dropped and the next answer says
nothing was sent. The announcement itself is made by
:func:`bot.announcements.publish.create`, which checks the sender's role.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.announcements import compose
from bot.announcements import publish as announcements
from bot.announcements.publish import Audience, Draft, EmptyAnnouncement
from bot.domain import LANGS, Channel, localized
from bot.i18n import LANG_NAMES, _, ngettext
from bot.people import preferences
from bot.people.permissions import Forbidden
from bot.replies import Reply
from bot.store import choices
from bot.store import zalo as store
from bot.zalo.turn import Turn

PREFIX = "bcast:"
TIMEOUT = 600
"""Seconds of silence after which a draft is dropped (nothing is sent), as on Telegram."""

CLASS, TEXT, SECOND, SECOND_TEXT, AUDIENCE, PREVIEW = (
    "class",
    "text",
    "second",
    "second_text",
    "audience",
    "preview",
)
TYPING_STEPS = (TEXT, SECOND_TEXT)
"""Steps where the manager's next message is the announcement's text."""


def refused() -> Reply:
    return Reply.text(_("Sorry, only the class managers can do that."))


def timed_out() -> Reply:
    return Reply.text(
        _(
            "The announcement was not sent: there was no answer for 10 minutes. "
            "Start again with /broadcast."
        )
    )


async def _save(turn: Turn, step: str, data: dict[str, Any]) -> None:
    await store.save_draft(turn.db, turn.chat_id, turn.person.id, step, data, turn.now)


async def start(turn: Turn, text: str) -> list[Reply]:
    """``/broadcast [text]``: pick the class, take the text (or ask for it)."""
    await store.drop_draft(turn.db, turn.chat_id)
    data: dict[str, Any] = {"body": {}, "audience": Audience.CLASS.value, "ack": True}
    if text.strip():
        data["body"][turn.lang] = text.strip()
    found = await preferences.active_class(turn.db, turn.person)
    chosen = await compose.class_for(turn.db, turn.person, found, turn.lang)
    if chosen is None:
        return [refused()]
    if isinstance(chosen, Reply):  # several classes: which one?
        await _save(turn, CLASS, data)
        return [chosen]
    data["class_id"] = chosen
    return await _next_step(turn, data)


async def _next_step(turn: Turn, data: dict[str, Any]) -> list[Reply]:
    if not data["body"]:
        await _save(turn, TEXT, data)
        await choices.forget(turn.db, Channel.ZALO, turn.chat_id)
        return [Reply.text(_("Please write the announcement."))]
    offer = compose.language_offer(data["body"])
    if offer is not None:
        await _save(turn, SECOND, data)
        return [offer]
    return await _ask_audience(turn, data)


async def _ask_audience(turn: Turn, data: dict[str, Any]) -> list[Reply]:
    await _save(turn, AUDIENCE, data)
    return [compose.audience_question()]


async def _preview(turn: Turn, data: dict[str, Any]) -> list[Reply]:
    shown = await compose.preview(
        turn.db,
        turn.person,
        int(data["class_id"]),
        Audience(data["audience"]),
        data["body"],
        ack=bool(data["ack"]),
        media=None,  # the Zalo bot receives no files
        lang=turn.lang,
    )
    if shown is None:  # no longer a manager of the class: nothing more of this draft
        await store.drop_draft(turn.db, turn.chat_id)
        await choices.forget(turn.db, Channel.ZALO, turn.chat_id)
        return [refused()]
    await _save(turn, PREVIEW, data)
    return [shown]


async def pending(turn: Turn) -> store.Draft | None:
    """This chat's draft, if it is still alive; a stale one is dropped (None)."""
    draft = await store.get_draft(turn.db, turn.chat_id)
    if draft is None:
        return None
    if draft.person_id != turn.person.id or _stale(draft, turn.now):
        await store.drop_draft(turn.db, turn.chat_id)
        return None
    return draft


def _stale(draft: store.Draft, now: dt.datetime) -> bool:
    return now - draft.updated_at > dt.timedelta(seconds=TIMEOUT)


async def expire_stale(turn: Turn) -> list[Reply]:
    """Drop this chat's draft if it waited too long, and say so (nothing was sent)."""
    draft = await store.get_draft(turn.db, turn.chat_id)
    if draft is None or not _stale(draft, turn.now):
        return []
    await store.drop_draft(turn.db, turn.chat_id)
    await choices.forget(turn.db, Channel.ZALO, turn.chat_id)
    return [timed_out()]


async def typed(turn: Turn, text: str) -> list[Reply] | None:
    """The manager's text when the draft is waiting for it; None when it is not."""
    draft = await store.get_draft(turn.db, turn.chat_id)
    if draft is None or draft.step not in TYPING_STEPS or draft.person_id != turn.person.id:
        return None
    data = draft.data
    if draft.step == TEXT:
        data["body"][turn.lang] = text.strip()
        return await _next_step(turn, data)
    data["body"][data.pop("second", turn.lang)] = text.strip()
    return await _ask_audience(turn, data)


async def pick(turn: Turn, action: str) -> list[Reply]:
    """A numbered choice of the broadcast (``bcast:…`` without the prefix)."""
    draft = await store.get_draft(turn.db, turn.chat_id)
    if draft is None or draft.person_id != turn.person.id:
        return [Reply.text(_("This choice is no longer available. Start again with /broadcast."))]
    if _stale(draft, turn.now):
        await store.drop_draft(turn.db, turn.chat_id)
        return [timed_out()]
    data = draft.data
    what, _sep, value = action.partition(":")
    if what == "class" and value.isdigit():
        data["class_id"] = int(value)
        return await _next_step(turn, data)
    if what == "lang":
        if value not in LANGS:
            return await _ask_audience(turn, data)
        data["second"] = value
        await _save(turn, SECOND_TEXT, data)
        await choices.forget(turn.db, Channel.ZALO, turn.chat_id)
        prompt = _("Please write the version in {language}.").format(language=LANG_NAMES[value])
        return [Reply.text(prompt)]
    if what == "aud" and value in {a.value for a in Audience}:
        data["audience"] = value
        return await _preview(turn, data)
    if what == "ack":
        data["ack"] = not data["ack"]
        return await _preview(turn, data)
    if what == "cancel":
        return await cancel(turn)
    if what == "send" and draft.step == PREVIEW:
        return await _send(turn, data)
    return [Reply.text(_("This choice is no longer available. Start again with /broadcast."))]


async def _send(turn: Turn, data: dict[str, Any]) -> list[Reply]:
    await store.drop_draft(turn.db, turn.chat_id)
    new = Draft(
        class_id=int(data["class_id"]),
        body=localized(data["body"]),
        audience=Audience(data["audience"]),
        needs_ack=bool(data["ack"]),
    )
    try:
        delay = dt.timedelta(minutes=turn.settings.ack_reminder_minutes)
        _ann, queued = await announcements.create(
            turn.db,
            turn.person,
            new,
            turn.now,
            ack_delay=delay,
            per_hour=turn.settings.announcements_per_hour,
        )
    except Forbidden:
        return [refused()]
    except announcements.TooMany as exc:
        return [announcements.too_many_reply(exc, turn.lang)]
    except announcements.NoRecipients:
        return [announcements.no_recipients_reply(turn.lang)]
    except EmptyAnnouncement:
        return [Reply.text(_("Please write the announcement."))]
    done = ngettext(
        "Sent to {n} person. They will receive it in a few seconds; /report shows who "
        "received and confirmed it.",
        "Sent to {n} people. They will receive it in a few seconds; /report shows who "
        "received and confirmed it.",
        queued,
    ).format(n=queued)
    return [Reply.text(done)]


async def cancel(turn: Turn) -> list[Reply]:
    await store.drop_draft(turn.db, turn.chat_id)
    await choices.forget(turn.db, Channel.ZALO, turn.chat_id)
    return [Reply.text(_("Cancelled. Nothing was sent."))]
