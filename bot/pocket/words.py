"""What a trainee asks the pocket for, in commands or plain words (vi, lo, en).

Consulted by every channel before the agenda's parser (:mod:`bot.agenda.intents`),
so "phòng tôi số mấy" reaches the card and not the classroom answer; the phrases
are chosen not to take the agenda's ("which room" is the classroom, "xe xuất
phát ở đâu" the meeting point). Text is normalised by the agenda's own
:func:`~bot.agenda.intents.normalize`; Lao is matched without spaces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from bot.agenda.intents import normalize


class Ask(StrEnum):
    """A pocket request."""

    CARD = "card"
    CONTACTS = "contacts"
    MATERIALS = "materials"
    ROSTER = "roster"
    PICTURE = "picture"


@dataclass(frozen=True, slots=True)
class PocketIntent:
    """The request; ``focus`` ("room", "bus") for the card, ``number`` a topic for materials."""

    ask: Ask
    focus: str | None = None
    number: int | None = None
    argument: str = ""


COMMANDS = {
    "me": Ask.CARD,
    "contacts": Ask.CONTACTS,
    "materials": Ask.MATERIALS,
    "roster": Ask.ROSTER,
}


def _words(*patterns: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(patterns) + r")\b")


def _lao(*words: str) -> tuple[str, ...]:
    return tuple(normalize(w).replace(" ", "") for w in words)


_ROOM = _words(
    r"phong (?:cua )?toi",
    r"so phong(?: cua toi)?",
    r"phong khach san",
    r"toi o phong",
    r"my (?:hotel )?room",
    r"room number",
    r"hotel room",
    r"roommate",
    r"o cung phong",
)
# Not "ຫ້ອງຂອງຂ້ອຍ": ຫ້ອງ alone is the class (ຫ້ອງຝຶກອົບຮົມ), which the agenda answers.
_ROOM_LO = _lao("ຫ້ອງພັກ", "ຫ້ອງນອນ", "ພັກຫ້ອງ")
_BUS = _words(
    r"xe (?:so )?may",
    r"xe nao",
    r"xe cua toi",
    r"toi (?:di|ngoi) xe",
    r"ghe (?:so )?may",
    r"so ghe",
    r"ghe cua toi",
    r"cho ngoi",
    r"my bus",
    r"which bus",
    r"my seat",
    r"bus number",
    r"bus and seat",
    r"seat number",
)
_BUS_LO = _lao("ລົດຄັນໃດ", "ນັ່ງລົດ", "ບ່ອນນັ່ງ", "ລົດຄັນທີ", "ລົດຂອງຂ້ອຍ")
_CARD = _words(
    r"the cua toi",
    r"thong tin cua toi",
    r"my card",
    r"my details",
    r"truong nhom",
    r"group leader",
    r"who is my leader",
)
_CARD_LO = _lao("ບັດຂອງຂ້ອຍ", "ຂໍ້ມູນຂອງຂ້ອຍ", "ຫົວໜ້າກຸ່ມ")
_CONTACTS = _words(
    r"hotline",
    r"so dien thoai ban to chuc",
    r"dien thoai ban to chuc",
    r"duong day nong",
    r"khan cap",
    r"cap cuu",
    r"benh vien",
    r"dai su quan",
    r"emergency",
    r"emergencies",
    r"contacts?",
    r"hospital",
    r"embassy",
    r"so dien thoai quan ly lop",
    r"sdt",
    r"so dien thoai",
    r"lien he",
    r"phone numbers?",
    r"goi ai",
    r"whom to call",
    r"who to call",
)
_CONTACTS_LO = _lao("ເບີໂທສຸກເສີນ", "ສຸກເສີນ", "ເບີໂທ", "ໂຮງໝໍ", "ສະຖານທູດ", "ສາຍດ່ວນ")
_MATERIALS = _words(
    r"tai lieu",
    r"slides?",
    r"bai giang",
    r"materials?",
    r"readings?",
    r"documents?",
)
_MATERIALS_LO = _lao("ເອກະສານ")
_PICTURE = _words(
    r"anh lich tuan",
    r"lich tuan (?:dang|bang) anh",
    r"hinh lich tuan",
    r"week (?:as a )?picture",
    r"picture of the week",
    r"timetable (?:picture|image)",
    r"week image",
)
_PICTURE_LO = _lao("ຮູບຕາຕະລາງ", "ຕາຕະລາງເປັນຮູບ")
_NUMBER = re.compile(
    r"(?:chuyen de|cd|topic|lecture|ຫົວຂໍ້(?:ບັນຍາຍ)?|ບົດ)\s*(?:so|no\.?|number|#|thu|ທີ)?\s*(\d{1,3})"
)
_BARE_NUMBER = re.compile(r"^\s*(\d{1,3})\s*$")


def parse(text: str) -> PocketIntent | None:
    """The pocket request in ``text``, if it is one."""
    raw = text.strip()
    if raw.startswith("/"):
        head, _sep, rest = raw[1:].partition(" ")
        ask = COMMANDS.get(head.split("@")[0].lower())
        if ask is None:
            return None
        number = _BARE_NUMBER.match(rest) or _NUMBER.search(normalize(rest))
        return PocketIntent(ask, number=int(number[1]) if number else None, argument=rest.strip())
    norm = normalize(raw)
    lao = norm.replace(" ", "")
    if _MATERIALS.search(norm) or any(w in lao for w in _MATERIALS_LO):
        number = _NUMBER.search(norm) or _NUMBER.search(lao)
        return PocketIntent(Ask.MATERIALS, number=int(number[1]) if number else None)
    if _PICTURE.search(norm) or any(w in lao for w in _PICTURE_LO):
        return PocketIntent(Ask.PICTURE)
    if _ROOM.search(norm) or any(w in lao for w in _ROOM_LO):
        return PocketIntent(Ask.CARD, focus="room")
    if _BUS.search(norm) or any(w in lao for w in _BUS_LO):
        return PocketIntent(Ask.CARD, focus="bus")
    if _CARD.search(norm) or any(w in lao for w in _CARD_LO):
        return PocketIntent(Ask.CARD)
    if _CONTACTS.search(norm) or any(w in lao for w in _CONTACTS_LO):
        return PocketIntent(Ask.CONTACTS)
    return None
