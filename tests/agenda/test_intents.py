"""Plain words in vi (with and without diacritics), lo and en, and slash commands, to intents."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.agenda.intents import Intent, IntentKind, normalize, parse

TODAY = dt.date(2024, 7, 15)  # a Monday
K = IntentKind


def day(d: int, month: int = 7, year: int = 2024) -> Intent:
    return Intent(K.DAY, day=dt.date(year, month, d))


CASES: list[tuple[str, Intent]] = [
    # Vietnamese, with and without diacritics, with politeness and filler
    ("cho em hỏi lịch hôm nay", Intent(K.TODAY)),
    ("Cho em hoi lich hom nay a", Intent(K.TODAY)),
    ("hom nay co gi", Intent(K.TODAY)),
    ("Hôm nay có gì vậy ạ?", Intent(K.TODAY)),
    ("HÔM NAY   học gì", Intent(K.TODAY)),
    ("lịch học", Intent(K.TODAY)),
    ("lich", Intent(K.TODAY)),
    ("chương trình", Intent(K.TODAY)),
    ("lich ngay mai", Intent(K.TOMORROW)),
    ("Lịch ngày mai thế nào ạ", Intent(K.TOMORROW)),
    ("mai học gì", Intent(K.TOMORROW)),
    ("ngày kia", day(17)),
    ("hôm qua học gì", day(14)),
    ("lịch tuần này", Intent(K.WEEK)),
    ("lich tuan", Intent(K.WEEK)),
    ("lịch tuần sau", Intent(K.WEEK, day=dt.date(2024, 7, 22))),
    ("thứ năm", day(18)),
    ("thu 5", day(18)),
    ("lịch T6", day(19)),
    ("thứ hai", day(15)),
    ("chủ nhật", day(21)),
    ("thứ tư tuần sau", day(24)),
    ("15/7", day(15)),
    ("ngày 16/7 có gì", day(16)),
    ("16-07-2024", day(16)),
    ("ngày 17 tháng 7", day(17)),
    ("ngày 16", day(16)),
    ("2024-07-17", day(17)),
    ("buổi tiếp theo", Intent(K.NEXT)),
    ("sap toi hoc gi", Intent(K.NEXT)),
    ("chuyên đề 3", Intent(K.TOPIC, number=3)),
    ("chuyen de so 10", Intent(K.TOPIC, number=10)),
    ("các chuyên đề", Intent(K.TOPICS)),
    ("khảo sát thực tế", Intent(K.VISITS)),
    ("lich khao sat", Intent(K.VISITS)),
    ("cần mang gì ạ", Intent(K.BRING)),
    ("can mang theo gi", Intent(K.BRING)),
    ("mặc trang phục gì", Intent(K.BRING)),
    ("xe xuất phát ở đâu", Intent(K.MEETING)),
    ("điểm tập trung", Intent(K.MEETING)),
    ("may gio xuat phat", Intent(K.MEETING)),
    ("lớp của tôi", Intent(K.MYCLASS)),
    ("đổi lớp", Intent(K.CLASS)),
    ("đổi ngôn ngữ", Intent(K.LANG)),
    ("hướng dẫn", Intent(K.HELP)),
    ("môn học hôm nay", Intent(K.TODAY)),
    ("chiều nay học ở đâu", Intent(K.WHERE)),
    ("mấy giờ vào lớp ạ", Intent(K.START)),
    ("sáng mai mấy giờ vào lớp", Intent(K.START, day=dt.date(2024, 7, 16))),
    ("bây giờ đang học gì", Intent(K.NEXT)),
    ("mấy giờ đi ạ", Intent(K.MEETING)),
    ("xe đón ở đâu", Intent(K.MEETING)),
    ("lên xe ở đâu ạ", Intent(K.MEETING)),
    ("giờ khởi hành", Intent(K.MEETING)),
    ("@classbot hôm nay", Intent(K.TODAY)),
    # Lao (no spaces between words; ໜ and ຫນ spellings; Lao digits)
    ("ມື້ນີ້ມີຫຍັງ?", Intent(K.TODAY)),
    ("ຂໍຖາມຕາຕະລາງມື້ນີ້ແດ່", Intent(K.TODAY)),
    ("ຕາຕະລາງ", Intent(K.TODAY)),
    ("ມື້ອື່ນ", Intent(K.TOMORROW)),
    ("ມື້ອື່ນຮຽນຫຍັງ", Intent(K.TOMORROW)),
    ("ມື້ຮື", day(17)),
    ("ຕາຕະລາງອາທິດນີ້", Intent(K.WEEK)),
    ("ອາທິດໜ້າ", Intent(K.WEEK, day=dt.date(2024, 7, 22))),
    ("ອາທິດຫນ້າ", Intent(K.WEEK, day=dt.date(2024, 7, 22))),
    ("ວັນພະຫັດ", day(18)),
    ("ວັນອາທິດ", day(21)),
    ("ວັນທີ 16", day(16)),
    ("໑໖/໗", day(16)),
    ("17 ກໍລະກົດ", day(17)),
    ("ຫົວຂໍ້ 3", Intent(K.TOPIC, number=3)),
    ("ຫົວຂໍ້ທີ 2", Intent(K.TOPIC, number=2)),
    ("ຫົວຂໍ້ບັນຍາຍ", Intent(K.TOPICS)),
    ("ກິດຈະກຳຕໍ່ໄປ", Intent(K.NEXT)),
    ("ທັດສະນະສຶກສາ", Intent(K.VISITS)),
    ("ຕ້ອງເອົາຫຍັງໄປ", Intent(K.BRING)),
    ("ລົດອອກຈາກໃສ", Intent(K.MEETING)),
    ("ຈຸດນັດພົບຢູ່ໃສ", Intent(K.MEETING)),
    ("ປ່ຽນພາສາ", Intent(K.LANG)),
    ("ຂໍຄວາມຊ່ວຍເຫຼືອ", Intent(K.HELP)),
    ("ຕອນນີ້ຮຽນຫຍັງ", Intent(K.NEXT)),
    ("ເຂົ້າຮຽນຈັກໂມງ", Intent(K.START)),
    ("ລົດອອກຈັກໂມງ", Intent(K.MEETING)),
    ("ຂຶ້ນລົດຢູ່ໃສ", Intent(K.MEETING)),
    ("ອາທິດນີ້ມີຫຍັງແດ່", Intent(K.WEEK)),
    ("ທັດສະນະສຶກສາມື້ອື່ນ", Intent(K.VISITS, day=dt.date(2024, 7, 16))),
    # English
    ("what's on today", Intent(K.TODAY)),
    ("What’s on today?", Intent(K.TODAY)),
    ("schedule", Intent(K.TODAY)),
    ("tomorrow's schedule", Intent(K.TOMORROW)),
    ("Tomorrow", Intent(K.TOMORROW)),
    ("day after tomorrow", day(17)),
    ("yesterday", day(14)),
    ("this week", Intent(K.WEEK)),
    ("next week", Intent(K.WEEK, day=dt.date(2024, 7, 22))),
    ("next session", Intent(K.NEXT)),
    ("what's next?", Intent(K.NEXT)),
    ("Thursday", day(18)),
    ("on wed", day(17)),
    ("friday next week", day(26)),
    ("July 16", day(16)),
    ("17 July", day(17)),
    ("topic 3", Intent(K.TOPIC, number=3)),
    ("Topic #4", Intent(K.TOPIC, number=4)),
    ("topics", Intent(K.TOPICS)),
    ("field visits", Intent(K.VISITS)),
    ("what should I bring", Intent(K.BRING)),
    ("what to wear", Intent(K.BRING)),
    ("where does the bus leave", Intent(K.MEETING)),
    ("Where do we meet?", Intent(K.MEETING)),
    ("my class", Intent(K.MYCLASS)),
    ("language", Intent(K.LANG)),
    ("help", Intent(K.HELP)),
    ("what's on now?", Intent(K.NEXT)),
    ("when do we leave", Intent(K.MEETING)),
    ("what time does the bus leave", Intent(K.MEETING)),
    ("departure time?", Intent(K.MEETING)),
    ("this afternoon", Intent(K.TODAY)),
    ("what time does class start", Intent(K.START)),
    ("@classbot tomorrow", Intent(K.TOMORROW)),
    # Slash commands, with @botname, for every channel
    ("/today", Intent(K.TODAY)),
    ("/today@ClassBot", Intent(K.TODAY)),
    ("/tomorrow", Intent(K.TOMORROW)),
    ("/week", Intent(K.WEEK)),
    ("/week 22/7", Intent(K.WEEK, day=dt.date(2024, 7, 22))),
    ("/day 16/7", day(16)),
    ("/day thursday", day(18)),
    ("/day", Intent(K.TODAY)),
    ("/day tomorrow", day(16)),
    # An argument that is not a day is reported as written, not ignored
    ("/day 40/7", Intent(K.DAY, unread="40/7")),
    ("/day  nonsense ", Intent(K.DAY, unread="nonsense")),
    ("/bring Thứ Tám", Intent(K.BRING, unread="Thứ Tám")),
    ("/week soon", Intent(K.WEEK, unread="soon")),
    ("/next@classbot", Intent(K.NEXT)),
    ("/topics", Intent(K.TOPICS)),
    ("/topic 3", Intent(K.TOPIC, number=3)),
    ("/topic@classbot 7", Intent(K.TOPIC, number=7)),
    ("/topic", Intent(K.TOPICS)),
    ("/visits", Intent(K.VISITS)),
    ("/visits saturday", Intent(K.VISITS, day=dt.date(2024, 7, 20))),
    ("/bring 20/7", Intent(K.BRING, day=dt.date(2024, 7, 20))),
    ("/meeting tomorrow", Intent(K.MEETING, day=dt.date(2024, 7, 16))),
    ("/bring", Intent(K.BRING)),
    # What to bring and where the bus leaves, for a named day (else the next visit)
    ("what should I bring tomorrow", Intent(K.BRING, day=dt.date(2024, 7, 16))),
    ("what to bring on 20/7", Intent(K.BRING, day=dt.date(2024, 7, 20))),
    ("bring on thursday", Intent(K.BRING, day=dt.date(2024, 7, 18))),
    ("thứ bảy cần mang gì ạ", Intent(K.BRING, day=dt.date(2024, 7, 20))),
    ("ngay mai mac gi", Intent(K.BRING, day=dt.date(2024, 7, 16))),
    ("ມື້ອື່ນຕ້ອງເອົາຫຍັງໄປ", Intent(K.BRING, day=dt.date(2024, 7, 16))),
    ("where does the bus leave tomorrow", Intent(K.MEETING, day=dt.date(2024, 7, 16))),
    ("xe đón ở đâu hôm nay", Intent(K.MEETING, day=TODAY)),
    ("ວັນເສົາລົດອອກຈັກໂມງ", Intent(K.MEETING, day=dt.date(2024, 7, 20))),
    ("what to bring next week", Intent(K.BRING)),
    # When do we get back: the return time of the next visit, or of that day's
    ("bao giờ về ạ", Intent(K.RETURN)),
    ("mấy giờ về", Intent(K.RETURN)),
    ("ngày mai mấy giờ về", Intent(K.RETURN, day=dt.date(2024, 7, 16))),
    ("ຈະກັບຈັກໂມງ", Intent(K.RETURN)),
    ("when do we get back on saturday", Intent(K.RETURN, day=dt.date(2024, 7, 20))),
    ("return time", Intent(K.RETURN)),
    # Where do we study: the venue of the session now or next (a named day: that day's)
    ("học ở đâu ạ", Intent(K.WHERE)),
    ("phòng học ở đâu", Intent(K.WHERE)),
    ("học ở phòng nào ạ", Intent(K.WHERE)),
    ("where is the class?", Intent(K.WHERE)),
    ("which room", Intent(K.WHERE)),
    ("ຮຽນຢູ່ໃສ", Intent(K.WHERE)),
    ("ngày mai học ở đâu", Intent(K.WHERE, day=dt.date(2024, 7, 16))),
    # "mấy" without its marks is no month: Friday, and the 20th of the class's month
    ("thứ 6 mấy giờ vào học", Intent(K.START, day=dt.date(2024, 7, 19))),
    ("thu 6 may gio vao hoc", Intent(K.START, day=dt.date(2024, 7, 19))),
    ("ngay 20 may gio xuat phat", Intent(K.MEETING, day=dt.date(2024, 7, 20))),
    ("ngày 20 mấy giờ xuất phát", Intent(K.MEETING, day=dt.date(2024, 7, 20))),
    ("6 May", day(6, 5)),
    # Countdowns, lecturers, the day after tomorrow, where we go
    ("còn bao lâu nữa thì vào học", Intent(K.COUNTDOWN)),
    ("ອີກຈັກນາທີຈະເລີ່ມຮຽນ", Intent(K.COUNTDOWN)),
    ("how long until class starts", Intent(K.COUNTDOWN)),
    ("giảng viên hôm nay là ai", Intent(K.LECTURERS)),
    ("who lectures today", Intent(K.LECTURERS)),
    ("hôm nay mấy giờ vào học", Intent(K.START)),
    ("what time do we start", Intent(K.START)),
    ("mốt đi đâu", Intent(K.VISITS, day=dt.date(2024, 7, 17))),
    ("ຕ້ອງນຸ່ງຊຸດຫຍັງໄປ", Intent(K.BRING)),
    # Courtesies and languages
    ("xin chào", Intent(K.GREETING)),
    ("alo", Intent(K.GREETING)),
    ("ສະບາຍດີ", Intent(K.GREETING)),
    ("hi", Intent(K.GREETING)),
    ("cảm ơn ạ", Intent(K.THANKS)),
    ("ຂອບໃຈຫຼາຍໆເຈົ້າ", Intent(K.THANKS)),
    ("thanks!", Intent(K.THANKS)),
    ("ok", Intent(K.ACK)),
    ("dạ vâng ạ", Intent(K.ACK)),
    ("tạm biệt", Intent(K.BYE)),
    ("bot làm được gì", Intent(K.ABOUT)),
    ("what can you do", Intent(K.ABOUT)),
    ("can you answer in Vietnamese", Intent(K.SETLANG, lang="vi")),
    ("trả lời bằng tiếng Anh", Intent(K.SETLANG, lang="en")),
    ("ຕອບເປັນພາສາລາວແດ່", Intent(K.SETLANG, lang="lo")),
    # The opening and closing ceremonies: their day (a named day still wins)
    ("khi nào bế giảng ạ", Intent(K.CLOSING)),
    ("lễ bế giảng ngày nào", Intent(K.CLOSING)),
    ("when is the closing ceremony?", Intent(K.CLOSING)),
    ("ພິທີປິດວັນໃດ", Intent(K.CLOSING)),
    ("khai giảng lúc mấy giờ", Intent(K.OPENING)),
    ("ພິທີເປີດຈັກໂມງ", Intent(K.OPENING)),
    ("hôm nay có khai giảng không", Intent(K.TODAY)),
    # The next visit only, not all of them
    ("when is the next visit", Intent(K.VISITS, number=1)),
    ("chuyến khảo sát tiếp theo", Intent(K.VISITS, number=1)),
    ("ທັດສະນະສຶກສາຄັ້ງຕໍ່ໄປ", Intent(K.VISITS, number=1)),
    ("/help", Intent(K.HELP)),
    ("/lang", Intent(K.LANG)),
    ("/myclass", Intent(K.MYCLASS)),
    ("/class", Intent(K.CLASS)),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_understood(text: str, expected: Intent) -> None:
    assert parse(text, TODAY) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "/start",
        "/unknown",
        "31/2",
        "👍",
        "em xin phép vắng",
        # check-ins, not questions about the bus
        "tôi đã lên xe",
        "I'm on the bus",
        "ຂຶ້ນລົດແລ້ວ",
    ],
)
def test_not_understood(text: str) -> None:
    assert parse(text, TODAY) is None


def test_dates_pick_the_nearest_year() -> None:
    assert parse("2/1", dt.date(2024, 12, 30)) == Intent(K.DAY, day=dt.date(2025, 1, 2))
    assert parse("30/12", dt.date(2025, 1, 2)) == Intent(K.DAY, day=dt.date(2024, 12, 30))


def test_weekday_today_means_today() -> None:
    assert parse("thứ hai", TODAY) == Intent(K.DAY, day=TODAY)


def test_long_messages_are_cut_short() -> None:
    assert parse("where " * 700, TODAY) is None
    assert parse("hôm nay " + "x" * 5000, TODAY) == Intent(K.TODAY)
    assert parse("x" * 400 + " hôm nay", TODAY) is None


def test_normalize() -> None:
    assert normalize("  Lịch   Học HÔM NAY?  ") == "lich hoc hom nay"
    assert normalize("Đà Nẵng") == "da nang"
    assert normalize("ໜ້າ") == "ຫນ້າ"
    assert normalize("ມື້\u200bນີ້") == "ມື້ນີ້"
    assert normalize("໑໒") == "12"
    # Lao vowel and tone marks are kept (only Latin diacritics are stripped).
    assert normalize("ມື້ອື່ນ") == "ມື້ອື່ນ"
