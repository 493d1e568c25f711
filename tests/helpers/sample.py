"""Small, hand-built classes for tests (the full samples live in schedules/)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from bot.domain import (
    Channel,
    Person,
    Role,
    Schedule,
    Session,
    SessionKind,
    Topic,
    TrainingClass,
    localized,
)
from bot.store import people
from bot.store.database import Database
from bot.store.versions import save_version

D = dt.date
T = dt.time


def vientiane_schedule() -> Schedule:
    """Three days of the Vientiane class in Hanoi (Asia/Ho_Chi_Minh, UTC+7), Lao by default."""
    cls = TrainingClass(
        id=0,
        code="VTE-HN-2024",
        name=localized(
            {
                "vi": "Lớp bồi dưỡng cán bộ Viêng Chăn tại Hà Nội",
                "lo": "ຫ້ອງຝຶກອົບຮົມພະນັກງານນະຄອນຫຼວງວຽງຈັນ ຢູ່ຮ່າໂນ້ຍ",
                "en": "Vientiane cadres' class in Hanoi",
            }
        ),
        organiser="Thành ủy Hà Nội",
        venue="Trường Đào tạo cán bộ Lê Hồng Phong",
        timezone="Asia/Ho_Chi_Minh",
        first_day=D(2024, 7, 15),
        last_day=D(2024, 7, 17),
        default_lang="lo",
    )
    topics = (
        Topic(
            1,
            localized(
                {
                    "vi": "Xây dựng, chỉnh đốn Đảng",
                    "lo": "ການກໍ່ສ້າງ ແລະ ປັບປຸງພັກ",
                    "en": "Party building and rectification",
                }
            ),
            block=localized({"vi": "Hà Nội", "lo": "ຮ່າໂນ້ຍ", "en": "Hanoi"}),
            lecturer="PGS.TS Nguyễn Văn A",
        ),
        Topic(
            2,
            localized(
                {
                    "vi": "Chuyển đổi số ở Hà Nội",
                    "lo": "ການຫັນເປັນດີຈີຕອນ ຢູ່ຮ່າໂນ້ຍ",
                    "en": "Digital transformation in Hanoi",
                }
            ),
            block=localized({"vi": "Hà Nội", "lo": "ຮ່າໂນ້ຍ", "en": "Hanoi"}),
            lecturer="TS Trần Thị B",
        ),
    )
    sessions = (
        Session(
            "s1",
            D(2024, 7, 15),
            T(8, 0),
            T(9, 0),
            SessionKind.OPENING,
            localized({"vi": "Lễ khai giảng", "lo": "ພິທີເປີດການຝຶກອົບຮົມ", "en": "Opening ceremony"}),
            venue="Hội trường A",
        ),
        Session(
            "s2",
            D(2024, 7, 15),
            T(9, 15),
            T(11, 30),
            SessionKind.LECTURE,
            localized({"vi": "Chuyên đề 1", "lo": "ຫົວຂໍ້ 1", "en": "Topic 1"}),
            topic_number=1,
            lecturer="PGS.TS Nguyễn Văn A",
            venue="Hội trường A",
        ),
        Session(
            "s3",
            D(2024, 7, 15),
            T(13, 30),
            T(17, 0),
            SessionKind.FIELD_VISIT,
            localized(
                {
                    "vi": "Khảo sát Trung tâm điều hành thông minh",
                    "lo": "ທັດສະນະສຶກສາ ສູນບັນຊາການອັດສະລິຍະ",
                    "en": "Visit: smart operations centre",
                }
            ),
            meeting_point=localized(
                {"vi": "Sảnh khách sạn", "lo": "ໂຖງໂຮງແຮມ", "en": "Hotel lobby"}
            ),
            departure=T(13, 15),
            return_time=T(17, 30),
            transport=localized({"vi": "Xe 45 chỗ", "lo": "ລົດ 45 ບ່ອນນັ່ງ", "en": "45-seat coach"}),
            dress_code=localized({"vi": "Áo sơ mi", "lo": "ເສື້ອເຊີດ", "en": "Shirt"}),
            bring=localized({"vi": "Thẻ học viên", "lo": "ບັດນັກຮຽນ", "en": "Trainee card"}),
            latitude=21.0285,
            longitude=105.8542,
        ),
        Session(
            "s4",
            D(2024, 7, 16),
            T(8, 0),
            T(11, 30),
            SessionKind.LECTURE,
            localized({"vi": "Chuyên đề 2", "lo": "ຫົວຂໍ້ 2", "en": "Topic 2"}),
            topic_number=2,
            lecturer="TS Trần Thị B",
            venue="Hội trường A",
        ),
        Session(
            "s5",
            D(2024, 7, 17),
            T(15, 0),
            T(16, 30),
            SessionKind.CLOSING,
            localized({"vi": "Lễ bế giảng", "lo": "ພິທີປິດການຝຶກອົບຮົມ", "en": "Closing ceremony"}),
            venue="Hội trường A",
        ),
    )
    return Schedule(cls=cls, topics=topics, sessions=sessions)


def guangzhou_schedule() -> Schedule:
    """Two days of the Hanoi class in Guangzhou (Asia/Shanghai, UTC+8), Vietnamese."""
    cls = TrainingClass(
        id=0,
        code="HN-GZ-2025",
        name=localized(
            {"vi": "Lớp cán bộ Hà Nội tại Quảng Châu", "en": "Hanoi cadres in Guangzhou"}
        ),
        timezone="Asia/Shanghai",
        first_day=D(2025, 9, 19),
        last_day=D(2025, 9, 20),
        default_lang="vi",
        venue="South China University of Technology",
    )
    sessions = (
        Session(
            "g1",
            D(2025, 9, 19),
            T(9, 0),
            T(11, 0),
            SessionKind.OPENING,
            localized({"vi": "Khai giảng", "en": "Opening"}),
        ),
        Session(
            "g2",
            D(2025, 9, 20),
            T(8, 30),
            T(11, 30),
            SessionKind.LECTURE,
            localized({"vi": "Kinh tế vĩ mô Quảng Đông", "en": "Guangdong's macro-economy"}),
        ),
    )
    return Schedule(cls=cls, topics=(), sessions=sessions)


@dataclass
class Seeded:
    cls: TrainingClass
    trainee: Person
    manager: Person
    admin: Person


async def seed(db: Database, now: dt.datetime) -> Seeded:
    """Import the Vientiane sample; enrol a Lao trainee (501), a manager (601), an admin (701)."""
    cls, _ = await save_version(
        db, vientiane_schedule(), created_by="test", source_hash="seed", now=now
    )
    made: list[Person] = []
    for ext, name, lang, role in (
        ("501", "Somphone", "lo", Role.TRAINEE),
        ("601", "Nguyễn Thị Lan", "vi", Role.MANAGER),
        ("701", "Admin", "vi", Role.ADMIN),
    ):
        person, _, _ = await people.upsert_identity(
            db,
            channel=Channel.TELEGRAM,
            external_id=ext,
            chat_id=ext,
            display_name=name,
            language_code=lang,
            now=now,
        )
        if role is Role.ADMIN:
            await people.set_admin(db, person.id, True)  # a promoted global admin
        await people.set_lang(db, person.id, lang)
        await people.set_active_class(db, person.id, cls.id)
        if role is not Role.ADMIN:
            await people.add_member(db, cls.id, person.id, role, now)
        fresh = await people.get_person(db, person.id)
        assert fresh is not None
        made.append(fresh)
    return Seeded(cls, *made)


def revised(schedule: Schedule | None = None, **moves: dt.time) -> Schedule:
    """The Vientiane sample with sessions (by key) starting at new times (one hour long)."""
    base = schedule or vientiane_schedule()
    sessions = tuple(
        dataclasses.replace(s, start=moves[s.key], end=dt.time(moves[s.key].hour + 1, 0))
        if s.key in moves
        else s
        for s in base.sessions
    )
    return dataclasses.replace(base, sessions=sessions)
