"""The sending limits: token buckets per chat, the sliding one-second window per channel."""

from __future__ import annotations

import pytest

from bot.outbox.limits import SlidingWindow, TokenBucket, is_group_chat


def test_token_bucket_refills_at_its_rate() -> None:
    bucket = TokenBucket(rate=2.0, capacity=1.0)
    assert bucket.wait(0.0) == 0
    bucket.take(0.0)
    assert bucket.wait(0.0) == pytest.approx(0.5)
    assert bucket.wait(0.25) == pytest.approx(0.25)
    assert bucket.wait(0.5) == 0
    bucket.take(0.5)
    bucket.take(1.0)  # a request the channel refuses (429) when its answer comes at 1.25
    assert bucket.wait(1.25) == pytest.approx(0.25)
    bucket.refund()  # its slot is free again: half a token refilled plus the whole refund
    assert bucket.wait(1.25) == 0
    bucket.take(1.25)
    assert bucket.wait(1.25) == pytest.approx(0.25)


def test_window_spaces_sends_evenly_and_never_exceeds_the_rate() -> None:
    window = SlidingWindow(rate=10)
    sent = []
    now = 0.0
    while len(sent) < 25:
        now += window.wait(now)
        sent.append(window.take(now))
    assert sent[:3] == pytest.approx([0.0, 0.1, 0.2])
    assert max(sum(1 for t in sent if w <= t < w + 1) for w in sent) <= 10


def test_window_catches_up_after_a_late_wake_up_but_keeps_the_second() -> None:
    window = SlidingWindow(rate=10)
    window.take(0.0)
    window.take(0.13)  # woken 30 ms late
    assert window.wait(0.13) == pytest.approx(0.085)  # sooner than 0.1 (grid: 0.2), not closer
    late = [0.0, 0.13, *(0.2 + 0.1 * k for k in range(8))]
    for t in late[2:]:
        window.take(t)
    assert window.wait(0.95) == pytest.approx(1.005 - 0.95)  # ten in the last second already


def test_window_gives_a_refused_slot_back() -> None:
    window = SlidingWindow(rate=10)
    stamp = window.take(0.0)
    assert window.wait(0.05) == pytest.approx(0.05)
    window.refund(stamp)
    assert window.wait(0.05) == 0


def test_group_chats_are_recognised_by_their_negative_ids() -> None:
    assert is_group_chat("-1001234") and not is_group_chat("501")
