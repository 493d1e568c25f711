"""The command line's bot entries: `classbot` / `run` / `demo` dispatch and `classbot invite`."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot import logs
from bot.cli import main as cli
from bot.people import invites
from bot.store import Database
from bot.telegram import terminal
from tests.helpers.sample import seed


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    """`classbot run` configures the root logger; put it back for the other tests."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    for name in logs.NOISY:
        logging.getLogger(name).setLevel(logging.NOTSET)


def seeded_db(path: Path) -> None:
    async def go() -> None:
        db = await Database.open(path)
        try:
            await seed(db, dt.datetime(2024, 7, 1, tzinfo=dt.UTC))
        finally:
            await db.close()

    asyncio.run(go())


def test_invite_prints_the_deep_link_and_the_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BOT_USERNAME", "@vte_class_bot")
    seeded_db(tmp_path / "c.db")
    code = cli.main(
        [
            "--db",
            str(tmp_path / "c.db"),
            "invite",
            "VTE-HN-2024",
            "--role",
            "manager",
            "--uses",
            "3",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    link = re.search(r"https://t\.me/vte_class_bot\?start=([\w-]{22,})", out)
    assert link is not None
    assert f"code: {link[1]}" in out and "role manager, 3 uses, 14 days" in out

    async def stored() -> list[invites.Invite]:
        db = await Database.open(tmp_path / "c.db")
        try:
            return await invites.list_for_class(db, 1)
        finally:
            await db.close()

    [invite] = asyncio.run(stored())
    assert (invite.role.value, invite.max_uses) == ("manager", 3)


def test_invite_for_an_unknown_class_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seeded_db(tmp_path / "c.db")
    assert cli.main(["--db", str(tmp_path / "c.db"), "invite", "NOPE"]) == 1
    assert "no class NOPE" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "env_today", "expected"),
    [
        ([], None, None),
        (["run"], "2024-07-18", dt.date(2024, 7, 18)),
        (["demo", "--today", "2024-07-16"], None, dt.date(2024, 7, 16)),
    ],
)
def test_without_a_token_run_and_demo_open_the_terminal_chat(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    env_today: str | None,
    expected: dt.date | None,
) -> None:
    calls: list[dict[str, Any]] = []

    async def fake_chat(
        settings: Any, *, today: dt.date | None = None, lang: str | None = None
    ) -> int:
        calls.append({"db": settings.db_path, "today": today})
        return 0

    monkeypatch.delenv("BOT_TOKEN", raising=False)
    monkeypatch.delenv("ZALO_BOT_TOKEN", raising=False)
    if env_today:
        monkeypatch.setenv("CLASSBOT_TODAY", env_today)
    else:
        monkeypatch.delenv("CLASSBOT_TODAY", raising=False)
    monkeypatch.setattr(terminal, "chat", fake_chat)
    assert cli.main(["--db", str(tmp_path / "x.db"), *argv]) == 0
    assert calls == [{"db": str(tmp_path / "x.db"), "today": expected}]


def test_with_a_token_run_starts_the_real_bot_but_demo_stays_offline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[str] = []

    def fake_run_bot(settings: Any) -> int:
        started.append(settings.bot_token)
        return 0

    async def fake_chat(
        settings: Any, *, today: dt.date | None = None, lang: str | None = None
    ) -> int:
        started.append("terminal")
        return 0

    import bot.telegram.runner

    monkeypatch.setenv("BOT_TOKEN", "123:abc")
    monkeypatch.setattr(bot.telegram.runner, "run_bot", fake_run_bot)
    monkeypatch.setattr(terminal, "chat", fake_chat)
    assert cli.main(["--db", str(tmp_path / "x.db"), "run"]) == 0
    assert cli.main(["--db", str(tmp_path / "x.db"), "demo"]) == 0
    assert started == ["123:abc", "terminal"]


def test_report_prints_the_announcements_of_a_class(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.announcements import publish as announcements
    from bot.domain import localized

    path = tmp_path / "report.db"

    async def broadcast() -> None:
        db = await Database.open(path)
        try:
            seeded = await seed(db, dt.datetime(2024, 7, 1, tzinfo=dt.UTC))
            draft = announcements.Draft(seeded.cls.id, localized({"vi": "Xe xuất phát 13h15"}))
            await announcements.create(db, seeded.manager, draft, dt.datetime.now(dt.UTC))
        finally:
            await db.close()

    asyncio.run(broadcast())
    assert cli.main(["--db", str(path), "--lang", "en", "report", "VTE-HN-2024"]) == 0
    out = capsys.readouterr().out
    assert "Announcements: Vientiane cadres' class in Hanoi" in out
    assert "Whole class: Xe xuất phát 13h15" in out
    assert "0 sent" in out and "1 still being sent: Somphone" in out
    assert cli.main(["--db", str(path), "report", "NOPE"]) == 1


@pytest.mark.parametrize(
    "argv",
    [["--lang", "en", "demo"], ["demo", "--lang", "en"], ["--lang", "en"], ["run", "--lang", "en"]],
)
def test_lang_before_or_after_demo_chooses_the_chat_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, argv: list[str]
) -> None:
    asked: list[str | None] = []

    async def fake_chat(
        settings: Any, *, today: dt.date | None = None, lang: str | None = None
    ) -> int:
        asked.append(lang)
        return 0

    monkeypatch.delenv("BOT_TOKEN", raising=False)
    monkeypatch.delenv("ZALO_BOT_TOKEN", raising=False)
    monkeypatch.setattr(terminal, "chat", fake_chat)
    assert cli.main(["--db", str(tmp_path / "x.db"), *argv]) == 0
    assert asked == ["en"]


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"CLASSBOT_LANG": "en", "LANG": "lo_LA.UTF-8"}, ("en", True)),
        ({"LANG": "lo_LA.UTF-8"}, ("lo", False)),
        ({"LANG": "C.UTF-8"}, ("en", False)),  # no language from the environment: English
        ({"LANG": "fr_FR.UTF-8"}, ("en", False)),
        ({}, ("en", False)),
    ],
)
def test_the_chat_language_comes_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], expected: tuple[str, bool]
) -> None:
    for name in ("CLASSBOT_LANG", "LC_ALL", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert terminal.chat_language() == expected
    assert terminal.chat_language("vi") == ("vi", True)


def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    """`classbot agenda … | head`: no BrokenPipeError traceback when the reader leaves."""
    exe = Path(sys.executable).parent / "classbot"
    db = tmp_path / "x.db"
    sample = Path(__file__).resolve().parents[2] / "schedules" / "vientiane-hanoi-2024.toml"
    subprocess.run(
        [str(exe), "--db", str(db), "import", str(sample)], check=True, capture_output=True
    )
    reader, writer = os.pipe()
    os.close(reader)  # the reader is gone before the first line is written
    try:
        result = subprocess.run(
            [str(exe), "--db", str(db), "agenda", "VTE-HN-2024", "--date", "2024-07-15"],
            stdout=writer,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        os.close(writer)
    assert "Traceback" not in result.stderr and "BrokenPipeError" not in result.stderr
