"""One Zalo update in, the answers out: the same services as Telegram, in plain text.

Order of understanding a text message:

1. while a manager's /broadcast waits for text, the text is the announcement
   (:mod:`bot.zalo.broadcast`);
2. a number ("2") picks the numbered choice last shown to this person
   (acknowledge an announcement, check in, a language, a broadcast step…)
   through :func:`bot.actions.dispatch` (or the broadcast / invitation menus);
3. ``/start CODE``, ``/join CODE``, an invitation code on its own or a pasted
   invitation link joins a class (:func:`bot.people.invites.redeem`);
4. ``/link`` gives a code to link this Zalo account with Telegram and
   ``/link CODE`` uses one made on Telegram (:mod:`bot.people.linking`);
5. ``/remind``, ``/quiet`` and the class managers' commands
   (:mod:`bot.zalo.managers`);
6. anything else goes through :func:`bot.agenda.assistant.understand` (the one parser) and
   :func:`bot.agenda.assistant.answer`, exactly like on Telegram.

A first contact is asked for their language in all three languages at once
(Zalo sends no language hint). Stickers and pictures get a short help answer;
the "unsupported" event (content Zalo withholds, e.g. from a protected user) a
neutral, kind one. Only private chats are served; group messages are ignored.

Each message is handled once: its id is recorded in the database, so a webhook
Zalo re-posts, or an update seen again after a restart, is not answered twice.
A chat's messages are handled one at a time, in the order they came.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
from dataclasses import dataclass
from typing import Any

from bot import actions
from bot.actions import ActionContext
from bot.agenda import assistant
from bot.agenda.intents import IntentKind
from bot.clock import Clock
from bot.config import Settings
from bot.domain import Channel, Person, Role, TrainingClass
from bot.i18n import _, use_lang
from bot.people import linking, preferences
from bot.reminders import settings as reminder_settings
from bot.replies import Reply
from bot.store import choices, people
from bot.store import zalo as zalo_store
from bot.store.database import Database
from bot.zalo import attendance, broadcast, joining, managers, pocket_hook
from bot.zalo.client import ZaloClient
from bot.zalo.joining import invite_code, not_joined
from bot.zalo.sender import Sleep, answer, person_lang
from bot.zalo.turn import Resync, Turn

log = logging.getLogger(__name__)

TEXT_EVENT = "message.text.received"
UNSUPPORTED_EVENT = "message.unsupported.received"
SEEN_KEEP = dt.timedelta(days=7)
"""How long handled message ids are kept (Zalo stops re-posting an update long before)."""
SEEN_PRUNE_EVERY = 500
"""Prune the handled ids after this many messages."""
_NUMBER = re.compile(r"^\s*(\d{1,2})\s*[.)]?\s*$")
_SETTINGS_COMMAND = re.compile(r"^/(remind|quiet)(?:@\w+)?\b\s*(.*)$", re.IGNORECASE)
_LINK_COMMAND = re.compile(r"^/?(?:link|lienket|liên kết)\b\s*(.*)$", re.IGNORECASE)
_COMMAND = re.compile(r"^/(\w+)(?:@\w+)?\s*(.*)$", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Incoming:
    """The parts of a Zalo update the bot uses."""

    event_name: str
    user_id: str
    chat_id: str
    name: str
    text: str
    is_group: bool
    message_id: str = ""


def parse_update(update: dict[str, Any]) -> Incoming | None:
    """The message in ``update``, or ``None`` when it carries no sender."""
    message = update.get("message")
    if not isinstance(message, dict):
        return None
    sender = _mapping(message.get("from"))
    chat = _mapping(message.get("chat"))
    user_id = str(sender.get("id") or "")
    if not user_id or sender.get("is_bot"):
        return None
    name = str(sender.get("display_name") or sender.get("name") or "") or user_id
    return Incoming(
        event_name=str(update.get("event_name") or ""),
        user_id=user_id,
        chat_id=str(chat.get("id") or user_id),
        name=name,
        text=str(message.get("text") or ""),
        is_group=str(chat.get("chat_type") or "PRIVATE").upper() == "GROUP",
        message_id=str(message.get("message_id") or ""),
    )


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def hint() -> Reply:
    return Reply.text(
        _(
            "Sorry, I did not understand. You can ask, for example: “lịch hôm nay”, "
            "“ngày mai”, “this week”, “next visit” or “topic 2”."
        ),
        _("Or write “help” to see everything I can do."),
    )


def unsupported() -> Reply:
    return Reply.text(
        _(
            "I can only read text messages. Please write your question, for example "
            "“lịch hôm nay” or “help”."
        )
    )


def withheld() -> Reply:
    """The answer to content Zalo did not pass on (the "unsupported" event)."""
    return Reply.text(
        _(
            "Thank you for your message. I could not see its content here. If you have a "
            "question, please write it to me in a few words, for example “lịch hôm nay” "
            "or “help”."
        )
    )


def no_longer_available() -> Reply:
    return Reply.text(_("This choice is no longer available."))


class Conversation:
    """Answers Zalo updates; ``handle`` is the webhook's and the polling loop's handler."""

    def __init__(
        self,
        db: Database,
        client: ZaloClient,
        clock: Clock,
        resync: Resync | None = None,
        *,
        settings: Settings | None = None,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.db = db
        self.client = client
        self.clock = clock
        self.resync = resync
        self.settings = settings or Settings()
        self.sleep = sleep
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}
        """Per chat: its lock and how many updates hold or wait for it."""
        self._handled = 0

    async def _first_time(self, incoming: Incoming, now: dt.datetime) -> bool:
        """False for a message already handled (re-posted by Zalo, or seen before a restart)."""
        if not incoming.message_id:
            return True
        self._handled += 1
        if self._handled % SEEN_PRUNE_EVERY == 0:
            await zalo_store.forget_seen_before(self.db, now - SEEN_KEEP)
        return await zalo_store.first_time_seen(self.db, incoming.message_id, now)

    async def handle(self, update: dict[str, Any]) -> None:
        incoming = parse_update(update)
        if incoming is None or incoming.is_group:
            return
        chat = incoming.chat_id
        lock, users = self._locks.get(chat, (asyncio.Lock(), 0))
        self._locks[chat] = (lock, users + 1)
        try:
            async with lock:  # one message of a chat at a time, in arrival order
                await self._handle(incoming)
        finally:
            lock, users = self._locks[chat]
            if users <= 1:
                del self._locks[chat]
            else:
                self._locks[chat] = (lock, users - 1)

    async def _handle(self, incoming: Incoming) -> None:
        now = self.clock.now()
        if not await self._first_time(incoming, now):
            log.info("event=zalo_update_repeated kind=%s", incoming.event_name)
            return
        person, _identity, created = await people.upsert_identity(
            self.db,
            channel=Channel.ZALO,
            external_id=incoming.user_id,
            chat_id=incoming.chat_id,
            display_name=incoming.name,
            language_code=None,
            now=now,
        )
        await zalo_store.clear_failures(self.db, incoming.chat_id)  # they can hear us
        lang = await self._lang(person)
        with use_lang(lang):
            try:
                replies = await self._respond(person, incoming, lang, now, created)
            except Exception:
                log.exception("event=zalo_handler_error kind=%s", incoming.event_name)
                replies = [
                    Reply.text(
                        _("Sorry, something went wrong on my side. Please try again in a moment.")
                    )
                ]
        fresh = await people.get_person(self.db, person.id)
        if fresh is None:  # merged into another person by /link
            identity = await people.find_identity(self.db, Channel.ZALO, incoming.user_id)
            fresh = await people.get_person(self.db, identity.person_id) if identity else None
        lang = await self._lang(fresh) if fresh is not None else lang
        for reply in replies:
            sent = await answer(
                self.client, self.db, incoming.chat_id, reply, lang, now, sleep=self.sleep
            )
            if not sent:
                return

    async def _lang(self, person: Person) -> str:
        return await person_lang(self.db, person)

    async def _respond(
        self, person: Person, incoming: Incoming, lang: str, now: dt.datetime, created: bool
    ) -> list[Reply]:
        if incoming.event_name == UNSUPPORTED_EVENT:
            return [withheld()]
        if incoming.event_name != TEXT_EVENT or not incoming.text.strip():
            return [unsupported()]
        turn = Turn(
            db=self.db,
            person=person,
            chat_id=incoming.chat_id,
            lang=lang,
            now=now,
            settings=self.settings,
            resync=self.resync,
        )
        text = " ".join(incoming.text.split())
        number = _NUMBER.match(text)
        expired = await broadcast.expire_stale(turn)
        if expired and (number is not None or text.lower() == "/cancel"):
            return expired  # the answer was meant for the dropped draft
        if not text.startswith("/"):
            # The announcement keeps its line breaks.
            typed = await broadcast.typed(turn, incoming.text)
            if typed is not None:
                return typed
        return expired + await self._understand(turn, incoming, text, created)

    async def _understand(
        self, turn: Turn, incoming: Incoming, text: str, created: bool
    ) -> list[Reply]:
        """A text message that is not part of a live /broadcast draft."""
        person, lang, now = turn.person, turn.lang, turn.now
        number = _NUMBER.match(text)
        if number is not None:
            return await self._choice(turn, int(number[1]))
        code = invite_code(text)
        if code is not None:
            replies = await joining.join(self.db, person, code, now)
            await pocket_hook.joined(self.db, code, person)  # a roster row's own code
            return replies
        link = _LINK_COMMAND.match(text)
        if link is not None:
            return await self._link(person, incoming, link[1].strip(), now)
        setting = _SETTINGS_COMMAND.match(text)
        if setting is not None:
            return await self._settings(person, setting[1].lower(), setting[2], lang)
        command = _COMMAND.match(incoming.text.strip())
        if command is not None and command[1].lower() in ("start", "join") and not command[2]:
            return await self._start(person, lang)
        if command is not None and command[1].lower() in managers.COMMANDS:
            return await managers.command(turn, command[1].lower(), command[2].strip())
        hooked = await attendance.respond(self.db, person, text, lang, now, self.resync)
        if hooked is not None:  # attendance and evaluation (issue 17)
            return hooked
        if created:  # a stranger's first words: how to join, and which language
            return [joining.first_contact()]
        return await self._ask(person, text, lang, now)

    async def _ask(self, person: Person, text: str, lang: str, now: dt.datetime) -> list[Reply]:
        found = await preferences.active_class(self.db, person)
        pocket = await pocket_hook.answer(self.db, person, found, text, lang, now)
        if pocket is not None:
            return pocket
        intent = await assistant.understand(self.db, found[0] if found else None, text, now)
        if intent is None and text.startswith("/"):
            command = text.split()[0]
            return [
                Reply.text(
                    _(
                        "The command {command} is only available on Telegram. "
                        "Write “help” to see what I can do here."
                    ).format(command=command)
                )
            ]
        if intent is None:
            return [hint()]
        if intent.kind is IntentKind.LANG:
            return [preferences.language_picker(person.lang)]
        if found is None:
            if intent.kind is IntentKind.HELP:
                return [assistant.help_reply(Role.TRAINEE, lang, Channel.ZALO), not_joined()]
            return [not_joined()]
        cls, role = found
        if intent.kind is IntentKind.HELP:
            return [assistant.help_reply(role, lang, Channel.ZALO)]
        if intent.kind is IntentKind.MYCLASS:
            return [assistant.myclass_reply(cls, role, lang)]
        if intent.kind is IntentKind.CLASS:
            return await self._classes(person, cls, lang)
        return await assistant.answer(self.db, cls, intent, lang=lang, now=now, role=role)

    async def _start(self, person: Person, lang: str) -> list[Reply]:
        """``/start`` without a code (e.g. a Telegram habit): how to join, or the help."""
        found = await preferences.active_class(self.db, person)
        if found is None:
            return [joining.first_contact() if person.lang is None else not_joined()]
        return [assistant.help_reply(found[1], lang, Channel.ZALO)]

    async def _classes(self, person: Person, cls: TrainingClass, lang: str) -> list[Reply]:
        mine = await preferences.member_classes(self.db, person)
        if len(mine) <= 1:
            text = _("You are a member of one class: {name}").format(name=cls.title(lang))
            return [Reply.text(text)]
        return [preferences.class_picker(mine, cls.id, lang)]

    async def _choice(self, turn: Turn, number: int) -> list[Reply]:
        action = await choices.pick(self.db, Channel.ZALO, turn.chat_id, number)
        if action is None:
            return [
                Reply.text(
                    _("There is no choice numbered {number} at the moment.").format(number=number)
                ),
                hint(),
            ]
        if action.startswith(broadcast.PREFIX):
            return await broadcast.pick(turn, action.removeprefix(broadcast.PREFIX))
        if action.startswith("inv:"):
            return await managers.invite_pick(turn, action.removeprefix("inv:"))
        person, lang = turn.person, turn.lang
        ctx = ActionContext(
            db=self.db, person=person, lang=lang, now=turn.now, channel=Channel.ZALO
        )
        result = await actions.dispatch(ctx, action)
        replies = list(result.replies)
        if action.startswith("lang:") and replies:
            fresh = await people.get_person(self.db, person.id)
            if fresh is not None and await preferences.active_class(self.db, fresh) is None:
                with use_lang(fresh.lang or lang):
                    replies = [replies[0], not_joined()]
        if not replies and result.toast:
            expired = actions.expired().toast
            replies = [
                no_longer_available() if result.toast == expired else Reply.text(result.toast)
            ]
        return replies

    async def _settings(self, person: Person, command: str, arg: str, lang: str) -> list[Reply]:
        """``/remind …`` and ``/quiet …``: the member's own reminder settings."""
        if await preferences.active_class(self.db, person) is None:
            return [not_joined()]
        if command == "remind":
            outcome = await reminder_settings.remind_command(self.db, person, arg, lang)
        else:
            outcome = await reminder_settings.quiet_command(self.db, person, arg, lang)
        if outcome.resync and self.resync is not None:
            await self.resync(outcome.resync)
        return [outcome.reply]

    async def _link(
        self, person: Person, incoming: Incoming, argument: str, now: dt.datetime
    ) -> list[Reply]:
        reply = await linking.link_command(
            self.db,
            person=person,
            channel=Channel.ZALO,
            external_id=incoming.user_id,
            argument=argument,
            now=now,
        )
        return [reply]
