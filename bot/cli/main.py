"""The ``classbot`` command line: run the bot, manage classes, maintain catalogs.

Each subcommand is a small function taking the parsed arguments and returning
an exit code; the heavy lifting is in the services. Output for people is in
``--lang`` (default: ``$CLASSBOT_LANG`` or Vietnamese).
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import datetime as dt
import os
import sys
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

from bot.cli import catalogs
from bot.cli import closing as cli_closing
from bot.cli import schedule as cli_schedule
from bot.config import Settings
from bot.domain import LANGS
from bot.i18n import set_lang
from bot.store import Database

Handler = Callable[[argparse.Namespace], int]


def run_async(coro: Awaitable[int]) -> int:
    async def wrapper() -> int:
        return await coro

    return asyncio.run(wrapper())


async def open_db(args: argparse.Namespace) -> Database:
    return await Database.open(args.db)


def _cmd_i18n(args: argparse.Namespace) -> int:
    if args.step == "update":
        catalogs.update()
        print(f"updated {catalogs.POT} and the vi, lo, en catalogs; compiled")
    elif args.step == "compile":
        catalogs.compile_all()
        print("compiled")
    elif args.step == "translate":
        print(f"{catalogs.translate(Path(args.file))} translations merged; compiled")
    found = catalogs.problems()
    for line in found:
        print(line, file=sys.stderr)
    return 1 if found and args.step == "check" else 0


def _settings(args: argparse.Namespace) -> Settings:
    return dataclasses.replace(Settings.from_env(), db_path=args.db)


def _today(args: argparse.Namespace) -> dt.date | None:
    raw = getattr(args, "today", None) or os.environ.get("CLASSBOT_TODAY")
    return dt.date.fromisoformat(raw) if raw else None


def _cmd_run(args: argparse.Namespace) -> int:
    """The bot with BOT_TOKEN (and Zalo if ZALO_BOT_TOKEN); Zalo alone; else the terminal."""
    settings = _settings(args)
    if settings.bot_token and not getattr(args, "demo", False):
        from bot.telegram.runner import run_bot

        return run_bot(settings)
    if settings.zalo_bot_token and not getattr(args, "demo", False):
        from bot.telegram.runner import secrets_of
        from bot.telegram.zalo_only import run_zalo

        return run_zalo(settings, secrets_of(settings))  # Zalo only: no BOT_TOKEN
    from bot import logs
    from bot.telegram import terminal

    logs.configure("WARNING", [settings.bot_token])
    return asyncio.run(terminal.chat(settings, today=_today(args), lang=args.chat_lang))


def _cmd_invite(args: argparse.Namespace) -> int:
    from bot.domain import Role
    from bot.people import invites
    from bot.store import classes

    async def go() -> int:
        db = await open_db(args)
        try:
            cls = await classes.get_class_by_code(db, args.cls)
            if cls is None:
                print(f"no class {args.cls}", file=sys.stderr)
                return 1
            made = await invites.create(
                db,
                cls.id,
                Role(args.role),
                now=dt.datetime.now(dt.UTC),
                uses=args.uses,
                days=args.days,
            )
        finally:
            await db.close()
        print(made.link(_settings(args).bot_username))
        print(f"code: {made.code}  (role {args.role}, {args.uses} uses, {args.days:g} days)")
        return 0

    return run_async(go())


def _cmd_audit(args: argparse.Namespace) -> int:
    """Who did what and when: one class's audit log, or everything, newest first."""
    from bot.people.members import audit_lines
    from bot.store import classes

    async def go() -> int:
        db = await open_db(args)
        try:
            cls = await classes.get_class_by_code(db, args.cls) if args.cls else None
            if args.cls and cls is None:
                print(f"no class {args.cls}", file=sys.stderr)
                return 1
            for line in await audit_lines(db, cls, args.lang, args.limit):
                print(line)
        finally:
            await db.close()
        return 0

    return run_async(go())


def _cmd_report(args: argparse.Namespace) -> int:
    """The recent announcements of a class: sent, failed, unreachable, confirmed, with names."""
    from bot.announcements.status import class_report
    from bot.store import classes

    async def go() -> int:
        db = await open_db(args)
        try:
            cls = await classes.get_class_by_code(db, args.cls)
            if cls is None:
                print(f"no class {args.cls}", file=sys.stderr)
                return 1
            print((await class_report(db, cls.id, args.lang, args.limit)).plain())
        finally:
            await db.close()
        return 0

    return run_async(go())


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="classbot", description="A chat assistant for short training classes."
    )
    parser.add_argument(
        "--db", default=os.environ.get("CLASSBOT_DB", "classbot.db"), help="SQLite file"
    )
    parser.add_argument(
        "--lang",
        choices=LANGS,
        default=None,
        help="language of messages for people (default: $CLASSBOT_LANG, else Vietnamese; "
        "the terminal chat: $CLASSBOT_LANG, else the terminal's, else English)",
    )
    sub = parser.add_subparsers(dest="command")

    p = sub.add_parser("i18n", help="maintain the translation catalogs (developers)")
    p.add_argument("step", choices=["update", "compile", "check", "translate"])
    p.add_argument("file", nargs="?", help="JSON of translations, for 'translate'")
    p.set_defaults(handler=_cmd_i18n)

    cli_schedule.add_commands(sub)  # import, classes, agenda, export, template, backup
    cli_closing.add_command(sub)  # closing CLASS: the closing pack (issue 17)

    for name, demo, text in (
        ("run", False, "run the bot (the terminal chat when BOT_TOKEN is not set); the default"),
        ("demo", True, "the terminal chat on the sample class, even with a BOT_TOKEN"),
    ):
        p = sub.add_parser(name, help=text)
        p.add_argument("--today", help="the demo's date (YYYY-MM-DD); default $CLASSBOT_TODAY")
        # "classbot demo --lang en" as well as "classbot --lang en demo".
        p.add_argument(
            "--lang", choices=LANGS, default=argparse.SUPPRESS, help="the chat's language"
        )
        p.set_defaults(handler=_cmd_run, demo=demo)
    parser.set_defaults(handler=_cmd_run)

    p = sub.add_parser("invite", help="create an invite link for a class")
    p.add_argument("cls", metavar="CLASS", help="class code")
    p.add_argument("--role", choices=["trainee", "manager"], default="trainee")
    p.add_argument("--uses", type=int, default=60, help="how many people may use it")
    p.add_argument("--days", type=float, default=14, help="days until it expires")
    p.set_defaults(handler=_cmd_invite)

    p = sub.add_parser("audit", help="show the audit log, newest first (one class or all)")
    p.add_argument("cls", metavar="CLASS", nargs="?", help="class code; every class if omitted")
    p.add_argument("--limit", type=int, default=50, help="how many entries")
    p.set_defaults(handler=_cmd_audit)

    p = sub.add_parser("report", help="delivery and read report of a class's announcements")
    p.add_argument("cls", metavar="CLASS", help="class code")
    p.add_argument("--limit", type=int, default=5, help="how many recent announcements")
    p.set_defaults(handler=_cmd_report)

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    args.chat_lang = args.lang  # None unless --lang was given (the terminal chat decides)
    env_lang = os.environ.get("CLASSBOT_LANG")
    args.lang = args.lang or (env_lang if env_lang in LANGS else "vi")
    set_lang(args.lang)
    settings = Settings.from_env()
    if args.db == "classbot.db" and settings.db_path != "classbot.db":
        args.db = settings.db_path
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    try:
        code = handler(args)
        sys.stdout.flush()
    except BrokenPipeError:
        # "classbot agenda … | head": the reader left; stop quietly, as Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    return code
