"""Announcement test helpers: a two-language body, a draft for the seeded class, enrolling."""

from __future__ import annotations

import datetime as dt

from bot.announcements.publish import Draft
from bot.domain import Channel, Person, Role, localized
from bot.store import people
from bot.store.database import Database
from tests.helpers.sample import Seeded

BODY = localized(
    {
        "vi": "Chiều nay xe xuất phát lúc 13h15 tại sảnh khách sạn",
        "lo": "ບ່າຍມື້ນີ້ ລົດອອກເດີນທາງເວລາ 13:15 ທີ່ໂຖງໂຮງແຮມ",
    }
)


async def enrol(
    db: Database, seeded: Seeded, ext: str, name: str, lang: str, now: dt.datetime
) -> Person:
    person, _, _ = await people.upsert_identity(
        db,
        channel=Channel.TELEGRAM,
        external_id=ext,
        chat_id=ext,
        display_name=name,
        language_code=lang,
        now=now,
    )
    await people.set_lang(db, person.id, lang)
    await people.add_member(db, seeded.cls.id, person.id, Role.TRAINEE, now)
    fresh = await people.get_person(db, person.id)
    assert fresh is not None
    return fresh


def draft(s: Seeded, **kw: object) -> Draft:
    return Draft(class_id=s.cls.id, body=BODY, **kw)  # type: ignore[arg-type]
