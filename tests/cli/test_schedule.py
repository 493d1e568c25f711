"""The schedule commands: exit codes and what they print."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from bot.cli.main import main
from bot.schedule.importer import sample_path
from tests.helpers.cldr import short_day
from tests.helpers.workbooks import make_xlsx, parts


@pytest.fixture
def run(tmp_path: Path, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    db = str(tmp_path / "cli.db")

    def go(*argv: str, lang: str = "en") -> tuple[int, str, str]:
        code = main(["--db", db, "--lang", lang, *argv])
        out = capsys.readouterr()
        return code, out.out, out.err

    return go


def test_import_prints_code_and_summary(run) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run("import", str(sample_path()))
    assert code == 0
    assert out.startswith("VTE-HN-2024: ") and "10 topics, 37 sessions" in out
    assert "Saved as version 1." in out


def test_bad_file_prints_every_problem_and_exits_1(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cls, topics, sessions = parts()
    sessions[0]["Kind"] = "Tiệc"
    sessions[2]["Departure"] = None
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(make_xlsx(cls, topics, sessions))
    code, out, err = run("import", str(bad), lang="vi")
    assert code == 1 and out == ""
    assert "2 lỗi" in err
    lines = [ln for ln in err.splitlines() if ln.startswith("  - ")]
    assert len(lines) == 2
    assert lines[0].startswith("  - Trang Sessions, dòng 2, cột E (Kind):")
    assert "giờ xuất phát" in lines[1]
    assert run("classes")[1].startswith("No classes yet")


def test_missing_file_exits_1(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run("import", str(tmp_path / "nope.xlsx"))
    assert code == 1 and "Cannot read" in err


def test_reimport_shows_the_changes(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cls, topics, sessions = parts()
    first = tmp_path / "a.xlsx"
    first.write_bytes(make_xlsx(cls, topics, sessions))
    assert run("import", str(first))[0] == 0
    sessions[3]["Start"] = "13:00"
    sessions[3]["End"] = "15:00"
    second = tmp_path / "b.xlsx"
    second.write_bytes(make_xlsx(cls, topics, sessions))
    code, out, _ = run("import", str(second))
    assert code == 0 and "Saved as version 2." in out
    wednesday = short_day(dt.date(2024, 7, 17), "en")
    assert f"  Moved: Chuyên đề 2, from {wednesday} 08:00–11:00 to {wednesday} 13:00–15:00" in out


def test_classes_and_agenda(run) -> None:  # type: ignore[no-untyped-def]
    run("import", str(sample_path()))
    run("import", str(sample_path("hanoi-guangzhou-2025.toml")))
    code, out, _ = run("classes")
    assert code == 0
    assert [ln.split()[0] for ln in out.splitlines()] == ["VTE-HN-2024", "HN-GZ-2025"]
    code, out, _ = run("agenda", "VTE-HN-2024", "--date", "2024-07-16", "--lang", "lo")
    assert code == 0 and "08:00–11:30" in out and "ເວລາ 13:30" in out and "GMT+7" in out
    code, out, _ = run("agenda", "HN-GZ-2025", "--date", "2025-09-25")
    assert code == 0 and "Closing ceremony" in out and "GMT+8" in out
    assert run("agenda", "NOPE")[0] == 1
    assert run("agenda", "HN-GZ-2025", "--date", "25/09")[0] == 2


def test_exports_import_back_unchanged(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run("import", str(sample_path()))
    for fmt in ("xlsx", "csv", "text"):
        target = tmp_path / f"out-{fmt}"
        target = target.with_suffix({"xlsx": ".xlsx", "csv": ".csv", "text": ".toml"}[fmt])
        code, _, err = run("export", "VTE-HN-2024", "--format", fmt, "-o", str(target))
        assert code == 0 and str(target) in err
        code, out, _ = run("import", str(target))
        assert code == 0 and "is the same as the live schedule of VTE-HN-2024" in out


def test_export_text_and_ics_to_stdout(run) -> None:  # type: ignore[no-untyped-def]
    run("import", str(sample_path("hanoi-guangzhou-2025.toml")))
    code, out, _ = run("export", "HN-GZ-2025", "--format", "text")
    assert code == 0 and out == sample_path("hanoi-guangzhou-2025.toml").read_text(encoding="utf-8")
    code, out, _ = run("export", "HN-GZ-2025", "--format", "ics")
    assert code == 0 and out.startswith("BEGIN:VCALENDAR") and "Asia/Shanghai" in out
    assert run("export", "NOPE", "--format", "csv")[0] == 1


def test_template_and_backup(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out_file = tmp_path / "blank.xlsx"
    assert run("template", "-o", str(out_file))[0] == 0
    assert out_file.read_bytes()[:2] == b"PK"
    run("import", str(sample_path()))
    copy = tmp_path / "copy.db"
    code, out, _ = run("backup", str(copy))
    assert code == 0 and "Backup written" in out
    with sqlite3.connect(copy) as conn:
        assert conn.execute("SELECT code FROM classes").fetchall() == [("VTE-HN-2024",)]
    assert run("backup", str(tmp_path / "cli.db"))[0] == 2


def test_an_identical_file_stores_no_new_version(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first = tmp_path / "a.xlsx"
    first.write_bytes(make_xlsx())
    assert run("import", str(first))[0] == 0
    code, out, _ = run("import", str(first))
    assert code == 0 and "Nothing to do" in out
    classes_line = run("classes")[1]
    assert " v1 " in classes_line


def test_an_empty_sessions_sheet_needs_cancel_all(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.helpers.damaged import header_only

    first = tmp_path / "a.xlsx"
    first.write_bytes(make_xlsx())
    assert run("import", str(first))[0] == 0
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(header_only())
    code, _, err = run("import", str(empty))
    assert code == 1 and "--cancel-all" in err and "4 sessions" in err
    assert " v1 " in run("classes")[1]
    code, out, _ = run("import", str(empty), "--cancel-all")
    assert code == 0 and "Saved as version 2." in out


def test_an_organisers_programme_goes_into_the_class_named(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.helpers.programmes import CODE, class_workbook, vi_merged_dates

    cls = tmp_path / "class.xlsx"
    cls.write_bytes(class_workbook())
    assert run("import", str(cls))[0] == 0
    programme = tmp_path / "lich-hoc.xlsx"
    programme.write_bytes(vi_merged_dates())
    code, _, err = run("import", str(programme))
    assert code == 1 and "--class CODE" in err
    code, out, _ = run("import", str(programme), "--class", CODE)
    assert code == 0 and "Saved as version 2." in out
    assert "Read from the content as field visit: rows 11." in out
    code, out, _ = run("import", str(programme), "--class", CODE)
    assert code == 0 and "Nothing to do" in out


def test_the_database_its_journals_backups_and_exports_are_owner_only(  # type: ignore[no-untyped-def]
    run, tmp_path: Path
) -> None:
    """They hold names, Telegram ids and chat ids: mode 0600 whatever the umask."""
    import os

    old = os.umask(0o022)
    try:
        run("import", str(sample_path()))
        copy = tmp_path / "copy.db"
        export = tmp_path / "out.csv"
        assert run("backup", str(copy))[0] == 0
        assert run("export", "VTE-HN-2024", "--format", "csv", "-o", str(export))[0] == 0
    finally:
        os.umask(old)
    db = tmp_path / "cli.db"
    files = [db, copy, export] + [
        p for p in (tmp_path / "cli.db-wal", tmp_path / "cli.db-shm") if p.exists()
    ]
    assert {f.name: oct(f.stat().st_mode & 0o777) for f in files} == {
        f.name: "0o600" for f in files
    }


def test_dry_run_previews_the_changes_and_saves_nothing(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """`classbot import --dry-run`: the bot's preview on the command line; no new version."""
    cls, topics, sessions = parts()
    first = tmp_path / "a.xlsx"
    first.write_bytes(make_xlsx(cls, topics, sessions))
    assert run("import", str(first))[0] == 0
    sessions[3]["Start"] = "13:00"
    sessions[3]["End"] = "15:00"
    second = tmp_path / "b.xlsx"
    second.write_bytes(make_xlsx(cls, topics, sessions))
    code, out, _ = run("import", "--dry-run", str(second))
    assert code == 0 and "Moved: Chuyên đề 2" in out
    assert "Nothing was saved (--dry-run)" in out and "Saved as version" not in out
    code, out, _ = run("import", str(second))  # the real import still sees the change
    assert code == 0 and "Saved as version 2." in out
