"""Promises to people, on the real process: catch-up that tells the truth, uncertain named.

These start ``classbot run`` on the sample class against the fake Bot API:
with its clock set to the visit day (``CLASSBOT_NOW``) after being down the
evening before, and with an announcement whose first send gets no answer.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.announcements import publish
from bot.store import Database
from tests.helpers.announcements import draft, enrol
from tests.helpers.bot_process import BotProcess, states, wait_until
from tests.helpers.fake_bot_api import FakeBotApi
from tests.helpers.sample import seed

TRAINEE, MANAGER = "501", "601"


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi() as fake:
        yield fake


def seed_class(path: Path, extra_trainees: int = 0, announce: bool = False) -> None:
    async def go() -> None:
        db = await Database.open(path)
        try:
            now = dt.datetime(2024, 7, 1, tzinfo=dt.UTC)
            seeded = await seed(db, now)
            for n in range(extra_trainees):
                await enrol(db, seeded, str(801 + n), f"Trainee {n + 1}", "lo", now)
            if announce:
                await publish.create(db, seeded.manager, draft(seeded), dt.datetime.now(dt.UTC))
        finally:
            await db.close()

    asyncio.run(go())


def test_down_the_evening_before_a_visit_the_card_says_today_not_tomorrow(
    api: FakeBotApi, tmp_path: Path
) -> None:
    db = tmp_path / "classbot.db"
    seed_class(db)
    # 08:05 in Hanoi on the visit day: the bot was down at 20:00 the evening before.
    env = {"CLASSBOT_NOW": "2024-07-15T08:05:00+07:00"}
    with BotProcess(api, db, tmp_path / "bot.log", env) as bot:
        bot.start()
        assert bot.started(), bot.log()
        assert wait_until(lambda: bool(api.sent.get(TRAINEE) and api.sent.get(MANAGER)), 20), (
            bot.log()
        )
        time.sleep(1.0)

    (lao,) = [text for text in api.sent[TRAINEE] if text != "sendVenue"]  # + its map pin
    (vietnamese,) = [text for text in api.sent[MANAGER] if text != "sendVenue"]
    assert "ມື້ນີ້ ເວລາ 13:15" in lao and "ມື້ອື່ນ:" not in lao
    assert "Hôm nay lúc 13:15" in vietnamese and "Ngày mai:" not in vietnamese


def test_an_announcement_send_without_an_answer_is_named_in_the_report_not_resent(
    api: FakeBotApi, tmp_path: Path
) -> None:
    db = tmp_path / "classbot.db"
    seed_class(db, extra_trainees=4, announce=True)
    api.hang_next(1, accept=True)  # Telegram takes the first one; its answer never comes
    with BotProcess(api, db, tmp_path / "bot.log") as bot:
        bot.start()
        assert bot.started(), bot.log()
        assert wait_until(lambda: states(db)["pending"] == states(db)["sending"] == 0, 30)
        time.sleep(1.0)
        report = subprocess.run(
            [sys.executable, "-m", "bot", "--db", str(db), "--lang", "en", "report", "VTE-HN-2024"],
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "CLASSBOT_DB": str(db)},
            check=False,
        )

    assert api.duplicates() == 0
    assert sorted(len(texts) for texts in api.sent.values()) == [1] * 5  # the trainees, once
    assert states(db) == {"sent": 4, "uncertain": 1}
    assert report.returncode == 0, report.stderr
    (line,) = [line for line in report.stdout.splitlines() if "uncertain" in line]
    assert line.strip().startswith("1 uncertain")
    names = ["Somphone", *(f"Trainee {n}" for n in range(1, 5))]
    assert sum(name in line for name in names) == 1
