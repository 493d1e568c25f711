"""Day, week, next-session, topic and field-visit answers, rendered exactly in vi, lo and en."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
from collections.abc import Iterable
from typing import Any

import pytest

from bot.agenda import views as agenda
from bot.clock import FakeClock
from bot.domain import Session, SessionKind, localized
from bot.replies import Button, Location
from bot.schedule import importer
from bot.store import Database
from bot.store.versions import save_version
from tests.helpers.cldr import date_range, day, duration, short_day, zone
from tests.helpers.sample import guangzhou_schedule, seed, vientiane_schedule

D = dt.date
HANOI = dt.timezone(dt.timedelta(hours=7))
VN = "Asia/Ho_Chi_Minh"
CN = "Asia/Shanghai"

DAY_VI = f"""\
Lịch học {day(D(2024, 7, 15), "vi")}
Giờ địa phương nơi học: {zone(VN, "vi")}

08:00–09:00 · 🎓 Lễ khai giảng
   Địa điểm: Hội trường A

09:15–11:30 · Chuyên đề 1: Xây dựng, chỉnh đốn Đảng
   Báo cáo viên: PGS.TS Nguyễn Văn A
   Địa điểm: Hội trường A

13:30–17:00 · 🚌 Khảo sát Trung tâm điều hành thông minh
   Xuất phát lúc 13:15 tại Sảnh khách sạn"""

DAY_LO = f"""\
ຕາຕະລາງ {day(D(2024, 7, 15), "lo")}
ເວລາທ້ອງຖິ່ນບ່ອນຝຶກອົບຮົມ: {zone(VN, "lo")}

08:00–09:00 · 🎓 ພິທີເປີດການຝຶກອົບຮົມ
   ສະຖານທີ່: Hội trường A

09:15–11:30 · ຫົວຂໍ້ທີ 1: ການກໍ່ສ້າງ ແລະ ປັບປຸງພັກ
   ວິທະຍາກອນ: PGS.TS Nguyễn Văn A
   ສະຖານທີ່: Hội trường A

13:30–17:00 · 🚌 ທັດສະນະສຶກສາ ສູນບັນຊາການອັດສະລິຍະ
   ອອກເດີນທາງເວລາ 13:15 ຈາກ ໂຖງໂຮງແຮມ"""

DAY_EN = f"""\
Schedule for {day(D(2024, 7, 15), "en")}
Venue time: {zone(VN, "en")}

08:00–09:00 · 🎓 Opening ceremony
   Venue: Hội trường A

09:15–11:30 · Topic 1: Party building and rectification
   Lecturer: PGS.TS Nguyễn Văn A
   Venue: Hội trường A

13:30–17:00 · 🚌 Visit: smart operations centre
   Departure 13:15 from Hotel lobby"""


@pytest.mark.parametrize(("lang", "expected"), [("vi", DAY_VI), ("lo", DAY_LO), ("en", DAY_EN)])
def test_day_with_lecture_and_field_visit(lang: str, expected: str) -> None:
    schedule = vientiane_schedule()
    reply = agenda.day_reply(schedule.cls, D(2024, 7, 15), schedule.sessions, schedule.topics, lang)
    assert reply.plain() == expected


def test_day_buttons_step_within_the_class_dates() -> None:
    schedule = vientiane_schedule()
    cls = dataclasses.replace(schedule.cls, id=7)
    first = agenda.day_reply(cls, D(2024, 7, 15), schedule.sessions, schedule.topics, "en")
    assert first.buttons == ((Button(f"{short_day(D(2024, 7, 16), 'en')} ▶", "day:7:2024-07-16"),),)
    middle = agenda.day_reply(cls, D(2024, 7, 16), schedule.sessions, schedule.topics, "vi")
    assert [b.action for b in middle.buttons[0]] == ["day:7:2024-07-15", "day:7:2024-07-17"]
    assert middle.buttons[0][0].label == "◀ T2 15/7"  # as Vietnamese trainees write a day
    after = agenda.day_reply(cls, D(2024, 8, 1), schedule.sessions, schedule.topics, "en")
    nearest = f"Nearest class day: {short_day(D(2024, 7, 17), 'en')}"
    assert after.buttons == ((Button(nearest, "day:7:2024-07-17"),),)


def test_digest_rendering_has_no_buttons() -> None:
    schedule = vientiane_schedule()
    reply = agenda.day_reply(
        schedule.cls, D(2024, 7, 15), schedule.sessions, schedule.topics, "lo", nav=False
    )
    assert reply.buttons == ()
    assert reply.plain() == DAY_LO


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "vi",
            f"Lịch học {day(D(2025, 9, 20), 'vi')}\n"
            f"Giờ địa phương nơi học: {zone(CN, 'vi')}\n\n"
            "08:30–11:30 · Kinh tế vĩ mô Quảng Đông",
        ),
        (
            "en",
            f"Schedule for {day(D(2025, 9, 20), 'en')}\n"
            f"Venue time: {zone(CN, 'en')}\n\n"
            "08:30–11:30 · Guangdong's macro-economy",
        ),
        (
            # No Lao title in the file: the class's default language (vi) shows.
            "lo",
            f"ຕາຕະລາງ {day(D(2025, 9, 20), 'lo')}\n"
            f"ເວລາທ້ອງຖິ່ນບ່ອນຝຶກອົບຮົມ: {zone(CN, 'lo')}\n\n"
            "08:30–11:30 · Kinh tế vĩ mô Quảng Đông",
        ),
    ],
)
def test_guangzhou_times_are_labelled_utc_plus_8(lang: str, expected: str) -> None:
    schedule = guangzhou_schedule()
    reply = agenda.day_reply(schedule.cls, D(2025, 9, 20), schedule.sessions, (), lang)
    assert reply.plain() == expected


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "vi",
            f"Lịch học {day(D(2025, 9, 21), 'vi')}\nNgày này nằm ngoài thời gian khóa học; "
            f"lớp học diễn ra trong khoảng {date_range(D(2025, 9, 19), D(2025, 9, 20), 'vi')}.",
        ),
        (
            "lo",
            f"ຕາຕະລາງ {day(D(2025, 9, 21), 'lo')}\nວັນດັ່ງກ່າວຢູ່ນອກໄລຍະເວລາຂອງການຝຶກອົບຮົມ; "
            "ການຝຶກອົບຮົມຈັດຂຶ້ນໃນວັນທີ 19 – 20 ກັນຍາ 2025.",
        ),
        (
            "en",
            f"Schedule for {day(D(2025, 9, 21), 'en')}\nThis day is outside the class dates; "
            f"the class runs {date_range(D(2025, 9, 19), D(2025, 9, 20), 'en')}.",
        ),
    ],
)
def test_day_outside_the_class(lang: str, expected: str) -> None:
    schedule = guangzhou_schedule()
    reply = agenda.day_reply(schedule.cls, D(2025, 9, 21), schedule.sessions, (), lang)
    assert reply.plain() == expected
    # The nearest class day is one tap away.
    assert [b.action for b in reply.buttons[0]] == [f"day:{schedule.cls.id}:2025-09-20"]


def test_empty_day_inside_the_class() -> None:
    schedule = vientiane_schedule()
    cls = dataclasses.replace(schedule.cls, last_day=D(2024, 7, 19))
    reply = agenda.day_reply(cls, D(2024, 7, 18), schedule.sessions, schedule.topics, "en")
    assert reply.plain() == (
        f"Schedule for {day(D(2024, 7, 18), 'en')}\n"
        "No sessions are scheduled on this day; "
        f"the class runs {date_range(D(2024, 7, 15), D(2024, 7, 19), 'en')}."
    )
    assert len(reply.buttons[0]) == 2


def test_departure_card_has_every_detail_and_the_map_point() -> None:
    schedule = vientiane_schedule()
    visit = schedule.sessions[2]
    card = agenda.departure_card(schedule.cls, visit, "vi")
    assert card.plain() == (
        "🚌 Khảo sát Trung tâm điều hành thông minh\n"
        f"{day(D(2024, 7, 15), 'vi')}\n"
        f"Giờ địa phương nơi học: {zone(VN, 'vi')}\n"
        "Giờ xuất phát: 13:15\n"
        "Điểm tập trung: Sảnh khách sạn\n"
        "Thời gian làm việc: 13:30–17:00\n"
        "Dự kiến trở về: khoảng 17:30\n"
        "Phương tiện: Xe 45 chỗ\n"
        "Trang phục: Áo sơ mi\n"
        "Đề nghị mang theo: Thẻ học viên"
    )
    assert card.location == Location(21.0285, 105.8542, "Sảnh khách sạn", "")
    no_map = dataclasses.replace(visit, latitude=None, longitude=None)
    assert agenda.departure_card(schedule.cls, no_map, "en").location is None


def test_week_is_compact_and_skips_days_outside_the_class() -> None:
    schedule = vientiane_schedule()
    replies = agenda.week_reply(
        schedule.cls, D(2024, 7, 17), schedule.sessions, schedule.topics, "en"
    )
    assert [r.plain() for r in replies] == [
        f"Week of {date_range(D(2024, 7, 15), D(2024, 7, 21), 'en')}\n"
        "Vientiane cadres' class in Hanoi\n"
        f"Venue time: {zone(VN, 'en')}\n\n"
        f"{day(D(2024, 7, 15), 'en')}\n"
        "08:00–09:00 · 🎓 Opening ceremony\n"
        "09:15–11:30 · Topic 1: Party building and rectification\n"
        "13:30–17:00 · 🚌 Visit: smart operations centre · bus 13:15\n\n"
        f"{day(D(2024, 7, 16), 'en')}\n"
        "08:00–11:30 · Topic 2: Digital transformation in Hanoi\n\n"
        f"{day(D(2024, 7, 17), 'en')}\n"
        "15:00–16:30 · 🎓 Closing ceremony"
    ]
    # One line per session, no meeting point; each day's details one tap away.
    assert [b.action for b in replies[-1].buttons[0]] == [
        "day:0:2024-07-15",
        "day:0:2024-07-16",
        "day:0:2024-07-17",
    ]


def test_a_long_week_splits_between_days() -> None:
    schedule = vientiane_schedule()
    cls = dataclasses.replace(schedule.cls, last_day=D(2024, 7, 21))
    base = schedule.sessions[1]
    many = [
        dataclasses.replace(base, key=f"k{d}{h}", day=D(2024, 7, d), start=dt.time(h))
        for d in range(15, 22)
        for h in range(6, 22)
    ]
    long_title = localized({"en": "A very long lecture title " * 4})
    many = [dataclasses.replace(s, title=long_title, topic_number=None) for s in many]
    replies = agenda.week_reply(cls, D(2024, 7, 15), many, (), "en")
    assert len(replies) > 1
    assert all(len(r.plain()) <= agenda.WEEK_SPLIT_CHARS for r in replies)
    days = [b.title for r in replies for b in r.blocks][1:]
    assert len(days) == len(set(days)) == 7


async def test_day_view_reads_the_live_version(db: Database, clock: FakeClock) -> None:
    seeded = await seed(db, clock.now())
    reply = await agenda.day_view(db, seeded.cls, D(2024, 7, 15), "en")
    assert reply.plain() == DAY_EN
    assert reply.buttons[0][0].action == f"day:{seeded.cls.id}:2024-07-16"
    week = await agenda.week_view(db, seeded.cls, D(2024, 7, 16), "en")
    assert "Topic 2: Digital transformation in Hanoi" in week[0].plain()


@pytest.fixture
def statements(db: Database, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The SQL of every ``db.fetchall`` from now on."""
    seen: list[str] = []
    fetchall = db.fetchall

    async def recording(sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        seen.append(sql)
        return await fetchall(sql, params)

    monkeypatch.setattr(db, "fetchall", recording)
    return seen


async def test_day_view_does_not_repeat_the_topics_query(
    db: Database, clock: FakeClock, statements: list[str]
) -> None:
    seeded = await seed(db, clock.now())
    await agenda.day_view(db, seeded.cls, D(2024, 7, 15), "vi")
    await agenda.day_view(db, seeded.cls, D(2024, 7, 16), "vi")
    await agenda.day_view(db, seeded.cls, D(2024, 7, 17), "vi")
    assert sum("FROM sessions" in s for s in statements) == 3
    assert sum("FROM topics" in s for s in statements) == 1


async def test_day_view_is_kept_per_version_and_follows_a_new_upload(
    db: Database, clock: FakeClock, statements: list[str]
) -> None:
    seeded = await seed(db, clock.now())
    first = await agenda.day_view(db, seeded.cls, D(2024, 7, 15), "en")
    assert await agenda.day_view(db, seeded.cls, D(2024, 7, 15), "en") is first
    assert sum("FROM sessions" in s for s in statements) == 1
    # Another language is another reply (same query, rendered again).
    assert (await agenda.day_view(db, seeded.cls, D(2024, 7, 15), "vi")).plain() == DAY_VI

    schedule = vientiane_schedule()
    renamed = tuple(
        dataclasses.replace(s, title=localized({"en": "Opening of the class"}))
        if s.kind is SessionKind.OPENING
        else s
        for s in schedule.sessions
    )
    cls, _version = await save_version(
        db,
        dataclasses.replace(schedule, sessions=renamed),
        created_by="test",
        source_hash="renamed",
        now=clock.now(),
    )
    assert cls.live_version_id != seeded.cls.live_version_id
    after = await agenda.day_view(db, cls, D(2024, 7, 15), "en")
    assert "🎓 Opening of the class" in after.plain()
    # A reader still holding the old version's class gets that version's reply, not a mix.
    assert await agenda.day_view(db, seeded.cls, D(2024, 7, 15), "en") is first


async def test_day_view_memory_is_bounded(
    db: Database, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeded = await seed(db, clock.now())
    monkeypatch.setattr(agenda, "DAY_CACHE_SIZE", 3)
    days = [D(2024, 7, 15) + dt.timedelta(days=i) for i in range(3)]
    for each in days * 2:
        await agenda.day_view(db, seeded.cls, each, "lo")
    kept = agenda._day_cache[db]
    assert len(kept) == 3
    await agenda.day_view(db, seeded.cls, D(2024, 7, 14), "lo")
    assert len(kept) == 3
    assert (seeded.cls.id, seeded.cls.live_version_id) == next(iter(kept))[:2]
    assert all(key[6] != days[0] for key in kept)


@pytest.mark.parametrize(
    ("local", "lang", "expected"),
    [
        (
            dt.datetime(2024, 7, 15, 7, 0, tzinfo=HANOI),
            "en",
            f"Next session\n{day(D(2024, 7, 15), 'en')}\n08:00–09:00 · 🎓 Opening ceremony\n"
            f"   Venue: Hội trường A\nStarts in {duration('en', hours=1)}.\n\n"
            f"Venue time: {zone(VN, 'en')}",
        ),
        (
            dt.datetime(2024, 7, 15, 6, 45, tzinfo=HANOI),
            "vi",
            f"Buổi tiếp theo\n{day(D(2024, 7, 15), 'vi')}\n08:00–09:00 · 🎓 Lễ khai giảng\n"
            f"   Địa điểm: Hội trường A\nBắt đầu sau {duration('vi', hours=1, minutes=15)} nữa.\n\n"
            f"Giờ địa phương nơi học: {zone(VN, 'vi')}",
        ),
        (
            dt.datetime(2024, 7, 15, 11, 0, tzinfo=HANOI),
            "en",
            "Now in progress\n09:15–11:30 · Topic 1: Party building and rectification\n"
            "   Lecturer: PGS.TS Nguyễn Văn A\n   Venue: Hội trường A\nUntil 11:30.\n\n"
            f"Next session\n{day(D(2024, 7, 15), 'en')}\n"
            "13:30–17:00 · 🚌 Visit: smart operations centre\n"
            "   Departure 13:15 from Hotel lobby\n"
            f"The bus leaves in {duration('en', hours=2, minutes=15)}.\n\n"
            f"Venue time: {zone(VN, 'en')}",
        ),
        (
            dt.datetime(2024, 7, 15, 11, 0, tzinfo=HANOI),
            "lo",
            "ກຳລັງດຳເນີນຢູ່\n09:15–11:30 · ຫົວຂໍ້ທີ 1: ການກໍ່ສ້າງ ແລະ ປັບປຸງພັກ\n"
            "   ວິທະຍາກອນ: PGS.TS Nguyễn Văn A\n   ສະຖານທີ່: Hội trường A\nຈົນຮອດ 11:30.\n\n"
            f"ກິດຈະກຳຕໍ່ໄປ\n{day(D(2024, 7, 15), 'lo')}\n"
            "13:30–17:00 · 🚌 ທັດສະນະສຶກສາ ສູນບັນຊາການອັດສະລິຍະ\n"
            "   ອອກເດີນທາງເວລາ 13:15 ຈາກ ໂຖງໂຮງແຮມ\n"
            f"ລົດຈະອອກເດີນທາງໃນອີກ {duration('lo', hours=2, minutes=15)}.\n\n"
            f"ເວລາທ້ອງຖິ່ນບ່ອນຝຶກອົບຮົມ: {zone(VN, 'lo')}",
        ),
        (
            dt.datetime(2024, 7, 12, 8, 0, tzinfo=HANOI),
            "en",
            f"Next session\n{day(D(2024, 7, 15), 'en')}\n08:00–09:00 · 🎓 Opening ceremony\n"
            f"   Venue: Hội trường A\nStarts in {duration('en', days=3)}.\n\n"
            f"Venue time: {zone(VN, 'en')}",
        ),
        (
            dt.datetime(2024, 7, 17, 17, 0, tzinfo=HANOI),
            "en",
            "There are no more sessions in this class.",
        ),
        (
            dt.datetime(2024, 7, 20, 9, 0, tzinfo=HANOI),
            "vi",
            f"Lớp học đã kết thúc; ngày học cuối cùng là {day(D(2024, 7, 17), 'vi')}.",
        ),
    ],
)
async def test_next_session_countdown(
    db: Database, clock: FakeClock, local: dt.datetime, lang: str, expected: str
) -> None:
    seeded = await seed(db, clock.now())
    clock.set(local)
    reply = await agenda.next_view(db, seeded.cls, clock.now(), lang)
    assert reply.plain() == expected


async def test_topics_by_block_and_one_topic(db: Database, clock: FakeClock) -> None:
    seeded = await seed(db, clock.now())
    topics = await agenda.topics_view(db, seeded.cls, "en")
    assert topics.plain() == (
        "Lecture topics\nVientiane cadres' class in Hanoi\n\n"
        "Hanoi\n1. Party building and rectification — PGS.TS Nguyễn Văn A\n"
        "2. Digital transformation in Hanoi — TS Trần Thị B\n\n"
        "Send “topic 1” or /topic 1 for the details of a topic."
    )
    # The block (part of the programme) is in the reader's language, like the titles.
    lao = await agenda.topic_view(db, seeded.cls, 2, "lo")
    assert "ພາກ: ຮ່າໂນ້ຍ" in lao.plain()
    one = await agenda.topic_view(db, seeded.cls, 2, "vi")
    assert one.plain() == (
        "Chuyên đề 2: Chuyển đổi số ở Hà Nội\nBáo cáo viên: TS Trần Thị B\nPhần: Hà Nội\n\n"
        f"Thời gian\n{day(D(2024, 7, 16), 'vi')}, 08:00–11:30 · Hội trường A\n\n"
        f"Giờ địa phương nơi học: {zone(VN, 'vi')}"
    )


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "There is no topic 9; this class has topics 1 to 2."),
        ("vi", "Không có chuyên đề 9; lớp học có các chuyên đề từ 1 đến 2."),
        ("lo", "ບໍ່ມີຫົວຂໍ້ທີ 9; ຫ້ອງຝຶກອົບຮົມນີ້ມີຫົວຂໍ້ທີ 1 ຫາ 2."),
    ],
)
async def test_unknown_topic(db: Database, clock: FakeClock, lang: str, expected: str) -> None:
    seeded = await seed(db, clock.now())
    assert (await agenda.topic_view(db, seeded.cls, 9, lang)).plain() == expected


def test_topic_without_sessions_or_topics() -> None:
    schedule = vientiane_schedule()
    topics = {t.number: t for t in schedule.topics}
    reply = agenda.topic_reply(schedule.cls, 1, topics, [], "en")
    assert reply.plain().endswith("When\nNot on the schedule yet.")
    none = agenda.topic_reply(schedule.cls, 1, {}, [], "lo")
    assert none.plain() == "ຫ້ອງຝຶກອົບຮົມນີ້ຍັງບໍ່ທັນໄດ້ປະກາດຫົວຂໍ້ບັນຍາຍ."


async def test_visits_bring_and_meeting_point(db: Database, clock: FakeClock) -> None:
    seeded = await seed(db, clock.now())
    cards = await agenda.visits_view(db, seeded.cls, clock.now(), "en")
    assert len(cards) == 1
    assert cards[0].location is not None
    assert "Please bring: Trainee card" in cards[0].plain()
    [bring] = await agenda.bring_view(db, seeded.cls, clock.now(), "lo")
    assert bring.plain() == (
        f"🚌 ທັດສະນະສຶກສາ ສູນບັນຊາການອັດສະລິຍະ\n{day(D(2024, 7, 15), 'lo')}\n"
        f"ເວລາທ້ອງຖິ່ນບ່ອນຝຶກອົບຮົມ: {zone(VN, 'lo')}\n"
        "ອອກເດີນທາງເວລາ 13:15 ຈາກ ໂຖງໂຮງແຮມ\nສິ່ງທີ່ຕ້ອງນຳໄປ: ບັດນັກຮຽນ\nການແຕ່ງກາຍ: ເສື້ອເຊີດ"
    )
    [meeting] = await agenda.meeting_view(db, seeded.cls, clock.now(), "vi")
    assert meeting.plain() == (
        f"🚌 Khảo sát Trung tâm điều hành thông minh\n{day(D(2024, 7, 15), 'vi')}\n"
        f"Giờ địa phương nơi học: {zone(VN, 'vi')}\nGiờ xuất phát: 13:15\n"
        "Điểm tập trung: Sảnh khách sạn"
    )
    assert meeting.location == Location(21.0285, 105.8542, "Sảnh khách sạn", "")
    clock.set(dt.datetime(2024, 7, 15, 17, 1, tzinfo=HANOI))
    later = await agenda.visits_view(db, seeded.cls, clock.now(), "en")
    assert [r.plain() for r in later] == ["No field visits or trips are coming up."]
    assert [r.plain() for r in await agenda.bring_view(db, seeded.cls, clock.now(), "en")] == [
        "No field visits or trips are coming up."
    ]


async def test_bring_and_meeting_for_a_named_day(db: Database, clock: FakeClock) -> None:
    """The Quang Ninh trip needs a passport: asking about 20/7 must not answer for Monday."""
    cls = (
        await importer.import_path(db, importer.sample_path(), created_by="t", now=clock.now())
    ).cls
    clock.set(dt.datetime(2024, 7, 15, 7, 0, tzinfo=HANOI))
    now = clock.now()
    [trip] = await agenda.bring_view(db, cls, now, "en", D(2024, 7, 20))
    assert trip.plain().startswith("🚌 Quang Ninh study trip (day 1)")
    assert "Please bring: Luggage for 2 days, trainee card, passport" in trip.plain()
    # Friday has no visit: say so, then the next one after it.
    note, after = await agenda.bring_view(db, cls, now, "vi", D(2024, 7, 19))
    assert note.plain() == (
        f"Không có chuyến khảo sát hay đi thực tế nào vào {day(D(2024, 7, 19), 'vi')}. "
        "Chuyến tiếp theo:"
    )
    assert day(D(2024, 7, 20), "vi") in after.plain()
    [meeting] = await agenda.meeting_view(db, cls, now, "en", D(2024, 7, 21))
    assert "Meeting point: Hotel lobby in Ha Long" in meeting.plain()
    assert meeting.location is not None
    [last] = await agenda.meeting_view(db, cls, now, "lo", D(2024, 7, 26))
    assert last.plain().endswith("ແລະ ຫຼັງຈາກນັ້ນກໍບໍ່ມີອີກ.")
    # Without a day: the next departure only; "the next visit": one card of all of them.
    [monday] = await agenda.bring_view(db, cls, now, "en")
    assert day(D(2024, 7, 15), "en") in monday.plain()
    # All visits: one compact message, a line and a button per visit (not 10 cards and pins).
    [listed] = await agenda.visits_view(db, cls, now, "en")
    assert len(listed.blocks[0].lines) == 10 and listed.location is None
    assert len(listed.plain()) < 1200
    assert listed.buttons[0][0].action == f"visit:{cls.id}:visit-ho-chi-minh"
    [first] = await agenda.visits_view(db, cls, now, "en", limit=1)
    assert day(D(2024, 7, 15), "en") in first.plain()
    [trip] = await agenda.visits_view(db, cls, now, "en", day=D(2024, 7, 21))
    assert "Return: about 18:30" in trip.plain()
    note, saturday = await agenda.visits_view(db, cls, now, "en", day=D(2024, 7, 19))
    friday = day(D(2024, 7, 19), "en")
    assert note.plain().startswith(f"There is no field visit or trip on {friday}.")
    assert day(D(2024, 7, 20), "en") in saturday.plain()


def test_cards_without_optional_details() -> None:
    schedule = vientiane_schedule()
    bare = Session(
        "t1",
        D(2024, 7, 16),
        dt.time(13, 0),
        dt.time(18, 0),
        SessionKind.TRIP,
        localized({"en": "Trip to Quảng Ninh"}),
    )
    assert (
        agenda.day_reply(schedule.cls, bare.day, [bare], (), "en")
        .plain()
        .endswith("13:00–18:00 · 🚌 Trip to Quảng Ninh")
    )
    from bot.agenda.cards import bring_card, meeting_card

    assert (
        bring_card(schedule.cls, bare, "en")
        .plain()
        .endswith("Nothing special to bring or wear is listed for this visit.")
    )
    assert (
        meeting_card(schedule.cls, bare, "en")
        .plain()
        .endswith("The meeting point has not been announced yet.")
    )
