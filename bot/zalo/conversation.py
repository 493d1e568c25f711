"""One Zalo update in, the answers out: the same services as Telegram, in plain text.

Order of understanding a text message:

1. a number ("2") picks the numbered choice last shown to this person
   (acknowledge an announcement, check in, a language…) through
   :func:`bot.actions.dispatch`;
2. ``/start CODE``, ``/join CODE``, an invitation code on its own or a pasted
   invitation link joins a class (:func:`bot.people.invites.redeem`);
3. ``/link`` gives a code to link this Zalo account with Telegram and
   ``/link CODE`` uses one made on Telegram (:mod:`bot.people.linking`);
4. anything else goes through :func:`bot.agenda.assistant.understand` (the one parser) and
   :func:`bot.agenda.assistant.answer`, exactly like on Telegram.

A first contact is asked for their language (numbered choices). Stickers,
pictures and other non-text messages get a short help answer. Only private
chats are served; group messages are ignored.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from bot import actions
from bot.actions import ActionContext
from bot.agenda import assistant
from bot.agenda.intents import IntentKind
from bot.clock import Clock
from bot.domain import Channel, Person, Role, TrainingClass
from bot.i18n import N_, _, resolve_lang, use_lang
from bot.outbox.sender import DeliveryError
from bot.people import invites, linking, preferences
from bot.people.permissions import ROLE_NAMES
from bot.reminders import settings as reminder_settings
from bot.replies import Reply
from bot.store import choices, people
from bot.store.database import Database
from bot.zalo.client import ZaloClient
from bot.zalo.sender import person_lang, send_reply

log = logging.getLogger(__name__)

TEXT_EVENT = "message.text.received"
SEEN_LIMIT = 2000
"""How many recent message ids are remembered to drop redelivered webhooks."""
_NUMBER = re.compile(r"^\s*(\d{1,2})\s*[.)]?\s*$")
_INVITE_CODE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_INVITE_LINK = re.compile(r"[?&]start=([A-Za-z0-9_-]{16,64})")
_SETTINGS_COMMAND = re.compile(r"^/(remind|quiet)(?:@\w+)?\b\s*(.*)$", re.IGNORECASE)
_LINK_COMMAND = re.compile(r"^/?(?:link|lienket|liên kết)\b\s*(.*)$", re.IGNORECASE)

INVITE_PROBLEMS: dict[invites.InviteProblem, str] = {
    invites.InviteProblem.UNKNOWN: N_(
        "This invitation code is not valid. Please check it with your class manager."
    ),
    invites.InviteProblem.USED_UP: N_(
        "This invitation code has already been used the maximum number of times. "
        "Please ask your class manager for a new code."
    ),
    invites.InviteProblem.EXPIRED: N_(
        "This invitation code has expired. Please ask your class manager for a new code."
    ),
    invites.InviteProblem.REVOKED: N_(
        "This invitation code has been withdrawn. Please ask your class manager for a new code."
    ),
}


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


def not_joined() -> Reply:
    return Reply.text(
        _(
            "You have not joined a class yet. Please send me the invitation code "
            "your class manager gave you."
        )
    )


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


Resync = Callable[[tuple[int, ...]], Awaitable[None]]
"""Re-derives the reminder jobs of these classes (the application's job queue)."""


class Conversation:
    """Answers Zalo updates; ``handle`` is the webhook's and the polling loop's handler."""

    def __init__(
        self, db: Database, client: ZaloClient, clock: Clock, resync: Resync | None = None
    ) -> None:
        self.db = db
        self.client = client
        self.clock = clock
        self.resync = resync
        self._seen: OrderedDict[str, None] = OrderedDict()

    def _repeated(self, incoming: Incoming) -> bool:
        """True for a message already handled (Zalo re-posts a webhook it thinks failed)."""
        if not incoming.message_id:
            return False
        if incoming.message_id in self._seen:
            return True
        self._seen[incoming.message_id] = None
        while len(self._seen) > SEEN_LIMIT:
            self._seen.popitem(last=False)
        return False

    async def handle(self, update: dict[str, Any]) -> None:
        incoming = parse_update(update)
        if incoming is None or incoming.is_group or self._repeated(incoming):
            return
        now = self.clock.now()
        person, _identity, created = await people.upsert_identity(
            self.db,
            channel=Channel.ZALO,
            external_id=incoming.user_id,
            chat_id=incoming.chat_id,
            display_name=incoming.name,
            language_code=None,
            now=now,
        )
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
            try:
                await send_reply(self.client, self.db, incoming.chat_id, reply, lang, now)
            except DeliveryError as exc:
                log.warning("event=zalo_answer_failed error=%s", exc)
                return

    async def _lang(self, person: Person) -> str:
        return await person_lang(self.db, person)

    async def _respond(
        self, person: Person, incoming: Incoming, lang: str, now: dt.datetime, created: bool
    ) -> list[Reply]:
        if incoming.event_name != TEXT_EVENT or not incoming.text.strip():
            return [unsupported()]
        text = " ".join(incoming.text.split())
        number = _NUMBER.match(text)
        if number is not None:
            return await self._choice(person, incoming, int(number[1]), lang, now)
        code = invite_code(text)
        if code is not None:
            return await self._join(person, code, now)
        link = _LINK_COMMAND.match(text)
        if link is not None:
            return await self._link(person, incoming, link[1].strip(), now)
        setting = _SETTINGS_COMMAND.match(text)
        if setting is not None:
            return await self._settings(person, setting[1].lower(), setting[2], lang)
        if created:  # a stranger's first words: how to join, and which language
            return [not_joined(), preferences.language_picker(None)]
        return await self._ask(person, text, lang, now)

    async def _ask(self, person: Person, text: str, lang: str, now: dt.datetime) -> list[Reply]:
        found = await preferences.active_class(self.db, person)
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
                return [assistant.help_reply(Role.TRAINEE, lang), not_joined()]
            return [not_joined()]
        cls, role = found
        if intent.kind is IntentKind.HELP:
            return [assistant.help_reply(role, lang)]
        if intent.kind is IntentKind.MYCLASS:
            return [assistant.myclass_reply(cls, role, lang)]
        if intent.kind is IntentKind.CLASS:
            return await self._classes(person, cls, lang)
        return await assistant.answer(self.db, cls, intent, lang=lang, now=now, role=role)

    async def _classes(self, person: Person, cls: TrainingClass, lang: str) -> list[Reply]:
        mine = await preferences.member_classes(self.db, person)
        if len(mine) <= 1:
            text = _("You are a member of one class: {name}").format(name=cls.title(lang))
            return [Reply.text(text)]
        return [preferences.class_picker(mine, cls.id, lang)]

    async def _choice(
        self, person: Person, incoming: Incoming, number: int, lang: str, now: dt.datetime
    ) -> list[Reply]:
        action = await choices.pick(self.db, Channel.ZALO, incoming.chat_id, number)
        if action is None:
            return [
                Reply.text(
                    _("There is no choice numbered {number} at the moment.").format(number=number)
                ),
                hint(),
            ]
        ctx = ActionContext(db=self.db, person=person, lang=lang, now=now, channel=Channel.ZALO)
        result = await actions.dispatch(ctx, action)
        replies = list(result.replies)
        if action.startswith("lang:") and replies:
            fresh = await people.get_person(self.db, person.id)
            if fresh is not None and await preferences.active_class(self.db, fresh) is None:
                with use_lang(fresh.lang or lang):
                    replies = [replies[0], not_joined()]
        if not replies and result.toast:
            replies = [Reply.text(result.toast)]
        return replies

    async def _join(self, person: Person, code: str, now: dt.datetime) -> list[Reply]:
        try:
            joined = await invites.redeem(self.db, code, person, now=now)
        except invites.InviteRejected as exc:
            return [Reply.text(_(INVITE_PROBLEMS[exc.problem]))]
        lang = resolve_lang(person.lang, None, joined.cls.default_lang)
        with use_lang(lang):
            role = _(ROLE_NAMES[joined.role])
            name = joined.cls.title(lang)
            if joined.already_member:
                text = _("You are already a member of {name}. Your role: {role}.")
            else:
                text = _("Welcome! You have joined {name}. Your role: {role}.")
            replies = [Reply.text(text.format(name=name, role=role))]
            if person.lang is None:
                replies.append(preferences.language_picker(None))
            else:
                replies.append(assistant.help_reply(joined.role, lang))
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


def invite_code(text: str) -> str | None:
    """The invitation code in ``/start CODE``, ``/join CODE``, a bare code or a pasted link."""
    link = _INVITE_LINK.search(text)
    if link is not None:
        return link[1]
    parts = text.split()
    if len(parts) == 2 and parts[0].lower() in ("/start", "/join", "start", "join"):
        return parts[1]
    if len(parts) == 1 and _INVITE_CODE.match(parts[0]) and _random_looking(parts[0]):
        return parts[0]
    return None


def _random_looking(token: str) -> bool:
    """Tell a 22-character random code from a long word someone typed.

    A code has a digit, ``-`` or ``_``, or a capital letter after the first
    character; a code with none of these is vanishingly rare (about 1 in
    10^8), while requiring a digit alone would turn away 1 code in 40.
    """
    return any(c.isdigit() or c in "-_" for c in token) or any(c.isupper() for c in token[1:])
