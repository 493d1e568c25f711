"""Reminder commands: /remind and /quiet (everyone), /rollcall and /settings (class managers).

Thin: parse the arguments, call :mod:`bot.reminders.settings` or
:mod:`bot.reminders.rollcall`, send the reply, and re-derive the reminder jobs of the
classes a change touched (:func:`bot.telegram.jobs.resync`).
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.people.permissions import Forbidden
from bot.reminders import rollcall
from bot.reminders import settings as reminder_settings
from bot.telegram import jobs
from bot.telegram.context import BotApp, BotContext
from bot.telegram.handlers.common import not_joined, refused, send, target_class


def _arg(context: BotContext) -> str:
    return " ".join(context.args or [])


async def remind(update: Update, context: BotContext) -> None:
    """/remind [on|off|HH:MM|default]: the member's morning digest."""
    person = context.person
    if person is None:
        return
    outcome = await reminder_settings.remind_command(
        context.store, person, _arg(context), context.lang
    )
    await send(update, context, outcome.reply)
    if outcome.resync:
        await jobs.resync(context, outcome.resync)


async def quiet(update: Update, context: BotContext) -> None:
    """/quiet [22:00-06:00|off]: the member's quiet hours."""
    person = context.person
    if person is None:
        return
    outcome = await reminder_settings.quiet_command(
        context.store, person, _arg(context), context.lang
    )
    await send(update, context, outcome.reply)


async def rollcall_command(update: Update, context: BotContext) -> None:
    """/rollcall: the live list of the current or next departure (managers)."""
    person = context.person
    cls = await target_class(context)
    if person is None or cls is None:
        await send(update, context, not_joined(context))
        return
    try:
        reply = await rollcall.rollcall_view(
            context.store, person, cls, context.now(), context.lang
        )
    except Forbidden:
        await send(update, context, refused())
        return
    await send(update, context, reply)


async def settings(update: Update, context: BotContext) -> None:
    """/settings [digest HH:MM|evening HH:MM|departure N|rollcall N]: the class's reminders."""
    person = context.person
    cls = await target_class(context)
    if person is None or cls is None:
        await send(update, context, not_joined(context))
        return
    try:
        outcome = await reminder_settings.class_settings_command(
            context.store, person, cls, _arg(context), context.now(), context.lang
        )
    except Forbidden:
        await send(update, context, refused())
        return
    await send(update, context, outcome.reply)
    if outcome.resync:
        await jobs.resync(context, outcome.resync)


def register(app: BotApp) -> None:
    app.add_handler(CommandHandler("remind", remind))
    app.add_handler(CommandHandler("quiet", quiet))
    app.add_handler(CommandHandler("rollcall", rollcall_command))
    app.add_handler(CommandHandler("settings", settings))
