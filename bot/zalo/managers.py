"""Class managers' commands on Zalo: /broadcast, /report, /rollcall, /members, /invite, /settings,
and /remove, /promote, /demote (by the member's number from /members).

The same services and permission checks as on Telegram (:mod:`bot.announcements`,
:mod:`bot.reminders`, :mod:`bot.people`): a person linked on both channels is one
person with one role, so a manager uses either. Buttons become numbered choices;
``inv:…`` choices (the invitation menu) are answered here, the others by
:func:`bot.actions.dispatch` (roll call "mark present", reminders settings…).

What Zalo cannot do is said plainly, in the reader's language: schedule files
are uploaded on Telegram or with the command line (the Zalo bot cannot receive
documents), and class groups are in beta on Zalo (no /linkgroup).
"""

from __future__ import annotations

from bot.announcements import status as announcement_status
from bot.domain import Role, TrainingClass
from bot.i18n import _, format_instant
from bot.people import invite_menu, invites, preferences
from bot.people import members as organiser
from bot.people.permissions import ROLE_NAMES, Forbidden, refusal
from bot.reminders import rollcall
from bot.reminders import settings as reminder_settings
from bot.replies import Reply
from bot.store import classes
from bot.zalo import broadcast
from bot.zalo.turn import Turn

COMMANDS = (
    "broadcast",
    "report",
    "rollcall",
    "members",
    "invite",
    "settings",
    "remove",
    "promote",
    "demote",
    "linkgroup",
    "upload",
    "newclass",
    "template",
    "cancel",
)
"""The slash commands this module answers on Zalo."""


def not_joined() -> Reply:
    return Reply.text(
        _(
            "You have not joined a class yet. Please send me the invitation code "
            "your class manager gave you."
        )
    )


def uploads_elsewhere() -> Reply:
    return Reply.text(
        _(
            "Schedule files cannot be sent to the Zalo bot. Please upload them on Telegram "
            "(/upload) or with the command line (classbot schedule import FILE)."
        )
    )


def groups_in_beta() -> Reply:
    return Reply.text(
        _(
            "Class groups are still in beta on Zalo, so a group cannot be linked here. "
            "Everyone receives reminders and announcements in their private chat with me."
        )
    )


async def command(turn: Turn, name: str, argument: str) -> list[Reply]:
    """Answer ``/name argument`` (``name`` is one of :data:`COMMANDS`)."""
    if name in ("upload", "newclass", "template"):
        return [uploads_elsewhere()]
    if name == "linkgroup":
        return [groups_in_beta()]
    if name == "cancel":
        if await broadcast.pending(turn) is not None:
            return await broadcast.cancel(turn)
        return [Reply.text(_("There is nothing to cancel."))]
    if name == "broadcast":
        return await broadcast.start(turn, argument)
    found = await preferences.active_class(turn.db, turn.person)
    if found is None:
        return [not_joined()]
    cls = found[0]
    try:
        return await _class_command(turn, cls, name, argument)
    except Forbidden as exc:
        return [refusal(exc)]


async def _class_command(turn: Turn, cls: TrainingClass, name: str, argument: str) -> list[Reply]:
    db, person, lang, now = turn.db, turn.person, turn.lang, turn.now
    if name == "report":
        return [await announcement_status.report_for(db, person, cls.id, lang)]
    if name == "rollcall":
        return [await rollcall.rollcall_view(db, person, cls, now, lang)]
    if name == "members":
        return [await organiser.members_view(db, person, cls, lang)]
    if name in _MEMBER_COMMANDS:
        number = argument.split()[0].lstrip("#") if argument.split() else ""
        if not number.isdigit():
            return [Reply.text(_("Whom? Write the member's number from /members."))]
        service = _MEMBER_COMMANDS[name]
        return [await service(db, person, cls, int(number), now=now, lang=lang)]
    if name == "settings":
        outcome = await reminder_settings.class_settings_command(
            db, person, cls, argument, now, lang
        )
        if outcome.resync and turn.resync is not None:
            await turn.resync(tuple(outcome.resync))
        return [outcome.reply]
    # invite
    wanted = invite_menu.parse_args(argument.split())
    if wanted is None:
        return [await invite_menu.menu(db, person, cls, lang)]
    role, uses, days = wanted
    return [await new_invite(turn, cls, role, uses=uses, days=days)]


_MEMBER_COMMANDS = {
    "remove": organiser.remove,
    "promote": organiser.promote,
    "demote": organiser.demote,
}
"""``/remove N``, ``/promote N``, ``/demote N``: the same services (and checks) as on Telegram."""


async def new_invite(
    turn: Turn,
    cls: TrainingClass,
    role: Role,
    *,
    uses: int = invites.DEFAULT_USES,
    days: float = invites.DEFAULT_DAYS,
) -> Reply:
    """A new invitation as text: the code to send to the Zalo bot, and the Telegram link when
    this process serves Telegram too (``BOT_TOKEN``)."""
    made = await invites.create(
        turn.db, cls.id, role, now=turn.now, by=turn.person, uses=uses, days=days
    )
    lang = turn.lang
    lines = [
        _("Role: {role}").format(role=_(ROLE_NAMES[role])),
        _("Works {uses} times, until {until}.").format(
            uses=uses, until=format_instant(made.invite.expires_at, cls.timezone, lang)
        ),
        _("Invitation code: {code}").format(code=made.code),
        _("On Zalo: send this code to me in a private chat."),
    ]
    if turn.settings.bot_token:  # a Zalo-only bot has no Telegram side to link to
        lines.append(
            _("On Telegram: open {link}").format(link=made.link(turn.settings.bot_username))
        )
    lines.append(
        _("Share this link only with the people it is meant for. /invite lists and revokes.")
    )
    return Reply.text(*lines, title=_("Invitation to {name}").format(name=cls.title(lang)))


async def invite_pick(turn: Turn, action: str) -> list[Reply]:
    """A numbered choice of the invitation menu (``inv:…`` without the prefix)."""
    db, person, now, lang = turn.db, turn.person, turn.now, turn.lang
    parts = action.split(":")
    try:
        if parts[0] == "rv" and len(parts) == 2 and parts[1].isdigit():
            return [await invite_menu.revoke(db, person, int(parts[1]), now=now, lang=lang)]
        known = len(parts) >= 2 and parts[1].isdigit()
        cls = await classes.get_class(db, int(parts[1])) if known else None
        if cls is not None and parts[0] == "list":
            return [await invite_menu.listing(db, person, cls, now=now, lang=lang)]
        roles = {r.value for r in Role}
        if cls is not None and parts[0] == "new" and len(parts) == 3 and parts[2] in roles:
            return [await new_invite(turn, cls, Role(parts[2]))]
    except Forbidden as exc:
        return [refusal(exc)]
    return [Reply.text(_("This choice is no longer available."))]
