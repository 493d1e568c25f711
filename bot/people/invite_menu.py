"""/invite as replies: pick a role, get a link (use limit, expiry), list and revoke links.

The invitation logic (codes, hashing, permission checks, audit entries) is
:mod:`bot.people.invites`; this module only asks and shows. Button actions:
``inv:new:<class>:<role>``, ``inv:list:<class>``, ``inv:rv:<invite>``.
"""

from __future__ import annotations

import datetime as dt

from bot.domain import Person, Role, TrainingClass
from bot.i18n import _, format_instant, use_lang
from bot.people import invites, permissions
from bot.people.permissions import ROLE_NAMES
from bot.replies import Block, Button, Reply
from bot.store.database import Database

PREFIX = "inv:"
MAX_USES = 500
MAX_DAYS = 90


def parse_args(args: list[str]) -> tuple[Role, int, float] | None:
    """'/invite trainee 30 7' → (role, uses, days); None when the words are not that."""
    names = {"trainee": Role.TRAINEE, "manager": Role.MANAGER, "admin": Role.ADMIN}
    if not args or args[0].lower() not in names:
        return None
    try:
        uses = int(args[1]) if len(args) > 1 else invites.DEFAULT_USES
        days = float(args[2]) if len(args) > 2 else invites.DEFAULT_DAYS
    except ValueError:
        return None
    if not (1 <= uses <= MAX_USES and 0 < days <= MAX_DAYS):
        return None
    return names[args[0].lower()], uses, days


async def menu(db: Database, person: Person, cls: TrainingClass, lang: str) -> Reply:
    """Which role the new link gives, and the list of existing links."""
    await permissions.require(db, person, cls.id, permissions.MANAGERS)
    access = await permissions.resolve(db, person, cls.id)
    roles = access.grantable
    with use_lang(lang):
        row = tuple(Button(_(ROLE_NAMES[r]), f"{PREFIX}new:{cls.id}:{r.value}") for r in roles)
        text = _(
            "Whom is the new invitation link for? It works {uses} times for {days} days; "
            "for other limits write, e.g., /invite trainee 30 7 (role, uses, days)."
        ).format(uses=invites.DEFAULT_USES, days=invites.DEFAULT_DAYS)
        listing = (Button(_("Existing links"), f"{PREFIX}list:{cls.id}"),)
        return Reply(blocks=Reply.text(text, title=cls.title(lang)).blocks, buttons=(row, listing))


async def create(
    db: Database,
    person: Person,
    cls: TrainingClass,
    role: Role,
    *,
    now: dt.datetime,
    lang: str,
    bot_username: str,
    uses: int = invites.DEFAULT_USES,
    days: float = invites.DEFAULT_DAYS,
) -> Reply:
    """A new link (shown once); :func:`bot.people.invites.create` checks the role and audits."""
    made = await invites.create(db, cls.id, role, now=now, by=person, uses=uses, days=days)
    with use_lang(lang):
        lines = (
            _("Role: {role}").format(role=_(ROLE_NAMES[role])),
            _("Works {uses} times, until {until}.").format(
                uses=uses, until=format_instant(made.invite.expires_at, cls.timezone, lang)
            ),
            made.link(bot_username),
            _("Share this link only with the people it is meant for. /invite lists and revokes."),
        )
        return Reply.text(*lines, title=_("Invitation to {name}").format(name=cls.title(lang)))


def _status(invite: invites.Invite, now: dt.datetime) -> str:
    problem = invite.problem(now)
    if problem is invites.InviteProblem.REVOKED:
        return _("revoked")
    if problem is invites.InviteProblem.EXPIRED:
        return _("expired")
    if problem is invites.InviteProblem.USED_UP:
        return _("used up")
    return _("active")


async def listing(
    db: Database, person: Person, cls: TrainingClass, *, now: dt.datetime, lang: str
) -> Reply:
    """The class's links with their use and state; a Revoke button for each active one the
    reader could have made (a manager revokes trainee links, not the admins' manager links)."""
    await permissions.require(db, person, cls.id, permissions.MANAGERS)
    grantable = (await permissions.resolve(db, person, cls.id)).grantable
    found = await invites.list_for_class(db, cls.id)
    with use_lang(lang):
        lines = [
            _("#{id} {role}: used {uses} of {max}, until {until} — {status}").format(
                id=i.id,
                role=_(ROLE_NAMES[i.role]),
                uses=i.uses,
                max=i.max_uses,
                until=format_instant(i.expires_at, cls.timezone, lang),
                status=_status(i, now),
            )
            for i in found
        ]
        buttons = tuple(
            (Button(_("Revoke #{id}").format(id=i.id), f"{PREFIX}rv:{i.id}"),)
            for i in found
            if i.problem(now) is None and i.role in grantable  # revoked by whoever could make it
        )
        title = _("Invitation links: {name}").format(name=cls.title(lang))
        return Reply(
            blocks=(Block(tuple(lines or [_("No invitation links yet.")]), title),),
            buttons=buttons[:10],
        )


async def revoke(
    db: Database, person: Person, invite_id: int, *, now: dt.datetime, lang: str
) -> Reply:
    """Stop a link from working (:func:`bot.people.invites.revoke` checks the role and audits)."""
    done = await invites.revoke(db, invite_id, now=now, by=person)
    with use_lang(lang):
        if not done:
            return Reply.text(_("That link was already revoked or does not exist."))
        return Reply.text(
            _("Link #{id} is revoked; nobody can join with it any more.").format(id=invite_id)
        )
