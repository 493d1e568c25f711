"""Reading and checking an uploaded file in a worker process, bounded in time and memory.

A hostile or merely huge workbook must not stall the bot: parsing in the event
loop (or in a thread, which still competes for the GIL) makes every trainee wait.
:func:`run` runs :func:`bot.schedule.programme.read_upload` and
:func:`bot.schedule.check.build_schedule` in one long-lived worker process
(started on first use, with the ``spawn`` method so no lock or connection of the
bot is inherited), whose address space is capped at :data:`MEMORY_LIMIT`; a job
that runs past :data:`TIME_LIMIT` seconds has its worker killed and the file
refused. If no process can be started (a sandbox), a thread is used instead.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import copyreg
import dataclasses
import multiprocessing
import resource
import types
from dataclasses import dataclass
from typing import Any

from bot.domain import Schedule, Session, Topic, TrainingClass
from bot.i18n import N_
from bot.schedule.check import build_schedule
from bot.schedule.problems import Problem, ScheduleProblems
from bot.schedule.programme import NeedsMapping, read_upload
from bot.schedule.read import RawFile

TIME_LIMIT = 60.0
"""Seconds a file may take to read and check before it is refused."""
MEMORY_LIMIT = 1536 * 2**20
"""The worker's address-space cap: a file needing more fails there, not in the bot."""


def _proxy(values: dict[str, Any]) -> types.MappingProxyType[str, Any]:
    return types.MappingProxyType(values)


# Localized texts are read-only mappings; they cross to and from the worker as dicts.
copyreg.pickle(types.MappingProxyType, lambda m: (_proxy, (dict(m),)))


Packed = tuple[tuple[Any, ...], list[tuple[Any, ...]], list[tuple[Any, ...]]]


def _pack_one(obj: Any) -> tuple[Any, ...]:
    return tuple(
        dict(v) if isinstance(v, types.MappingProxyType) else v
        for v in (getattr(obj, f.name) for f in dataclasses.fields(obj))
    )


def _unpack_one(kind: Any, values: tuple[Any, ...]) -> Any:
    return kind(*(types.MappingProxyType(v) if isinstance(v, dict) else v for v in values))


def pack(schedule: Schedule) -> Packed:
    """A schedule as plain tuples and dicts: pickled several times faster than dataclasses."""
    return (
        _pack_one(schedule.cls),
        [_pack_one(t) for t in schedule.topics],
        [_pack_one(s) for s in schedule.sessions],
    )


def unpack(packed: Packed) -> Schedule:
    cls, topics, sessions = packed
    return Schedule(
        _unpack_one(TrainingClass, cls),
        tuple(_unpack_one(Topic, t) for t in topics),
        tuple(_unpack_one(Session, s) for s in sessions),
    )


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the worker sends back: the schedule (packed), or the raw file when the class
    it goes into must be looked up first, or the problems."""

    raw: RawFile | None
    packed: Packed | None
    problems: tuple[Problem, ...] = ()
    header: tuple[int, tuple[tuple[str, str], ...]] | None = None
    """For a table whose columns were not recognised: its header row and columns."""
    notes: tuple[Problem, ...] = ()
    layout: str = "template"

    @property
    def schedule(self) -> Schedule | None:
        return unpack(self.packed) if self.packed is not None else None


def _built(raw: RawFile, base: Schedule | None) -> Outcome:
    schedule = build_schedule(raw, base)
    return Outcome(None, pack(schedule), notes=tuple(raw.notes), layout=raw.layout)


def _limit_memory() -> None:
    try:
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = MEMORY_LIMIT if hard == resource.RLIM_INFINITY else min(MEMORY_LIMIT, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    except (ValueError, OSError):  # not permitted here: the row and size caps still hold
        pass


def job(
    data: bytes, filename: str, packed: Packed | None, headers: dict[str, str] | None = None
) -> Outcome:
    """Read and check a file; problems are returned, never raised.

    A sessions-only file naming another class than ``base`` comes back unchecked:
    the caller loads that class and calls :func:`check_job`.
    """
    base = unpack(packed) if packed is not None else None
    try:
        raw = read_upload(data, filename, base, headers)
        if not raw.partial:
            return _built(raw, None)
        code_cell = raw.cls.cells.get("code") if raw.cls else None
        code = str(code_cell.value).strip().casefold() if code_cell else None
        if code and (base is None or base.cls.code.casefold() != code):
            return Outcome(raw, None)
        return _built(raw, base)
    except NeedsMapping as unsure:
        return Outcome(None, None, unsure.problems, (unsure.row, unsure.columns))
    except ScheduleProblems as refused:
        return Outcome(None, None, refused.problems)
    except MemoryError:
        return Outcome(None, None, (_too_big(),))


def check_job(raw: RawFile, packed: Packed | None) -> Outcome:
    try:
        return _built(raw, unpack(packed) if packed is not None else None)
    except ScheduleProblems as refused:
        return Outcome(None, None, refused.problems)


def _too_big() -> Problem:
    return Problem(N_("The file needs too much memory to read; it was refused."))


def _too_slow() -> Problem:
    return Problem(
        N_("Reading the file took too long (over {seconds} seconds); it was refused."),
        {"seconds": int(TIME_LIMIT)},
    )


_pool: concurrent.futures.ProcessPoolExecutor | None = None
_use_threads = False
_worked = False
"""A worker process has finished a job: a broken pool is then the job's fault (memory)."""


def _executor() -> concurrent.futures.ProcessPoolExecutor | None:
    global _pool, _use_threads
    if _use_threads:
        return None
    if _pool is None:
        try:
            _pool = concurrent.futures.ProcessPoolExecutor(
                max_workers=1,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_limit_memory,
            )
        except (OSError, NotImplementedError):
            _use_threads = True
            return None
    return _pool


def _discard(pool: concurrent.futures.ProcessPoolExecutor) -> None:
    global _pool
    if _pool is pool:
        _pool = None
    for process in list(getattr(pool, "_processes", {}).values()):
        process.kill()
    pool.shutdown(wait=False, cancel_futures=True)


def use_threads(on: bool = True) -> None:
    """Run jobs in a thread instead (tests that patch the reader in this process)."""
    global _use_threads
    _use_threads = on


async def run(fn: Any, *args: Any) -> Outcome:
    """``fn(*args)`` in the worker, within :data:`TIME_LIMIT`; raises :class:`ScheduleProblems`."""
    global _use_threads, _worked
    loop = asyncio.get_running_loop()
    pool = _executor()
    try:
        if pool is None:
            outcome: Outcome = await asyncio.wait_for(asyncio.to_thread(fn, *args), TIME_LIMIT)
        else:
            outcome = await asyncio.wait_for(loop.run_in_executor(pool, fn, *args), TIME_LIMIT)
            _worked = True
    except TimeoutError:
        if pool is not None:
            _discard(pool)
        raise ScheduleProblems([_too_slow()]) from None
    except (concurrent.futures.process.BrokenProcessPool, OSError):
        if pool is not None:
            _discard(pool)
        if not _worked:  # no process could ever run here (a sandbox): use a thread instead
            _use_threads = True
            return await run(fn, *args)
        raise ScheduleProblems([_too_big()]) from None
    if outcome.header is not None:
        raise NeedsMapping(outcome.problems, *outcome.header)
    if outcome.problems:
        raise ScheduleProblems(outcome.problems)
    return outcome


def shutdown() -> None:
    """Stop the worker (at the bot's shutdown)."""
    global _pool
    if _pool is not None:
        _pool.shutdown(wait=True, cancel_futures=True)
        _pool = None
