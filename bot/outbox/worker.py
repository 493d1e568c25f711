"""The delivery worker: one loop that drains the outbox through each channel's Sender.

Guarantees and policy:

* **Written first.** Every message is in the outbox before any attempt.
* **Attempt, then send, then result.** Before calling the channel the worker
  commits the attempt (state ``sending``, ``attempts + 1``); after the call
  it commits the result. A message the channel *proved* undelivered (flood
  limit, network error before a reply, recipient blocked on one of several
  channels) goes back to ``pending``; everything else ends in a final state.
* **At most once across crashes.** A row still ``sending`` at start-up means
  the process died between the send and its result: the recipient may or
  may not have it. :meth:`DeliveryWorker.recover` marks such rows
  ``uncertain`` and they are *not* resent (a duplicate announcement to senior
  officials is worse than one reported gap); reports list them by name so a
  manager can follow up. At most ``max_in_flight`` sends (default 8, enough
  to keep 30/s over a 250 ms round trip) are in flight, and a send's result
  is written with the next attempt's transaction (one commit per message),
  so a crash leaves at most about twice that many uncertain rows.
* **Channel choice.** A person-addressed message goes to the channel the
  person used last, then to their other reachable identities when one turns
  out blocked; the channel that delivered is stored in ``sent_channel``.
* **Time.** ``not_before`` (quiet hours are encoded as a later
  ``not_before`` by the enqueuer) and ``expires_at`` (stale: ``expired``,
  never sent) are honoured; urgent messages go first.
* **Limits** (on the injected clock): at most 30 messages in any second per
  channel (a sliding window, evenly spaced), 1/s per chat and 20/min per
  group chat (token buckets). A flood error
  (``RetryAfter``) holds that chat for the time asked and gives its slot in
  the window back; three flood errors in a row pause the whole channel. Network
  trouble (``TransientError``) backs off exponentially (capped) for the whole
  channel and fails the message after ``max_attempts``. ``Unreachable`` marks
  the identity unreachable and stops; ``Rejected`` records the error.
* **Several-part replies resume.** A reply that goes out as several channel
  messages (text split at the length limit, then a map location …) and
  fails at part *n* after earlier parts went out (``PartlySent``) commits
  how many parts reached which chat, then is handled as its failing part's
  error says; a retry to the same chat skips the delivered parts, a
  fallback to another channel starts from the first part.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass

from bot.clock import Clock
from bot.domain import Channel
from bot.outbox.limits import PAID_TELEGRAM_LIMITS as PAID_TELEGRAM_LIMITS
from bot.outbox.limits import TELEGRAM_LIMITS as TELEGRAM_LIMITS
from bot.outbox.limits import Limits as Limits
from bot.outbox.limits import SlidingWindow, TokenBucket, is_group_chat
from bot.outbox.sender import (
    DeliveryError,
    PartlySent,
    Rejected,
    RetryAfter,
    Sender,
    Unreachable,
)
from bot.store import outbox, people
from bot.store.database import Database

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]
ChatKey = tuple[Channel, str]

_NEGLIGIBLE = 1e-4
"""Waits shorter than this (seconds) are not worth a sleep (and clocks tick in microseconds)."""


@dataclass(slots=True)
class DeliveryStats:
    """What one run of the worker did."""

    sent: int = 0
    failed: int = 0
    unreachable: int = 0
    expired: int = 0
    retried: int = 0
    uncertain: int = 0


class DeliveryWorker:
    """Drains the outbox; see the module docstring for the policy."""

    def __init__(
        self,
        db: Database,
        senders: Iterable[Sender],
        clock: Clock,
        *,
        limits: dict[Channel, Limits] | None = None,
        sleep: Sleep = asyncio.sleep,
        max_attempts: int = 8,
        backoff_base: float = 1.0,
        backoff_cap: float = 300.0,
        flood_streak: int = 3,
        batch_size: int = 200,
        max_in_flight: int = 8,
    ) -> None:
        self.db = db
        self.clock = clock
        self.senders: dict[Channel, Sender] = {}
        self.limits: dict[Channel, Limits] = dict(limits or {})
        self.sleep = sleep
        self.max_attempts = max_attempts
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.flood_streak = flood_streak
        self.batch_size = batch_size
        self.max_in_flight = max(max_in_flight, 1)
        self._in_flight: set[asyncio.Task[None]] = set()
        self._accepted: list[outbox.SentResult] = []
        self.stats = DeliveryStats()
        self._global: dict[Channel, SlidingWindow] = {}
        self._chats: dict[ChatKey, TokenBucket] = {}
        self._groups: dict[ChatKey, TokenBucket] = {}
        self._held: dict[ChatKey, float] = {}
        self._paused: dict[Channel, float] = {}
        self._floods: dict[Channel, int] = {}
        self._transient: dict[Channel, int] = {}
        self._wake = asyncio.Event()
        self._stopped = asyncio.Event()
        self._fresh = False
        """Set by :meth:`wake`: new rows were queued; the batch in hand is re-selected."""
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        for sender in senders:
            self.add_sender(sender)
        outbox.on_enqueue(db, self.wake)

    def add_sender(self, sender: Sender, limits: Limits | None = None) -> None:
        """Deliver on ``sender.channel`` (default limits: Telegram's)."""
        self.senders[sender.channel] = sender
        if limits is not None or sender.channel not in self.limits:
            self.limits[sender.channel] = limits or TELEGRAM_LIMITS
        self._global.pop(sender.channel, None)

    def wake(self) -> None:
        """Something was enqueued: look at the outbox now (fair selection, see
        :func:`bot.store.outbox.due`, may put the new rows ahead of the batch in hand)."""
        self._fresh = True
        self._wake.set()

    def _ts(self) -> float:
        return self.clock.now().timestamp()

    async def recover(self) -> list[int]:
        """Mark attempts interrupted by a crash 'uncertain' (never resent); returns their ids."""
        ids = await outbox.recover(self.db, self.clock.now())
        if ids:
            log.warning("%d outbox message(s) interrupted mid-send marked uncertain", len(ids))
        self.stats.uncertain += len(ids)
        return ids

    # -- limits ---------------------------------------------------------------------------

    def _global_bucket(self, channel: Channel) -> SlidingWindow:
        bucket = self._global.get(channel)
        if bucket is None:
            bucket = self._global[channel] = SlidingWindow(self.limits[channel].per_second)
        return bucket

    def _chat_wait(self, key: ChatKey, now: float) -> float:
        limits = self.limits[key[0]]
        waits = [self._held.get(key, 0.0) - now, self._paused.get(key[0], 0.0) - now]
        chat = self._chats.setdefault(key, TokenBucket(1.0 / limits.chat_interval))
        waits.append(chat.wait(now))
        if is_group_chat(key[1]):
            group = self._groups.setdefault(key, TokenBucket(limits.group_per_minute / 60.0))
            waits.append(group.wait(now))
        wait = max(0.0, *waits)
        return wait if wait > _NEGLIGIBLE else 0.0

    def _take(self, key: ChatKey, now: float) -> float:
        stamp = self._global_bucket(key[0]).take(now)
        self._chats[key].take(now)
        if key in self._groups:
            self._groups[key].take(now)
        return stamp

    def _forget_idle(self, now: float) -> None:
        for table in (self._chats, self._groups):
            for key in [k for k, b in table.items() if b.idle(now)]:
                del table[key]
        for key in [k for k, until in self._held.items() if until <= now]:
            del self._held[key]

    # -- one message ----------------------------------------------------------------------

    def _targets(
        self, message: outbox.QueuedMessage, routes: dict[int, list[tuple[Channel, str]]]
    ) -> list[tuple[Sender, str]]:
        """Where the message can go, best first (``routes``: the batch's people's chats)."""
        if message.person_id is None:
            if message.channel is None or message.chat_id is None:
                return []
            sender = self.senders.get(message.channel)
            return [(sender, message.chat_id)] if sender else []
        return [
            (self.senders[channel], chat_id)
            for channel, chat_id in routes.get(message.person_id, [])
            if channel in self.senders
        ]

    async def _deliver(
        self, message: outbox.QueuedMessage, routes: dict[int, list[tuple[Channel, str]]]
    ) -> float | None:
        """Try one message; None when handled, else the instant its chat is ready."""
        now = self.clock.now()
        if message.expires_at is not None and message.expires_at <= now:
            await outbox.mark_final(self.db, message.id, "expired", "", now)
            self.stats.expired += 1
            return None
        targets = self._targets(message, routes)
        if not targets:
            await outbox.mark_final(self.db, message.id, "unreachable", "no reachable channel", now)
            self.stats.unreachable += 1
            return None
        sender, chat_id = targets[0]
        channel = sender.channel
        key: ChatKey = (channel, chat_id)
        await self._settle(self.max_in_flight - 1)  # (a finished send may pause the chat)
        ts = self._ts()
        wait = self._chat_wait(key, ts)
        if wait > 0:
            return ts + wait
        while (wait := self._global_bucket(channel).wait(ts)) > _NEGLIGIBLE:
            if self._stopping:
                return ts + wait  # not sent: it stays due for the next start
            await self._pause(wait)
            ts = self._ts()
        stamp = self._take(key, ts)
        done, self._accepted = self._accepted, []
        if not await outbox.begin_attempt(self.db, message.id, self.clock.now(), done):
            return None
        send = self._send(message, sender, chat_id, stamp, more=len(targets) > 1)
        self._in_flight.add(asyncio.create_task(send, name=f"outbox-{message.id}"))
        return None

    async def _settle(self, keep: int) -> None:
        """Wait until at most ``keep`` sends are in flight; re-raise a crash inside one."""
        while len(self._in_flight) > max(keep, 0):
            done, _pending = await asyncio.wait(
                self._in_flight, return_when=asyncio.FIRST_COMPLETED
            )
            self._in_flight -= done
            for task in done:
                task.result()
        if keep <= 0 and self._accepted:
            done_sends, self._accepted = self._accepted, []
            await outbox.record_sent(self.db, done_sends)

    async def _send(
        self,
        message: outbox.QueuedMessage,
        sender: Sender,
        chat_id: str,
        stamp: float,
        *,
        more: bool,
    ) -> None:
        """The send itself (its attempt is already recorded) and its result."""
        channel = sender.channel
        key: ChatKey = (channel, chat_id)
        attempts = message.attempts + 1
        route = f"{channel}:{chat_id}"
        skip = message.parts_done if message.parts_route == route else 0
        try:
            external_id = await sender.send(chat_id, message.reply, skip=skip)
        except PartlySent as exc:
            # Some parts are in the chat now: remember them, so a retry there skips them.
            await outbox.record_parts(self.db, message.id, exc.done, route, self.clock.now())
            await self._failed(message, key, exc.cause, attempts, stamp, more=more, done=exc.done)
        except DeliveryError as exc:
            await self._failed(message, key, exc, attempts, stamp, more=more, done=skip, free=True)
        except Exception as exc:
            # A bug in a sender or renderer: we cannot tell whether anything went out.
            log.exception("sender for %s raised unexpectedly (outbox id %d)", channel, message.id)
            await self._final(message, "uncertain", f"unexpected error: {exc!r}")
        else:
            # Written with the next attempt's transaction (or when the round ends): one
            # commit per message. Dying before that leaves the row 'sending' → uncertain.
            self._accepted.append(
                outbox.SentResult(message.id, channel, external_id, self.clock.now())
            )
            self._floods[channel] = 0
            self._transient[channel] = 0
            self.stats.sent += 1

    async def _failed(
        self,
        message: outbox.QueuedMessage,
        key: ChatKey,
        exc: DeliveryError,
        attempts: int,
        stamp: float,
        *,
        more: bool,
        done: int,
        free: bool = False,
    ) -> None:
        """Wait, back off, give up on the chat or record, as ``exc`` says.

        ``done``: parts of the reply now in the chat; ``free``: nothing went out
        in this call (a flood error gives the rate-limit slot back).
        """
        if isinstance(exc, RetryAfter):
            await self._flooded(message, key, exc, attempts, stamp if free else None)
        elif isinstance(exc, Unreachable):
            await self._unreachable(message, key, exc, more=more)
        elif isinstance(exc, Rejected):
            parts = f" after {done} part(s) went out" if done else ""
            await self._final(message, "failed", f"rejected{parts}: {exc}")
        else:  # TransientError and any other delivery error
            await self._transient_failure(message, key[0], exc, attempts)

    async def _final(self, message: outbox.QueuedMessage, state: str, error: str) -> None:
        await outbox.mark_final(self.db, message.id, state, error, self.clock.now())
        if state == "failed":
            self.stats.failed += 1
        elif state == "unreachable":
            self.stats.unreachable += 1
        elif state == "uncertain":
            self.stats.uncertain += 1

    async def _retry(
        self, message: outbox.QueuedMessage, delay: float, error: str, attempts: int
    ) -> None:
        if attempts >= self.max_attempts:
            await self._final(message, "failed", f"gave up after {attempts} attempts: {error}")
            return
        now = self.clock.now()
        not_before = now + dt.timedelta(seconds=delay)
        await outbox.reschedule(self.db, message.id, not_before, error, now)
        self.stats.retried += 1

    async def _flooded(
        self,
        message: outbox.QueuedMessage,
        key: ChatKey,
        exc: RetryAfter,
        attempts: int,
        stamp: float | None,
    ) -> None:
        ts = self._ts()
        seconds = max(float(exc.seconds), 0.0)
        self._held[key] = max(self._held.get(key, 0.0), ts + seconds)
        if stamp is not None:
            self._global_bucket(key[0]).refund(stamp)  # nothing was sent: the slot is free
        streak = self._floods[key[0]] = self._floods.get(key[0], 0) + 1
        if streak >= self.flood_streak:
            log.warning("%s: %d flood errors in a row; pausing %.1fs", key[0], streak, seconds)
            self._paused[key[0]] = max(self._paused.get(key[0], 0.0), ts + seconds)
        await self._retry(message, seconds, f"flood limit: retry after {seconds:g}s", attempts)

    async def _transient_failure(
        self, message: outbox.QueuedMessage, channel: Channel, exc: Exception, attempts: int
    ) -> None:
        streak = self._transient[channel] = self._transient.get(channel, 0) + 1
        pause = min(self.backoff_cap, self.backoff_base * 2 ** (streak - 1))
        delay = max(pause, min(self.backoff_cap, self.backoff_base * 2 ** (attempts - 1)))
        self._paused[channel] = max(self._paused.get(channel, 0.0), self._ts() + pause)
        log.info("%s: transient error (%s); backing off %.1fs", channel, exc, delay)
        await self._retry(message, delay, f"transient: {exc}", attempts)

    async def _unreachable(
        self, message: outbox.QueuedMessage, key: ChatKey, exc: Unreachable, *, more: bool
    ) -> None:
        channel, chat_id = key
        reason = str(exc) or "unreachable"
        if message.person_id is not None:
            await people.mark_unreachable(self.db, channel, chat_id, reason)
        if more:
            # Proven undelivered on this channel: try the person's next identity now.
            now = self.clock.now()
            await outbox.reschedule(self.db, message.id, now, f"{channel}: {reason}", now)
            self.stats.retried += 1
        else:
            await self._final(message, "unreachable", f"{channel}: {reason}")

    # -- loops ----------------------------------------------------------------------------

    async def run_until_idle(self, until: dt.datetime | None = None) -> DeliveryStats:
        """Deliver everything due now, waiting (via ``sleep``) only for rate limits.

        With ``until`` (an aware datetime) it also sleeps until later messages
        (retries, ``not_before``) fall due, as long as they are due by ``until``.
        """
        try:
            await self._drain(until)
            await self._settle(0)
        finally:
            for task in self._in_flight:
                task.cancel()  # only when dying: a crash or cancellation inside the loop
            self._in_flight.clear()
            self._accepted.clear()  # not written: those rows stay 'sending' → uncertain
        return self.stats

    async def _drain(self, until: dt.datetime | None) -> None:
        while not self._stopping:
            await self._settle(0)
            now = self.clock.now()
            self.stats.expired += await outbox.expire_stale(self.db, now)
            batch = await outbox.due(self.db, now, self.batch_size)
            if not batch:
                upcoming = await outbox.next_due_at(self.db)
                if until is None or upcoming is None or upcoming > until:
                    break
                await self._pause(max((upcoming - now).total_seconds(), 0.0))
                continue
            progressed = False
            earliest: float | None = None
            people_ids = sorted({m.person_id for m in batch if m.person_id is not None})
            routes = await outbox.routes(self.db, people_ids)
            self._fresh = False
            for message in batch:
                if self._stopping or self._fresh:
                    break  # (fresh rows: select again, fairly, instead of finishing this batch)
                ready = await self._deliver(message, routes)
                if ready is None:
                    progressed = True
                else:
                    earliest = ready if earliest is None else min(earliest, ready)
            self._forget_idle(self._ts())
            if not progressed and earliest is not None:
                await self._pause(max(earliest - self._ts(), _NEGLIGIBLE))

    async def _pause(self, seconds: float) -> None:
        """Sleep (the injected sleep) for a rate limit or back-off; :meth:`stop` cuts it short."""
        if self._stopping:
            return
        nap = asyncio.ensure_future(self.sleep(seconds))
        stopped = asyncio.ensure_future(self._stopped.wait())
        try:
            await asyncio.wait({nap, stopped}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in (nap, stopped):
                waiter.cancel()

    async def run(self, idle_poll: float = 60.0) -> None:
        """Deliver until :meth:`stop`: woken by enqueues, else sleeping until the next due time."""
        await self.recover()
        while not self._stopping:
            self._wake.clear()
            try:
                await self.run_until_idle()
            except Exception:
                log.exception("delivery round failed; retrying shortly")
                await self.sleep(1.0)
                # The round's sends in flight were abandoned: same policy as after a crash.
                with contextlib.suppress(Exception):
                    await self.recover()
                continue
            upcoming = await outbox.next_due_at(self.db)
            timeout = idle_poll
            if upcoming is not None:
                timeout = min(idle_poll, max((upcoming - self.clock.now()).total_seconds(), 0.0))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout)

    def start(self) -> asyncio.Task[None]:
        """Run :meth:`run` as a background task (e.g. from the app's post_init)."""
        if self._task is None or self._task.done():
            self._stopping = False
            self._stopped.clear()
            self._task = asyncio.create_task(self.run(), name="classbot-delivery")
        return self._task

    async def stop(self, grace: float = 10.0) -> None:
        """Finish the send in progress (up to ``grace`` seconds), then stop."""
        self._stopping = True
        self._stopped.set()
        self._wake.set()
        task, self._task = self._task, None
        if task is None:
            return
        try:
            await asyncio.wait_for(asyncio.shield(task), grace)
        except TimeoutError:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
