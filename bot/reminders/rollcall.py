"""Roll call for departures: trainees check in on the bus, managers see and complete the list.

Registers the button actions ``checkin:<class>:<session>:<day>`` (a trainee's
"I'm on the bus"), ``mark:<class>:<session>:<day>:<person>`` (a manager marks
someone present; audited) and ``rollcall:<class>:<session>:<day>`` (refresh
the list) with :mod:`bot.actions`. Check-ins are idempotent: a second tap
changes nothing and says so.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping

from bot import actions
from bot.actions import ActionContext, ActionHandler, ActionResult
from bot.agenda import cards
from bot.domain import Member, Person, Role, Session, TrainingClass
from bot.i18n import _, format_clock, format_day_short, use_lang
from bot.people import permissions
from bot.people.permissions import MANAGERS, Forbidden
from bot.replies import Block, Button, Reply
from bot.store import audit, classes, people
from bot.store import reminders as store
from bot.store import roster as roster_store
from bot.store.database import Database
from bot.store.reminders import CheckIn
from bot.store.roster import RosterEntry

CURRENT_FOR = dt.timedelta(hours=1)
"""A departure stays the 'current' one for /rollcall this long after the bus left."""

MAX_ACTION_BYTES = 64
"""Telegram's limit on a button's callback data."""

MAX_MARK_BUTTONS = 40
"""Mark-present buttons under one list (Telegram allows 100; more is unreadable)."""


def departure_instant(cls: TrainingClass, session: Session) -> dt.datetime:
    """When the bus leaves (the start if no departure time is given), UTC."""
    local = session.departs_at(cls.tz) or session.starts_at(cls.tz)
    return local.astimezone(dt.UTC)


async def current_departure(db: Database, cls: TrainingClass, now: dt.datetime) -> Session | None:
    """The departure that is under way or comes next (None when the class has no more)."""
    today = cls.local_now(now).date()
    for session in await classes.sessions_between(
        db, cls, today - dt.timedelta(days=1), cls.last_day
    ):
        if session.kind.needs_departure and departure_instant(cls, session) + CURRENT_FOR > now:
            return session
    return None


def rollcall_reply(
    cls: TrainingClass,
    session: Session,
    trainees: list[Member],
    present: Mapping[int, CheckIn],
    lang: str,
    seats: Mapping[int, RosterEntry] | None = None,
) -> Reply:
    """Who is on the bus and who is not yet, with a mark-present button per missing trainee.

    With the roster's ``seats`` (member → row), the missing are grouped by bus and
    listed with their seat, so each bus's group leader knows whom to call.
    """
    with use_lang(lang):
        title = _("Roll call: {title}").format(title=cards.text_of(cls, session.title, lang))
        clock = format_clock(session.departure or session.start)
        on_bus = [m for m in trainees if m.person.id in present]
        missing = [m for m in trainees if m.person.id not in present]
        lines = [
            _("{day}, departure {time}").format(day=format_day_short(session.day), time=clock),
            cards.venue_time_label(cls, session.day),
            _("On the bus: {present} of {total}").format(present=len(on_bus), total=len(trainees)),
        ]
        blocks = [Block(lines=tuple(lines), title=title)]
        if missing and seats and any(m.person.id in seats for m in missing):
            blocks.extend(_by_bus(missing, seats))
        elif missing:
            blocks.append(
                Block(
                    lines=tuple(f"• {m.person.display_name}" for m in missing),
                    title=_("Not checked in yet ({count})").format(count=len(missing)),
                )
            )
        elif trainees:
            blocks.append(Block(lines=(_("Everyone has checked in."),)))
        else:  # "everyone has checked in" would be true but misleading
            blocks.append(Block(lines=(_("No trainee has joined this class yet."),)))
        if on_bus:
            blocks.append(
                Block(
                    lines=tuple(f"• {_present_line(m, present[m.person.id])}" for m in on_bus),
                    title=_("On the bus ({count})").format(count=len(on_bus)),
                )
            )
        suffix = departure_ref(cls, session)
        rows = [
            (
                Button(
                    _("Mark present: {name}").format(name=m.person.display_name),
                    f"mark:{suffix}:{m.person.id}",
                ),
            )
            for m in missing[:MAX_MARK_BUTTONS]
        ]
        rows.append((Button(_("Refresh"), f"rollcall:{suffix}"),))
    return Reply(blocks=tuple(blocks), buttons=tuple(rows))


def _by_bus(missing: list[Member], seats: Mapping[int, RosterEntry]) -> list[Block]:
    """The missing, one block per bus (in bus order, then seat), the unassigned last."""
    groups: dict[str, list[tuple[str, Member]]] = {}
    for m in missing:
        entry = seats.get(m.person.id)
        groups.setdefault(entry.bus if entry else "", []).append((entry.seat if entry else "", m))

    def order(text: str) -> tuple[int, str]:
        digits = "".join(c for c in text if c.isdigit())
        return (int(digits) if digits else 10**6, text)

    blocks: list[Block] = []
    for bus in sorted(groups, key=lambda b: (b == "", order(b))):
        rows = sorted(groups[bus], key=lambda sm: order(sm[0]))
        lines = tuple(
            "• "
            + (
                _("seat {seat}: {name}").format(seat=seat, name=m.person.display_name)
                if seat
                else m.person.display_name
            )
            for seat, m in rows
        )
        leader = next(
            (
                seats[m.person.id].leader
                for _s, m in rows
                if m.person.id in seats and seats[m.person.id].leader
            ),
            "",
        )
        if bus:
            title = _("Bus {bus}: not checked in yet ({count})").format(bus=bus, count=len(rows))
            if leader:
                lines = (*lines, _("Group leader: {name}").format(name=leader))
        else:
            title = _("No bus given: not checked in yet ({count})").format(count=len(rows))
        blocks.append(Block(lines=lines, title=title))
    return blocks


def _present_line(member: Member, checkin: CheckIn) -> str:
    if checkin.marked_by is not None:
        return _("{name} (marked by a manager)").format(name=member.person.display_name)
    return member.person.display_name


async def _view(db: Database, cls: TrainingClass, session: Session, lang: str) -> Reply:
    members = await people.class_members(db, cls.id, (Role.TRAINEE,))
    present = await store.checkins(db, cls.id, session.key, session.day)
    seats = await roster_store.seated(db, cls.id)
    return rollcall_reply(cls, session, members, present, lang, seats)


async def rollcall_view(
    db: Database, person: Person, cls: TrainingClass, now: dt.datetime, lang: str
) -> Reply:
    """``/rollcall``: the live list of the current or next departure (managers only)."""
    await permissions.require(db, person, cls.id, MANAGERS)
    session = await current_departure(db, cls, now)
    if session is None:
        with use_lang(lang):
            return Reply.text(_("There is no upcoming departure in this class."))
    return await _view(db, cls, session, lang)


def departure_ref(cls: TrainingClass, session: Session) -> str:
    """``<class>:<session>:<day>`` for button actions; a long or odd key becomes ``#<hash>``.

    Telegram allows 64 bytes of callback data, and the longest action built on
    this (``mark:…:<person>``) must fit, so a session key that is too long or
    contains ':' is replaced by a short hash of it (resolved against that day).
    """
    day = session.day.isoformat()
    plain = f"{cls.id}:{session.key}:{day}"
    if ":" in session.key or len(f"mark:{plain}:{10**9}".encode()) > MAX_ACTION_BYTES:
        return f"{cls.id}:#{_key_hash(session.key)}:{day}"
    return plain


def _key_hash(key: str) -> str:
    return hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()[:10]


async def _departure(
    db: Database, class_id: int, ref: str, day: dt.date
) -> tuple[TrainingClass, Session] | None:
    """The field visit or trip a button refers to, if it is still in the live schedule."""
    cls = await classes.get_class(db, class_id)
    if cls is None:
        return None
    for session in await classes.sessions_on(db, cls, day):
        matches = session.key == ref or ref == f"#{_key_hash(session.key)}"
        if matches and session.kind.needs_departure:
            return cls, session
    return None


async def check_in(
    db: Database, person: Person, class_id: int, ref: str, day: dt.date, now: dt.datetime
) -> str:
    """Record that ``person`` is on the bus; the answer (in the active language) for a toast."""
    found = await _departure(db, class_id, ref, day)
    if found is None or await permissions.role_in(db, person, class_id) is None:
        return _("This departure is no longer in the schedule.")
    cls, session = found
    if cls.local_now(now).date() > day:
        return _("This departure has already passed.")
    added = await store.add_checkin(
        db, class_id=class_id, session_key=session.key, day=day, person_id=person.id, now=now
    )
    if not added:
        return _("You are already checked in. Have a good trip!")
    return _("Thank you, {name}: you are checked in. Have a good trip!").format(
        name=person.display_name
    )


async def mark_present(
    db: Database,
    manager: Person,
    class_id: int,
    ref: str,
    day: dt.date,
    person_id: int,
    now: dt.datetime,
    lang: str,
) -> Reply | None:
    """A manager marks a trainee present (audited); the updated list, or None if it is gone."""
    await permissions.require(db, manager, class_id, MANAGERS)
    found = await _departure(db, class_id, ref, day)
    if found is None or await people.get_membership(db, class_id, person_id) is None:
        return None
    cls, session = found
    added = await store.add_checkin(
        db,
        class_id=class_id,
        session_key=session.key,
        day=day,
        person_id=person_id,
        now=now,
        marked_by=manager.id,
    )
    if added:
        await audit.record(
            db,
            action="rollcall.mark",
            actor=manager.display_name,
            actor_person_id=manager.id,
            class_id=class_id,
            now=now,
            details={"session": session.key, "day": day.isoformat(), "person_id": person_id},
        )
    return await _view(db, cls, session, lang)


def _parse(rest: str, extra: int) -> tuple[int, str, dt.date, list[str]] | None:
    """``<class>:<session>:<day>`` plus ``extra`` trailing fields, split and parsed."""
    head, sep, tail = rest.partition(":")
    fields = tail.rsplit(":", 1 + extra)
    if not sep or len(fields) != 2 + extra:
        return None
    try:
        return int(head), fields[0], dt.date.fromisoformat(fields[1]), fields[2:]
    except ValueError:
        return None


async def _on_checkin(ctx: ActionContext, rest: str) -> ActionResult:
    parsed = _parse(rest, 0)
    if parsed is None:
        return actions.expired()
    class_id, key, day, _more = parsed
    toast = await check_in(ctx.db, ctx.person, class_id, key, day, ctx.now)
    return ActionResult(toast=toast)


async def _on_mark(ctx: ActionContext, rest: str) -> ActionResult:
    parsed = _parse(rest, 1)
    if parsed is None or not parsed[3][0].isdigit():
        return actions.expired()
    class_id, key, day, more = parsed
    try:
        reply = await mark_present(
            ctx.db, ctx.person, class_id, key, day, int(more[0]), ctx.now, ctx.lang
        )
    except Forbidden:
        return ActionResult(toast=_("Only the class managers can do this."))
    if reply is None:
        return actions.expired()
    return ActionResult(replies=[reply], replace=True, toast=_("Marked present."))


async def _on_refresh(ctx: ActionContext, rest: str) -> ActionResult:
    parsed = _parse(rest, 0)
    if parsed is None:
        return actions.expired()
    class_id, key, day, _more = parsed
    try:
        await permissions.require(ctx.db, ctx.person, class_id, MANAGERS)
    except Forbidden:
        return ActionResult(toast=_("Only the class managers can do this."))
    found = await _departure(ctx.db, class_id, key, day)
    if found is None:
        return actions.expired()
    reply = await _view(ctx.db, found[0], found[1], ctx.lang)
    return ActionResult(replies=[reply], replace=True)


def _in_lang(handler: ActionHandler) -> ActionHandler:
    """Run an action handler with the tapper's language active (toasts are translated)."""

    async def wrapped(ctx: ActionContext, rest: str) -> ActionResult:
        with use_lang(ctx.lang):
            return await handler(ctx, rest)

    return wrapped


actions.register("checkin:", _in_lang(_on_checkin))
actions.register("mark:", _in_lang(_on_mark))
actions.register("rollcall:", _in_lang(_on_refresh))
