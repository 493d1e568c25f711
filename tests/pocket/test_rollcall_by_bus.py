"""The departure roll call groups who is missing by bus and seat, with the group leader."""

from __future__ import annotations

import datetime as dt

from bot.clock import FakeClock
from bot.domain import Channel, Role
from bot.reminders import rollcall
from bot.store import Database, people
from bot.store import roster as store
from bot.store.roster import RosterEntry
from tests.helpers.sample import Seeded

BEFORE_BUS = dt.datetime(2024, 7, 15, 6, 0, tzinfo=dt.UTC)  # 13:00 in Hanoi, bus at 13:15


async def test_the_missing_are_listed_per_bus_in_seat_order(
    db: Database, seeded: Seeded, clock: FakeClock
) -> None:
    clock.set(BEFORE_BUS)
    made = []
    for ext, name in (("502", "Khamla"), ("503", "Bounmy"), ("504", "Vilay")):
        person, _, _ = await people.upsert_identity(
            db,
            channel=Channel.TELEGRAM,
            external_id=ext,
            chat_id=ext,
            display_name=name,
            language_code="lo",
            now=clock.now(),
        )
        await people.add_member(db, seeded.cls.id, person.id, Role.TRAINEE, clock.now())
        made.append(person)
    khamla, bounmy, vilay = made
    await store.replace(
        db,
        seeded.cls.id,
        [
            RosterEntry(
                1, "Somphone", bus="2", seat="3", leader="Bounmy", person_id=seeded.trainee.id
            ),
            RosterEntry(2, "Khamla", bus="1", seat="14", leader="Vilay", person_id=khamla.id),
            RosterEntry(3, "Bounmy", bus="2", seat="1", leader="Bounmy", person_id=bounmy.id),
            RosterEntry(4, "Vilay", bus="1", seat="2", leader="Vilay"),  # not matched
        ],
    )
    view = await rollcall.rollcall_view(db, seeded.manager, seeded.cls, clock.now(), "en")
    groups = [(b.title, list(b.lines)) for b in view.blocks[1:]]
    assert groups[:3] == [
        ("Bus 1: not checked in yet (1)", ["• seat 14: Khamla", "Group leader: Vilay"]),
        (
            "Bus 2: not checked in yet (2)",
            ["• seat 1: Bounmy", "• seat 3: Somphone", "Group leader: Bounmy"],
        ),
        ("No bus given: not checked in yet (1)", ["• Vilay"]),
    ]
    assert vilay.display_name == "Vilay"
    lao = await rollcall.rollcall_view(db, seeded.manager, seeded.cls, clock.now(), "lo")
    assert lao.blocks[1].title == "ລົດຄັນທີ 1: ຍັງບໍ່ທັນລົງຊື່ (1)"


async def test_without_a_roster_the_list_is_as_before(
    db: Database, seeded: Seeded, clock: FakeClock
) -> None:
    clock.set(BEFORE_BUS)
    view = await rollcall.rollcall_view(db, seeded.manager, seeded.cls, clock.now(), "en")
    assert view.blocks[1].title == "Not checked in yet (1)"
    assert list(view.blocks[1].lines) == ["• Somphone"]
