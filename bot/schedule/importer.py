"""Importing schedule files: validate everything first, then save a new version atomically.

:func:`preview` answers "what would this file change?" without writing;
:func:`import_schedule` writes the new live version (through
:func:`bot.store.versions.save_version`, one transaction) and returns the diff
against the version it replaced. A file with any problem raises
:class:`~bot.schedule.problems.ScheduleProblems` and changes nothing.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from bot.domain import Schedule, ScheduleVersion, TrainingClass
from bot.i18n import N_
from bot.schedule import extras, worker
from bot.schedule.diff import ScheduleDiff, diff_schedules
from bot.schedule.problems import Problem, ScheduleProblems
from bot.schedule.read import MAX_BYTES
from bot.schedule.values import as_text
from bot.store import column_maps
from bot.store.classes import get_class_by_code
from bot.store.database import Database
from bot.store.versions import load_version, save_version

__all__ = [
    "ImportResult",
    "Parsed",
    "Preview",
    "Problem",
    "ScheduleProblems",
    "import_path",
    "import_schedule",
    "live_schedule",
    "parse_file",
    "parse_schedule",
    "preview",
    "read_head",
    "refuse_empty",
    "sample_path",
    "samples_dir",
    "source_hash",
]

SAMPLES = ("vientiane-hanoi-2024.toml", "hanoi-guangzhou-2025.toml")
"""The sample classes shipped in ``schedules/``, the first one is the demo class."""


def samples_dir() -> Path:
    """Where the sample schedules are: ``$CLASSBOT_SCHEDULES``, the installed copy, or the tree."""
    env = os.environ.get("CLASSBOT_SCHEDULES")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent.parent
    installed = here / "_data" / "schedules"
    return installed if installed.is_dir() else here.parent / "schedules"


def sample_path(name: str = SAMPLES[0]) -> Path:
    """A sample file by name ('vientiane-hanoi-2024.xlsx'); the bare stem means the text form."""
    path = samples_dir() / name
    if not path.suffix:
        path = path.with_suffix(".toml")
    if not path.is_file():
        raise FileNotFoundError(path)
    return path


def source_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True, slots=True)
class Preview:
    """A validated file and what importing it would change."""

    schedule: Schedule
    previous: Schedule | None
    diff: ScheduleDiff
    source_hash: str
    source_name: str
    notes: tuple[Problem, ...] = ()
    """What the reader skipped or inferred, for the preview."""

    @property
    def unchanged(self) -> bool:
        return self.previous is not None and self.diff.empty

    @property
    def cancels_all(self) -> int:
        """How many sessions an empty file would cancel (0 if it has sessions)."""
        if self.schedule.sessions or self.previous is None:
            return 0
        return len(self.previous.sessions)


@dataclass(frozen=True, slots=True)
class ImportResult:
    """A saved import: the class as stored now, the new version and the diff."""

    cls: TrainingClass
    version: ScheduleVersion
    schedule: Schedule
    previous: Schedule | None
    diff: ScheduleDiff


async def live_schedule(db: Database, code: str) -> Schedule | None:
    """The class's current schedule, or ``None`` if it has none yet."""
    cls = await get_class_by_code(db, code)
    if cls is None or cls.live_version_id is None:
        return None
    return await load_version(db, cls.live_version_id)


@dataclass(frozen=True, slots=True)
class Parsed:
    """A validated file: its schedule and what the reader skipped or inferred."""

    schedule: Schedule
    notes: tuple[Problem, ...] = ()
    layout: str = "template"


async def parse_file(
    db: Database, data: bytes, filename: str, *, class_code: str | None = None
) -> Parsed:
    """Read and validate a file off the event loop (:mod:`bot.schedule.worker`: a worker
    process bounded in time and memory).

    ``class_code`` is the class the file is sent to: a CSV without a ``# code:``
    line, a sessions-only sheet or an organiser's own programme goes into it.
    """
    hint = await live_schedule(db, class_code) if class_code else None
    headers = None
    if class_code and (cls := await get_class_by_code(db, class_code)) is not None:
        headers = await column_maps.headers_for(db, cls.id) or None
    packed_hint = worker.pack(hint) if hint is not None else None
    outcome = await worker.run(worker.job, data, filename, packed_hint, headers)
    if outcome.packed is None:
        raw = outcome.raw
        assert raw is not None
        code_cell = raw.cls.cells.get("code") if raw.cls else None
        code = as_text(code_cell.value) if code_cell else class_code
        base = await live_schedule(db, code) if code else None
        if base is None:
            raise ScheduleProblems(
                [
                    Problem(
                        N_("There is no class {code} yet: import its workbook first."),
                        {"code": code},
                        raw.class_sheet,
                    )
                ]
            )
        outcome = await worker.run(worker.check_job, raw, worker.pack(base))
    schedule = outcome.schedule
    assert schedule is not None
    return Parsed(schedule, outcome.notes, outcome.layout)


async def parse_schedule(
    db: Database, data: bytes, filename: str, *, class_code: str | None = None
) -> Schedule:
    """Read and validate a file; a CSV takes the class's stored header and topics."""
    return (await parse_file(db, data, filename, class_code=class_code)).schedule


async def preview(
    db: Database, data: bytes, filename: str, *, class_code: str | None = None
) -> Preview:
    """Validate ``data`` and diff it against the live version, writing nothing."""
    parsed = await parse_file(db, data, filename, class_code=class_code)
    schedule = parsed.schedule
    previous = await live_schedule(db, schedule.cls.code)
    return Preview(
        schedule,
        previous,
        diff_schedules(previous, schedule),
        source_hash(data),
        filename,
        parsed.notes,
    )


def refuse_empty(found: Preview) -> None:
    """An empty programme would cancel every session: refused unless explicitly confirmed."""
    if found.cancels_all:
        raise ScheduleProblems(
            [
                Problem(
                    N_(
                        "The file has no sessions: importing it would cancel all {n} sessions "
                        "of {code}. If that is really meant, confirm it explicitly "
                        "(on the command line: --cancel-all)."
                    ),
                    {"n": found.cancels_all, "code": found.schedule.cls.code},
                )
            ]
        )


async def import_schedule(
    db: Database,
    data: bytes,
    filename: str,
    *,
    created_by: str,
    now: dt.datetime,
    created_by_person: int | None = None,
    class_code: str | None = None,
    note: str = "",
    cancel_all: bool = False,
) -> ImportResult:
    """Validate ``data`` and save it as the class's new live version (created if new).

    A file without sessions for a class that has some is refused unless ``cancel_all``.
    """
    found = await preview(db, data, filename, class_code=class_code)
    if not cancel_all:
        refuse_empty(found)
    cls, version = await save_version(
        db,
        found.schedule,
        created_by=created_by,
        source_hash=found.source_hash,
        now=now,
        source_name=Path(filename).name,
        created_by_person=created_by_person,
        note=note,
    )
    await extras.record_workbook(db, cls, data, filename)  # issue 18
    return ImportResult(cls, version, found.schedule, found.previous, found.diff)


def read_head(file: Path) -> bytes:
    """A file's bytes, never more than one past the size limit."""
    with file.open("rb") as fh:
        return fh.read(MAX_BYTES + 1)  # read_file refuses anything longer


async def import_path(
    db: Database,
    path: str | Path,
    *,
    created_by: str,
    now: dt.datetime,
    created_by_person: int | None = None,
    class_code: str | None = None,
) -> ImportResult:
    """:func:`import_schedule` for a file on disk."""
    file = Path(path)
    data = await asyncio.to_thread(read_head, file)
    return await import_schedule(
        db,
        data,
        file.name,
        created_by=created_by,
        now=now,
        created_by_person=created_by_person,
        class_code=class_code,
    )
