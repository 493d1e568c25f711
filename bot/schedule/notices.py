"""Telling a class's members what changed in the days ahead, once per batch of changes.

A confirmed change (upload, rollback) calls :func:`record_change` inside its
own transaction: the first change of a class opens a window that remembers
the version it replaced. When the window's time is up (:data:`DEFAULT_WINDOW`,
a setting) :func:`flush_due` diffs that version against the one live then
and queues one notice per member, in their language, through the outbox, so
three quick corrections make one message. Only sessions that have not
started yet are mentioned; a batch whose net effect on them is nothing sends
nothing. The dedup key is per (class, window, member).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import replace

from babel.lists import format_list

from bot.agenda.cards import text_of, venue_time_label
from bot.domain import Member, Schedule, Session, TrainingClass
from bot.i18n import _, babel_locale, format_clock, format_day_short, use_lang
from bot.reminders.planning import member_lang, not_before
from bot.replies import Block, Reply
from bot.schedule.diff import FIELD_LABELS, ScheduleDiff, SessionChange, diff_schedules
from bot.store import change_windows, classes, outbox, people
from bot.store.change_windows import ChangeWindow
from bot.store.database import Database
from bot.store.outbox import OutgoingMessage
from bot.store.versions import load_version

log = logging.getLogger(__name__)

DEFAULT_WINDOW = dt.timedelta(minutes=5)
"""Changes confirmed within this time of the first one make one notice."""

URGENT_WITHIN = dt.timedelta(hours=12)
"""A notice about a session this close ignores the members' quiet hours."""

KIND = "change-notice"

_DETAILED = ("venue", "lecturer", "departure", "meeting_point")
"""Fields whose old and new values are spelled out; other changed fields are named."""


async def record_change(
    db: Database, class_id: int, replaced_version_id: int | None, now: dt.datetime
) -> ChangeWindow:
    """Note a confirmed change (call it in the change's transaction); returns the open window."""
    return await change_windows.ensure_open(db, class_id, replaced_version_id, now)


def dedup_key(window: ChangeWindow, person_id: int) -> str:
    return f"{KIND}:{window.class_id}:{window.id}:{person_id}"


def _ahead(cls: TrainingClass, session: Session, now: dt.datetime) -> bool:
    return session.starts_at(cls.tz) > now


def future_diff(diff: ScheduleDiff, cls: TrainingClass, now: dt.datetime) -> ScheduleDiff:
    """Only the changes that touch sessions that have not started at ``now``."""

    def keep(change: SessionChange) -> bool:
        return _ahead(cls, change.new, now) or _ahead(cls, change.old, now)

    return replace(
        diff,
        added=tuple(s for s in diff.added if _ahead(cls, s, now)),
        removed=tuple(s for s in diff.removed if _ahead(cls, s, now)),
        moved=tuple(c for c in diff.moved if keep(c)),
        changed=tuple(c for c in diff.changed if _ahead(cls, c.new, now)),
        class_fields=(),
        topics_added=(),
        topics_removed=(),
        topics_changed=(),
    )


def _when(session: Session, lang: str) -> str:
    return f"{format_day_short(session.day, lang)} {format_clock(session.start, lang)}"


def _value(cls: TrainingClass, session: Session, name: str, lang: str) -> str:
    value = getattr(session, name)
    if value is None:
        return "—"
    if isinstance(value, dt.time):
        return format_clock(value, lang)
    if isinstance(value, str):
        return value or "—"
    return text_of(cls, value, lang) or "—"


def _detail_lines(cls: TrainingClass, change: SessionChange, lang: str) -> list[str]:
    """One line per spelled-out field, then one naming the other changed fields."""
    title = text_of(cls, change.new.title, lang)
    when = _when(change.new, lang)
    templates = {
        "venue": _("New venue for {title} ({when}): {new} (was: {old})"),
        "lecturer": _("New lecturer for {title} ({when}): {new} (was: {old})"),
        "departure": _("New departure time for {title} ({when}): {new} (was: {old})"),
        "meeting_point": _("New meeting point for {title} ({when}): {new} (was: {old})"),
    }
    lines = [
        templates[name].format(
            title=title,
            when=when,
            new=_value(cls, change.new, name, lang),
            old=_value(cls, change.old, name, lang),
        )
        for name in _DETAILED
        if name in change.fields
    ]
    others = list(
        dict.fromkeys(_(FIELD_LABELS.get(n, n)) for n in change.fields if n not in _DETAILED)
    )
    if others:
        lines.append(
            _("Updated details for {title} ({when}): {fields}").format(
                title=title, when=when, fields=format_list(others, locale=babel_locale(lang))
            )
        )
    return lines


def notice_lines(cls: TrainingClass, diff: ScheduleDiff, lang: str) -> list[str]:
    """The changes as sentences in ``lang``, in the order of the sessions."""
    with use_lang(lang):
        found: list[tuple[tuple[dt.date, dt.time, int], str]] = []
        for s in diff.added:
            line = _("Added: {title}, {when}–{end}").format(
                title=text_of(cls, s.title, lang), when=_when(s, lang), end=format_clock(s.end)
            )
            found.append(((s.day, s.start, 0), line))
        for s in diff.removed:
            line = _("Cancelled: {title}, {when}").format(
                title=text_of(cls, s.title, lang), when=_when(s, lang)
            )
            found.append(((s.day, s.start, 1), line))
        for c in diff.moved:
            line = _("Moved: {title}, from {old} to {new}").format(
                title=text_of(cls, c.new.title, lang),
                old=_when(c.old, lang),
                new=f"{_when(c.new, lang)}–{format_clock(c.new.end)}",
            )
            found.append(((c.new.day, c.new.start, 2), line))
            found += [((c.new.day, c.new.start, 3), x) for x in _detail_lines(cls, c, lang)]
        for c in diff.changed:
            found += [((c.new.day, c.new.start, 4), x) for x in _detail_lines(cls, c, lang)]
        return [line for _key, line in sorted(found, key=lambda item: item[0])]


def notice_reply(cls: TrainingClass, diff: ScheduleDiff, lang: str) -> Reply:
    """The notice a member gets, in ``lang``."""
    days = diff.days()
    with use_lang(lang):
        head = Block(
            (_("The organisers have changed the schedule for the days ahead:"),),
            _("Schedule change: {name}").format(name=cls.title(lang)),
        )
        foot = Block(
            (
                venue_time_label(cls, days[0] if days else cls.first_day),
                _("Write /week to see the updated schedule."),
            )
        )
        return Reply(blocks=(head, Block(tuple(notice_lines(cls, diff, lang))), foot))


def _urgent(cls: TrainingClass, diff: ScheduleDiff, now: dt.datetime) -> bool:
    sessions: list[Session] = [*diff.added, *diff.removed]
    for c in (*diff.moved, *diff.changed):
        sessions += [c.old, c.new]
    soon = now + URGENT_WITHIN
    return any(now < s.starts_at(cls.tz) <= soon for s in sessions)


def _messages(
    cls: TrainingClass,
    window: ChangeWindow,
    diff: ScheduleDiff,
    members: Iterable[Member],
    now: dt.datetime,
) -> list[OutgoingMessage]:
    urgent = _urgent(cls, diff, now)
    rendered: dict[str, Reply] = {}
    out: list[OutgoingMessage] = []
    for member in members:
        lang = member_lang(cls, member.person)
        if lang not in rendered:
            rendered[lang] = notice_reply(cls, diff, lang)
        out.append(
            OutgoingMessage(
                dedup_key=dedup_key(window, member.person.id),
                kind=KIND,
                reply=rendered[lang],
                not_before=not_before(cls, member.person, now, urgent),
                class_id=cls.id,
                person_id=member.person.id,
                urgent=urgent,
            )
        )
    return out


async def _net_diff(db: Database, window: ChangeWindow, cls: TrainingClass) -> ScheduleDiff | None:
    if window.base_version_id is None or cls.live_version_id is None:
        return None  # a new class: nobody to tell yet
    old: Schedule = await load_version(db, window.base_version_id)
    new: Schedule = await load_version(db, cls.live_version_id)
    return diff_schedules(old, new)


async def flush_window(db: Database, window: ChangeWindow, now: dt.datetime) -> int:
    """Close ``window`` and queue its notices; returns how many were queued."""
    cls = await classes.get_class(db, window.class_id)
    if cls is None:
        await change_windows.close(db, window.id, 0, now)
        return 0
    diff = await _net_diff(db, window, cls)
    ahead = future_diff(diff, cls, now) if diff is not None else None
    messages: list[OutgoingMessage] = []
    if ahead is not None and ahead.session_count:
        members = await people.class_members(db, cls.id)
        messages = _messages(cls, window, ahead, members, now)
    async with db.transaction():
        if not await change_windows.close(db, window.id, len(messages), now):
            return 0
        added = await outbox.enqueue(db, messages, now)
    log.info(
        "event=change_notice class=%s window=%d changes=%d queued=%d",
        cls.code,
        window.id,
        ahead.session_count if ahead else 0,
        added,
    )
    return added


async def flush_due(db: Database, now: dt.datetime, window: dt.timedelta = DEFAULT_WINDOW) -> int:
    """Close every window whose time is up at ``now``; returns the notices queued."""
    total = 0
    for found in await change_windows.closing(db, now - window):
        total += await flush_window(db, found, now)
    return total
