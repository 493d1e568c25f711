"""The terminal chat: the same application driven from the keyboard, and the README's command."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import Settings
from bot.schedule import importer
from bot.store import Database, classes
from bot.telegram import terminal
from tests.helpers.cldr import day, short_day

ROOT = Path(__file__).resolve().parent.parent.parent


async def run_chat(tmp_path: Path, typed: str, today: dt.date | None = None) -> str:
    out = io.StringIO()
    settings = Settings(db_path=str(tmp_path / "demo.db"))
    assert await terminal.chat(settings, today=today, stdin=io.StringIO(typed), out=out) == 0
    return out.getvalue()


async def test_picking_lao_then_asking_by_command_and_in_plain_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    text = await run_chat(tmp_path, "2\n/today\nhôm nay\n1\n/quit\nnot read\n")
    assert text.startswith("classbot terminal chat on the sample class VTE-HN-2024;")  # as LANG
    assert "[1] Tiếng Việt  [2] ພາສາລາວ  [3] ✓ English" in text  # pre-selected from LANG
    assert "ນັບແຕ່ນີ້ໄປ ຂ້າພະເຈົ້າຈະຕອບທ່ານເປັນພາສາລາວ." in text
    assert text.count(f"ຕາຕະລາງ {day(dt.date(2024, 7, 15), 'lo')}") == 2  # /today and "hôm nay"
    assert f"[1] {short_day(dt.date(2024, 7, 16), 'lo')} ▶" in text
    # Button 1 edited the day in place.
    assert f"✎ ຕາຕະລາງ {day(dt.date(2024, 7, 16), 'lo')}" in text
    assert "<b>" not in text and "&amp;" not in text
    assert "not read" not in text


async def test_the_sample_is_imported_once_and_the_user_enrolled(tmp_path: Path) -> None:
    await run_chat(tmp_path, "")
    await run_chat(tmp_path, "/myclass\n")
    db = await Database.open(tmp_path / "demo.db")
    try:
        [cls] = await classes.list_classes(db)
        assert cls.code == terminal.DEMO_CLASS
        rows = await db.fetchall("SELECT role FROM members")
        assert [r[0] for r in rows] == ["trainee"]
        versions = await db.fetchall("SELECT id FROM schedule_versions")
        assert len(versions) == 1
    finally:
        await db.close()


async def test_a_chosen_demo_day_and_the_location_of_a_visit(tmp_path: Path) -> None:
    text = await run_chat(tmp_path, "3\n/today\n/meeting\n", today=dt.date(2024, 7, 16))
    assert f"Schedule for {day(dt.date(2024, 7, 16), 'en')}" in text
    assert "📍 " in text  # the meeting point of the next field visit


def test_the_readme_command_opens_the_chat_on_a_fresh_directory(tmp_path: Path) -> None:
    """`classbot` with no token and no arguments: the terminal chat on the sample class."""
    exe = Path(sys.executable).parent / "classbot"
    env = {k: v for k, v in os.environ.items() if k not in ("BOT_TOKEN", "CLASSBOT_DB")}
    env["LANG"] = "C.UTF-8"
    result = subprocess.run(
        [str(exe)],
        input="2\n/today\nhôm nay\n/quit\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    # No language from the environment: the first screen is in English, and English is
    # offered first; the person picks Lao (2) and is answered in Lao.
    assert result.stdout.startswith("classbot terminal chat on the sample class VTE-HN-2024")
    assert "[1] Tiếng Việt  [2] ພາສາລາວ  [3] ✓ English" in result.stdout
    assert result.stdout.count(f"ຕາຕະລາງ {day(dt.date(2024, 7, 15), 'lo')}") == 2
    assert (tmp_path / "classbot.db").is_file()
    assert result.stderr == ""


async def test_the_demo_user_gets_a_row_of_the_sample_trainees_list(tmp_path: Path) -> None:
    text = await run_chat(tmp_path, "3\n/me\n/contacts\n", today=dt.date(2024, 7, 18))
    assert "Name: ສົມພອນ ພົມມະຈັນ (Somphone Phommachanh)" in text
    assert "☎ Emergency numbers: Cấp cứu / Ambulance 115" in text
    await run_chat(tmp_path, "/me\n")  # a second start keeps the same row
    db = await Database.open(tmp_path / "demo.db")
    try:
        rows = await db.fetchall("SELECT row_no, person_id FROM roster ORDER BY row_no")
        assert len(rows) == 27
        assert [r[0] for r in rows if r[1] is not None] == [2]
    finally:
        await db.close()


@pytest.mark.parametrize(("creator", "filled"), [("demo", True), ("an organiser", False)])
async def test_an_older_demo_database_gets_the_pocket_an_imported_class_does_not(
    tmp_path: Path, creator: str, filled: bool
) -> None:
    """A demo database made from the text form (no contacts) is completed on the next start;
    the same class imported by someone else is not the demo's to fill."""
    db = await Database.open(tmp_path / "demo.db")
    try:
        now = dt.datetime.now(dt.UTC)
        await importer.import_path(db, importer.sample_path(), created_by=creator, now=now)
    finally:
        await db.close()
    text = await run_chat(tmp_path, "3\n/contacts\n/me\n")
    assert ("☎ Organisers' hotline: " in text) is filled
    assert ("Name: ສົມພອນ ພົມມະຈັນ" in text) is filled
    assert ("The organisers have not given contact numbers" in text) is not filled
