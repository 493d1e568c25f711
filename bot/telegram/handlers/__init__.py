"""Telegram handlers, registered in one place (:func:`register_all`), ordered by group.

Handler groups run in order for every update; within a group the first
matching handler wins. Add a module's ``register(app)`` call to the group
it belongs to. The command menus come from :func:`bot.agenda.assistant.commands_for`.
"""

from __future__ import annotations

from bot.telegram.context import BotApp
from bot.telegram.handlers import (
    admin,
    attendance,
    broadcast,
    common,
    identity,
    linking,
    pocket,
    reminders,
    trainee,
)


def register_all(app: BotApp) -> None:
    """Register every handler of the application."""
    # Group -1: who is writing. Upsert the person and their Telegram identity, pick the
    # language (stored → Telegram language_code → class default) and make it active.
    identity.register(app)

    # Group 0: organisers' buttons (upl:, inv:, exp:), before the general button router.
    admin.register_buttons(app)
    # Group 0: managers' /broadcast conversation (its bcast: buttons and typed texts come
    # before the general button router and the plain-words fallback), /report, follow-ups.
    broadcast.register(app)
    # Group 0: commands and button taps. Joining, language, class choice, help, groups.
    common.register(app)
    # Linking the same person's Telegram and Zalo accounts (/link, /link CODE).
    linking.register(app)
    # Group 0: what trainees ask (today, tomorrow, week, next, topics, visits).
    trainee.register(app)
    # Group 0: managers' and organisers' commands register here (before the fallbacks).
    # Reminder settings (/remind, /quiet: everyone; /settings, /rollcall: managers).
    reminders.register(app)
    # Organisers: /upload, /newclass, /versions, /rollback, /export, /template, /invite,
    # /members, /promote, /remove, /audit; uploaded documents in group 1; due-check job.
    admin.register(app)
    # Issue 18, the pocket: /me, /contacts, /materials, /roster (its file in group 2), /attach.
    pocket.register(app)
    # Attendance and evaluation (issue 17): /attendance, /signin, /mark, /ratings,
    # /evaluation, /results, /evalform, /closing, the plain words "điểm danh" / "ລົງຊື່",
    # then every other private text (an awaited code, comment or answer, else the
    # assistant); results and questions sheets in group 3 (after the pocket's roster file).
    attendance.register(app)

    # Group 0, last: plain words (→ the assistant) and unknown commands.
    trainee.register_fallbacks(app)
