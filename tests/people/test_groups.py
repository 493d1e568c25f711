"""Linking a group chat to a class: managers only, audited, re-linkable, unlinkable."""

from __future__ import annotations

import pytest

from bot.clock import FakeClock
from bot.domain import Channel
from bot.people import groups
from bot.people.permissions import Forbidden
from bot.store import Database, audit
from bot.store.versions import save_version
from tests.helpers.sample import Seeded, guangzhou_schedule


async def test_a_manager_links_and_unlinks_a_group(
    db: Database, clock: FakeClock, seeded: Seeded
) -> None:
    assert await groups.linked_class(db, Channel.TELEGRAM, "-100") is None
    await groups.link(
        db, seeded.manager, seeded.cls.id, channel=Channel.TELEGRAM, chat_id="-100", now=clock.now()
    )
    linked = await groups.linked_class(db, Channel.TELEGRAM, "-100")
    assert linked is not None and linked.id == seeded.cls.id
    assert await groups.group_chats(db, seeded.cls.id) == [(Channel.TELEGRAM, "-100")]
    assert await groups.linked_class(db, Channel.ZALO, "-100") is None
    assert (await audit.entries(db, seeded.cls.id))[0].action == "group.link"

    with pytest.raises(Forbidden):
        await groups.unlink(
            db, seeded.trainee, channel=Channel.TELEGRAM, chat_id="-100", now=clock.now()
        )
    assert await groups.unlink(
        db, seeded.manager, channel=Channel.TELEGRAM, chat_id="-100", now=clock.now()
    )
    assert not await groups.unlink(
        db, seeded.manager, channel=Channel.TELEGRAM, chat_id="-100", now=clock.now()
    )


async def test_trainees_cannot_link_and_relinking_moves_the_group(
    db: Database, clock: FakeClock, seeded: Seeded
) -> None:
    with pytest.raises(Forbidden):
        await groups.link(
            db,
            seeded.trainee,
            seeded.cls.id,
            channel=Channel.TELEGRAM,
            chat_id="-1",
            now=clock.now(),
        )
    gz, _ = await save_version(
        db, guangzhou_schedule(), created_by="t", source_hash="gz", now=clock.now()
    )
    await groups.link(
        db, seeded.admin, seeded.cls.id, channel=Channel.TELEGRAM, chat_id="-1", now=clock.now()
    )
    await groups.link(
        db, seeded.admin, gz.id, channel=Channel.TELEGRAM, chat_id="-1", now=clock.now()
    )
    linked = await groups.linked_class(db, Channel.TELEGRAM, "-1")
    assert linked is not None and linked.code == "HN-GZ-2025"
    assert await groups.group_chats(db, seeded.cls.id) == []
