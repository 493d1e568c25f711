"""The sample workbooks: generated from the text form, plus the contacts, interpreters and
trainees list only a workbook carries (what the terminal chat's pocket shows)."""

from __future__ import annotations

import pytest

from bot.agenda.cards import interpreter_line
from bot.domain import Schedule
from bot.pocket.workbook import has_trainees_sheet, read_roster
from bot.schedule.check import build_schedule
from bot.schedule.extras import read_extras
from bot.schedule.importer import SAMPLES
from bot.schedule.read import read_file
from bot.schedule.samples import cells, sample_workbook, workbook_path
from bot.store.contacts import SessionExtra


def _workbook(name: str) -> bytes:
    return workbook_path(name).read_bytes()


@pytest.mark.parametrize("name", SAMPLES)
def test_committed_workbooks_are_what_the_generator_builds(name: str) -> None:
    """`python -m bot.schedule.samples` was run after the last edit of a .toml or of it."""
    assert cells(_workbook(name)) == cells(sample_workbook(name))


def _schedule(name: str) -> Schedule:
    return build_schedule(read_file(_workbook(name), name.replace(".toml", ".xlsx")))


def test_the_vientiane_workbook_has_contacts_interpreters_and_trainees() -> None:
    name = SAMPLES[0]
    found, rows = read_extras(_workbook(name))
    assert found is not None and rows is not None
    assert {c.kind for c in found} == {"hotline", "managers", "hospital", "embassy", "emergency"}
    assert len([c for c in found if c.kind == "managers"]) == 3
    schedule = _schedule(name)
    lectures = {s.key for s in schedule.sessions if s.kind in ("lecture", "opening", "closing")}
    interpreted = {r.key for r in rows}
    assert interpreted == lectures  # every lecture and ceremony, nothing else
    assert {(r.lecture_lang, r.interpret_into) for r in rows} == {("vi", "lo")}
    extra = SessionExtra("topic-01", rows[1].interpreter, "lo", "vi")
    assert interpreter_line(schedule.cls, extra, "lo") is not None  # Lao readers see it
    assert interpreter_line(schedule.cls, extra, "vi") is None  # the lecture's own language

    assert has_trainees_sheet(_workbook(name))
    roster = read_roster(_workbook(name), name)
    assert len(roster) == 27  # class 1's trainees
    assert all(e.room and e.bus and e.seat and e.leader and e.lang == "lo" for e in roster)
    assert len({(e.bus, e.seat) for e in roster}) == 27
    names = {e.name for e in roster}
    assert {e.roommate for e in roster} - {""} <= names
    assert len({e.leader for e in roster}) == 4 and {e.leader for e in roster} <= names


def test_the_guangzhou_workbook_has_the_consulate_and_chinas_emergency_numbers() -> None:
    name = SAMPLES[1]
    found, rows = read_extras(_workbook(name))
    assert found is not None and rows is not None
    kinds = [c.kind for c in found]
    assert {"hotline", "managers", "hospital", "consulate", "emergency"} == set(kinds)
    emergency = " ".join(c.value for c in found if c.kind == "emergency")
    assert "120" in emergency and "110" in emergency
    assert "Quảng Châu" in next(c.value for c in found if c.kind == "consulate")
    # Chinese lectures, interpreted into Vietnamese: Vietnamese readers (the class's
    # default language) need the interpreter too.
    assert {(r.lecture_lang, r.interpret_into) for r in rows} == {("zh", "vi")}
    schedule = _schedule(name)
    row = rows[1]
    extra = SessionExtra(row.key, row.interpreter, row.interpret_into, row.lecture_lang)
    assert interpreter_line(schedule.cls, extra, "vi") is not None
    assert not has_trainees_sheet(_workbook(name))
