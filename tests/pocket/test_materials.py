"""Materials: a manager attaches a document to a session; trainees get it, on Zalo as a link."""

from __future__ import annotations

from bot.actions import ActionContext, dispatch
from bot.clock import FakeClock
from bot.domain import Channel, Person
from bot.pocket import materials
from bot.replies import Reply
from bot.schedule import importer
from bot.store import Database, classes
from tests.helpers.pocket import pocket_class_xlsx
from tests.helpers.sample import Seeded


def ctx(db: Database, person: Person, clock: FakeClock) -> ActionContext:
    return ActionContext(db=db, person=person, lang="en", now=clock.now(), channel=Channel.TELEGRAM)


async def test_attach_then_choose_the_session_then_trainees_get_it(
    db: Database, seeded: Seeded, clock: FakeClock
) -> None:
    asked = await materials.start_attach(
        db,
        seeded.manager,
        seeded.cls,
        title="Slides CĐ1.pdf",
        file_id="DOC1",
        now=clock.now(),
        lang="en",
    )
    assert "Which session is “Slides CĐ1.pdf” for?" in asked.plain()
    labels = [row[0].label for row in asked.buttons]
    topic1 = next(row[0] for row in asked.buttons if "Topic 1" in row[0].label)
    assert len(labels) == 5
    done = await dispatch(ctx(db, seeded.manager, clock), topic1.action)
    assert "Attached “Slides CĐ1.pdf”" in done.replies[0].plain() and done.replace
    again = await dispatch(ctx(db, seeded.manager, clock), topic1.action)
    assert "Attached “Slides CĐ1.pdf”" in again.replies[0].plain()  # done: says so again
    other = next(row[0] for row in asked.buttons if row[0] is not topic1)
    stale = await dispatch(ctx(db, seeded.manager, clock), other.action)
    assert stale.replies == [] and stale.toast == "This button is no longer active."

    on_telegram = await materials.materials_reply(
        db, seeded.cls, None, lang="en", channel=Channel.TELEGRAM
    )
    assert on_telegram[-1].media == ("document", "DOC1")
    assert "Slides CĐ1.pdf" in on_telegram[-1].plain()
    of_topic_2 = await materials.materials_reply(
        db, seeded.cls, 2, lang="en", channel=Channel.TELEGRAM
    )
    assert [r.plain() for r in of_topic_2] == [
        "Materials for topic 2\nThere are no materials for topic 2 yet."
    ]
    on_zalo = await materials.materials_reply(db, seeded.cls, 1, lang="vi", channel=Channel.ZALO)
    assert len(on_zalo) == 1 and on_zalo[0].media is None
    assert "không thể gửi tài liệu này tại đây" in on_zalo[0].plain()


async def test_a_trainee_cannot_attach(db: Database, seeded: Seeded, clock: FakeClock) -> None:
    asked = await materials.start_attach(
        db, seeded.manager, seeded.cls, title="x", file_id="D", now=clock.now(), lang="en"
    )
    tap = await dispatch(ctx(db, seeded.trainee, clock), asked.buttons[0][0].action)
    # answered to the tapper alone: the picker stays as it is
    assert tap.replies == [] and tap.alert and "only the class managers" in str(tap.toast)
    assert await materials.materials_reply(
        db, seeded.cls, None, lang="en", channel=Channel.TELEGRAM
    ) == [
        Reply.text(
            "There are no materials for this class yet.",
            title=f"Materials: {seeded.cls.title('en')}",
        )
    ]


async def test_links_from_the_workbook_reach_zalo_as_links(db: Database, clock: FakeClock) -> None:
    result = await importer.import_schedule(
        db, pocket_class_xlsx(), "t1.xlsx", created_by="test", now=clock.now()
    )
    cls = await classes.get_class(db, result.cls.id)
    assert cls is not None
    replies = await materials.materials_reply(db, cls, 1, lang="vi", channel=Channel.ZALO)
    assert "https://example.org/cd1.pdf" in replies[0].plain()
