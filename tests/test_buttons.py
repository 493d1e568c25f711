"""The one strict button parser: fixed shapes, bounded integers, sane dates, nothing else."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot import actions, buttons
from bot.announcements.publish import Audience
from bot.schedule import mapping, newclass
from bot.schedule.exports import EXPORT_FORMATS


@pytest.mark.parametrize(
    ("data", "name", "values"),
    [
        ("day:3:2024-07-16", "day", (3, dt.date(2024, 7, 16))),
        ("mark:1:s3:2024-07-15:42", "mark", (1, "s3", dt.date(2024, 7, 15), 42)),
        ("checkin:1:#0a1b2c3d4e:2024-07-15", "checkin", (1, "#0a1b2c3d4e", dt.date(2024, 7, 15))),
        ("inv:new:2:trainee", "inv:new", (2, "trainee")),
        ("inv:rv:7", "inv:rv", (7,)),
        ("upl:no:9", "upl", ("no", 9)),
        ("exp:2:ics", "exp", (2, "ics")),
        ("bcast:aud:managers", "bcast:aud", ("managers",)),
        ("bcast:send", "bcast", ("send",)),
        ("lang:lo", "lang", ("lo",)),
    ],
)
def test_every_shape_the_bot_emits_parses(data: str, name: str, values: tuple[object, ...]) -> None:
    parsed = buttons.parse(data)
    assert parsed is not None and (parsed.name, parsed.values) == (name, values)


@pytest.mark.parametrize(
    "data",
    [
        "day:1:9999-12-31",
        "day:1:1999-12-31",
        "day:1:2024-02-30",
        "day:01:2024-07-16",
        "mark:1:s3:2024-07-15:99999999999999999999",
        "mark:1:s3:2024-07-15:2147483648",
        "inv:rv:",
        "inv:rv:-1",
        "inv:list:1e9",
        "exp:1:pdf",
        "upl:ok:0",
        "upl:maybe:1",
        "bcast:aud:everyone",
        "bcast:class:x",
        "lang:fr",
        "unknown:1",
        "day:1:2024-07-16:extra",
        "",
        "x" * 65,
    ],
)
def test_anything_else_is_refused(data: str) -> None:
    assert buttons.parse(data) is None


@given(st.text(max_size=80))
def test_parse_never_raises(data: str) -> None:
    parsed = buttons.parse(data)
    if parsed is not None:
        assert parsed.data == data and len(data.encode()) <= buttons.MAX_DATA_BYTES


def test_the_choices_match_the_features_values() -> None:
    assert set(buttons.AUDIENCES) == {a.value for a in Audience}
    assert set(buttons.EXPORT_FORMATS) == set(EXPORT_FORMATS)
    assert len(mapping.FIELDS) == buttons.MAP_FIELDS
    assert buttons.CLASS_ZONES == newclass.ZONES


def test_an_organisers_programme_buttons_have_their_shapes() -> None:
    """Issue 12: the column mapping's and a new class's buttons, and nothing near them."""
    assert buttons.parse("map:12:a") is not None
    assert buttons.parse("map:12:ab-c--.") is not None
    assert buttons.parse("map:12:ab-cdefg") is None  # longer than the fields asked
    assert buttons.parse("map:12:a.b") is None  # "preview now" ends the answers
    assert buttons.parse("map:12:A") is None
    assert buttons.parse("map:12:") is None
    for data in ("ncl:name", "ncl:dates", "ncl:cancel", "ncl:lang:lo", "ncl:tz:Asia/Vientiane"):
        assert buttons.parse(data) is not None, data
    for data in ("ncl:tz:Factory", "ncl:tz:localtime", "ncl:lang:fr", "ncl:code", "ncl:tz"):
        assert buttons.parse(data) is None, data


def test_every_registered_action_has_a_shape() -> None:
    assert {p.removesuffix(":") for p in actions.prefixes()} <= buttons.prefixes()
