"""The evaluation form: question by question, resumable, who has not answered, the summary."""

from __future__ import annotations

import datetime as dt

from bot import actions
from bot.actions import ActionContext
from bot.clock import FakeClock
from bot.domain import Channel, Person
from bot.evaluation import commands, form
from bot.store import evaluation as store
from bot.store.database import Database
from tests.helpers.sample import Seeded

LAST_DAY = dt.datetime(2024, 7, 17, 9, 0, tzinfo=dt.UTC)  # 17/7 16:00 in Hanoi


def ctx(db: Database, person: Person, clock: FakeClock) -> ActionContext:
    return ActionContext(db=db, person=person, lang="en", now=clock.now(), channel=Channel.TELEGRAM)


async def test_not_before_the_last_day(db: Database, clock: FakeClock, seeded: Seeded) -> None:
    out = await commands.run(db, seeded.trainee, seeded.cls, "evaluation", clock.now(), "en")
    assert (
        out.replies[0].plain().startswith("The evaluation form opens on the last day of the class")
    )


async def test_answer_question_by_question_and_resume(
    db: Database, clock: FakeClock, seeded: Seeded
) -> None:
    clock.set(LAST_DAY)
    first = await form.start(db, seeded.trainee, seeded.cls, clock.now(), "en")
    assert first.plain().startswith("Evaluation, question 1 of 6")
    assert [b.action for b in first.buttons[0]] == [
        f"ev:{seeded.cls.id}:1:{n}" for n in range(1, 6)
    ]
    step = await actions.dispatch(ctx(db, seeded.trainee, clock), f"ev:{seeded.cls.id}:1:5")
    assert step.replace and "question 2 of 6" in step.replies[0].plain()
    again = await actions.dispatch(ctx(db, seeded.trainee, clock), f"ev:{seeded.cls.id}:1:5")
    assert "question 2 of 6" in again.replies[0].plain()
    bad = await actions.dispatch(ctx(db, seeded.trainee, clock), f"ev:{seeded.cls.id}:2:0")
    assert bad.replies == [] and bad.toast == "This button is no longer active."
    manager = await actions.dispatch(ctx(db, seeded.manager, clock), f"ev:{seeded.cls.id}:2:4")
    assert manager.replies == [] and manager.toast == "This evaluation form is not for you."
    # Stop and come back later: the form resumes at question 2.
    resumed = await commands.run(db, seeded.trainee, seeded.cls, "evaluation", clock.now(), "en")
    assert "question 2 of 6" in resumed.replies[0].plain()
    for number in (2, 3, 4, 5):
        await actions.dispatch(ctx(db, seeded.trainee, clock), f"ev:{seeded.cls.id}:{number}:4")
    pending = await form.not_finished(db, seeded.cls)
    assert [p.display_name for p in pending] == ["Somphone"]
    text = await commands.typed_answer(db, seeded.trainee, "More field visits", clock.now(), "en")
    assert text is not None
    assert text[0].plain() == "Thank you: you have answered every question of the evaluation."
    assert await form.not_finished(db, seeded.cls) == []
    answers = await store.answers_of(db, seeded.cls.id, seeded.trainee.id)
    assert answers[1].score == 5 and answers[6].text == "More field visits"


async def test_managers_see_names_not_answers(
    db: Database, clock: FakeClock, seeded: Seeded
) -> None:
    clock.set(LAST_DAY)
    await form.give_answer(db, seeded.trainee, seeded.cls.id, 1, 3, "", clock.now(), "en")
    before = await commands.run(db, seeded.manager, seeded.cls, "evaluation", clock.now(), "en")
    text = before.replies[0].plain()
    assert "0 of 1 trainees have completed the form." in text
    assert "Not completed yet (1)\n• Somphone" in text
    assert "Answers: 1, average 3.0" in text
    await form.give_answer(db, seeded.trainee, seeded.cls.id, 6, None, "Thanks", clock.now(), "en")
    for number in (2, 3, 4, 5):
        await form.give_answer(db, seeded.trainee, seeded.cls.id, number, 5, "", clock.now(), "en")
    after = await commands.run(db, seeded.manager, seeded.cls, "evaluation", clock.now(), "en")
    text = after.replies[0].plain()
    assert "1 of 1 trainees have completed the form." in text and "“Thanks”" in text
    assert "Somphone" not in text


async def test_a_text_question_waits_half_an_hour(
    db: Database, clock: FakeClock, seeded: Seeded
) -> None:
    clock.set(LAST_DAY)
    for number in range(1, 6):
        await form.give_answer(db, seeded.trainee, seeded.cls.id, number, 4, "", clock.now(), "en")
    clock.advance(dt.timedelta(minutes=31))
    later = await commands.typed_answer(db, seeded.trainee, "lịch ngày mai", clock.now(), "en")
    assert later is None  # a question again, not the answer
    resumed = await commands.run(db, seeded.trainee, seeded.cls, "evaluation", clock.now(), "en")
    assert "question 6 of 6" in resumed.replies[0].plain()
    answered = await commands.typed_answer(db, seeded.trainee, "Cảm ơn", clock.now(), "en")
    assert answered is not None and "answered every question" in answered[0].plain()
