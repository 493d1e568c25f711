"""The schedule subcommands of ``classbot``: import, classes, agenda, export, template, backup.

:func:`add_commands` registers them on the main parser (see :mod:`bot.cli.main`).
Problems and summaries are printed in ``--lang``; a refused file exits 1.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from bot.agenda import views as agenda
from bot.domain import LANGS, Schedule, TrainingClass
from bot.i18n import _, current_lang, format_day_short, ngettext
from bot.schedule import importer
from bot.schedule.diff import render_diff
from bot.schedule.ics import to_ics
from bot.schedule.problems import ScheduleProblems
from bot.schedule.write import template_xlsx, to_csv, to_text, to_xlsx
from bot.store import Database, classes
from bot.store.database import write_private
from bot.store.versions import list_versions, load_version

EXPORTERS: dict[str, Callable[[Schedule], bytes]] = {
    "xlsx": to_xlsx,
    "csv": to_csv,
    "text": lambda s: to_text(s).encode(),
    "ics": to_ics,
}
BINARY = {"xlsx"}
SUFFIX = {"xlsx": ".xlsx", "csv": ".csv", "text": ".toml", "ics": ".ics"}


def _run(args: argparse.Namespace, body: Callable[[Database], Awaitable[int]]) -> int:
    async def go() -> int:
        db = await Database.open(args.db)
        try:
            return await body(db)
        finally:
            await db.close()

    return asyncio.run(go())


def _err(text: str) -> None:
    print(text, file=sys.stderr)


async def _find(db: Database, code: str) -> TrainingClass | None:
    cls = await classes.get_class_by_code(db, code)
    if cls is None:
        _err(_("There is no class {code}.").format(code=code))
    return cls


def summary(schedule: Schedule, lang: str) -> str:
    """One line about a schedule: code, days, topics and sessions."""
    cls = schedule.cls
    return _(
        "{code}: {name}, {first} – {last} ({tz}), {topics} topics, {sessions} sessions"
    ).format(
        code=cls.code,
        name=cls.title(lang),
        first=format_day_short(cls.first_day, lang),
        last=format_day_short(cls.last_day, lang),
        tz=cls.timezone,
        topics=len(schedule.topics),
        sessions=len(schedule.sessions),
    )


def _refused(file: str, refused: ScheduleProblems, lang: str) -> int:
    _err(
        ngettext(
            "{file} was not imported: {n} problem.",
            "{file} was not imported: {n} problems.",
            len(refused.problems),
        ).format(file=file, n=len(refused.problems))
    )
    for line in refused.lines(lang):
        _err(f"  - {line}")
    return 1


def _print_preview(found: importer.Preview, args: argparse.Namespace, lang: str) -> None:
    """What the file would change, as the bot's preview shows it; nothing is saved."""
    print(summary(found.schedule, lang))
    for note in found.notes:
        print(f"  * {note.text(lang)}")
    if found.previous is not None:
        lines = render_diff(found.diff, lang, found.schedule.cls.default_lang, limit=args.limit)
        for line in lines or [_("No changes from the previous version.")]:
            print(f"  {line}")
    print(_("Nothing was saved (--dry-run). Run the same command without it to save."))


def cmd_import(args: argparse.Namespace) -> int:
    """Import a file the way the bot does: preview, refuse an identical or empty one, save."""
    lang = current_lang()

    async def body(db: Database) -> int:
        path = Path(args.file)
        data = await asyncio.to_thread(importer.read_head, path)
        try:
            found = await importer.preview(db, data, path.name, class_code=args.class_code)
            if found.unchanged:
                print(
                    _("{file} is the same as the live schedule of {code}. Nothing to do.").format(
                        file=args.file, code=found.schedule.cls.code
                    )
                )
                return 0
            if not args.cancel_all:
                importer.refuse_empty(found)
            if args.dry_run:
                _print_preview(found, args, lang)
                return 0
            result = await importer.import_schedule(
                db,
                data,
                path.name,
                created_by="cli",
                now=dt.datetime.now(dt.UTC),
                class_code=args.class_code,
                cancel_all=args.cancel_all,
            )
        except ScheduleProblems as refused:
            return _refused(args.file, refused, lang)
        print(summary(result.schedule, lang))
        for note in found.notes:
            print(f"  * {note.text(lang)}")
        print(_("Saved as version {number}.").format(number=result.version.number))
        if result.previous is not None:
            lines = render_diff(result.diff, lang, result.cls.default_lang, limit=args.limit)
            for line in lines or [_("No changes from the previous version.")]:
                print(f"  {line}")
        return 0

    try:
        return _run(args, body)
    except OSError as exc:
        _err(_("Cannot read {file}: {error}").format(file=args.file, error=exc.strerror or exc))
        return 1


def cmd_classes(args: argparse.Namespace) -> int:
    lang = current_lang()

    async def body(db: Database) -> int:
        found = await classes.list_classes(db)
        if not found:
            print(_("No classes yet. Import one with: classbot import FILE"))
        for cls in found:
            versions = await list_versions(db, cls.id)
            count = versions[-1].row_count if versions else 0
            print(
                _("{code}  {first} – {last}  {tz}  v{version}  {sessions} sessions  {name}").format(
                    code=cls.code,
                    first=cls.first_day.isoformat(),
                    last=cls.last_day.isoformat(),
                    tz=cls.timezone,
                    version=len(versions),
                    sessions=count,
                    name=cls.title(lang),
                )
            )
        return 0

    return _run(args, body)


def _agenda_day(cls: TrainingClass, raw: str | None) -> dt.date:
    if raw:
        return dt.date.fromisoformat(raw)
    today = cls.local_now(dt.datetime.now(dt.UTC)).date()
    return min(max(today, cls.first_day), cls.last_day)


def cmd_agenda(args: argparse.Namespace) -> int:
    lang = args.agenda_lang or current_lang()

    async def body(db: Database) -> int:
        cls = await _find(db, args.cls)
        if cls is None:
            return 1
        try:
            day = _agenda_day(cls, args.date)
        except ValueError:
            _err(_("Please give the date as YYYY-MM-DD."))
            return 2
        print((await agenda.day_view(db, cls, day, lang)).plain())
        return 0

    return _run(args, body)


def _write(data: bytes, out: str | None, binary: bool, default_name: str) -> None:
    if out == "-" or (out is None and not binary):
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    path = Path(out or default_name)
    write_private(path, data)  # a schedule names lecturers and places: owner-only, like the DB
    _err(_("Written: {path}").format(path=path))


def cmd_export(args: argparse.Namespace) -> int:
    async def body(db: Database) -> int:
        cls = await _find(db, args.cls)
        if cls is None:
            return 1
        if cls.live_version_id is None:
            _err(_("The class {code} has no schedule yet.").format(code=cls.code))
            return 1
        schedule = await load_version(db, cls.live_version_id)
        data = EXPORTERS[args.format](schedule)
        _write(data, args.output, args.format in BINARY, cls.code + SUFFIX[args.format])
        return 0

    return _run(args, body)


def cmd_template(args: argparse.Namespace) -> int:
    _write(template_xlsx(), args.output, True, "classbot-template.xlsx")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    target = Path(args.path)
    if target.resolve() == Path(args.db).resolve():
        _err(_("The backup must not overwrite the database itself."))
        return 2
    if target.is_dir():
        target = target / f"classbot-{dt.datetime.now(dt.UTC):%Y%m%d-%H%M%S}.db"

    async def body(db: Database) -> int:
        await db.backup(target)
        return 0

    code = _run(args, body)
    print(
        _("Backup written: {path} ({size} KB)").format(
            path=target, size=target.stat().st_size // 1024
        )
    )
    return code


def add_commands(sub: Any) -> None:
    """Register the schedule subcommands on ``sub`` (the main parser's subparsers)."""
    p = sub.add_parser("import", help="import a schedule file (.xlsx, .csv, .toml)")
    p.add_argument("file", metavar="FILE")
    p.add_argument(
        "--class",
        dest="class_code",
        help="the class the file goes into (a programme without class details, a CSV)",
    )
    p.add_argument(
        "--cancel-all",
        action="store_true",
        help="accept a file without sessions, cancelling all of the class's sessions",
    )
    p.add_argument(
        "--dry-run",
        action="store_true",
        help="show what the file would change (the bot's preview) and save nothing",
    )
    p.add_argument("--limit", type=int, default=40, help="show at most this many changes")
    p.set_defaults(handler=cmd_import)

    p = sub.add_parser("classes", help="list the classes")
    p.set_defaults(handler=cmd_classes)

    p = sub.add_parser("agenda", help="a day's programme as a trainee sees it")
    p.add_argument("cls", metavar="CLASS", help="class code")
    p.add_argument("--date", help="YYYY-MM-DD (default: today, within the class's days)")
    p.add_argument("--lang", dest="agenda_lang", choices=LANGS, help="language (default --lang)")
    p.set_defaults(handler=cmd_agenda)

    p = sub.add_parser("export", help="export a class's schedule")
    p.add_argument("cls", metavar="CLASS", help="class code")
    p.add_argument("--format", choices=sorted(SUFFIX), default="xlsx")
    p.add_argument("-o", "--output", help="file to write ('-' for stdout)")
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser("template", help="write a blank schedule workbook with instructions")
    p.add_argument("-o", "--output", help="file to write (default classbot-template.xlsx)")
    p.set_defaults(handler=cmd_template)

    p = sub.add_parser("backup", help="write a consistent copy of the database")
    p.add_argument("path", metavar="PATH", help="file (or directory) for the copy")
    p.set_defaults(handler=cmd_backup)
