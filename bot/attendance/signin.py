"""A trainee signs in for a session, and sees their own record.

Registers the button action ``att:in:<class>:<key>:<day>`` (one tap on
Telegram, a number reply on Zalo). Signing in is idempotent: a second tap
changes nothing and says so; before the window opens or after it closes the
answer says when. With a room code the tap asks for the code, and the next
typed answer (:func:`bot.attendance.typed.answer`) completes the sign-in.
"""

from __future__ import annotations

import datetime as dt

from bot import actions
from bot.actions import ActionContext, ActionResult
from bot.agenda import cards
from bot.attendance import counting
from bot.attendance.sessions import (
    Window,
    code_matches,
    parse_ref,
    resolve_signin,
    session_ref,
    signin_sessions,
    window,
)
from bot.domain import Person, Role, Session, TrainingClass
from bot.i18n import N_, _, current_lang, format_clock, format_day_short, use_lang
from bot.people import permissions
from bot.replies import Block, Button, Reply
from bot.store import attendance as store
from bot.store import audit
from bot.store.attendance import SigninSettings, Status
from bot.store.database import Database

CODE_KIND = "code"
"""The awaited typed answer: the room code of a session."""

FOR_TRAINEES = N_("Sign-in is for trainees; managers see the list with /attendance.")

STATUS_MARKS = {Status.PRESENT: "✅", Status.ABSENT: "❌", Status.EXCUSED: "📝"}


def status_name(status: Status | str) -> str:
    names = {
        Status.PRESENT.value: _("present"),
        Status.ABSENT.value: _("absent"),
        Status.EXCUSED.value: _("excused"),
        counting.PENDING: _("not counted yet"),
    }
    return names[str(status)]


def local_clock(cls: TrainingClass, instant: dt.datetime) -> str:
    return format_clock(instant.astimezone(cls.tz))


def title(cls: TrainingClass, session: Session, lang: str) -> str:
    return cards.text_of(cls, session.title, lang)


def signin_button(cls: TrainingClass, session: Session) -> Button:
    return Button(
        _("✅ Sign in ({time})").format(time=cards.clock(session.start)),
        f"att:in:{session_ref(cls, session)}",
    )


def open_reply(cls: TrainingClass, session: Session, found: Window, lang: str) -> Reply:
    """The sign-in invitation a trainee receives when sign-in opens."""
    with use_lang(lang):
        lines = (
            _("{day}, {start}–{end}").format(
                day=format_day_short(session.day),
                start=cards.clock(session.start),
                end=cards.clock(session.end),
            ),
            _("Sign-in is open until {time}. Tap the button (on Zalo: reply 1).").format(
                time=local_clock(cls, found.closes)
            ),
            cards.venue_time_label(cls, session.day),
        )
        heading = _("Sign-in: {title}").format(title=title(cls, session, lang))
        return Reply(blocks=(Block(lines, heading),), buttons=((signin_button(cls, session),),))


async def sign_in(
    db: Database,
    person: Person,
    class_id: int,
    key: str,
    day: dt.date,
    now: dt.datetime,
    code: str | None = None,
) -> Reply:
    """Sign ``person`` in for a session (in the active language); the answer to show."""
    found = await resolve_signin(db, class_id, key, day)
    role = await permissions.role_in(db, person, class_id)
    if found is None or role is None:
        return Reply.text(_("This session has no sign-in (any more)."))
    cls, session, settings = found
    if role is not Role.TRAINEE:
        return Reply.text(_(FOR_TRAINEES))
    span = window(cls, session, settings)
    state = span.state(now)
    name = title(cls, session, current_lang())
    if state == "early":
        return Reply.text(
            _("Sign-in for {title} opens at {time}.").format(
                title=name, time=local_clock(cls, span.opens)
            )
        )
    if state == "closed":
        existing = await store.record_of(db, class_id, session.key, day, person.id)
        if existing is not None:
            return _already(cls, existing)
        return Reply.text(
            _(
                "Sign-in for {title} closed at {time}. If you were there, please ask a class "
                "manager to correct your record."
            ).format(title=name, time=local_clock(cls, span.closes))
        )
    if settings.code_minutes > 0:
        existing = await store.record_of(db, class_id, session.key, day, person.id)
        if existing is not None:
            return _already(cls, existing)
        if code is None:
            await store.await_text(
                db, person.id, CODE_KIND, class_id, _ref(cls, session), span.closes
            )
            return Reply.text(
                _("Please type the {digits}-digit code shown in the room.").format(digits=4)
            )
        if not code_matches(settings, class_id, session, code, now):
            return Reply.text(
                _("That code is not the one shown in the room. Please type it again.")
            )
        await store.stop_awaiting(db, person.id)
    async with db.transaction():
        before = await store.sign_in(db, class_id, session.key, day, person.id, now)
        if before is None:
            await audit.record(
                db,
                action="attendance.signin",
                actor=person.display_name,
                actor_person_id=person.id,
                class_id=class_id,
                now=now,
                details={"session": session.key, "day": day.isoformat()},
            )
    if before is not None:
        return _already(cls, before)
    return Reply.text(
        _("Thank you, {name}: you are signed in for {title} ({time}).").format(
            name=person.display_name, title=name, time=local_clock(cls, now)
        )
    )


def _ref(cls: TrainingClass, session: Session) -> str:
    return session_ref(cls, session)


def _already(cls: TrainingClass, record: store.Record) -> Reply:
    if record.status is Status.PRESENT:
        return Reply.text(
            _("You are already signed in (at {time}). Nothing has changed.").format(
                time=local_clock(cls, record.at)
            )
        )
    return Reply.text(
        _(
            "A class manager has recorded you as {status} for this session. "
            "Please ask them if this should be corrected."
        ).format(status=status_name(record.status))
    )


async def open_sessions(
    db: Database, cls: TrainingClass, now: dt.datetime
) -> list[tuple[Session, Window, SigninSettings]]:
    """The sessions of the class whose sign-in is open at ``now``."""
    today = cls.local_now(now).date()
    settings = await store.settings(db, cls.id)
    found = []
    for session in await signin_sessions(
        db, cls, today - dt.timedelta(days=1), today + dt.timedelta(days=1)
    ):
        span = window(cls, session, settings)
        if span.state(now) == "open":
            found.append((session, span, settings))
    return found


async def my_record(
    db: Database, person: Person, cls: TrainingClass, now: dt.datetime, lang: str
) -> Reply:
    """``/attendance`` for a trainee: each sign-in session so far and the half-day count."""
    await permissions.require(db, person, cls.id, permissions.EVERYONE)
    settings = await store.settings(db, cls.id)
    sessions = await signin_sessions(db, cls)
    records = {(r.session_key, r.day): r for r in await store.person_records(db, cls.id, person.id)}
    started = [s for s in sessions if window(cls, s, settings).opens <= now]
    closed = {(s.key, s.day) for s in sessions if window(cls, s, settings).closes <= now}
    counted = counting.count(sessions, [person.id], records.values(), closed)
    tally = counted.tally(person.id)
    with use_lang(lang):
        lines: list[str] = []
        buttons: list[tuple[Button, ...]] = []
        for session in started:
            record = records.get((session.key, session.day))
            when = f"{format_day_short(session.day)} {cards.clock(session.start)}"
            name = title(cls, session, lang)
            if record is not None:
                text = f"{STATUS_MARKS[record.status]} {when} {name}: {status_name(record.status)}"
                if record.reason:
                    text += f" ({record.reason})"
            elif (session.key, session.day) in closed:
                text = f"❌ {when} {name}: " + _("no sign-in")
            else:
                text = f"⏳ {when} {name}: " + _("sign-in open now")
                buttons.append((signin_button(cls, session),))
            lines.append(text)
        if not lines:
            lines.append(_("No session with a sign-in has started yet."))
        summary = _(
            "Half-days: {present} present, {excused} excused, {absent} absent "
            "(of {counted} counted so far)."
        ).format(
            present=tally.present,
            excused=tally.excused,
            absent=tally.absent,
            counted=tally.counted,
        )
        heading = _("Your attendance: {name}").format(name=cls.title(lang))
        return Reply(
            blocks=(
                Block(tuple(lines), heading),
                Block((summary, cards.venue_time_label(cls, cls.local_now(now).date()))),
            ),
            buttons=tuple(buttons),
        )


async def on_signin(ctx: ActionContext, rest: str) -> ActionResult:
    """``att:in:<ref>``: a trainee's tap (or number reply) to sign in."""
    parsed = parse_ref(rest)
    if parsed is None or await resolve_signin(ctx.db, *parsed) is None:
        return actions.expired()
    role = await permissions.role_in(ctx.db, ctx.person, parsed[0])
    if role is None:  # not (or no longer) in the class: the button means nothing to them
        return actions.expired()
    if role is not Role.TRAINEE:
        return ActionResult(toast=_(FOR_TRAINEES))
    reply = await sign_in(ctx.db, ctx.person, *parsed, ctx.now)
    return ActionResult(replies=[reply], toast=reply.plain()[:190])
