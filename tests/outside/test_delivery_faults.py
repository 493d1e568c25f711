"""The real ``classbot run`` against a fake Bot API that injects faults: counts per chat.

Each scenario seeds outbox messages to distinct chats, starts the process,
injects a fault and asserts on what the fake Telegram received: nothing
lost (every message delivered, or marked uncertain/unreachable and so
reported), nothing duplicated, and sending back within seconds.
The long ones (a 60 s outage) are marked ``slow``: ``pytest --slow``.
"""

from __future__ import annotations

import contextlib
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.bot_process import (
    BotProcess,
    chat_ids,
    enqueue,
    prepare_db,
    rows,
    states,
    wait_until,
)
from tests.helpers.fake_bot_api import FakeBotApi


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi() as fake:
        yield fake


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    path = tmp_path / "classbot.db"
    prepare_db(path)
    return path


@pytest.fixture
def bot(api: FakeBotApi, db_path: Path, tmp_path: Path) -> Iterator[BotProcess]:
    with BotProcess(api, db_path, tmp_path / "bot.log") as process:
        yield process


def start(bot: BotProcess) -> None:
    bot.start()
    assert bot.started(), bot.log()


def settled(db_path: Path, total: int) -> bool:
    """Every message is in a final state."""
    counts = states(db_path)
    return sum(counts[s] for s in ("sent", "uncertain", "unreachable", "failed")) == total


def assert_kept_promises(api: FakeBotApi, db_path: Path, texts: list[str]) -> Counter[str]:
    """No chat got a message twice; every message not delivered is reported as such."""
    assert api.duplicates() == 0, dict(api.sent)
    delivered = {text for texts in api.sent.values() for text in texts}
    by_state = {key.removeprefix("test:"): state for key, state, _ in rows(db_path)}
    lost = [t for t in texts if t not in delivered and by_state[t] == "sent"]
    assert lost == []
    wrongly_sent = [t for t in texts if by_state[t] == "sent" and t not in delivered]
    assert wrongly_sent == []
    return Counter(by_state[t] for t in texts)


def test_an_answer_lost_after_telegram_took_the_message_is_not_resent(
    api: FakeBotApi, bot: BotProcess, db_path: Path
) -> None:
    texts = enqueue(db_path, chat_ids(6), due_in=2.0, spacing=0.3)
    api.hang_next(1, accept=True)  # read timeout: Telegram has it, we never hear
    api.reset_next(1, accept=True)  # connection reset after Telegram took it
    start(bot)

    assert wait_until(lambda: settled(db_path, 6), 30), (states(db_path), bot.log())
    time.sleep(1.0)  # a resend, if any, would come now

    assert api.total() == 6  # each of the six chats got its message once
    assert [len(t) for t in api.sent.values()] == [1] * 6
    counts = assert_kept_promises(api, db_path, texts)
    assert counts == {"sent": 4, "uncertain": 2}
    assert "event=sending_paused" in bot.log()
    assert "event=sending_resumed" in bot.log()


def test_a_send_the_network_refused_is_retried_and_arrives_once(
    api: FakeBotApi, bot: BotProcess, db_path: Path
) -> None:
    texts = enqueue(db_path, chat_ids(10), due_in=2.0)
    api.fail(502, 3)  # Bad Gateway: an answer, so Telegram did not take the message
    api.fail(500, 2)
    start(bot)

    assert wait_until(lambda: settled(db_path, 10), 20), (states(db_path), bot.log())
    assert api.total() == 10
    assert assert_kept_promises(api, db_path, texts) == {"sent": 10}


def test_a_429_storm_is_waited_out_without_loss_or_an_error_log(
    api: FakeBotApi, bot: BotProcess, db_path: Path
) -> None:
    texts = enqueue(db_path, chat_ids(20), due_in=2.0)
    api.fail(429, 12, retry_after=1)
    api.block("1003", "1007")  # these two people blocked the bot
    start(bot)

    assert wait_until(lambda: settled(db_path, 20), 30), (states(db_path), bot.log())
    assert api.total() == 18
    assert assert_kept_promises(api, db_path, texts) == {"sent": 18, "unreachable": 2}
    assert errors(bot) == []


def test_sending_resumes_within_seconds_of_a_3s_stall(
    api: FakeBotApi, bot: BotProcess, db_path: Path
) -> None:
    # An announcement to 60 people; the network stalls for 3 s after the fifth went out,
    # with a full window of sends in flight.
    texts = enqueue(db_path, chat_ids(60), due_in=3.0)
    api.stall_after(5, 3.0)
    start(bot)

    assert wait_until(lambda: api.stall_end and time.monotonic() > api.stall_end, 20)
    assert wait_until(lambda: any(t > api.stall_end for t, _, _ in api.sent_at), 15), (
        states(db_path),
        bot.log(),
    )
    resumed = min(t for t, _, _ in api.sent_at if t > api.stall_end) - api.stall_end
    assert resumed < 10
    assert wait_until(lambda: settled(db_path, 60), 30), (states(db_path), bot.log())
    counts = assert_kept_promises(api, db_path, texts)
    assert counts["sent"] + counts["uncertain"] == 60
    assert 1 <= counts["uncertain"] <= 8  # the sends in flight when it stalled: reported
    assert api.total() == counts["sent"]


def outage_then_drain(
    api: FakeBotApi, bot: BotProcess, db_path: Path, outage: float, mode: str
) -> float:
    """60 messages fall due during an outage; seconds from its end to the last delivered."""
    texts = enqueue(db_path, chat_ids(60), due_in=10.0)  # due once the outage has begun
    start(bot)
    assert wait_until(lambda: bool(api.methods("getUpdates")), 20)  # polling has begun
    api.outage(mode)
    began = time.monotonic()
    assert wait_until(lambda: states(db_path)["pending"] == 60 and _tried(db_path), 30), (
        states(db_path),
        rows(db_path)[:2],
        bot.log(),
    )
    time.sleep(max(outage - (time.monotonic() - began), 0.0))
    api.restore()
    back = time.monotonic()
    assert wait_until(lambda: api.total() >= 60, 60), (states(db_path), bot.log())
    drained = max(t for t, _, _ in api.sent_at) - back
    assert wait_until(lambda: settled(db_path, 60), 10)
    assert assert_kept_promises(api, db_path, texts) == {"sent": 60}
    assert errors(bot) == []  # polling and sending trouble is handled: warnings only
    return drained


def errors(bot: BotProcess) -> list[str]:
    return [line for line in bot.log().splitlines() if "level=error" in line]


def _tried(db_path: Path) -> bool:
    """The worker has tried (and failed) to send at least one message."""
    return any(error for _, _, error in rows(db_path))


@pytest.mark.parametrize("mode", ["refuse", "502"])
def test_a_backlog_drains_within_seconds_after_an_outage(
    api: FakeBotApi, bot: BotProcess, db_path: Path, mode: str
) -> None:
    assert outage_then_drain(api, bot, db_path, 8.0, mode) < 8


@pytest.mark.slow
def test_a_backlog_drains_within_seconds_after_a_60s_outage(
    api: FakeBotApi, bot: BotProcess, db_path: Path
) -> None:
    assert outage_then_drain(api, bot, db_path, 60.0, "refuse") < 8


def test_a_process_killed_mid_send_reports_it_uncertain_and_does_not_resend(
    api: FakeBotApi, bot: BotProcess, db_path: Path
) -> None:
    texts = enqueue(db_path, chat_ids(3), due_in=2.0, spacing=1.0)
    api.hang_next(1, accept=True)
    start(bot)
    assert wait_until(lambda: api.total() >= 1, 20)
    bot.kill()  # -9 while the first send waits for its answer

    bot.start()
    assert bot.started(), bot.log()
    assert wait_until(lambda: settled(db_path, 3), 20), (states(db_path), bot.log())
    time.sleep(0.5)
    assert api.total() == 3
    assert assert_kept_promises(api, db_path, texts) == {"sent": 2, "uncertain": 1}
    assert "marked uncertain" in bot.log()


def test_another_poller_with_the_same_token_is_one_warning_not_an_error_storm(
    api: FakeBotApi, bot: BotProcess
) -> None:
    start(bot)
    url = f"{api.url}/bot{api.token}/getUpdates"
    until = time.monotonic() + 6
    while time.monotonic() < until:  # someone else's process polls with our token
        with contextlib.suppress(OSError):
            urllib.request.urlopen(url, data=b"timeout=1", timeout=3).close()
        time.sleep(0.2)

    log = bot.log()
    assert "event=polling_conflict" in log
    assert errors(bot) == []
    assert log.count("event=polling_conflict") == 1  # once a minute at most


def test_telegram_down_while_the_bot_starts_does_not_kill_it(
    api: FakeBotApi, bot: BotProcess, db_path: Path
) -> None:
    texts = enqueue(db_path, chat_ids(3), due_in=2.0)
    api.fail_method("deleteWebhook", 502, 3)  # the start-up call fails three times

    start(bot)

    assert wait_until(lambda: len(api.methods("deleteWebhook")) >= 4, 30), bot.log()
    assert wait_until(lambda: settled(db_path, 3), 30), (states(db_path), bot.log())
    assert bot.proc is not None and bot.proc.poll() is None  # it kept trying, then polled
    assert assert_kept_promises(api, db_path, texts) == {"sent": 3}
