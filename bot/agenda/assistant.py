"""Answering a trainee's question: an :class:`~bot.agenda.intents.Intent` in, replies out.

Channel-neutral: Telegram, Zalo and the terminal chat parse the message with
:func:`bot.agenda.intents.parse` and send what :func:`answer` returns. Choosing a
language and switching the active class need the channel's own pickers, so
:data:`CHANNEL_KINDS` are left to the channel; help and the class card are
here (:func:`help_reply`, :func:`myclass_reply`).
"""

from __future__ import annotations

import datetime as dt
import weakref

from bot import actions
from bot.actions import ActionContext, ActionResult
from bot.agenda import briefs
from bot.agenda import views as agenda
from bot.agenda.cards import venue_time_label
from bot.agenda.intents import SMALL_TALK, Intent, IntentKind, normalize, parse
from bot.agenda.matching import ScheduleIndex
from bot.domain import LANGS, Channel, Role, TrainingClass
from bot.i18n import LANG_NAMES, N_, _, use_lang
from bot.people import preferences
from bot.people.permissions import ROLE_NAMES
from bot.replies import Block, Button, Reply
from bot.store import classes, people
from bot.store.database import Database

CHANNEL_KINDS = frozenset({IntentKind.LANG, IntentKind.CLASS})
"""Intents the channel answers itself (they need its pickers and the person's record)."""


TRAINEE_COMMANDS: tuple[tuple[str, str], ...] = (
    ("today", N_("Today's schedule")),
    ("tomorrow", N_("Tomorrow's schedule")),
    ("week", N_("This week's schedule")),
    ("next", N_("The next session and how long until it")),
    ("topics", N_("The lecture topics")),
    ("topic", N_("One topic in detail, e.g. /topic 3")),
    ("visits", N_("Upcoming field visits: departure, meeting point, what to bring")),
    ("me", N_("My card: room, bus and seat, group leader")),
    ("contacts", N_("Whom to call: hotline, class managers, hospital, embassy")),
    ("materials", N_("Materials of the lectures, e.g. /materials 3")),
    ("myclass", N_("About your class")),
    ("class", N_("Choose the active class")),
    ("lang", N_("Choose the language")),
    ("remind", N_("Your morning digest: on, off or your own time, e.g. /remind 06:00")),
    ("quiet", N_("Your quiet hours, e.g. /quiet 22:00-06:00")),
    ("attendance", N_("Your attendance (managers: the live list)")),
    ("evaluation", N_("The end-of-course evaluation form")),
    ("results", N_("Your result and commendation")),
    ("help", N_("This help")),
)
MANAGER_COMMANDS: tuple[tuple[str, str], ...] = (
    ("broadcast", N_("Send an announcement to the class")),
    ("roster", N_("The trainees list: rooms, buses, seats; load it from a file")),
    ("attach", N_("Reply to a document with /attach to give it to a session")),
    ("report", N_("Delivery and read report of announcements")),
    ("rollcall", N_("Roll call: who is on the bus for the next departure")),
    ("settings", N_("The class's reminder times, e.g. /settings digest 06:30")),
    ("members", N_("The class members")),
    ("invite", N_("Create an invite link")),
    ("remove", N_("Remove a member from the class, e.g. /remove 12")),
    ("export", N_("Export the schedule")),
    ("signin", N_("Sign-in settings: opening, closing, room code")),
    ("mark", N_("Mark attendance, e.g. /mark 3 absent")),
    ("ratings", N_("Lecture ratings (anonymous)")),
    ("closing", N_("The closing pack (XLSX)")),
)
ADMIN_COMMANDS: tuple[tuple[str, str], ...] = (
    ("upload", N_("Upload a schedule file")),
    ("versions", N_("Schedule versions")),
    ("rollback", N_("Go back to an earlier schedule version")),
    ("newclass", N_("Create a class")),
    ("promote", N_("Raise a member's role one step, e.g. /promote 12")),
    ("demote", N_("Lower a member's role one step, e.g. /demote 12")),
    ("audit", N_("The audit log")),
    ("template", N_("The schedule template file")),
    ("evalform", N_("Your own evaluation questions from a sheet")),
)


NOT_ON_ZALO = frozenset(
    {
        *("export", "upload", "versions", "rollback", "newclass", "audit", "template"),
        *("attach", "evalform"),  # they take a document (issues 17, 18)
    }
)
"""Commands Zalo cannot serve (they send or receive documents, or are not offered there):
left out of the help shown on Zalo. Every other command of the help works on Zalo."""


def commands_for(role: Role, lang: str) -> list[tuple[str, str]]:
    """``(command, description)`` pairs a role may use, in ``lang`` (for command menus)."""
    groups = [TRAINEE_COMMANDS]
    if role in (Role.MANAGER, Role.ADMIN):
        groups.append(MANAGER_COMMANDS)
    if role is Role.ADMIN:
        groups.append(ADMIN_COMMANDS)
    with use_lang(lang):
        return [(name, _(text)) for group in groups for name, text in group]


def _lines(commands: tuple[tuple[str, str], ...], channel: Channel) -> tuple[str, ...]:
    hidden = NOT_ON_ZALO if channel is Channel.ZALO else frozenset()
    return tuple(f"/{name} — {_(text)}" for name, text in commands if name not in hidden)


def help_reply(role: Role, lang: str, channel: Channel = Channel.TELEGRAM) -> Reply:
    """The commands a role may use on ``channel`` and examples of plain questions."""
    with use_lang(lang):
        blocks = [Block(_lines(TRAINEE_COMMANDS, channel), _("What I can do"))]
        if role in (Role.MANAGER, Role.ADMIN):
            blocks.append(Block(_lines(MANAGER_COMMANDS, channel), _("For class managers")))
        if role is Role.ADMIN:
            lines = _lines(ADMIN_COMMANDS, channel)
            if channel is Channel.ZALO:
                lines += (
                    _(
                        "Schedule files, versions, exports and the audit log are on Telegram "
                        "or the command line."
                    ),
                )
            blocks.append(Block(lines, _("For organisers")))
        blocks.append(
            Block(
                (
                    _(
                        "You can also write in your own words, for example: “what's on today”, "
                        "“tomorrow”, “Thursday”, “15/7”, “topic 3”, “what should I bring”, "
                        "“where does the bus leave”."
                    ),
                )
            )
        )
        return Reply(blocks=tuple(blocks))


def about_reply(lang: str) -> Reply:
    """'What can you do?': a few lines, with every command one tap away."""
    with use_lang(lang):
        text = _(
            "I answer questions about your class: the programme of a day or a week, the next "
            "session and how long until it, the lecturers and the rooms, the field visits "
            "(departure, meeting point, what to bring, return) and the lecture topics. "
            "Ask in your own words, in Vietnamese, Lao or English."
        )
        return Reply(
            blocks=Reply.text(text).blocks, buttons=((Button(_("All commands"), "help:all"),),)
        )


async def _help(ctx: ActionContext, rest: str) -> ActionResult:
    """``help:all``: the help of the person's role in their active class."""
    found = await preferences.active_class(ctx.db, ctx.person)
    role = found[1] if found else Role.TRAINEE
    return ActionResult(replies=[help_reply(role, ctx.lang)])


actions.register("help:", _help)


def myclass_reply(cls: TrainingClass, role: Role, lang: str) -> Reply:
    """The class's name, code, dates, venue, time zone and the person's role in it."""
    with use_lang(lang):
        lines = [
            _("Code: {code}").format(code=cls.code),
            _("Dates: {dates}").format(dates=agenda.class_dates(cls)),
        ]
        if cls.venue:
            lines.append(_("Venue: {place}").format(place=cls.venue))
        if cls.organiser:
            lines.append(_("Organiser: {name}").format(name=cls.organiser))
        lines.append(venue_time_label(cls, cls.first_day))
        lines.append(_("Your role: {role}").format(role=_(ROLE_NAMES[role])))
        return Reply(blocks=(Block(tuple(lines), cls.title(lang)),))


def unread_day_reply(intent: Intent, lang: str) -> Reply:
    """'/day 40/7': what could not be read, and how to write a day."""
    with use_lang(lang):
        text = _(
            "I could not read “{text}” as a day. Write it as day/month, for example "
            "/{command} 15/7, or as a weekday."
        )
        return Reply.text(text.format(text=intent.unread, command=intent.kind.value))


async def answer(
    db: Database,
    cls: TrainingClass,
    intent: Intent,
    *,
    lang: str,
    now: dt.datetime,
    role: Role = Role.TRAINEE,
) -> list[Reply]:
    """The replies to ``intent`` for a member of ``cls``; days are the class's local dates.

    Raises:
        ValueError: for :data:`CHANNEL_KINDS`, which the channel answers itself.
    """
    today = cls.local_now(now).date()
    if intent.unread is not None:
        return [unread_day_reply(intent, lang)]
    match intent.kind:
        case IntentKind.TODAY:
            return [await agenda.day_view(db, cls, today, lang)]
        case IntentKind.TOMORROW:
            return [await agenda.day_view(db, cls, today + dt.timedelta(days=1), lang)]
        case IntentKind.DAY:
            return [await agenda.day_view(db, cls, intent.day or today, lang)]
        case IntentKind.WEEK:
            shown = await agenda.week_view(db, cls, intent.day or today, lang)
            return agenda.offer_picture(cls, intent.day or today, shown, lang)
        case IntentKind.NEXT:
            return [await agenda.next_view(db, cls, now, lang)]
        case IntentKind.TOPICS:
            return [await agenda.topics_view(db, cls, lang)]
        case IntentKind.TOPIC:
            if intent.number is None:
                return [await agenda.topics_view(db, cls, lang)]
            return [await agenda.topic_view(db, cls, intent.number, lang)]
        case IntentKind.VISITS:
            return await agenda.visits_view(db, cls, now, lang, limit=intent.number, day=intent.day)
        case IntentKind.BRING | IntentKind.MEETING | IntentKind.SESSION if intent.session:
            found = await briefs.session_view(db, cls, intent.kind, intent.session, lang)
            if found is not None:
                return found
            return await answer(db, cls, Intent(intent.kind, day=intent.day), lang=lang, now=now)
        case IntentKind.BRING:
            return await agenda.bring_view(db, cls, now, lang, intent.day)
        case IntentKind.MEETING:
            return await agenda.meeting_view(db, cls, now, lang, intent.day)
        case IntentKind.SESSION:
            return [await agenda.next_view(db, cls, now, lang)]
        case IntentKind.RETURN:
            return await briefs.return_view(db, cls, now, lang, intent.day, intent.session)
        case IntentKind.COUNTDOWN:
            return [await briefs.countdown_view(db, cls, now, lang)]
        case IntentKind.START | IntentKind.LECTURERS:
            return [await briefs.day_brief(db, cls, intent.kind, intent.day or today, lang)]
        case IntentKind.WHERE:
            return [await briefs.where_view(db, cls, now, lang, intent.day)]
        case IntentKind.SETLANG:
            return [briefs.language_offer(intent.lang or lang, lang)]
        case kind if kind in SMALL_TALK:
            return [briefs.courtesy_reply(kind, lang)]
        case IntentKind.OPENING | IntentKind.CLOSING:
            return [await agenda.ceremony_view(db, cls, intent.kind is IntentKind.CLOSING, lang)]
        case IntentKind.HELP:
            return [help_reply(role, lang)]
        case IntentKind.ABOUT:
            return [about_reply(lang)]
        case IntentKind.MYCLASS:
            return [myclass_reply(cls, role, lang)]
    raise ValueError(f"{intent.kind} is answered by the channel")


async def _choose_lang(ctx: ActionContext, rest: str) -> ActionResult:
    if rest not in LANGS:
        return actions.expired()
    await people.set_lang(ctx.db, ctx.person.id, rest)
    with use_lang(rest):
        done = Reply.text(_("I will write to you in English from now on."))
        current = await preferences.active_class(ctx.db, ctx.person)
        if current is None:
            follow = Reply.text(
                _(
                    "You have not joined a class yet. Please open the invitation link "
                    "your class manager sent you."
                )
            )
        else:
            follow = help_reply(current[1], rest, ctx.channel)
        return ActionResult(replies=[done, follow], replace=True, toast=LANG_NAMES[rest])


actions.register("lang:", _choose_lang)


_indexes: weakref.WeakKeyDictionary[Database, dict[int, ScheduleIndex]] = (
    weakref.WeakKeyDictionary()
)


async def schedule_index(db: Database, cls: TrainingClass) -> ScheduleIndex | None:
    """The live version's words, indexed once per version (versions never change once saved)."""
    version = cls.live_version_id
    if version is None:
        return None
    per_db = _indexes.setdefault(db, {})
    found = per_db.get(version)
    if found is None:
        sessions = await classes.version_sessions(db, version)
        topics = await agenda.class_topics(db, cls)
        found = per_db[version] = ScheduleIndex(sessions, topics.values(), normalize)
    return found


async def understand(
    db: Database, cls: TrainingClass | None, text: str, now: dt.datetime
) -> Intent | None:
    """What ``text`` asks, read against the class's own dates and schedule (the one parser).

    Every channel calls this: dates resolve in the class's local time and within its
    dates when they can, and the places, titles and lecturers named in the question
    resolve to their session or topic. Without a class: the words alone.
    """
    if cls is None:
        return parse(text, now.date())
    index = await schedule_index(db, cls)
    today = cls.local_now(now).date()
    return parse(text, today, span=(cls.first_day, cls.last_day), index=index)
