"""The import service: atomic versions, the diff against the live version, preview, samples."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.schedule import importer
from bot.schedule.problems import ScheduleProblems
from bot.store import classes
from bot.store.database import Database
from bot.store.versions import list_versions
from tests.helpers.workbooks import make_xlsx, parts


async def test_import_sample_creates_the_class(db: Database, clock: FakeClock) -> None:
    result = await importer.import_path(db, importer.sample_path(), created_by="t", now=clock.now())
    assert result.cls.code == "VTE-HN-2024" and result.version.number == 1
    assert result.previous is None and len(result.diff.added) == len(result.schedule.sessions)
    data = importer.sample_path().read_bytes()
    assert result.version.source_hash == hashlib.sha256(data).hexdigest()
    assert result.version.source_name == "vientiane-hanoi-2024.toml"
    assert len(await classes.sessions_on(db, result.cls, result.cls.first_day)) == 5


async def test_reimport_of_the_workbook_is_a_new_version_without_changes(
    db: Database, clock: FakeClock
) -> None:
    await importer.import_path(db, importer.sample_path(), created_by="t", now=clock.now())
    xlsx = importer.sample_path("vientiane-hanoi-2024.xlsx")
    result = await importer.import_path(db, xlsx, created_by="t", now=clock.now())
    assert result.version.number == 2 and result.diff.empty


async def test_moved_session_is_reported_as_moved(db: Database, clock: FakeClock) -> None:
    cls, topics, sessions = parts()
    await importer.import_schedule(
        db, make_xlsx(cls, topics, sessions), "a.xlsx", created_by="t", now=clock.now()
    )
    sessions[3]["Start"], sessions[3]["End"] = "13:30", "16:00"
    result = await importer.import_schedule(
        db, make_xlsx(cls, topics, sessions), "b.xlsx", created_by="t", now=clock.now()
    )
    assert [c.new.key for c in result.diff.moved] == ["t2"]
    assert not result.diff.added and not result.diff.removed


async def test_preview_writes_nothing(db: Database, clock: FakeClock) -> None:
    first = await importer.import_schedule(
        db, make_xlsx(), "a.xlsx", created_by="t", now=clock.now()
    )
    cls, topics, sessions = parts()
    sessions.pop()
    found = await importer.preview(db, make_xlsx(cls, topics, sessions), "b.xlsx")
    assert [s.key for s in found.diff.removed] == ["t2"] and not found.unchanged
    assert len(await list_versions(db, first.cls.id)) == 1
    again = await importer.preview(db, make_xlsx(), "a.xlsx")
    assert again.unchanged


async def test_a_bad_file_changes_nothing(db: Database, clock: FakeClock) -> None:
    first = await importer.import_schedule(
        db, make_xlsx(), "a.xlsx", created_by="t", now=clock.now()
    )
    cls, topics, sessions = parts()
    sessions[0]["Kind"] = "Tiệc"
    sessions[1]["Date"] = "hôm qua"
    with pytest.raises(ScheduleProblems) as refused:
        await importer.import_schedule(
            db, make_xlsx(cls, topics, sessions), "b.xlsx", created_by="t", now=clock.now()
        )
    assert len(refused.value.problems) == 2
    after = await classes.get_class_by_code(db, "T-1")
    assert after is not None and after.live_version_id == first.cls.live_version_id
    assert len(await list_versions(db, first.cls.id)) == 1


async def test_csv_needs_an_existing_class(db: Database, clock: FakeClock) -> None:
    csv = importer.sample_path("vientiane-hanoi-2024-sessions.csv").read_bytes()
    with pytest.raises(ScheduleProblems) as refused:
        await importer.import_schedule(db, csv, "s.csv", created_by="t", now=clock.now())
    assert refused.value.problems[0].params == {"code": "VTE-HN-2024"}
    await importer.import_path(db, importer.sample_path(), created_by="t", now=clock.now())
    result = await importer.import_schedule(db, csv, "s.csv", created_by="t", now=clock.now())
    assert result.diff.empty and len(result.schedule.topics) == 10


async def test_csv_without_code_line_uses_class_code(db: Database, clock: FakeClock) -> None:
    await importer.import_path(db, importer.sample_path(), created_by="t", now=clock.now())
    csv = importer.sample_path("vientiane-hanoi-2024-sessions.csv").read_bytes()
    body = b"\r\n".join(csv.split(b"\r\n")[1:])
    with pytest.raises(ScheduleProblems):
        await importer.import_schedule(db, body, "s.csv", created_by="t", now=clock.now())
    result = await importer.import_schedule(
        db, body, "s.csv", created_by="t", now=clock.now(), class_code="vte-hn-2024"
    )
    assert result.version.number == 2 and result.diff.empty


def test_samples_dir_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "x.toml").write_text("")
    monkeypatch.setenv("CLASSBOT_SCHEDULES", str(tmp_path))
    assert importer.sample_path("x") == tmp_path / "x.toml"
    with pytest.raises(FileNotFoundError):
        importer.sample_path("missing.toml")


async def test_import_path_refuses_a_huge_file_without_reading_it_all(
    db: Database, clock: FakeClock, tmp_path: Path
) -> None:
    big = tmp_path / "big.xlsx"
    with big.open("wb") as fh:
        fh.truncate(50 * 2**20)  # sparse 50 MB file
    with pytest.raises(ScheduleProblems) as refused:
        await importer.import_path(db, big, created_by="t", now=clock.now())
    assert refused.value.problems[0].message == "The file is larger than {limit} MB."
    assert await classes.list_classes(db) == []
