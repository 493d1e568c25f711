"""Reminder settings: a member's own (/remind, /quiet) and a class's (/settings, managers).

Each command returns a :class:`SettingsOutcome`: the answer in the member's
language and the classes whose reminder jobs must be re-derived (the channel
calls ``bot.telegram.jobs.sync_jobs`` for them). Registers the ``remind:on`` /
``remind:off`` buttons with :mod:`bot.actions`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from bot import actions
from bot.actions import ActionContext, ActionResult
from bot.domain import Person, TrainingClass
from bot.i18n import _, format_clock, use_lang
from bot.people import permissions, preferences
from bot.people.permissions import MANAGERS
from bot.replies import Block, Button, Reply
from bot.store import audit, classes, people
from bot.store import reminders as store
from bot.store.database import Database

ON_WORDS = frozenset({"on", "yes", "bật", "bat", "ເປີດ"})
OFF_WORDS = frozenset({"off", "no", "tắt", "tat", "ປິດ"})
DEFAULT_WORDS = frozenset({"default", "mặc định", "mac dinh", "ຄ່າເລີ່ມຕົ້ນ"})

_TIME = re.compile(r"^(\d{1,2})(?:[:h.](\d{2}))?h?$")
_MINUTES = (1, 240)
"""Allowed range of the departure and roll-call offsets, in minutes."""


@dataclass(frozen=True, slots=True)
class SettingsOutcome:
    """The answer, and the classes whose jobs need re-deriving."""

    reply: Reply
    resync: tuple[int, ...] = ()


def parse_clock(text: str) -> dt.time | None:
    """'6:30', '06:30', '6h30', '6h', '18.00' → a time; None if it is not one."""
    match = _TIME.match(text.strip().lower())
    if match is None:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if hour > 23 or minute > 59:
        return None
    return dt.time(hour, minute)


def parse_quiet(text: str) -> tuple[dt.time, dt.time] | None:
    """'22:00-06:00' (also with '–' or 'to') → (start, end)."""
    parts = re.split(r"\s*(?:-|–|—|to)\s*", text.strip().lower())
    if len(parts) != 2:
        return None
    start, end = parse_clock(parts[0]), parse_clock(parts[1])
    return (start, end) if start is not None and end is not None else None


async def _class_ids(db: Database, person: Person) -> tuple[int, ...]:
    return tuple(m.class_id for m in await people.memberships_of(db, person.id))


def remind_status(person: Person, cls: TrainingClass | None) -> Reply:
    """The member's reminder settings and how to change them (active language)."""
    digest = person.digest_time or (cls.reminder_time if cls else None)
    lines = [
        _("Morning digest: on") if person.remind else _("Morning digest: off"),
    ]
    if digest is not None:
        lines.append(_("Digest time: {time} (venue time)").format(time=format_clock(digest)))
    if person.quiet_start == person.quiet_end:
        lines.append(_("Quiet hours: none"))
    else:
        lines.append(
            _("Quiet hours: {start}–{end} (venue time)").format(
                start=format_clock(person.quiet_start), end=format_clock(person.quiet_end)
            )
        )
    lines.append(_("Field-visit notices and departure reminders always come: they are logistics."))
    help_lines = (
        _("/remind on or /remind off: the morning digest"),
        _("/remind 06:00: your own digest time; /remind default: the class's time"),
        _("/quiet 22:00-06:00: quiet hours; /quiet off: none"),
    )
    button = (
        Button(_("Turn the morning digest off"), "remind:off")
        if person.remind
        else Button(_("Turn the morning digest on"), "remind:on")
    )
    return Reply(
        blocks=(Block(lines=tuple(lines), title=_("Your reminders")), Block(lines=help_lines)),
        buttons=((button,),),
    )


async def remind_command(db: Database, person: Person, arg: str, lang: str) -> SettingsOutcome:
    """``/remind``, ``/remind on|off``, ``/remind 06:00``, ``/remind default``."""
    word = arg.strip().lower()
    resync: tuple[int, ...] = ()
    with use_lang(lang):
        if word in ON_WORDS or word in OFF_WORDS:
            await people.set_reminder_prefs(db, person.id, remind=word in ON_WORDS)
        elif word in DEFAULT_WORDS:
            await people.set_reminder_prefs(db, person.id, clear_digest_time=True)
            resync = await _class_ids(db, person)
        elif word:
            time = parse_clock(word)
            if time is None:
                return SettingsOutcome(
                    Reply.text(_("Please write a time such as 06:00, or on, off or default."))
                )
            await people.set_reminder_prefs(db, person.id, digest_time=time, remind=True)
            resync = await _class_ids(db, person)
        return SettingsOutcome(await _status(db, person), resync)


async def quiet_command(db: Database, person: Person, arg: str, lang: str) -> SettingsOutcome:
    """``/quiet``, ``/quiet 22:00-06:00``, ``/quiet off``."""
    word = arg.strip().lower()
    with use_lang(lang):
        if word in OFF_WORDS:
            await people.set_reminder_prefs(db, person.id, quiet=(dt.time(0), dt.time(0)))
        elif word:
            span = parse_quiet(word)
            if span is None:
                return SettingsOutcome(
                    Reply.text(_("Please write quiet hours such as 22:00-06:00, or off."))
                )
            await people.set_reminder_prefs(db, person.id, quiet=span)
        return SettingsOutcome(await _status(db, person))


async def _status(db: Database, person: Person) -> Reply:
    fresh = await people.get_person(db, person.id) or person
    current = await preferences.active_class(db, fresh)
    return remind_status(fresh, current[0] if current else None)


def class_settings_reply(cls: TrainingClass, lang: str) -> Reply:
    """A class's reminder settings and the commands that change them (active language)."""
    lines = (
        _("Morning digest: {time}").format(time=format_clock(cls.reminder_time)),
        _("Field-visit card the evening before: {time}").format(
            time=format_clock(cls.evening_notice_time)
        ),
        _("Departure reminder: {minutes} min before departure").format(
            minutes=cls.departure_reminder_min
        ),
        _("Missing list to managers: {minutes} min before departure").format(
            minutes=cls.rollcall_report_min
        ),
    )
    usage = (
        "/settings digest 06:30 · /settings evening 20:00",
        "/settings departure 30 · /settings rollcall 10",
    )
    return Reply(
        blocks=(
            Block(
                lines=lines,
                title=_("Reminders of {class_name} (venue time)").format(
                    class_name=cls.title(lang)
                ),
            ),
            Block(lines=usage),
        )
    )


async def class_settings_command(
    db: Database,
    person: Person,
    cls: TrainingClass,
    arg: str,
    now: dt.datetime,
    lang: str,
) -> SettingsOutcome:
    """``/settings [digest HH:MM | evening HH:MM | departure N | rollcall N]`` (managers)."""
    await permissions.require(db, person, cls.id, MANAGERS)
    with use_lang(lang):
        what, _sep, value = arg.strip().lower().partition(" ")
        if not what:
            return SettingsOutcome(class_settings_reply(cls, lang))
        change: dict[str, str] = {}
        time = parse_clock(value)
        if what in ("digest", "reminder", "morning") and time is not None:
            await store.update_class_settings(db, cls.id, reminder_time=time)
            change["reminder_time"] = value
        elif what == "evening" and time is not None:
            await store.update_class_settings(db, cls.id, evening_notice_time=time)
            change["evening_notice_time"] = value
        elif what in ("departure", "rollcall") and value.strip().isdigit():
            minutes = int(value)
            if not _MINUTES[0] <= minutes <= _MINUTES[1]:
                return SettingsOutcome(
                    Reply.text(
                        _("Please give a number of minutes from {low} to {high}.").format(
                            low=_MINUTES[0], high=_MINUTES[1]
                        )
                    )
                )
            if what == "departure":
                await store.update_class_settings(db, cls.id, departure_reminder_min=minutes)
            else:
                await store.update_class_settings(db, cls.id, rollcall_report_min=minutes)
            change[what] = str(minutes)
        else:
            return SettingsOutcome(class_settings_reply(cls, lang))
        await audit.record(
            db,
            action="reminders.settings",
            actor=person.display_name,
            actor_person_id=person.id,
            class_id=cls.id,
            now=now,
            details=change,
        )
        fresh = await classes.get_class(db, cls.id) or cls
        return SettingsOutcome(class_settings_reply(fresh, lang), (cls.id,))


async def _on_remind(ctx: ActionContext, rest: str) -> ActionResult:
    if rest not in ("on", "off"):
        return actions.expired()
    outcome = await remind_command(ctx.db, ctx.person, rest, ctx.lang)
    # On/off never changes which jobs exist (digest slots ignore the switch): no re-sync.
    return ActionResult(replies=[outcome.reply], replace=True)


actions.register("remind:", _on_remind)
