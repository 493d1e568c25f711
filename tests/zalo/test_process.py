"""The real `classbot run` process on Zalo alone (no BOT_TOKEN), against the fake platform:
a class manager runs a class day on Zalo only (broadcast with acknowledgement, report, roll
call), through the webhook registered from a URL without a path."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import os
import signal
import socket
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.domain import Role
from bot.people import invites
from bot.store import Database
from bot.store.versions import save_version
from tests.helpers.sample import vientiane_schedule
from tests.helpers.zalo_server import TOKEN, FakeZaloServer, text_update

SECRET = "process-secret-42"
PUBLIC = "https://bot.example.org"
MANAGER, VI, LO = "zm-lan", "zt-hung", "zt-somphone"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _prepare(path: Path) -> dict[str, str]:
    """The sample class moved to start tomorrow (venue time), and three invitation codes."""
    schedule = vientiane_schedule()
    tomorrow = dt.datetime.now(ZoneInfo(schedule.cls.timezone)).date() + dt.timedelta(days=1)
    shift = tomorrow - schedule.cls.first_day
    schedule = dataclasses.replace(
        schedule,
        cls=dataclasses.replace(
            schedule.cls, first_day=tomorrow, last_day=schedule.cls.last_day + shift
        ),
        sessions=tuple(dataclasses.replace(s, day=s.day + shift) for s in schedule.sessions),
    )
    now = dt.datetime.now(dt.UTC)
    db = await Database.open(path)
    try:
        cls, _version = await save_version(
            db, schedule, created_by="test", source_hash="process", now=now
        )
        codes = {
            user: (await invites.create(db, cls.id, role, now=now)).code
            for user, role in ((MANAGER, Role.MANAGER), (VI, Role.TRAINEE), (LO, Role.TRAINEE))
        }
    finally:
        await db.close()
    return codes


async def test_a_manager_runs_a_class_day_on_zalo_alone(
    zalo_server: FakeZaloServer, tmp_path: Path
) -> None:
    db_path = tmp_path / "process.db"
    codes = await _prepare(db_path)
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "ZALO_", "WEBHOOK"))}
    env.update(
        CLASSBOT_DB=str(db_path),
        ZALO_BOT_TOKEN=TOKEN,
        ZALO_API_URL=zalo_server.url,
        ZALO_WEBHOOK_URL=PUBLIC,  # no path: registered and served at /zalo/webhook
        ZALO_WEBHOOK_SECRET=SECRET,
        ZALO_WEBHOOK_PORT=str(port),
        WEBHOOK_LISTEN="127.0.0.1",
        LANG="C.UTF-8",
    )
    exe = Path(sys.executable).parent / "classbot"
    process = await asyncio.create_subprocess_exec(
        str(exe),
        "run",
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        await zalo_server.wait_until(lambda: bool(zalo_server.webhook), limit=90)
        registered = zalo_server.webhook["url"]
        assert registered == f"{PUBLIC}/zalo/webhook"
        local = registered.replace(PUBLIC, f"http://127.0.0.1:{port}")

        async def say(user: str, text: str, answers: int = 1) -> list[str]:
            before = len(zalo_server.delivered(user))
            status, _took = await zalo_server.post_webhook(
                local, text_update(text, user_id=user, name=user)
            )
            assert status == 200
            await zalo_server.wait_until(
                lambda: len(zalo_server.delivered(user)) >= before + answers, limit=30
            )
            return zalo_server.delivered(user)[before:]

        for user, language in ((MANAGER, "1"), (VI, "1"), (LO, "2")):
            await say(user, codes[user])  # welcome and language question, in three languages
            await say(user, language, answers=2)  # confirmation and help

        # Broadcast with acknowledgement, in numbered steps.
        (second,) = await say(MANAGER, "/broadcast Xe xuất phát lúc 13:15 tại sảnh khách sạn.")
        assert "ພາສາລາວ" in second
        await say(MANAGER, "3")  # no other language
        await say(MANAGER, "1")  # the whole class
        (preview,) = await say(MANAGER, "2")  # ✅ Send (asking to confirm receipt is on)
        assert "2" in preview
        await zalo_server.wait_until(
            lambda: any("13:15" in m for m in zalo_server.delivered(VI)), limit=30
        )
        announcement = zalo_server.delivered(VI)[-1]
        assert "1. ✅ Đã nhận" in announcement
        await say(VI, "1")  # received

        (report,) = await say(MANAGER, "/report")
        assert LO in report and "2" in report

        (roll,) = await say(MANAGER, "/rollcall")
        choice = next(
            line.split(".")[0] for line in roll.splitlines() if LO in line and ". " in line
        )
        await say(MANAGER, choice)  # mark Somphone present
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(process.wait(), 30)
        except TimeoutError:
            process.kill()
            await process.wait()
    assert process.returncode == 0
    db = await Database.open(db_path)
    try:
        acks = await db.fetchone("SELECT COUNT(*) FROM acks")
        checkins = await db.fetchone("SELECT COUNT(*) FROM checkins WHERE marked_by IS NOT NULL")
    finally:
        await db.close()
    assert acks is not None and acks[0] == 1
    assert checkins is not None and checkins[0] == 1
    assert not any(c.method == "getUpdates" for c in zalo_server.calls)  # the webhook, not polling
