"""Telegram handlers, registered in one place (:func:`register_all`), ordered by group.

Handler groups run in order for every update; within a group the first
matching handler wins. Add a module's ``register(app)`` call to the group
it belongs to, and its menu entries to :data:`MENU`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.handlers import identity

if TYPE_CHECKING:
    from bot.app import BotApp

MENU: list[tuple[str, str]] = []
"""(command, untranslated description) pairs for Telegram's command menu."""


def register_all(app: BotApp) -> None:
    """Register every handler of the application."""
    # Group -1: who is writing. Upsert the person and their Telegram identity, pick the
    # language (stored → Telegram language_code → class default) and make it active.
    identity.register(app)

    # Group 0: commands and button taps. Joining, language, class choice, help, groups.
    # Group 0: what trainees ask (today, tomorrow, week, next, topics, visits).
    # Group 0: managers' and organisers' commands register here (before the fallbacks).

    # Group 0, last: plain words (→ the assistant) and unknown commands.
