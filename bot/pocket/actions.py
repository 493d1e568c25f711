"""The pocket's buttons, for every channel (:mod:`bot.actions`).

``pkr:ok:<id>`` / ``pkr:no:<id>`` confirm or cancel a previewed trainees list;
``pkm:<class>[:<person>[:<row>]]`` match a member to a row in two taps;
``pkx:<class>`` export the list; ``pka:<material>:<session>`` attach a waiting
document to a session; ``pkw:<class>:<monday>`` the week as a picture.
"""

from __future__ import annotations

import datetime as dt

from bot import actions
from bot.actions import ActionContext, ActionResult
from bot.i18n import _
from bot.people import permissions
from bot.people.permissions import MANAGERS, Forbidden
from bot.pocket import materials, roster, week
from bot.replies import Reply
from bot.store import classes


def _refused() -> ActionResult:
    """A refusal for the tapper alone: the message the button was on stays as it is."""
    return ActionResult(toast=_("Sorry, only the class managers can do that."), alert=True)


def _done(reply: Reply | None, *, replace: bool) -> ActionResult:
    """A service's answer; None (the button's object is gone or was forged): no longer active."""
    return actions.expired() if reply is None else ActionResult(replies=[reply], replace=replace)


async def _roster_upload(ctx: ActionContext, rest: str) -> ActionResult:
    verb, _sep, number = rest.partition(":")
    if not number.isdigit():
        return actions.expired()
    try:
        if verb == "ok":
            reply = await roster.confirm(
                ctx.db, ctx.person, int(number), now=ctx.now, lang=ctx.lang
            )
        else:
            reply = await roster.cancel(ctx.db, ctx.person, int(number), ctx.lang)
    except Forbidden:
        return _refused()
    except roster.NotYours as exc:  # another manager's preview: theirs stays
        return ActionResult(toast=exc.text, alert=True)
    return _done(reply, replace=True)


async def _match(ctx: ActionContext, rest: str) -> ActionResult:
    parts = rest.split(":")
    if not all(p.isdigit() for p in parts) or not 1 <= len(parts) <= 3:
        return actions.expired()
    cls = await classes.get_class(ctx.db, int(parts[0]))
    if cls is None:
        return actions.expired()
    reply: Reply | None
    try:
        if len(parts) == 1:
            reply = await roster.member_picker(ctx.db, ctx.person, cls, ctx.lang)
        elif len(parts) == 2:
            reply = await roster.row_picker(ctx.db, ctx.person, cls, int(parts[1]), ctx.lang)
        else:
            reply = await roster.match(
                ctx.db, ctx.person, cls, int(parts[1]), int(parts[2]), now=ctx.now, lang=ctx.lang
            )
    except Forbidden:
        return _refused()
    return _done(reply, replace=len(parts) > 1)


async def _export(ctx: ActionContext, rest: str) -> ActionResult:
    cls = await classes.get_class(ctx.db, int(rest)) if rest.isdigit() else None
    if cls is None:
        return actions.expired()
    try:
        if not ctx.private:  # rooms and phones: never into a group, whoever taps
            await permissions.require(ctx.db, ctx.person, cls.id, MANAGERS)
            return ActionResult(toast=_("Please use this command in a private chat with me."))
        return ActionResult(replies=[await roster.export(ctx.db, ctx.person, cls, ctx.lang)])
    except Forbidden:
        return _refused()


async def _attach(ctx: ActionContext, rest: str) -> ActionResult:
    material, _sep, session = rest.partition(":")
    if not (material.isdigit() and session.isdigit()):
        return actions.expired()
    try:
        reply = await materials.attach(
            ctx.db, ctx.person, int(material), int(session), lang=ctx.lang
        )
    except Forbidden:
        return _refused()
    return _done(reply, replace=True)


async def _picture(ctx: ActionContext, rest: str) -> ActionResult:
    class_text, _sep, day_text = rest.partition(":")
    try:
        cls = await classes.get_class(ctx.db, int(class_text))
        monday = dt.date.fromisoformat(day_text)
    except ValueError:
        return actions.expired()
    if cls is None:
        return actions.expired()
    in_group = ctx.group_class_id == cls.id
    if not in_group and await permissions.role_in(ctx.db, ctx.person, cls.id) is None:
        return actions.expired()
    return ActionResult(replies=await week.picture_reply(ctx.db, cls, monday, ctx.lang))


actions.register("pkr:", _roster_upload)
actions.register("pkm:", _match)
actions.register("pkx:", _export)
actions.register("pka:", _attach)
actions.register("pkw:", _picture)
