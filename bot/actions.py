"""A channel-neutral router for button actions (Telegram callback data, Zalo numbered replies).

A button's action is a short string with a fixed prefix, e.g.
``day:3:2024-07-16``, ``lang:lo``, ``class:3``, ``ack:12``, whose shape is
checked by the one strict parser, :func:`bot.buttons.parse`, before any
handler runs: data it does not accept is "no longer active". Each service
registers a handler for its prefix with :func:`register`; every channel calls
:func:`dispatch` when a button is tapped. A handler gets the context and the
action's text after the prefix and returns an :class:`ActionResult`:
replies to show, whether they replace the message the button was on
(``replace``, e.g. ◀ ▶ day navigation), and an optional short toast.

Modules that register actions are listed in :data:`ACTION_MODULES` and
imported on first dispatch, so every channel sees the same set. This module
registers the day navigation (``day:``) itself.
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from bot import buttons
from bot.domain import Channel, Person
from bot.i18n import _, use_lang
from bot.replies import Reply
from bot.store.database import Database

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ActionContext:
    """Who tapped, in which language, when, on which channel."""

    db: Database
    person: Person
    lang: str
    now: dt.datetime
    channel: Channel
    group_class_id: int | None = None
    """The class of the group chat the button was tapped in, if any."""
    private: bool = True
    """Tapped in a private chat (a group's taps are read by everyone there)."""


@dataclass(frozen=True, slots=True)
class ActionResult:
    """What a tap produces."""

    replies: list[Reply] = field(default_factory=list)
    replace: bool = False
    toast: str | None = None
    alert: bool = False
    """Show the toast as an alert the tapper must dismiss (a refusal, someone else's button)."""


ActionHandler = Callable[[ActionContext, str], Awaitable[ActionResult]]
"""Called with the context and the action's text after its prefix."""

ACTION_MODULES: list[str] = [
    "bot.agenda.views",
    "bot.agenda.assistant",
    "bot.people.preferences",
    "bot.reminders.rollcall",
    "bot.reminders.settings",
    "bot.announcements.status",
    "bot.agenda.briefs",  # visit:<class>:<session>, a visit's full card (issue 15)
    "bot.pocket.actions",  # issue 18: roster, materials, the week as a picture (pk*:)
    # Issue 17: sign-in and the register ("att:"), ratings ("rate:"), the evaluation form
    # ("ev:"), results and questions sheets ("sheet:").
    "bot.attendance.register",
    "bot.evaluation.ratings",
    "bot.evaluation.form",
    "bot.evaluation.uploads",
    # Add the module that registers your prefix here (announcements: "ack:", roll call: "checkin:").
]

_handlers: dict[str, ActionHandler] = {}
_loaded = False


def register(prefix: str, handler: ActionHandler) -> None:
    """Route actions starting with ``prefix`` (which must end with ':') to ``handler``."""
    if not prefix.endswith(":"):
        raise ValueError(f"action prefix must end with ':': {prefix!r}")
    if prefix[:-1] not in buttons.prefixes():
        raise ValueError(f"action prefix {prefix!r} has no pattern in bot.buttons.PATTERNS")
    existing = _handlers.get(prefix)
    if existing is not None and existing is not handler:
        raise ValueError(f"action prefix {prefix!r} is already registered")
    _handlers[prefix] = handler


def prefixes() -> list[str]:
    """The registered prefixes (after loading :data:`ACTION_MODULES`)."""
    load_modules()
    return sorted(_handlers)


def load_modules() -> None:
    """Import every module that registers actions (once)."""
    global _loaded
    if _loaded:
        return
    for name in ACTION_MODULES:
        importlib.import_module(name)
    _loaded = True


def expired() -> ActionResult:
    """The answer to a button that no longer means anything."""
    return ActionResult(toast=_("This button is no longer active."))


async def dispatch(ctx: ActionContext, action: str) -> ActionResult:
    """Run the handler registered for ``action``'s prefix, in the language ``ctx.lang``."""
    load_modules()
    parsed = buttons.parse(action)
    handler = _handlers.get(parsed.prefix + ":") if parsed else None
    with use_lang(ctx.lang):
        if parsed is None or handler is None:
            log.info("event=unknown_action action=%r", action[:64])
            return expired()
        return await handler(ctx, parsed.rest)
