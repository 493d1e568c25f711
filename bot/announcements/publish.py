"""Announcements: a class manager's message to the class, through the outbox, with acknowledgements.

:func:`create` checks the sender's role, stores the announcement and queues
one outbox message per recipient (dedup key ``ann:<id>:<person>``), each
rendered in the recipient's language: the version in that language, else
every version one above the other. With ``needs_ack`` the message carries a
"Received" button (action ``ack:<id>``, handled in :mod:`bot.announcements.status`
with the follow-up and the reports). Announcements are sent at once: the
manager chose the moment, so recipients' quiet hours do not apply.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from bot.domain import LANGS, Localized, Person, Role, localized
from bot.i18n import N_, _, ngettext, use_lang
from bot.people import permissions
from bot.replies import Block, Button, Reply
from bot.store import announcements as store
from bot.store import audit, classes, outbox, people, sending_caps
from bot.store.classes import loc_from
from bot.store.database import Database, parse_utc

ACK_DELAY = dt.timedelta(minutes=30)
"""How long after an announcement non-confirmers get their one reminder."""
CAP_WINDOW = dt.timedelta(hours=1)
"""The window of the per-person cap (``ANNOUNCEMENTS_PER_HOUR``)."""


class TooMany(Exception):
    """The sender reached their cap of announcements per hour; ``wait`` says when it eases."""

    def __init__(self, cap: int, wait: dt.timedelta) -> None:
        super().__init__(f"cap of {cap} announcements per hour reached")
        self.cap = cap
        self.wait = wait


def too_many_reply(exc: TooMany, lang: str) -> Reply:
    """The clear answer past the cap."""
    with use_lang(lang):
        minutes = max(1, -(-int(exc.wait.total_seconds()) // 60))
        text = ngettext(
            "Not sent: you have sent {cap} announcements in the last hour, the most allowed. "
            "You can send the next one in {n} minute.",
            "Not sent: you have sent {cap} announcements in the last hour, the most allowed. "
            "You can send the next one in {n} minutes.",
            minutes,
        )
        return Reply.text(text.format(cap=exc.cap, n=minutes))


async def audience_size(db: Database, sender: Person, class_id: int, audience: Audience) -> int:
    """How many people an announcement would reach (for the preview); the sender must
    manage the class now, as for :func:`create` (raises ``Forbidden``)."""
    await permissions.require(db, sender, class_id, permissions.MANAGERS)
    members = await people.class_members(db, class_id, audience.roles)
    return sum(1 for m in members if m.person.id != sender.id)


async def check_cap(db: Database, sender: Person, now: dt.datetime, per_hour: int) -> None:
    """Raise :class:`TooMany` when ``sender`` already sent ``per_hour`` in the last hour."""
    if per_hour <= 0:
        return
    recent_sends = await sending_caps.announcements_since(db, sender.id, now - CAP_WINDOW)
    if len(recent_sends) >= per_hour:
        oldest = recent_sends[len(recent_sends) - per_hour]
        raise TooMany(per_hour, oldest + CAP_WINDOW - now)


class Audience(StrEnum):
    """Who an announcement goes to."""

    CLASS = "class"
    TRAINEES = "trainees"
    MANAGERS = "managers"

    @property
    def roles(self) -> tuple[Role, ...]:
        if self is Audience.TRAINEES:
            return (Role.TRAINEE,)
        if self is Audience.MANAGERS:
            return permissions.MANAGERS
        return permissions.EVERYONE

    def label(self) -> str:
        return _(_AUDIENCE_LABELS[self])


_AUDIENCE_LABELS = {
    Audience.CLASS: N_("Whole class"),
    Audience.TRAINEES: N_("Trainees only"),
    Audience.MANAGERS: N_("Class managers only"),
}


class EmptyAnnouncement(ValueError):
    """An announcement needs some text or a file."""


class NoRecipients(ValueError):
    """Nobody in the chosen audience would receive it (the sender is left out)."""


def no_recipients_reply(lang: str) -> Reply:
    """The answer to a Send that would reach nobody: nothing is stored or sent."""
    with use_lang(lang):
        return Reply.text(
            _(
                "Nobody would receive this announcement: apart from you, no one in this "
                "audience has joined the class yet. Nothing was sent."
            )
        )


@dataclass(frozen=True, slots=True)
class Draft:
    """What the manager composed, before it is sent."""

    class_id: int
    body: Localized
    audience: Audience = Audience.CLASS
    needs_ack: bool = False
    media: tuple[str, str] | None = None


@dataclass(frozen=True, slots=True)
class Announcement:
    """A stored announcement."""

    id: int
    class_id: int
    sender_person_id: int | None
    audience: Audience
    body: Localized
    needs_ack: bool
    created_at: dt.datetime
    media: tuple[str, str] | None = None
    ack_reminder_at: dt.datetime | None = None
    ack_reminded_at: dt.datetime | None = None


def message_key(announcement_id: int, person_id: int) -> str:
    return f"ann:{announcement_id}:{person_id}"


def body_blocks(body: Localized, lang: str) -> tuple[Block, ...]:
    """The recipient's language version, else every version one above the other."""
    if lang in body:
        return (Block(lines=tuple(body[lang].splitlines())),)
    return tuple(Block(lines=tuple(body[code].splitlines())) for code in LANGS if code in body)


def render(ann: Announcement, lang: str, class_title: str, sender_name: str) -> Reply:
    """The announcement as one recipient sees it, in ``lang``."""
    with use_lang(lang):
        head = Block(
            title=_("📢 Announcement: {cls}").format(cls=class_title),
            lines=(_("From {name}").format(name=sender_name),) if sender_name else (),
        )
        blocks = (head, *body_blocks(ann.body, lang))
        buttons: tuple[tuple[Button, ...], ...] = ()
        if ann.needs_ack:
            confirm = _("Please confirm with “Received” that you have read this.")
            blocks += (Block(lines=(confirm,)),)
            buttons = ((Button(_("✅ Received"), f"ack:{ann.id}"),),)
    return Reply(blocks=blocks, buttons=buttons, media=ann.media)


async def create(
    db: Database,
    sender: Person,
    draft: Draft,
    now: dt.datetime,
    *,
    ack_delay: dt.timedelta = ACK_DELAY,
    per_hour: int = 0,
) -> tuple[Announcement, int]:
    """Store and queue an announcement; returns it and how many recipients it was queued for.

    ``per_hour``: the sender's cap of announcements per hour (0: none); past it,
    :class:`TooMany` is raised and nothing is stored. An audience with nobody in it
    but the sender raises :class:`NoRecipients` (nothing stored either).
    """
    await permissions.require(db, sender, draft.class_id, permissions.MANAGERS)
    await check_cap(db, sender, now, per_hour)
    body = localized(draft.body)
    if not body and draft.media is None:
        raise EmptyAnnouncement
    cls = await classes.get_class(db, draft.class_id)
    assert cls is not None  # require() found a role in it
    members = [
        m
        for m in await people.class_members(db, draft.class_id, draft.audience.roles)
        if m.person.id != sender.id
    ]
    if not members:
        raise NoRecipients
    reminder_at = now + ack_delay if draft.needs_ack else None
    async with db.transaction():
        announcement_id = await store.insert(
            db,
            class_id=draft.class_id,
            sender_person_id=sender.id,
            audience=draft.audience,
            body=body,
            media=draft.media,
            needs_ack=draft.needs_ack,
            ack_reminder_at=reminder_at,
            now=now,
        )
        ann = Announcement(
            id=announcement_id,
            class_id=draft.class_id,
            sender_person_id=sender.id,
            audience=draft.audience,
            body=body,
            needs_ack=draft.needs_ack,
            created_at=now,
            media=draft.media,
            ack_reminder_at=reminder_at,
        )
        messages = []
        for member in members:
            lang = member.person.lang or cls.default_lang
            reply = render(ann, lang, cls.title(lang), sender.display_name)
            messages.append(
                outbox.OutgoingMessage(
                    dedup_key=message_key(ann.id, member.person.id),
                    kind="announcement",
                    reply=reply,
                    not_before=now,
                    class_id=cls.id,
                    person_id=member.person.id,
                    announcement_id=ann.id,
                    urgent=True,
                )
            )
        queued = await outbox.enqueue(db, messages, now)
        await audit.record(
            db,
            action="broadcast",
            actor=sender.display_name,
            actor_person_id=sender.id,
            class_id=cls.id,
            now=now,
            details={
                "announcement_id": ann.id,
                "audience": str(draft.audience),
                "recipients": queued,
                "unreachable_at_send": sum(1 for m in members if not m.reachable),
                "needs_ack": draft.needs_ack,
                "languages": sorted(body),
                "media": draft.media[0] if draft.media else None,
            },
        )
    return ann, queued


def from_row(row: Mapping[str, object]) -> Announcement:
    media = json.loads(str(row["media"])) if row["media"] else None
    return Announcement(
        id=int(str(row["id"])),
        class_id=int(str(row["class_id"])),
        sender_person_id=int(str(row["sender_person_id"])) if row["sender_person_id"] else None,
        audience=Audience(str(row["audience"])),
        body=loc_from(str(row["body"])),
        needs_ack=bool(row["needs_ack"]),
        created_at=parse_utc(str(row["created_at"])),
        media=(media[0], media[1]) if media else None,
        ack_reminder_at=parse_utc(str(row["ack_reminder_at"])) if row["ack_reminder_at"] else None,
        ack_reminded_at=parse_utc(str(row["ack_reminded_at"])) if row["ack_reminded_at"] else None,
    )


async def get(db: Database, announcement_id: int) -> Announcement | None:
    row = await store.get(db, announcement_id)
    return from_row(row) if row else None


async def recent(db: Database, class_id: int, limit: int = 5) -> list[Announcement]:
    return [from_row(r) for r in await store.recent(db, class_id, limit)]
