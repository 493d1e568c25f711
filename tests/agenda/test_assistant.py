"""Intents answered from the store in the class's local time; help and the class card."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.agenda import assistant
from bot.agenda.intents import Intent, IntentKind, parse
from bot.clock import FakeClock
from bot.domain import Role
from bot.schedule import importer
from bot.store import Database
from bot.store.versions import save_version
from tests.helpers.cldr import date_range, day, duration, zone
from tests.helpers.sample import guangzhou_schedule, seed

K = IntentKind
HANOI = dt.timezone(dt.timedelta(hours=7))
D = dt.date
VN = "Asia/Ho_Chi_Minh"
CN = "Asia/Shanghai"


async def test_today_is_the_class_local_date(db: Database, clock: FakeClock) -> None:
    seeded = await seed(db, clock.now())
    # 23:00 UTC on the 14th is already Monday the 15th in Hanoi.
    assert clock.now().date() == dt.date(2024, 7, 14)
    [reply] = await assistant.answer(db, seeded.cls, Intent(K.TODAY), lang="en", now=clock.now())
    assert reply.plain().startswith(f"Schedule for {day(D(2024, 7, 15), 'en')}\n")
    [tomorrow] = await assistant.answer(
        db, seeded.cls, Intent(K.TOMORROW), lang="vi", now=clock.now()
    )
    assert tomorrow.plain().startswith(f"Lịch học {day(D(2024, 7, 16), 'vi')}\n")


@pytest.mark.parametrize(
    ("text", "lang", "start"),
    [
        ("ມື້ນີ້ມີຫຍັງ?", "lo", f"ຕາຕະລາງ {day(D(2024, 7, 15), 'lo')}\n"),
        ("lich ngay mai", "vi", f"Lịch học {day(D(2024, 7, 16), 'vi')}\n"),
        ("wednesday", "en", f"Schedule for {day(D(2024, 7, 17), 'en')}\n"),
        ("lịch tuần này", "vi", f"Lịch tuần {date_range(D(2024, 7, 15), D(2024, 7, 21), 'vi')}\n"),
        ("next session", "en", "Now in progress\n"),
        ("chuyên đề 2", "vi", "Chuyên đề 2: Chuyển đổi số ở Hà Nội\n"),
        ("ຫົວຂໍ້ 3", "lo", "ບໍ່ມີຫົວຂໍ້ທີ 3; "),
        ("topics", "en", "Lecture topics\n"),
        ("/visits", "en", "🚌 Visit: smart operations centre\n"),
        ("what should I bring", "en", "🚌 Visit: smart operations centre\n"),
        ("xe xuất phát ở đâu", "vi", "🚌 Khảo sát Trung tâm điều hành thông minh\n"),
    ],
)
async def test_plain_words_end_to_end(
    db: Database, clock: FakeClock, text: str, lang: str, start: str
) -> None:
    seeded = await seed(db, clock.now())
    clock.set(dt.datetime(2024, 7, 15, 10, 0, tzinfo=HANOI))
    today = seeded.cls.local_now(clock.now()).date()
    intent = parse(text, today)
    assert intent is not None
    replies = await assistant.answer(db, seeded.cls, intent, lang=lang, now=clock.now())
    assert replies
    assert replies[0].plain().startswith(start)


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        (
            "/day 40/7",
            "en",
            "I could not read “40/7” as a day. Write it as day/month, for example /day 15/7, "
            "or as a weekday.",
        ),
        (
            "/bring thứ tám",
            "vi",
            "Tôi không hiểu “thứ tám” là ngày nào. Anh/Chị hãy viết theo dạng ngày/tháng, "
            "ví dụ /bring 15/7, hoặc ghi thứ trong tuần.",
        ),
        (
            "/week ບໍ່ຮູ້",
            "lo",
            "ຂ້າພະເຈົ້າບໍ່ເຂົ້າໃຈວ່າ “ບໍ່ຮູ້” ແມ່ນວັນໃດ. ກະລຸນາຂຽນເປັນ ວັນທີ/ເດືອນ, ເຊັ່ນ /week 15/7, ຫຼື ຂຽນຊື່ວັນ.",
        ),
    ],
)
async def test_an_unreadable_day_is_named_in_the_answer(
    db: Database, clock: FakeClock, text: str, lang: str, expected: str
) -> None:
    seeded = await seed(db, clock.now())
    intent = parse(text, dt.date(2024, 7, 15))
    assert intent is not None
    [reply] = await assistant.answer(db, seeded.cls, intent, lang=lang, now=clock.now())
    assert reply.plain() == expected


@pytest.mark.parametrize(
    ("text", "lang", "start"),
    [
        ("khi nào bế giảng", "vi", f"Lịch học {day(D(2024, 7, 26), 'vi')}\n"),
        ("ພິທີເປີດຈັກໂມງ", "lo", f"ຕາຕະລາງ {day(D(2024, 7, 15), 'lo')}\n"),
        ("when is the closing ceremony", "en", f"Schedule for {day(D(2024, 7, 26), 'en')}\n"),
    ],
)
async def test_ceremonies_show_their_day(
    db: Database, clock: FakeClock, text: str, lang: str, start: str
) -> None:
    cls = (
        await importer.import_path(db, importer.sample_path(), created_by="t", now=clock.now())
    ).cls
    intent = parse(text, dt.date(2024, 7, 15))
    assert intent is not None
    [reply] = await assistant.answer(db, cls, intent, lang=lang, now=clock.now())
    assert reply.plain().startswith(start)
    assert "🎓" in reply.plain()


async def test_channel_intents_are_refused(db: Database, clock: FakeClock) -> None:
    seeded = await seed(db, clock.now())
    for kind in assistant.CHANNEL_KINDS:
        with pytest.raises(ValueError, match="channel"):
            await assistant.answer(db, seeded.cls, Intent(kind), lang="vi", now=clock.now())
    [help_reply] = await assistant.answer(
        db, seeded.cls, Intent(K.HELP), lang="en", now=clock.now(), role=Role.MANAGER
    )
    assert "/broadcast — Send an announcement to the class" in help_reply.plain()


def test_help_lists_commands_per_role() -> None:
    trainee = assistant.help_reply(Role.TRAINEE, "en").plain()
    assert trainee.startswith("What I can do\n/today — Today's schedule\n")
    assert "/broadcast" not in trainee and "/upload" not in trainee
    manager = assistant.help_reply(Role.MANAGER, "vi").plain()
    assert "Dành cho cán bộ quản lý lớp\n/broadcast — Gửi thông báo tới lớp" in manager
    assert "/upload" not in manager
    admin = assistant.help_reply(Role.ADMIN, "lo").plain()
    for command in ("/rollcall", "/invite", "/upload", "/rollback", "/audit", "/template"):
        assert command in admin
    assert "“ມື້ນີ້ມີຫຍັງ”" in admin


@pytest.mark.parametrize("lang", ["vi", "lo", "en"])
def test_help_examples_are_understood(lang: str) -> None:
    """Every plain-words example the help offers parses to an intent."""
    text = assistant.help_reply(Role.TRAINEE, lang).plain().splitlines()[-1]
    examples = text.split("“")[1:]
    assert len(examples) == 7
    for example in examples:
        phrase = example.split("”")[0]
        assert parse(phrase, dt.date(2024, 7, 15)) is not None, phrase


def test_commands_for_menus() -> None:
    names = [name for name, _ in assistant.commands_for(Role.TRAINEE, "lo")]
    assert names[:3] == ["today", "tomorrow", "week"]
    assert dict(assistant.commands_for(Role.ADMIN, "vi"))["export"] == "Xuất lịch học"
    assert len(assistant.commands_for(Role.ADMIN, "en")) == 19 + 14 + 8 + 1  # and /demote


@pytest.mark.parametrize("lang", ["vi", "lo", "en"])
def test_demote_is_in_the_menus_and_help_wherever_promote_is(lang: str) -> None:
    for role in Role:
        names = [name for name, _ in assistant.commands_for(role, lang)]
        assert ("promote" in names) == ("demote" in names), role
        lines = "\n".join(
            line for block in assistant.help_reply(role, lang).blocks for line in block.lines
        )
        assert ("/promote" in lines) == ("/demote" in lines), role
    admin = dict(assistant.commands_for(Role.ADMIN, lang))
    assert admin["demote"] != admin["promote"]
    if lang != "en":
        assert "Lower a member" not in admin["demote"]  # translated


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            "Vientiane cadres' class in Hanoi\nCode: VTE-HN-2024\n"
            f"Dates: {date_range(D(2024, 7, 15), D(2024, 7, 17), 'en')}\n"
            "Venue: Trường Đào tạo cán bộ Lê Hồng Phong\n"
            f"Organiser: Thành ủy Hà Nội\nVenue time: {zone(VN, 'en')}\nYour role: Trainee",
        ),
        (
            "lo",
            "ຫ້ອງຝຶກອົບຮົມພະນັກງານນະຄອນຫຼວງວຽງຈັນ ຢູ່ຮ່າໂນ້ຍ\nລະຫັດຫ້ອງ: VTE-HN-2024\n"
            "ໄລຍະເວລາ: 15 – 17 ກໍລະກົດ 2024\n"
            "ສະຖານທີ່: Trường Đào tạo cán bộ Lê Hồng Phong\nຫົວໜ່ວຍຈັດຕັ້ງ: Thành ủy Hà Nội\n"
            f"ເວລາທ້ອງຖິ່ນບ່ອນຝຶກອົບຮົມ: {zone(VN, 'lo')}\n"
            "ບົດບາດຂອງທ່ານ: ຜູ້ເຂົ້າຮ່ວມຝຶກອົບຮົມ",
        ),
    ],
)
async def test_myclass(db: Database, clock: FakeClock, lang: str, expected: str) -> None:
    seeded = await seed(db, clock.now())
    assert assistant.myclass_reply(seeded.cls, Role.TRAINEE, lang).plain() == expected
    [reply] = await assistant.answer(db, seeded.cls, Intent(K.MYCLASS), lang=lang, now=clock.now())
    assert reply.plain() == expected


async def test_guangzhou_uses_its_own_clock(db: Database) -> None:
    """Shanghai is UTC+8: at 16:30 UTC it is already the next day there (not yet in Hanoi)."""
    now = dt.datetime(2025, 9, 19, 0, 30, tzinfo=dt.UTC)  # 08:30 in Guangzhou
    cls, _ = await save_version(
        db, guangzhou_schedule(), created_by="test", source_hash="gz", now=now
    )
    [upcoming] = await assistant.answer(db, cls, Intent(K.NEXT), lang="vi", now=now)
    assert upcoming.plain() == (
        f"Buổi tiếp theo\n{day(D(2025, 9, 19), 'vi')}\n09:00–11:00 · 🎓 Khai giảng\n"
        f"Bắt đầu sau {duration('vi', minutes=30)} nữa.\n\n"
        f"Giờ địa phương nơi học: {zone(CN, 'vi', D(2025, 9, 19))}"
    )
    late = dt.datetime(2025, 9, 19, 16, 30, tzinfo=dt.UTC)
    [today] = await assistant.answer(db, cls, Intent(K.TODAY), lang="en", now=late)
    assert today.plain().startswith(
        f"Schedule for {day(D(2025, 9, 20), 'en')}\nVenue time: {zone(CN, 'en')}\n\n"
        "08:30–11:30 · Guangdong's macro-economy"
    )
