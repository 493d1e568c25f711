"""The ``classbot`` command line: run the bot, manage classes, maintain catalogs.

Each subcommand is a small function taking the parsed arguments and returning
an exit code; the heavy lifting is in the services. Output for people is in
``--lang`` (default: ``$CLASSBOT_LANG`` or Vietnamese).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

from bot import catalogs
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
        default=os.environ.get("CLASSBOT_LANG", "vi"),
        help="language of messages for people",
    )
    sub = parser.add_subparsers(dest="command")

    p = sub.add_parser("i18n", help="maintain the translation catalogs (developers)")
    p.add_argument("step", choices=["update", "compile", "check", "translate"])
    p.add_argument("file", nargs="?", help="JSON of translations, for 'translate'")
    p.set_defaults(handler=_cmd_i18n)

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    set_lang(args.lang)
    settings = Settings.from_env()
    if args.db == "classbot.db" and settings.db_path != "classbot.db":
        args.db = settings.db_path
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    return handler(args)
