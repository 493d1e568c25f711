"""The pocket's plain words: what the issue's users write reaches the card, contacts, materials."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.agenda import intents
from bot.pocket.words import Ask, PocketIntent, parse


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("phòng tôi số mấy", PocketIntent(Ask.CARD, focus="room")),
        ("phong toi so may", PocketIntent(Ask.CARD, focus="room")),
        ("my room", PocketIntent(Ask.CARD, focus="room")),
        ("xe số mấy", PocketIntent(Ask.CARD, focus="bus")),
        ("ຂ້ອຍນັ່ງລົດຄັນໃດ", PocketIntent(Ask.CARD, focus="bus")),
        ("/me", PocketIntent(Ask.CARD)),
        ("số điện thoại ban tổ chức", PocketIntent(Ask.CONTACTS)),
        ("hotline", PocketIntent(Ask.CONTACTS)),
        ("ເບີໂທສຸກເສີນ", PocketIntent(Ask.CONTACTS)),
        ("emergency", PocketIntent(Ask.CONTACTS)),
        ("/contacts", PocketIntent(Ask.CONTACTS)),
        ("tài liệu chuyên đề 3", PocketIntent(Ask.MATERIALS, number=3)),
        ("ເອກະສານ", PocketIntent(Ask.MATERIALS)),
        ("ເອກະສານຫົວຂໍ້ 4", PocketIntent(Ask.MATERIALS, number=4)),
        ("/materials 2", PocketIntent(Ask.MATERIALS, number=2, argument="2")),
        ("/roster links", PocketIntent(Ask.ROSTER, argument="links")),
    ],
)
def test_the_issues_phrasings_are_pocket_questions(text: str, expected: PocketIntent) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "which room",
        "học ở đâu",
        "xe xuất phát ở đâu",
        "ລົດອອກຈາກໃສ",
        "chuyên đề 3",
        "/week",
        "hôm nay",
    ],
)
def test_the_agendas_questions_stay_the_agendas(text: str) -> None:
    assert parse(text) is None
    assert intents.parse(text, dt.date(2024, 7, 15)) is not None
