"""Who is writing, in one query, remembered only until something is written."""

from __future__ import annotations

from bot.clock import FakeClock
from bot.domain import Channel, Role
from bot.store import Database, people, senders
from tests.helpers.sample import Seeded


async def test_the_sender_with_their_active_class_language(
    db: Database, clock: FakeClock, seeded: Seeded
) -> None:
    found = await senders.sender(db, Channel.TELEGRAM, "501")
    assert found is not None
    assert (found.person.id, found.person.lang, found.class_lang) == (seeded.trainee.id, "lo", "lo")
    assert await senders.sender(db, Channel.TELEGRAM, "nobody") is None
    assert await senders.sender(db, Channel.ZALO, "501") is None


async def test_cached_answers_end_with_any_write_or_after_the_ttl(
    db: Database, clock: FakeClock, seeded: Seeded
) -> None:
    now = clock.now()
    first = await senders.sender(db, Channel.TELEGRAM, "501", now)
    assert first is not None and first.person.lang == "lo"
    assert await senders.sender(db, Channel.TELEGRAM, "501", now) is first  # from memory

    await people.set_lang(db, seeded.trainee.id, "en")  # any write invalidates
    second = await senders.sender(db, Channel.TELEGRAM, "501", now)
    assert second is not None and second.person.lang == "en"
    assert await senders.sender(db, Channel.TELEGRAM, "501", now) is second
    later = now + senders.TTL
    assert await senders.sender(db, Channel.TELEGRAM, "501", later) is not second


async def test_classes_with_roles_follow_membership_changes(
    db: Database, clock: FakeClock, seeded: Seeded
) -> None:
    now = clock.now()
    assert await senders.classes_with_roles(db, seeded.manager.id, now) == [
        (seeded.cls, Role.MANAGER)
    ]
    await people.remove_member(db, seeded.cls.id, seeded.manager.id)
    assert await senders.classes_with_roles(db, seeded.manager.id, now) == []
    assert await senders.classes_with_roles(db, seeded.admin.id) == []
