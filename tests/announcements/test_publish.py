"""Announcements: recipients in their language, permissions, acknowledgements, follow-up, report."""

from __future__ import annotations

import pytest

from bot.announcements import publish as announcements
from bot.announcements import status as announcement_status
from bot.announcements.publish import Audience, Draft
from bot.clock import FakeClock
from bot.domain import Channel, Role, localized
from bot.people.permissions import Forbidden
from bot.store import Database, audit, outbox, people
from bot.store.versions import save_version
from tests.helpers.announcements import BODY, draft, enrol
from tests.helpers.sample import Seeded, guangzhou_schedule, seed


@pytest.fixture
async def seeded(db: Database, clock: FakeClock) -> Seeded:
    s = await seed(db, clock.now())
    await enrol(db, s, "502", "Bounmy", "lo", clock.now())
    await enrol(db, s, "503", "John", "en", clock.now())
    return s


async def test_each_recipient_gets_their_language_or_every_version(
    db: Database, clock: FakeClock, seeded: Seeded
) -> None:
    ann, queued = await announcements.create(
        db, seeded.manager, draft(seeded, needs_ack=True), clock.now()
    )
    assert queued == 3  # the three trainees; the sender is left out

    somphone = await outbox.by_key(db, f"ann:{ann.id}:{seeded.trainee.id}")
    assert somphone is not None and somphone.urgent
    text = somphone.reply.plain()
    assert BODY["lo"] in text and BODY["vi"] not in text
    assert "ແຈ້ງການ" in text and "Nguyễn Thị Lan" in text
    assert somphone.reply.buttons[0][0].action == f"ack:{ann.id}"
    assert somphone.reply.buttons[0][0].label == "✅ ໄດ້ຮັບແລ້ວ"

    john_id = await people.find_identity(db, Channel.TELEGRAM, "503")
    assert john_id is not None
    john = await outbox.by_key(db, f"ann:{ann.id}:{john_id.person_id}")
    assert john is not None
    both = john.reply.plain()
    assert both.index(BODY["vi"]) < both.index(BODY["lo"])  # one above the other
    assert john.reply.buttons[0][0].label == "✅ Received"
    assert await outbox.by_key(db, f"ann:{ann.id}:{seeded.manager.id}") is None


async def test_audience_and_media(db: Database, clock: FakeClock, seeded: Seeded) -> None:
    ann, queued = await announcements.create(
        db,
        seeded.admin,
        Draft(seeded.cls.id, localized(), Audience.MANAGERS, media=("photo", "AgADphoto")),
        clock.now(),
    )
    assert queued == 1
    row = await outbox.by_key(db, f"ann:{ann.id}:{seeded.manager.id}")
    assert row is not None and row.reply.media == ("photo", "AgADphoto") and not row.reply.buttons
    with pytest.raises(announcements.EmptyAnnouncement):
        await announcements.create(db, seeded.admin, Draft(seeded.cls.id, localized()), clock.now())


async def test_an_audience_of_nobody_is_refused_and_nothing_is_stored(
    db: Database, clock: FakeClock, seeded: Seeded
) -> None:
    """Lan is the class's only manager: 'class managers only' would reach nobody but her.
    It was 'Sent to 0 people'; now it is refused and nothing is stored or audited."""
    with pytest.raises(announcements.NoRecipients):
        await announcements.create(
            db, seeded.manager, draft(seeded, audience=Audience.MANAGERS), clock.now()
        )
    row = await db.fetchone("SELECT COUNT(*) FROM announcements")
    assert row is not None and row[0] == 0
    assert await outbox.due(db, clock.now(), 10) == []
    for lang in ("vi", "lo", "en"):
        assert "0" not in announcements.no_recipients_reply(lang).plain()


async def test_trainees_and_other_classes_managers_cannot_broadcast(
    db: Database, clock: FakeClock, seeded: Seeded
) -> None:
    with pytest.raises(Forbidden):
        await announcements.create(db, seeded.trainee, draft(seeded), clock.now())
    other, _ = await save_version(
        db, guangzhou_schedule(), created_by="test", source_hash="gz", now=clock.now()
    )
    stranger = await enrol(db, seeded, "900", "Other manager", "vi", clock.now())
    await people.remove_member(db, seeded.cls.id, stranger.id)
    await people.add_member(db, other.id, stranger.id, Role.MANAGER, clock.now())
    with pytest.raises(Forbidden):
        await announcements.create(db, stranger, draft(seeded), clock.now())
    with pytest.raises(Forbidden):
        await announcement_status.report_for(db, stranger, seeded.cls.id, "vi")
    assert await outbox.state_counts(db) == {}


async def test_every_broadcast_is_audited(db: Database, clock: FakeClock, seeded: Seeded) -> None:
    ann, _ = await announcements.create(
        db, seeded.manager, draft(seeded, audience=Audience.TRAINEES), clock.now()
    )
    entry = (await audit.entries(db, seeded.cls.id))[0]
    assert entry.action == "broadcast" and entry.actor_person_id == seeded.manager.id
    assert entry.details["audience"] == "trainees" and entry.details["recipients"] == 3
    assert entry.details["announcement_id"] == ann.id and entry.at == clock.now()
