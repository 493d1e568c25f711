"""A one-tap rating (1–5) for every lecture, an optional comment, the anonymous summary.

Which sessions are rated: lectures and any session on a numbered topic. The
prompt goes, when the session ends, to each trainee recorded present at it
(:mod:`bot.attendance.planning`). Actions (prefix ``rate:``):
``rate:<ref>:<1-5>`` sets the stars (a second tap with the same stars
changes nothing, other stars replace them until the class ends) and
``rate:c:<ref>`` asks for a comment, which the next typed answer becomes.
Managers see counts, averages and comments, never who gave them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from bot import actions
from bot.actions import ActionContext, ActionResult
from bot.agenda import cards
from bot.attendance.sessions import parse_ref, resolve, session_ref
from bot.domain import Person, Role, Session, SessionKind, TrainingClass
from bot.i18n import _, format_day_short, use_lang
from bot.people import permissions
from bot.people.permissions import MANAGERS
from bot.replies import Block, Button, Reply
from bot.store import attendance as attendance_store
from bot.store import audit, classes
from bot.store import evaluation as store
from bot.store.database import Database
from bot.store.evaluation import RatingRow

COMMENT_KIND = "comment"
"""The awaited typed answer: a comment on a rated session."""

COMMENT_WAIT = dt.timedelta(minutes=30)
MAX_COMMENT = 1000
STARS = "★"


def is_rated(session: Session) -> bool:
    return session.kind is SessionKind.LECTURE or session.topic_number is not None


def class_over(cls: TrainingClass, now: dt.datetime) -> bool:
    """Ratings can change until the end of the class's last day (venue time)."""
    return cls.local_now(now).date() > cls.last_day


def class_end(cls: TrainingClass) -> dt.datetime:
    end = dt.datetime.combine(cls.last_day + dt.timedelta(days=1), dt.time(0), tzinfo=cls.tz)
    return end.astimezone(dt.UTC)


def prompt_reply(cls: TrainingClass, session: Session, lang: str) -> Reply:
    """The question after a lecture: five star buttons and a comment button."""
    with use_lang(lang):
        ref = session_ref(cls, session)
        heading = _("How was this lecture? {title}").format(
            title=cards.text_of(cls, session.title, lang)
        )
        lines = [
            _("{day}, {start}–{end}").format(
                day=format_day_short(session.day),
                start=cards.clock(session.start),
                end=cards.clock(session.end),
            ),
            _("Tap 1 (poor) to 5 (excellent). Your rating is anonymous."),
        ]
        if session.lecturer:
            lines.insert(1, session.lecturer)
        stars = tuple(Button(str(n), f"rate:{ref}:{n}") for n in range(1, 6))
        comment = (Button(_("Add a comment"), f"rate:c:{ref}"),)
    return Reply(blocks=(Block(tuple(lines), heading),), buttons=(stars, comment))


async def _rateable(
    db: Database, person: Person, class_id: int, key: str, day: dt.date, now: dt.datetime
) -> tuple[TrainingClass, Session] | Reply:
    found = await resolve(db, class_id, key, day)
    role = await permissions.role_in(db, person, class_id)
    if found is None or role is None or not is_rated(found[1]):
        return Reply.text(_("This lecture can no longer be rated."))
    cls, session = found
    if role is not Role.TRAINEE:
        return Reply.text(_("Ratings are for trainees."))
    if class_over(cls, now):
        return Reply.text(_("The class has ended; ratings can no longer be changed."))
    ends = dt.datetime.combine(session.day, session.end, tzinfo=cls.tz)
    if now < ends.astimezone(dt.UTC):
        return Reply.text(_("You can rate this lecture once it has ended."))
    present = await attendance_store.present_ids(db, class_id, session.key, session.day)
    if person.id not in present:
        return Reply.text(_("Only trainees who attended this lecture can rate it."))
    return cls, session


async def rate(
    db: Database,
    person: Person,
    class_id: int,
    key: str,
    day: dt.date,
    stars: int,
    now: dt.datetime,
) -> Reply:
    """Record ``stars`` for the session (in the active language); the answer to show."""
    if not 1 <= stars <= 5:
        return Reply.text(_("Please choose from 1 to 5."))
    found = await _rateable(db, person, class_id, key, day, now)
    if isinstance(found, Reply):
        return found
    cls, session = found
    async with db.transaction():
        before = await store.rate(db, class_id, session.key, session.day, person.id, stars, now)
        if before != stars:
            # Ratings are anonymous: the trail says a rating was set, never by whom.
            await audit.record(
                db,
                action="rating.set",
                actor="—",
                class_id=class_id,
                now=now,
                details={"session": session.key, "day": session.day.isoformat()},
            )
    shown = STARS * stars
    if before == stars:
        text = _("You already gave {stars}. Nothing has changed.").format(stars=shown)
    elif before is None:
        text = _("Thank you: {stars}. You can change it until the class ends.").format(stars=shown)
    else:
        text = _("Your rating is now {stars}.").format(stars=shown)
    ref = session_ref(cls, session)
    return Reply(
        blocks=(Block((text,)),),
        buttons=((Button(_("Add a comment"), f"rate:c:{ref}"),),),
    )


async def ask_comment(
    db: Database, person: Person, class_id: int, key: str, day: dt.date, now: dt.datetime
) -> Reply:
    found = await _rateable(db, person, class_id, key, day, now)
    if isinstance(found, Reply):
        return found
    cls, session = found
    if await store.rating_of(db, class_id, session.key, session.day, person.id) is None:
        return Reply.text(_("Please choose your rating (1–5) first."))
    await attendance_store.await_text(
        db, person.id, COMMENT_KIND, class_id, session_ref(cls, session), now + COMMENT_WAIT
    )
    return Reply.text(_("Please type your comment (it is shared without your name)."))


async def save_comment(
    db: Database, person: Person, class_id: int, ref: str, text: str, now: dt.datetime
) -> Reply:
    """The typed comment awaited after ``rate:c:``."""
    await attendance_store.stop_awaiting(db, person.id)
    parsed = parse_ref(ref)
    if parsed is None:
        return Reply.text(_("This lecture can no longer be rated."))
    found = await _rateable(db, person, *parsed, now)
    if isinstance(found, Reply):
        return found
    _cls, session = found
    cleaned = " ".join(text.split())[:MAX_COMMENT]
    await store.comment(db, class_id, session.key, session.day, person.id, cleaned)
    return Reply.text(_("Thank you, your comment is saved."))


async def _on_rate(ctx: ActionContext, rest: str) -> ActionResult:
    ref = rest.removeprefix("c:")
    if not rest.startswith("c:"):
        ref = ref.rpartition(":")[0]
    parsed = parse_ref(ref)
    found = await resolve(ctx.db, *parsed) if parsed is not None else None
    if parsed is None or found is None or not is_rated(found[1]):
        return actions.expired()
    role = await permissions.role_in(ctx.db, ctx.person, parsed[0])
    if role is None:  # not (or no longer) in the class
        return actions.expired()
    if role is not Role.TRAINEE:
        return ActionResult(toast=_("Ratings are for trainees."))
    if rest.startswith("c:"):
        parsed = parse_ref(rest[2:])
        if parsed is None:
            return actions.expired()
        reply = await ask_comment(ctx.db, ctx.person, *parsed, ctx.now)
        return ActionResult(replies=[reply])
    ref, _sep, stars = rest.rpartition(":")
    parsed = parse_ref(ref)
    if parsed is None or not stars.isdigit():
        return actions.expired()
    reply = await rate(ctx.db, ctx.person, *parsed, int(stars), ctx.now)
    return ActionResult(replies=[reply], toast=reply.plain()[:190])


actions.register("rate:", _on_rate)


# The summary ----------------------------------------------------------------------------


def summarise(
    sessions: Iterable[Session], rows: Iterable[RatingRow]
) -> list[tuple[Session, int, float, list[int], list[str]]]:
    """(session, count, average, counts of 1..5, comments) per rated session, in time order."""
    by_session: dict[tuple[str, dt.date], list[RatingRow]] = defaultdict(list)
    for row in rows:
        by_session[(row.session_key, row.day)].append(row)
    out = []
    for session in sessions:
        if not is_rated(session):
            continue
        given = by_session.get((session.key, session.day), [])
        spread = [sum(1 for r in given if r.stars == n) for n in range(1, 6)]
        average = sum(r.stars for r in given) / len(given) if given else 0.0
        comments = sorted(r.comment for r in given if r.comment)
        out.append((session, len(given), average, spread, comments))
    return out


async def summary_view(db: Database, person: Person, cls: TrainingClass, lang: str) -> Reply:
    """``/ratings``: per lecture, how many rated, the average, the comments (no names)."""
    await permissions.require(db, person, cls.id, MANAGERS)
    sessions = await classes.sessions_between(db, cls, cls.first_day, cls.last_day)
    summary = summarise(sessions, await store.rating_rows(db, cls.id))
    with use_lang(lang):
        blocks: list[Block] = []
        for session, count, average, _spread, comments in summary:
            when = f"{format_day_short(session.day)} {cards.clock(session.start)}"
            heading = f"{when} {cards.text_of(cls, session.title, lang)}"
            lines = [
                _("Ratings: {count}, average {average}").format(
                    count=count, average=f"{average:.1f}"
                )
                if count
                else _("No ratings yet.")
            ]
            lines += [f"“{c}”" for c in comments]
            blocks.append(Block(tuple(lines), heading))
        if not blocks:
            blocks.append(Block((_("This class has no lectures to rate."),)))
        intro = Block(
            (_("Ratings are anonymous: only counts, averages and comments."),),
            _("Lecture ratings: {name}").format(name=cls.title(lang)),
        )
    return Reply(blocks=(intro, *blocks))
