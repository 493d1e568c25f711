"""Contacts and interpreters from the class workbook: /contacts, the welcome, the day view."""

from __future__ import annotations

import dataclasses
import datetime as dt

from bot.agenda import contacts
from bot.agenda import views as agenda
from bot.clock import FakeClock
from bot.domain import Channel, Role
from bot.reminders import planning
from bot.schedule import importer
from bot.store import Database, classes, outbox, people
from bot.store import contacts as store
from tests.helpers.pocket import pocket_class_xlsx
from tests.helpers.workbooks import make_xlsx


async def _import(db: Database, clock: FakeClock, data: bytes | None = None) -> int:
    result = await importer.import_schedule(
        db, data or pocket_class_xlsx(), "t1.xlsx", created_by="test", now=clock.now()
    )
    return result.cls.id


def test_numbers_become_one_tappable_token_with_the_venues_calling_code() -> None:
    assert contacts.tel("024 3825 3531", "Asia/Ho_Chi_Minh") == "+842438253531"
    assert contacts.tel("020 5555 4321", "Asia/Vientiane") == "+8562055554321"
    assert contacts.tel("+86 20 8711 0000", "Asia/Shanghai") == "+862087110000"
    assert contacts.tel("0084 912 345 678", "Asia/Shanghai") == "+84912345678"
    text = contacts.tappable("Bệnh viện Việt Đức, 40 Tràng Thi, 024 3825 3531", "Asia/Ho_Chi_Minh")
    assert text == "Bệnh viện Việt Đức, 40 Tràng Thi, +842438253531"


async def test_contacts_come_from_the_class_sheet_and_answer_with_numbers_to_tap(
    db: Database, clock: FakeClock
) -> None:
    class_id = await _import(db, clock)
    cls = await classes.get_class(db, class_id)
    assert cls is not None
    kinds = [c.kind for c in await store.contacts(db, class_id)]
    assert kinds == ["hotline", "hotline", "hospital", "embassy"]
    reply = (await contacts.contacts_reply(db, cls, "vi")).plain()
    assert "☎ Đường dây nóng Ban Tổ chức: +84912345678" in reply
    assert "☎ Đường dây nóng Ban Tổ chức: +842438253531" in reply
    assert "☎ Bệnh viện gần nhất: Bệnh viện Việt Đức, 40 Tràng Thi, +842438253531" in reply
    assert "☎ Đại sứ quán: Đại sứ quán Lào: +842439424576" in reply
    lao = (await contacts.contacts_reply(db, cls, "lo")).plain()
    assert "ສາຍດ່ວນຄະນະຈັດຕັ້ງ" in lao and "ໂຮງໝໍທີ່ໃກ້ທີ່ສຸດ" in lao


async def test_a_class_without_contacts_says_whom_to_ask(db: Database, clock: FakeClock) -> None:
    class_id = await _import(db, clock, make_xlsx())
    cls = await classes.get_class(db, class_id)
    assert cls is not None
    text = (await contacts.contacts_reply(db, cls, "en")).plain()
    assert "have not given contact numbers" in text


async def test_the_first_days_welcome_carries_the_contacts(db: Database, clock: FakeClock) -> None:
    class_id = await _import(db, clock)
    person, _, _ = await people.upsert_identity(
        db,
        channel=Channel.TELEGRAM,
        external_id="77",
        chat_id="77",
        display_name="Trainee",
        language_code="vi",
        now=clock.now(),
    )
    await people.add_member(db, class_id, person.id, Role.TRAINEE, clock.now())
    jobs = await planning.plan_jobs(db, clock.now())
    for day, welcome in (("2024-07-15", True), ("2024-07-16", False)):
        digest = next(j for j in jobs if j.name == f"digest:{class_id}:{day}")
        await planning.fire(db, digest, digest.when)
        queued = await outbox.by_key(db, f"digest:{class_id}:{person.id}:{day}")
        assert queued is not None
        assert ("+84912345678" in queued.reply.plain()) is welcome, day


async def test_the_interpreter_shows_to_readers_whose_language_is_not_the_lectures(
    db: Database, clock: FakeClock
) -> None:
    class_id = await _import(db, clock)
    cls = await classes.get_class(db, class_id)
    assert cls is not None
    day = dt.date(2024, 7, 15)
    lao = (await agenda.day_view(db, cls, day, "lo")).plain()
    assert "ນາຍພາສາ: Khamla Phommachanh (ແປເປັນ ພາສາລາວ)" in lao
    english = (await agenda.day_view(db, cls, day, "en")).plain()
    assert "Interpreter: Khamla Phommachanh (into Lao)" in english
    vietnamese = (await agenda.day_view(db, cls, day, "vi")).plain()
    assert "Khamla" not in vietnamese  # the lecture is in the class's language, Vietnamese


async def test_a_csv_upload_leaves_the_workbooks_extras_alone(
    db: Database, clock: FakeClock
) -> None:
    class_id = await _import(db, clock)
    cls = await classes.get_class(db, class_id)
    assert cls is not None
    before = await store.session_extras(db, class_id)
    from bot.schedule.extras import record_workbook

    await record_workbook(db, cls, b"Date,Start\n", "sessions.csv")
    assert await store.session_extras(db, class_id) == before
    assert set(before) == {"t1"} and before["t1"].links == ("https://example.org/cd1.pdf",)
    broken = dataclasses.replace(cls)
    await record_workbook(db, broken, b"not a zip", "bad.xlsx")  # logged, nothing raised
    assert await store.session_extras(db, class_id) == before


async def test_an_organisers_programme_leaves_the_class_contacts_and_extras_as_they_were(
    db: Database, clock: FakeClock
) -> None:
    """Issue 12 × 18: a programme laid out as organisers write it has no class sheet and no
    sessions sheet; uploaded into the class it says nothing about the contacts or the
    interpreters, so they stay (they used to be wiped)."""
    from tests.helpers.programmes import lo_programme

    class_id = await _import(db, clock)
    contacts_before = await store.contacts(db, class_id)
    extras_before = await store.session_extras(db, class_id)
    assert contacts_before and extras_before
    result = await importer.import_schedule(
        db, lo_programme(), "ຕາຕະລາງ.xlsx", created_by="test", now=clock.now(), class_code="T-1"
    )
    assert result.version.number == 2 and result.cls.id == class_id
    assert await store.contacts(db, class_id) == contacts_before
    assert await store.session_extras(db, class_id) == extras_before
