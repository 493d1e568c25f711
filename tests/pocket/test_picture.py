"""The week as a picture: every character drawn has a glyph in the font it was drawn with."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from collections.abc import Mapping

import pytest
from fontTools.ttLib import TTFont
from PIL import Image

from bot.domain import Localized, localized
from bot.pocket import picture
from bot.replies import Document, Reply
from tests.helpers.sample import guangzhou_schedule, vientiane_schedule

_CMAPS: dict[str, set[int]] = {}


def cmap(face: str) -> set[int]:
    if face not in _CMAPS:
        _CMAPS[face] = set(TTFont(picture.FONTS / face).getBestCmap())
    return _CMAPS[face]


def assert_no_missing_glyphs(drawn: Mapping[str, frozenset[str]]) -> None:
    assert drawn
    for face, chars in drawn.items():
        missing = sorted(c for c in chars if ord(c) not in cmap(face) and not c.isspace())
        assert not missing, f"{face} has no glyph for {missing}"


@pytest.mark.parametrize("lang", ["vi", "lo", "en"])
def test_a_week_renders_in_each_language_with_a_glyph_for_every_character(lang: str) -> None:
    schedule = vientiane_schedule()
    cls = dataclasses.replace(schedule.cls, id=1, live_version_id=1)
    topics = {t.number: t for t in schedule.topics}
    monday = dt.date(2024, 7, 15)
    week = picture.render_week(cls, monday, schedule.sessions, topics, lang)
    image = Image.open(io.BytesIO(week.png))
    assert image.format == "PNG" and image.width == picture.WIDTH and image.height > 600
    assert image.height <= picture.MAX_HEIGHT and len(week.pages) == 1
    assert_no_missing_glyphs(week.drawn)
    drawn = "".join(sorted(set().union(*week.drawn.values())))
    if lang == "lo":
        assert any("\u0e80" <= c <= "\u0eff" for c in week.drawn["NotoSansLao-Regular.ttf"])
    if lang == "vi":
        assert "ờ" in drawn or "ệ" in drawn  # Vietnamese letters with two marks, precomposed


def test_text_in_no_font_is_replaced_not_drawn_as_a_box() -> None:
    schedule = guangzhou_schedule()
    odd: Localized = localized({"vi": "Tham quan 华南理工大学 🚌 Cảng\u200b"})
    sessions = tuple(dataclasses.replace(s, title=odd) for s in schedule.sessions)
    cls = dataclasses.replace(schedule.cls, id=2, live_version_id=1)
    monday = cls.first_day - dt.timedelta(days=cls.first_day.weekday())
    week = picture.render_week(cls, monday, sessions, {}, "vi")
    assert_no_missing_glyphs(week.drawn)
    drawn = set().union(*week.drawn.values())
    assert "华" not in drawn and "🚌" not in drawn and "?" in drawn


def test_the_picture_is_kept_per_version_and_language() -> None:
    schedule = vientiane_schedule()
    cls = dataclasses.replace(schedule.cls, id=3, live_version_id=7)
    monday = dt.date(2024, 7, 15)
    first = picture.cached_week(cls, monday, schedule.sessions, {}, "lo")
    assert picture.cached_week(cls, monday, (), {}, "lo") is first
    assert picture.cached_week(cls, monday, schedule.sessions, {}, "en") is not first
    newer = dataclasses.replace(cls, live_version_id=8)
    assert picture.cached_week(newer, monday, (), {}, "lo") is not first


def test_a_reply_with_a_picture_survives_the_outbox() -> None:
    reply = Reply(picture=Document("w.png", b"\x89PNG", "c"))
    assert Reply.from_json(reply.to_json()) == reply


def test_a_long_week_becomes_pages_no_taller_than_telegram_keeps_legible() -> None:
    schedule = vientiane_schedule()
    cls = dataclasses.replace(schedule.cls, id=4, live_version_id=1, last_day=dt.date(2024, 7, 21))
    many = []
    for d in range(7):
        for hour in (7, 9, 13, 15, 19):
            base = schedule.sessions[2 if hour == 13 else 1]
            many.append(
                dataclasses.replace(
                    base,
                    key=f"k{d}{hour}",
                    day=dt.date(2024, 7, 15) + dt.timedelta(days=d),
                    start=dt.time(hour, 0),
                    end=dt.time(hour + 1, 30),
                )
            )
    week = picture.render_week(cls, dt.date(2024, 7, 15), many, {}, "lo")
    assert len(week.pages) >= 2
    for page in week.pages:
        image = Image.open(io.BytesIO(page))
        assert image.width == picture.WIDTH and image.height <= picture.MAX_HEIGHT
    assert_no_missing_glyphs(week.drawn)
