"""Lecture ratings: attended trainees only, once (changeable until the class ends), anonymous."""

from __future__ import annotations

import datetime as dt

import pytest

from bot import actions
from bot.actions import ActionContext
from bot.clock import FakeClock
from bot.domain import Channel, Person
from bot.evaluation import commands, ratings
from bot.i18n import use_lang
from bot.people.permissions import Forbidden
from bot.store import attendance as attendance_store
from bot.store import evaluation as store
from bot.store.database import Database
from tests.helpers.sample import Seeded

DAY = dt.date(2024, 7, 15)
SIGNED = dt.datetime(2024, 7, 15, 2, 5, tzinfo=dt.UTC)  # 09:05
AFTER = dt.datetime(2024, 7, 15, 4, 40, tzinfo=dt.UTC)  # 11:40, Topic 1 ended at 11:30


def ctx(db: Database, person: Person, clock: FakeClock) -> ActionContext:
    return ActionContext(db=db, person=person, lang="en", now=clock.now(), channel=Channel.TELEGRAM)


async def attend(db: Database, seeded: Seeded) -> None:
    await attendance_store.sign_in(db, seeded.cls.id, "s2", DAY, seeded.trainee.id, SIGNED)


async def test_rate_change_and_duplicate(db: Database, clock: FakeClock, seeded: Seeded) -> None:
    await attend(db, seeded)
    clock.set(AFTER)
    ref = f"{seeded.cls.id}:s2:2024-07-15"
    first = await actions.dispatch(ctx(db, seeded.trainee, clock), f"rate:{ref}:4")
    same = await actions.dispatch(ctx(db, seeded.trainee, clock), f"rate:{ref}:4")
    changed = await actions.dispatch(ctx(db, seeded.trainee, clock), f"rate:{ref}:5")
    assert first.replies[0].plain().startswith("Thank you: ★★★★.")
    assert same.replies[0].plain() == "You already gave ★★★★. Nothing has changed."
    assert changed.replies[0].plain() == "Your rating is now ★★★★★."
    rows = await store.rating_rows(db, seeded.cls.id)
    assert [(r.session_key, r.stars) for r in rows] == [("s2", 5)]
    asked = await actions.dispatch(ctx(db, seeded.trainee, clock), f"rate:c:{ref}")
    assert "Please type your comment" in asked.replies[0].plain()
    saved = await commands.typed_answer(db, seeded.trainee, "  Very  useful ", clock.now(), "en")
    assert saved is not None and saved[0].plain() == "Thank you, your comment is saved."
    assert (await store.rating_rows(db, seeded.cls.id))[0].comment == "Very useful"
    clock.set(dt.datetime(2024, 7, 17, 17, 0, tzinfo=dt.UTC))  # 18/7 00:00: the class is over
    over = await actions.dispatch(ctx(db, seeded.trainee, clock), f"rate:{ref}:1")
    assert over.replies[0].plain() == "The class has ended; ratings can no longer be changed."
    assert (await store.rating_rows(db, seeded.cls.id))[0].stars == 5


async def test_only_attended_and_ended_lectures(
    db: Database, clock: FakeClock, seeded: Seeded
) -> None:
    ref = f"{seeded.cls.id}:s2:2024-07-15"
    clock.set(SIGNED)
    await attend(db, seeded)
    early = await actions.dispatch(ctx(db, seeded.trainee, clock), f"rate:{ref}:3")
    assert early.replies[0].plain() == "You can rate this lecture once it has ended."
    clock.set(AFTER)
    other = f"{seeded.cls.id}:s1:2024-07-15"  # the opening ceremony is not a lecture
    not_a_lecture = await actions.dispatch(ctx(db, seeded.trainee, clock), f"rate:{other}:3")
    assert not_a_lecture.toast == "This button is no longer active."
    bad = await actions.dispatch(ctx(db, seeded.trainee, clock), f"rate:{ref}:9")
    assert bad.replies == [] and bad.toast == "This button is no longer active."
    manager = await actions.dispatch(ctx(db, seeded.manager, clock), f"rate:{ref}:3")
    assert manager.replies == [] and manager.toast == "Ratings are for trainees."
    with use_lang("en"):
        wrong = await ratings.rate(db, seeded.trainee, seeded.cls.id, "s2", DAY, 9, clock.now())
    assert wrong.plain() == "Please choose from 1 to 5."
    await attendance_store.mark(
        db,
        seeded.cls.id,
        "s2",
        DAY,
        seeded.trainee.id,
        attendance_store.Status.ABSENT,
        "",
        AFTER,
        seeded.manager.id,
    )
    absent = await actions.dispatch(ctx(db, seeded.trainee, clock), f"rate:{ref}:3")
    assert absent.replies[0].plain() == "Only trainees who attended this lecture can rate it."
    assert await store.rating_rows(db, seeded.cls.id) == []


async def test_summary_is_anonymous_and_for_managers(
    db: Database, clock: FakeClock, seeded: Seeded
) -> None:
    await attend(db, seeded)
    clock.set(AFTER)
    await ratings.rate(db, seeded.trainee, seeded.cls.id, "s2", DAY, 4, clock.now())
    await store.comment(db, seeded.cls.id, "s2", DAY, seeded.trainee.id, "Clear examples")
    summary = await ratings.summary_view(db, seeded.manager, seeded.cls, "en")
    text = summary.plain()
    assert "Ratings: 1, average 4.0" in text and "“Clear examples”" in text
    assert "No ratings yet." in text  # Topic 2
    assert "Somphone" not in text
    with pytest.raises(Forbidden):
        await ratings.summary_view(db, seeded.trainee, seeded.cls, "en")
