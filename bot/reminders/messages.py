"""What reminders say: the morning digest, the evening-before card, the departure reminder.

Pure renderers (class, sessions and a language in, a :class:`~bot.replies.Reply`
out) built on the agenda's own day view and departure card, so a reminder
reads exactly like the answer to /today or /visits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from bot.agenda import cards
from bot.agenda import views as agenda
from bot.domain import Session, SessionKind, Topic, TrainingClass
from bot.i18n import _, format_clock, use_lang
from bot.reminders import rollcall
from bot.replies import Block, Button, Location, Reply


def digest_reply(
    cls: TrainingClass,
    day: dt.date,
    sessions: Sequence[Session],
    topics: Mapping[int, Topic],
    lang: str,
) -> Reply:
    """The morning digest: a greeting (welcome / closing day) above the day's programme."""
    with use_lang(lang):
        name = cls.title(lang)
        if day == cls.first_day:
            lines = [
                _("Welcome to {class_name}! Here is today's programme.").format(class_name=name)
            ]
        elif day == cls.last_day:
            lines = [
                _("Good morning! Today is the last day of {class_name}.").format(class_name=name)
            ]
        else:
            lines = [_("Good morning! Here is today's programme.")]
        if day == cls.last_day:
            closing = next((s for s in sessions if s.kind is SessionKind.CLOSING), None)
            lines.append(
                _("The closing ceremony is at {time}.").format(time=format_clock(closing.start))
                if closing
                else _("The class closes today with the closing ceremony.")
            )
        body = agenda.day_reply(cls, day, sessions, topics, lang, nav=False)
    return Reply(
        blocks=(Block(lines=tuple(lines)), *body.blocks),
        buttons=body.buttons,
        location=body.location,
    )


def evening_reply(cls: TrainingClass, session: Session, lang: str) -> Reply:
    """The evening-before card of a field visit or trip."""
    card = cards.departure_card(cls, session, lang)
    with use_lang(lang):
        head = (
            _("Tomorrow: study trip. Please read the departure details below.")
            if session.kind is SessionKind.TRIP
            else _("Tomorrow: field visit. Please read the departure details below.")
        )
    return Reply(
        blocks=(Block(lines=(head,)), *card.blocks), buttons=card.buttons, location=card.location
    )


def checkin_action(cls: TrainingClass, session: Session) -> str:
    """The callback data of the "I'm on the bus" button."""
    return f"checkin:{rollcall.departure_ref(cls, session)}"


def departure_reminder(cls: TrainingClass, session: Session, lang: str) -> Reply:
    """The reminder before departure, with the "I'm on the bus" button."""
    with use_lang(lang):
        title = cards.text_of(cls, session.title, lang)
        place = cards.text_of(cls, session.meeting_point, lang)
        clock = format_clock(session.departure or session.start)
        lines = [
            _("The bus leaves at {time} from {place}.").format(time=clock, place=place)
            if place
            else _("The bus leaves at {time}.").format(time=clock),
            cards.venue_time_label(cls, session.day),
            _("When you are on the bus, please confirm with “I'm on the bus”."),
        ]
        button = Button(_("I'm on the bus"), checkin_action(cls, session))
        heading = _("Departure soon: {title}").format(title=title)
    location = None
    if session.latitude is not None and session.longitude is not None:
        location = Location(session.latitude, session.longitude, title=place or title)
    return Reply(
        blocks=(Block(lines=tuple(lines), title=heading),), buttons=((button,),), location=location
    )
