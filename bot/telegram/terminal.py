"""The terminal chat: the real Telegram application and handlers, driven from the keyboard.

With no ``BOT_TOKEN`` (or with ``classbot demo``) the bot talks to you here.
A :class:`TerminalRequest` stands in for the Bot API: what the bot would send
is printed as plain text, its buttons as numbered choices (``[1] ◀  [2] ▶``);
typing a number taps that button, anything else is a message (commands and
plain words alike). The sample class is imported on first use and you are
enrolled as a trainee; the demo's "today" is a day inside the class
(``--today``, ``$CLASSBOT_TODAY``, else its first day), and time runs on from
07:30 that morning, venue time.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import getpass
import html
import itertools
import os
import re
import sys
import time
from collections.abc import Mapping
from typing import Any, TextIO

from telegram import Update

from bot.config import Settings
from bot.domain import LANGS, Channel, Person, Role, TrainingClass
from bot.i18n import _, resolve_lang, use_lang
from bot.schedule import importer
from bot.store import Database, classes, people
from bot.telegram.app import build_application, running
from bot.telegram.context import BotApp, settle
from bot.telegram.offline_api import ApiError, LocalBotApi, message_json, tap_json, user_json

DEMO_CLASS = "VTE-HN-2024"
"""The sample class the terminal chat opens on (``schedules/vientiane-hanoi-2024.toml``)."""

TERMINAL_USER_ID = 100
BOT_USER = {"id": 7000000000, "is_bot": True, "first_name": "classbot", "username": "classbot"}
_TAG = re.compile(r"</?(b|i|u|s|code|pre)>")


class DemoClock:
    """Time running from a fixed start instant (the demo morning), at the real pace."""

    def __init__(self, start: dt.datetime) -> None:
        self.start = start.astimezone(dt.UTC)
        self._t0 = time.monotonic()

    def now(self) -> dt.datetime:
        return self.start + dt.timedelta(seconds=time.monotonic() - self._t0)


def plain(text: str) -> str:
    """The bot's HTML as terminal text."""
    return html.unescape(_TAG.sub("", text))


class TerminalRequest(LocalBotApi):
    """A Bot API that prints what the bot sends and remembers the buttons it offered."""

    me = BOT_USER

    def __init__(self, out: TextIO) -> None:
        super().__init__()
        self.out = out
        self.choices: dict[int, tuple[int, str]] = {}
        """Number typed → (message id, callback data) of the buttons last shown."""
        self._fresh_turn = True

    def new_turn(self) -> None:
        """The user is about to type: the next buttons shown replace the current choices."""
        self._fresh_turn = True

    def _print(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def _show(self, params: Mapping[str, Any], message_id: int, edited: bool) -> None:
        text = plain(str(params.get("text") or params.get("caption") or ""))
        marker = "✎ " if edited else ""
        self._print(f"\n{marker}{text}" if text else "")
        rows = (params.get("reply_markup") or {}).get("inline_keyboard") or []
        if not rows:
            return
        if self._fresh_turn:
            self.choices.clear()
            self._fresh_turn = False
        number = itertools.count(len(self.choices) + 1)
        for row in rows:
            labels = []
            for button in row:
                n = next(number)
                self.choices[n] = (message_id, str(button.get("callback_data", "")))
                labels.append(f"[{n}] {button['text']}")
            self._print("  ".join(labels))

    def sent_message(self, method: str, params: Mapping[str, Any]) -> dict[str, Any]:
        """Print what a send or an edit shows (text and buttons, a place, a file)."""
        message = super().sent_message(method, params)
        if method == "sendPhoto":  # the week as a picture: shown as a mark, its caption below
            self._print("🖼 " + _("(a picture)"))
        if method in ("sendMessage", "editMessageText") or params.get("caption"):
            self._show(params, message["message_id"], edited=method.startswith("edit"))
        elif method == "sendVenue":
            self._print(f"📍 {params['title']} ({params['latitude']}, {params['longitude']})")
        elif method == "sendLocation":
            self._print(f"📍 ({params['latitude']}, {params['longitude']})")
        elif method == "sendDocument":
            self._print("📎 " + _("(a file)"))
        return message

    def on_call(self, method: str, params: dict[str, Any]) -> ApiError | None:
        if method == "answerCallbackQuery" and params.get("text"):
            self._print(f"({params['text']})")
        return None


def demo_day(cls: TrainingClass, today: dt.date | None) -> dt.date:
    """The demo's date: the one asked for, else the class's first day."""
    return today or cls.first_day


async def prepare(db: Database, now: dt.datetime) -> tuple[TrainingClass, Person]:
    """The sample class (imported if the database lacks it) and the terminal user, enrolled."""
    cls = await classes.get_class_by_code(db, DEMO_CLASS)
    if cls is None:
        result = await importer.import_path(db, importer.sample_path(), created_by="demo", now=now)
        cls = result.cls
    person, _identity, _new = await people.upsert_identity(
        db,
        channel=Channel.TELEGRAM,
        external_id=str(TERMINAL_USER_ID),
        chat_id=str(TERMINAL_USER_ID),
        display_name=_user_name(),
        language_code=_terminal_language(),
        now=now,
    )
    if await people.get_membership(db, cls.id, person.id) is None:
        await people.add_member(db, cls.id, person.id, Role.TRAINEE, now)
    await people.set_active_class(db, person.id, cls.id)
    return cls, person


def _user_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "trainee"


_language: str | None = None
"""The chat's language once :func:`chat` has chosen it (see :func:`chat_language`)."""


def chat_language(explicit: str | None = None) -> tuple[str, bool]:
    """The terminal chat's language, and whether it was asked for.

    ``--lang`` (``explicit``), else ``$CLASSBOT_LANG``: asked for. Else the terminal's
    locale (``LANG=lo_LA.UTF-8`` → ``lo``) when the bot speaks it, else English: a
    default, which the person may still change at the language question.
    """
    for raw, asked in ((explicit, True), (os.environ.get("CLASSBOT_LANG"), True)):
        if raw and raw in LANGS:
            return raw, asked
    for raw in (os.environ.get("LC_ALL"), os.environ.get("LANG")):
        code = (raw or "").split(".")[0].split("_")[0].lower()
        if code in LANGS:
            return code, False
    return "en", False


def _terminal_language() -> str:
    """The language the terminal user's messages say they read (Telegram's language_code)."""
    return _language or chat_language()[0]


def message_data(text: str) -> dict[str, Any]:
    """An incoming message from the terminal user, as Telegram would send it."""
    return message_json(text, _user_data())


def tap_data(message_id: int, data: str) -> dict[str, Any]:
    """A tap on a button of the bot's message ``message_id``."""
    return tap_json(data, _user_data(), BOT_USER, message_id=message_id)


def _user_data() -> dict[str, Any]:
    return user_json(TERMINAL_USER_ID, _user_name(), _terminal_language())


async def chat(
    settings: Settings,
    *,
    today: dt.date | None = None,
    stdin: TextIO | None = None,
    out: TextIO | None = None,
    lang: str | None = None,
) -> int:
    """Run the terminal chat until ``/quit`` or end of input, in ``lang`` if given.

    See :func:`chat_language`: a language asked for (``--lang``, ``$CLASSBOT_LANG``) is
    the person's from the start; otherwise the terminal's locale, else English, is
    offered first at the language question.
    """
    global _language
    stdin = stdin or sys.stdin
    out = out or sys.stdout
    _language, asked = chat_language(lang)
    db = await Database.open(settings.db_path)
    try:
        cls, person = await prepare(db, dt.datetime.now(dt.UTC))
        if asked and person.lang != _language:
            await people.set_lang(db, person.id, _language)
            person = dataclasses.replace(person, lang=_language)
        # The greeting comes in the language the bot will answer in (as the identity
        # handler picks it): a chosen one, else the terminal's (or English).
        lang = resolve_lang(person.lang, _terminal_language(), cls.default_lang)
        day = demo_day(cls, today)
        morning = dt.datetime.combine(day, dt.time(7, 30), tzinfo=cls.tz)
        clock = DemoClock(morning)
        request = TerminalRequest(out)
        offline = dataclasses.replace(settings, bot_token="")
        app = build_application(offline, db=db, request=request, clock=clock)
        async with running(app):
            with use_lang(lang):
                intro = _(
                    "classbot terminal chat on the sample class {code}; today is {day} "
                    "(venue time). Type a command such as /today or /help, a question in your "
                    "own words, or the number of a button. /quit leaves."
                ).format(code=cls.code, day=day.isoformat())
            out.write(intro + "\n")
            await _feed(app, message_data("/start"))
            echo = not stdin.isatty()
            while True:
                line = await asyncio.to_thread(stdin.readline)
                if not line:
                    break
                text = line.strip()
                if not text:
                    continue
                if echo:
                    out.write(f"\n> {text}\n")
                if text.lower() in ("/quit", "/exit"):
                    break
                choice = request.choices.get(int(text)) if text.isdigit() else None
                request.new_turn()
                if choice is not None:
                    await _feed(app, tap_data(*choice))
                else:
                    await _feed(app, message_data(text))
    finally:
        await db.close()
    return 0


async def _feed(app: BotApp, data: dict[str, Any]) -> None:
    await app.process_update(Update.de_json(data, app.bot))
    await settle(app)
