"""The managers' side of attendance: the live list, marks and corrections, sign-in settings.

Every call checks the role per class (managers and admins) and every change
is written to the audit log with the status it replaced. Button actions
(prefix ``att:``): ``att:in:<ref>`` (a trainee signs in, see
:mod:`bot.attendance.signin`), ``att:ls:<ref>`` (show or refresh the list of
a session) and ``att:mk:<ref>:<person>:p`` (mark present). Marks with a
status and a reason go through ``/mark N present|absent|excused [reason]``
(N: the number in the list), which also corrects past sessions
(``/mark 3 excused 15/7 09:15 ốm``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from bot import actions
from bot.actions import ActionContext, ActionResult
from bot.agenda import cards
from bot.attendance import signin
from bot.attendance.sessions import (
    code_valid_until,
    new_secret,
    parse_ref,
    resolve_signin,
    room_code,
    session_ref,
    signin_sessions,
    window,
)
from bot.domain import Member, Person, Role, Session, SessionKind, TrainingClass
from bot.i18n import _, format_day_short, use_lang
from bot.people import permissions
from bot.people.permissions import MANAGERS, Forbidden
from bot.replies import Block, Button, Reply
from bot.store import attendance as store
from bot.store import audit, classes, people
from bot.store.attendance import Record, SigninSettings, Status
from bot.store.database import Database

MAX_MARK_BUTTONS = 20
"""Mark-present buttons under one list; the rest are marked with /mark N."""

MAX_MINUTES = 240

STATUS_WORDS: dict[str, Status] = {
    "present": Status.PRESENT,
    "p": Status.PRESENT,
    "co": Status.PRESENT,
    "comat": Status.PRESENT,
    "ມາ": Status.PRESENT,
    "absent": Status.ABSENT,
    "a": Status.ABSENT,
    "vang": Status.ABSENT,
    "ຂາດ": Status.ABSENT,
    "excused": Status.EXCUSED,
    "e": Status.EXCUSED,
    "phep": Status.EXCUSED,
    "cophep": Status.EXCUSED,
    "ລາ": Status.EXCUSED,
}
"""Status words in en / vi (without diacritics) / lo."""

_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})$")
_TIME = re.compile(r"^(\d{1,2})[:h](\d{2})$")


def fold(word: str) -> str:
    """Lower case without Vietnamese diacritics (đ → d), for status words."""
    decomposed = unicodedata.normalize("NFD", word.lower().replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c) or ord(c) > 0x0E00)


def refused() -> Reply:
    return Reply.text(_("Sorry, only the class managers can do that."))


async def trainees(db: Database, class_id: int) -> list[Member]:
    """The class's trainees in list order (the numbers /mark uses)."""
    return await people.class_members(db, class_id, (Role.TRAINEE,))


async def current_session(db: Database, cls: TrainingClass, now: dt.datetime) -> Session | None:
    """The session whose sign-in is open, else the last one today, else the next, else the last."""
    settings = await store.settings(db, cls.id)
    found = await signin_sessions(db, cls)
    if not found:
        return None
    today = cls.local_now(now).date()
    for session in found:
        if window(cls, session, settings).state(now) == "open":
            return session
    started_today = [s for s in found if s.day == today and window(cls, s, settings).opens <= now]
    if started_today:
        return started_today[-1]
    upcoming = [s for s in found if window(cls, s, settings).opens > now]
    return upcoming[0] if upcoming else found[-1]


def live_reply(
    cls: TrainingClass,
    session: Session,
    settings: SigninSettings,
    roster: list[Member],
    records: dict[int, Record],
    neighbours: tuple[Session | None, Session | None],
    now: dt.datetime,
    lang: str,
) -> Reply:
    """Present / not yet / excused / absent, numbered as /mark expects, with buttons."""
    with use_lang(lang):
        span = window(cls, session, settings)
        state = span.state(now)
        numbered = list(enumerate(roster, start=1))
        groups: dict[str, list[tuple[int, Member]]] = {
            "present": [],
            "excused": [],
            "absent": [],
            "missing": [],
        }
        for number, member in numbered:
            record = records.get(member.person.id)
            groups[record.status.value if record else "missing"].append((number, member))
        state_text = {
            "early": _("Sign-in opens at {time}."),
            "open": _("Sign-in is open until {time}."),
            "closed": _("Sign-in closed at {time}."),
        }[state].format(
            time=signin.local_clock(cls, span.opens if state == "early" else span.closes)
        )
        head = [
            _("{day}, {start}–{end}").format(
                day=format_day_short(session.day),
                start=cards.clock(session.start),
                end=cards.clock(session.end),
            ),
            state_text,
            _(
                "Present {present} · excused {excused} · absent {absent} · not yet {missing} "
                "(of {total})"
            ).format(
                present=len(groups["present"]),
                excused=len(groups["excused"]),
                absent=len(groups["absent"]),
                missing=len(groups["missing"]),
                total=len(roster),
            ),
        ]
        if settings.code_minutes > 0 and state == "open":
            head.append(
                _("Code to show in the room: {code} (changes at {time})").format(
                    code=room_code(settings, cls.id, session, now),
                    time=signin.local_clock(cls, code_valid_until(settings, now)),
                )
            )
        head.append(cards.venue_time_label(cls, session.day))
        heading = _("Attendance: {title}").format(title=signin.title(cls, session, lang))
        blocks = [Block(tuple(head), heading)]
        titles = {
            "missing": _("Not signed in yet ({count})"),
            "excused": _("Excused ({count})"),
            "absent": _("Absent ({count})"),
            "present": _("Present ({count})"),
        }
        for name in ("missing", "excused", "absent", "present"):
            if not groups[name]:
                continue
            lines = []
            for number, member in groups[name]:
                line = f"{number}. {member.person.display_name}"
                record = records.get(member.person.id)
                if record is not None and record.reason:
                    line += f" — {record.reason}"
                if record is not None and record.marked_by is not None:
                    line += " " + _("(marked by a manager)")
                lines.append(line)
            blocks.append(Block(tuple(lines), titles[name].format(count=len(groups[name]))))
        blocks.append(
            Block(
                (
                    _(
                        "To mark: /mark N present, /mark N absent, /mark N excused REASON "
                        "(N: the number in the list; several: /mark 3,7 absent)."
                    ),
                )
            )
        )
        ref = session_ref(cls, session)
        rows: list[tuple[Button, ...]] = [
            (
                Button(
                    _("Mark present: {name}").format(name=m.person.display_name),
                    f"att:mk:{ref}:{m.person.id}:p",
                ),
            )
            for _n, m in groups["missing"][:MAX_MARK_BUTTONS]
        ]
        nav: list[Button] = []
        if neighbours[0] is not None:
            nav.append(Button(_("◀ Previous"), f"att:ls:{session_ref(cls, neighbours[0])}"))
        nav.append(Button(_("Refresh"), f"att:ls:{ref}"))
        if neighbours[1] is not None:
            nav.append(Button(_("Next ▶"), f"att:ls:{session_ref(cls, neighbours[1])}"))
        rows.append(tuple(nav))
    return Reply(blocks=tuple(blocks), buttons=tuple(rows))


async def live_view(
    db: Database,
    person: Person,
    cls: TrainingClass,
    now: dt.datetime,
    lang: str,
    session: Session | None = None,
) -> Reply:
    """The live list of one session (default: the current one); managers only."""
    await permissions.require(db, person, cls.id, MANAGERS)
    session = session or await current_session(db, cls, now)
    if session is None:
        with use_lang(lang):
            return Reply.text(_("No session of this class has a sign-in."))
    settings = await store.settings(db, cls.id)
    found = await signin_sessions(db, cls)
    keys = [(s.key, s.day) for s in found]
    at = keys.index((session.key, session.day)) if (session.key, session.day) in keys else -1
    before = found[at - 1] if at > 0 else None
    after = found[at + 1] if 0 <= at < len(found) - 1 else None
    roster = await trainees(db, cls.id)
    records = await store.session_records(db, cls.id, session.key, session.day)
    return live_reply(cls, session, settings, roster, records, (before, after), now, lang)


async def mark(
    db: Database,
    manager: Person,
    cls: TrainingClass,
    session: Session,
    person_id: int,
    status: Status,
    reason: str,
    now: dt.datetime,
) -> bool:
    """Set one trainee's status (audited with what it replaced); False if nothing changed."""
    await permissions.require(db, manager, cls.id, MANAGERS)
    async with db.transaction():
        existing = (await store.session_records(db, cls.id, session.key, session.day)).get(
            person_id
        )
        if existing is not None and existing.status is status and existing.reason == reason:
            return False
        await store.mark(
            db, cls.id, session.key, session.day, person_id, status, reason, now, manager.id
        )
        await audit.record(
            db,
            action="attendance.mark",
            actor=manager.display_name,
            actor_person_id=manager.id,
            class_id=cls.id,
            now=now,
            details={
                "session": session.key,
                "day": session.day.isoformat(),
                "person_id": person_id,
                "status": status.value,
                "reason": reason,
                "before": existing.status.value if existing else None,
            },
        )
    return True


@dataclass(frozen=True, slots=True)
class MarkRequest:
    numbers: list[int]
    status: Status
    day: dt.date | None
    time: dt.time | None
    reason: str


def parse_mark(arg: str, today: dt.date) -> MarkRequest | None:
    """``3,7 excused [15/7] [09:15] reason`` → its parts (None when malformed)."""
    words = arg.split()
    if len(words) < 2:
        return None
    try:
        numbers = [int(n) for n in words[0].split(",") if n]
    except ValueError:
        return None
    status = STATUS_WORDS.get(fold(words[1]))
    if not numbers or status is None:
        return None
    rest = words[2:]
    day: dt.date | None = None
    time: dt.time | None = None
    while rest:
        date_match = _DATE.match(rest[0])
        time_match = _TIME.match(rest[0])
        try:
            if date_match and day is None:
                day = dt.date(today.year, int(date_match[2]), int(date_match[1]))
            elif time_match and time is None:
                time = dt.time(int(time_match[1]), int(time_match[2]))
            else:
                break
        except ValueError:
            return None
        rest = rest[1:]
    return MarkRequest(numbers, status, day, time, " ".join(rest)[:200])


async def mark_command(
    db: Database, manager: Person, cls: TrainingClass, arg: str, now: dt.datetime, lang: str
) -> Reply:
    """``/mark N present|absent|excused [DD/MM] [HH:MM] [reason]``; the updated list."""
    await permissions.require(db, manager, cls.id, MANAGERS)
    with use_lang(lang):
        request = parse_mark(arg, cls.local_now(now).date())
        usage = _(
            "Please write, for example: /mark 3 present, /mark 3,7 absent, "
            "/mark 5 excused illness, or for another session /mark 5 present 15/7 09:15."
        )
        if request is None:
            return Reply.text(usage)
        if request.status is Status.EXCUSED and not request.reason:
            return Reply.text(
                _("Please add the reason for the excused absence, e.g. /mark 5 excused illness.")
            )
        session = await _pick_session(db, cls, request, now)
        if session is None:
            return Reply.text(_("There is no session with a sign-in at that day and time."))
        roster = await trainees(db, cls.id)
        wrong = [n for n in request.numbers if not 1 <= n <= len(roster)]
        if wrong:
            return Reply.text(
                _("There is no trainee number {number} in the list (1–{last}).").format(
                    number=wrong[0], last=len(roster)
                )
            )
        changed = 0
        for number in request.numbers:
            changed += await mark(
                db,
                manager,
                cls,
                session,
                roster[number - 1].person.id,
                request.status,
                request.reason if request.status is not Status.PRESENT else "",
                now,
            )
    view = await live_view(db, manager, cls, now, lang, session)
    with use_lang(lang):
        note = _("Saved.") if changed else _("Nothing changed: the list already says so.")
    return Reply(blocks=(Block((note,)), *view.blocks), buttons=view.buttons)


async def _pick_session(
    db: Database, cls: TrainingClass, request: MarkRequest, now: dt.datetime
) -> Session | None:
    if request.day is None and request.time is None:
        return await current_session(db, cls, now)
    day = request.day or cls.local_now(now).date()
    found = await signin_sessions(db, cls, day, day)
    if request.time is not None:
        found = [s for s in found if s.start == request.time]
    return found[0] if len(found) == 1 else None


# Settings -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SettingsOutcome:
    reply: Reply
    changed: bool = False


def _settings_lines(cls: TrainingClass, settings: SigninSettings) -> tuple[str, ...]:
    kinds = ", ".join(sorted(settings.kinds)) or "—"
    code = (
        _("a room code that changes every {minutes} minutes").format(minutes=settings.code_minutes)
        if settings.code_minutes
        else _("no room code")
    )
    return (
        _(
            "Sign-in opens {opens} minutes before the start and closes {closes} minutes after it."
        ).format(opens=settings.opens_min, closes=settings.closes_min),
        _("Sessions with a sign-in: {kinds}; {code}.").format(kinds=kinds, code=code),
        _(
            "Change: /signin open 15, /signin close 30, /signin code 5 (or off), "
            "/signin kinds lecture,opening,closing, /signin add 15/7 13:30, "
            "/signin remove 15/7 13:30."
        ),
    )


async def settings_command(
    db: Database, manager: Person, cls: TrainingClass, arg: str, now: dt.datetime, lang: str
) -> SettingsOutcome:
    """``/signin [open N|close N|code N|off|kinds a,b|add DD/MM HH:MM|remove DD/MM HH:MM]``."""
    await permissions.require(db, manager, cls.id, MANAGERS)
    settings = await store.settings(db, cls.id)
    words = arg.split()
    with use_lang(lang):
        heading = _("Sign-in settings: {name}").format(name=cls.title(lang))
        if not words:
            return SettingsOutcome(Reply.text(*_settings_lines(cls, settings), title=heading))
        what, values = words[0].lower(), words[1:]
        new = settings
        if what in ("open", "close") and len(values) == 1 and values[0].isdigit():
            minutes = int(values[0])
            if minutes > MAX_MINUTES:
                return SettingsOutcome(
                    Reply.text(_("Please give at most {max} minutes.").format(max=MAX_MINUTES))
                )
            if what == "open":
                new = _replace(settings, opens_min=minutes)
            else:
                new = _replace(settings, closes_min=max(minutes, 1))
        elif what == "code" and len(values) == 1 and (values[0].isdigit() or values[0] == "off"):
            minutes = 0 if values[0] == "off" else min(max(int(values[0]), 1), 60)
            secret = settings.code_secret or new_secret()
            new = _replace(settings, code_minutes=minutes, code_secret=secret)
        elif what == "kinds" and len(values) == 1:
            kinds = frozenset(k.strip() for k in values[0].split(",") if k.strip())
            allowed = {k.value for k in SessionKind}
            if not kinds or not kinds <= allowed:
                return SettingsOutcome(
                    Reply.text(
                        _("Session kinds: {kinds}.").format(kinds=", ".join(sorted(allowed)))
                    )
                )
            new = _replace(settings, kinds=kinds)
        elif what in ("add", "remove") and len(values) == 2:
            request = parse_mark(f"1 present {values[0]} {values[1]}", cls.local_now(now).date())
            found = None
            if request is not None and request.day is not None and request.time is not None:
                found = next(
                    (
                        s
                        for s in await classes.sessions_on(db, cls, request.day)
                        if s.start == request.time
                    ),
                    None,
                )
            if found is None:
                return SettingsOutcome(Reply.text(_("There is no session at that day and time.")))
            changed = await store.set_extra(db, cls.id, found.key, found.day, what == "add")
            if changed:
                await _audit(db, manager, cls, now, {what: found.key, "day": found.day.isoformat()})
            return SettingsOutcome(
                Reply.text(
                    _("Saved.") if changed else _("Nothing changed."),
                    *_settings_lines(cls, settings),
                    title=heading,
                ),
                changed,
            )
        else:
            return SettingsOutcome(Reply.text(*_settings_lines(cls, settings), title=heading))
        if new == settings:
            return SettingsOutcome(
                Reply.text(_("Nothing changed."), *_settings_lines(cls, settings), title=heading)
            )
        await store.save_settings(db, cls.id, new)
        await _audit(db, manager, cls, now, {"setting": what, "value": " ".join(values)})
        return SettingsOutcome(
            Reply.text(_("Saved."), *_settings_lines(cls, new), title=heading), True
        )


def _replace(settings: SigninSettings, **changes: Any) -> SigninSettings:
    return dataclasses.replace(settings, **changes)


async def _audit(
    db: Database, manager: Person, cls: TrainingClass, now: dt.datetime, details: dict[str, str]
) -> None:
    await audit.record(
        db,
        action="attendance.settings",
        actor=manager.display_name,
        actor_person_id=manager.id,
        class_id=cls.id,
        now=now,
        details=details,
    )


# Button actions ---------------------------------------------------------------------------


async def _on_action(ctx: ActionContext, rest: str) -> ActionResult:
    """``att:in:…``, ``att:ls:…``, ``att:mk:…:<person>:p``."""
    verb, _sep, tail = rest.partition(":")
    if verb == "in":
        return await signin.on_signin(ctx, tail)
    if verb == "mk":
        head, _s, person_text = tail.rpartition(":")
        ref, _s2, person = head.rpartition(":")
        parsed = parse_ref(ref)
        if parsed is None or person_text != "p" or not person.isdigit():
            return actions.expired()
        return await _mark_present(ctx, parsed, int(person))
    if verb == "ls":
        parsed = parse_ref(tail)
        if parsed is None:
            return actions.expired()
        found = await resolve_signin(ctx.db, *parsed)
        if found is None:
            return actions.expired()
        try:
            reply = await live_view(ctx.db, ctx.person, found[0], ctx.now, ctx.lang, found[1])
        except Forbidden:
            return ActionResult(toast=_("Only the class managers can do this."))
        return ActionResult(replies=[reply], replace=True)
    return actions.expired()


async def _mark_present(
    ctx: ActionContext, parsed: tuple[int, str, dt.date], person_id: int
) -> ActionResult:
    found = await resolve_signin(ctx.db, *parsed)
    if found is None or await people.get_membership(ctx.db, parsed[0], person_id) is None:
        return actions.expired()
    cls, session, _settings = found
    try:
        changed = await mark(
            ctx.db, ctx.person, cls, session, person_id, Status.PRESENT, "", ctx.now
        )
    except Forbidden:
        return ActionResult(toast=_("Only the class managers can do this."))
    reply = await live_view(ctx.db, ctx.person, cls, ctx.now, ctx.lang, session)
    toast = _("Marked present.") if changed else _("Nothing changed: the list already says so.")
    return ActionResult(replies=[reply], replace=True, toast=toast)


actions.register("att:", _on_action)
