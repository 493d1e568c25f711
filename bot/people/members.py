"""Running a class's people and records: members, promote, remove, audit.

Every function checks the person's role for the class first
(:func:`bot.people.permissions.require`, raising :class:`~bot.people.permissions.Forbidden`)
and every change writes an audit entry. Promotion goes one step at a time:
trainee → manager → admin of the class (by the class's admins) → global
admin (by a global admin only). Managers may remove trainees; removing a
manager or an admin takes an admin of the class.
"""

from __future__ import annotations

import datetime as dt
import json

from bot.domain import Member, Person, Role, TrainingClass
from bot.i18n import LANG_NAMES, N_, _, format_instant, ngettext, use_lang
from bot.people import permissions
from bot.people.permissions import ORGANISERS, ROLE_NAMES
from bot.replies import Block, Reply
from bot.store import audit, people
from bot.store.database import Database

_ORDER = {Role.ADMIN: 0, Role.MANAGER: 1, Role.TRAINEE: 2}
_NEXT = {Role.TRAINEE: Role.MANAGER, Role.MANAGER: Role.ADMIN}

AUDIT_LABELS: dict[str, str] = {
    "schedule.upload": N_("schedule uploaded"),
    "schedule.rollback": N_("schedule rolled back"),
    "class.create": N_("class created"),
    "member.promote": N_("member promoted"),
    "member.remove": N_("member removed"),
    "member.demote": N_("member demoted"),
    "group.link": N_("group linked"),
    "group.relink": N_("group moved to another class"),
    "invite.create": N_("invitation created"),
    "invite.revoke": N_("invitation revoked"),
    "invite.redeem": N_("joined with an invitation"),
    # Issue 17: attendance, ratings (anonymous), evaluation, results, the closing pack.
    "attendance.signin": N_("signed in for a session"),
    "attendance.mark": N_("attendance marked"),
    "attendance.settings": N_("sign-in settings changed"),
    "rating.set": N_("a lecture rated (anonymous)"),
    "evaluation.questions": N_("evaluation questions replaced"),
    "results.upload": N_("results uploaded"),
    "closing.pack": N_("closing pack made"),
}


def _member_line(member: Member) -> str:
    person = member.person
    role = _("global admin") if person.is_admin else _(ROLE_NAMES[member.role])
    language = LANG_NAMES.get(person.lang or "", _("language not chosen"))
    reach = _("reachable") if member.reachable else _("not reachable")
    return _("#{id} {name} — {role}, {language}, {reach}").format(
        id=person.id, name=person.display_name, role=role, language=language, reach=reach
    )


async def members_view(db: Database, person: Person, cls: TrainingClass, lang: str) -> Reply:
    """The class's members with role, language and whether the bot can reach them."""
    role = await permissions.require(db, person, cls.id, permissions.MANAGERS)
    found = sorted(
        await people.class_members(db, cls.id),
        key=lambda m: (_ORDER[m.role], m.person.display_name.casefold()),
    )
    with use_lang(lang):
        head = ngettext("{name}: {n} member", "{name}: {n} members", len(found)).format(
            name=cls.title(lang), n=len(found)
        )
        if role in ORGANISERS:
            hint = _(
                "To raise or lower someone's role: /promote NUMBER or /demote NUMBER. "
                "To remove someone: /remove NUMBER."
            )
        else:  # managers change no roles and remove trainees only
            hint = _("To remove a trainee from the class: /remove NUMBER.")
        return Reply(blocks=(Block(tuple(_member_line(m) for m in found), head), Block((hint,))))


def _no_member(lang: str, target_id: int) -> Reply:
    with use_lang(lang):
        return Reply.text(
            _("There is no member #{id} in this class. /members lists them.").format(id=target_id)
        )


async def promote(
    db: Database, person: Person, cls: TrainingClass, target_id: int, *, now: dt.datetime, lang: str
) -> Reply:
    """Raise a member's role one step; only a global admin makes a global admin."""
    await permissions.require(db, person, cls.id, ORGANISERS)
    membership = await people.get_membership(db, cls.id, target_id)
    target = await people.get_person(db, target_id)
    if membership is None or target is None:
        return _no_member(lang, target_id)
    with use_lang(lang):
        if target.is_admin:
            text = _("{name} is a global admin already.")
            return Reply.text(text.format(name=target.display_name))
        new_role = _NEXT.get(membership.role)
        if new_role is None:
            permissions.require_admin(person)
        async with db.transaction():
            if new_role is None:
                await people.set_admin(db, target_id, True)
            else:
                await people.add_member(db, cls.id, target_id, new_role, now)
            await audit.record(
                db,
                action="member.promote",
                actor=person.display_name,
                actor_person_id=person.id,
                class_id=cls.id,
                now=now,
                details={
                    "person": target_id,
                    "name": target.display_name,
                    "from": membership.role.value,
                    "to": new_role.value if new_role else "global admin",
                },
            )
        role = _(ROLE_NAMES[new_role]) if new_role else _("global admin")
        text = _("{name} is now: {role}.")
        return Reply.text(text.format(name=target.display_name, role=role))


async def remove(
    db: Database, person: Person, cls: TrainingClass, target_id: int, *, now: dt.datetime, lang: str
) -> Reply:
    """Take a member out of the class (managers: trainees; admins: anyone but themselves)."""
    await permissions.require(db, person, cls.id, permissions.MANAGERS)
    membership = await people.get_membership(db, cls.id, target_id)
    target = await people.get_person(db, target_id)
    if membership is None or target is None:
        return _no_member(lang, target_id)
    with use_lang(lang):
        if target_id == person.id:
            return Reply.text(_("You cannot remove yourself from the class."))
        if membership.role is not Role.TRAINEE:
            await permissions.require(db, person, cls.id, ORGANISERS)
        async with db.transaction():
            await people.remove_member(db, cls.id, target_id)
            await people.record_removal(db, cls.id, target_id, person.id, now)
            await audit.record(
                db,
                action="member.remove",
                actor=person.display_name,
                actor_person_id=person.id,
                class_id=cls.id,
                now=now,
                details={"person": target_id, "name": target.display_name},
            )
        text = _("{name} is no longer a member of {cls}.")
        return Reply.text(text.format(name=target.display_name, cls=cls.title(lang)))


_PREVIOUS = {Role.ADMIN: Role.MANAGER, Role.MANAGER: Role.TRAINEE}


async def demote(
    db: Database, person: Person, cls: TrainingClass, target_id: int, *, now: dt.datetime, lang: str
) -> Reply:
    """Lower a member's role one step: a promoted global admin loses that (global admins
    only; ``ADMIN_IDS`` is changed in the configuration), else admin → manager → trainee
    (the class's admins)."""
    await permissions.require(db, person, cls.id, ORGANISERS)
    membership = await people.get_membership(db, cls.id, target_id)
    target = await people.get_person(db, target_id)
    if target is None or (membership is None and not target.is_admin):
        return _no_member(lang, target_id)
    with use_lang(lang):
        if target_id == person.id:
            return Reply.text(_("You cannot demote yourself."))
        if target.is_admin:
            await permissions.require_global_admin(db, person)
            if await people.is_configured_admin(db, target_id):
                text = _(
                    "{name} is a global admin through the ADMIN_IDS setting; remove the id "
                    "there and restart the bot."
                )
                return Reply.text(text.format(name=target.display_name))
            old, new = "global admin", membership.role.value if membership else "—"
        else:
            assert membership is not None
            lower = _PREVIOUS.get(membership.role)
            if lower is None:
                text = _("{name} is a trainee already.")
                return Reply.text(text.format(name=target.display_name))
            old, new = membership.role.value, lower.value
        async with db.transaction():
            if target.is_admin:
                await people.set_admin(db, target_id, False)
            else:
                await people.add_member(db, cls.id, target_id, Role(new), now)
            await audit.record(
                db,
                action="member.demote",
                actor=person.display_name,
                actor_person_id=person.id,
                class_id=cls.id,
                now=now,
                details={"person": target_id, "name": target.display_name, "from": old, "to": new},
            )
        role = _(ROLE_NAMES[Role(new)]) if new in {r.value for r in Role} else _("not a member")
        text = _("{name} is now: {role}.")
        return Reply.text(text.format(name=target.display_name, role=role))


def _details(details: dict[str, object]) -> str:
    return json.dumps(details, ensure_ascii=False, sort_keys=True) if details else ""


async def audit_lines(
    db: Database, cls: TrainingClass | None, lang: str, limit: int = 30
) -> list[str]:
    """The newest audit entries (of ``cls`` or all), one line each, in ``lang``."""
    tz = cls.timezone if cls else "UTC"
    found = await audit.entries(db, cls.id if cls else None, limit)
    with use_lang(lang):
        return [
            _("{at} · {actor} · {action} {details}")
            .format(
                at=format_instant(e.at, tz, lang),
                actor=e.actor,
                action=_(AUDIT_LABELS[e.action]) if e.action in AUDIT_LABELS else e.action,
                details=_details(e.details),
            )
            .strip()
            for e in found
        ]


async def audit_view(db: Database, person: Person, cls: TrainingClass | None, lang: str) -> Reply:
    """Who did what and when: a class's log (its admins), or everything (global admins)."""
    if cls is None:
        permissions.require_admin(person)
    else:
        await permissions.require(db, person, cls.id, ORGANISERS)
    lines = await audit_lines(db, cls, lang)
    with use_lang(lang):
        title = _("Audit log: {name}").format(name=cls.title(lang)) if cls else _("Audit log")
        return Reply.text(*(lines or [_("Nothing recorded yet.")]), title=title)
