"""Running a class's people and records: members, promote, remove, versions, audit, export.

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

from bot.agenda.assistant import ROLE_NAMES
from bot.domain import Member, Person, Role, TrainingClass
from bot.i18n import LANG_NAMES, N_, _, format_instant, ngettext, use_lang
from bot.people import permissions
from bot.replies import Block, Button, Document, Reply
from bot.schedule.ics import to_ics
from bot.schedule.instructions import INSTRUCTIONS
from bot.schedule.uploads import ORGANISERS
from bot.schedule.write import template_xlsx, to_csv, to_xlsx
from bot.store import audit, people, versions
from bot.store.database import Database

EXPORT_FORMATS = ("xlsx", "csv", "ics")
EXPORT_PREFIX = "exp:"

_ORDER = {Role.ADMIN: 0, Role.MANAGER: 1, Role.TRAINEE: 2}
_NEXT = {Role.TRAINEE: Role.MANAGER, Role.MANAGER: Role.ADMIN}

AUDIT_LABELS: dict[str, str] = {
    "schedule.upload": N_("schedule uploaded"),
    "schedule.rollback": N_("schedule rolled back"),
    "class.create": N_("class created"),
    "member.promote": N_("member promoted"),
    "member.remove": N_("member removed"),
    "invite.create": N_("invitation created"),
    "invite.revoke": N_("invitation revoked"),
    "invite.redeem": N_("joined with an invitation"),
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
    await permissions.require(db, person, cls.id, permissions.MANAGERS)
    found = sorted(
        await people.class_members(db, cls.id),
        key=lambda m: (_ORDER[m.role], m.person.display_name.casefold()),
    )
    with use_lang(lang):
        head = ngettext("{name}: {n} member", "{name}: {n} members", len(found)).format(
            name=cls.title(lang), n=len(found)
        )
        hint = _("To change someone's role: /promote NUMBER. To remove someone: /remove NUMBER.")
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


async def versions_view(db: Database, person: Person, cls: TrainingClass, lang: str) -> Reply:
    """Every stored version of the schedule, the live one marked."""
    await permissions.require(db, person, cls.id, ORGANISERS)
    found = await versions.list_versions(db, cls.id)
    with use_lang(lang):
        lines = []
        for v in reversed(found):
            text = _("v{number} · {at} · {by} · {source} · {rows} sessions").format(
                number=v.number,
                at=format_instant(v.created_at, cls.timezone, lang),
                by=v.created_by,
                source=v.source_name or v.note or "—",
                rows=v.row_count,
            )
            if v.id == cls.live_version_id:
                text = _("{version} (live)").format(version=text)
            lines.append(text)
        hint = _("To go back to an earlier version: /rollback NUMBER (you will see a preview).")
        title = _("Schedule versions: {name}").format(name=cls.title(lang))
        return Reply(blocks=(Block(tuple(lines), title), Block((hint,))))


async def export_picker(db: Database, person: Person, cls: TrainingClass, lang: str) -> Reply:
    """Ask which format to export in."""
    await permissions.require(db, person, cls.id, permissions.MANAGERS)
    with use_lang(lang):
        buttons = (
            Button(_("Excel (.xlsx)"), f"{EXPORT_PREFIX}{cls.id}:xlsx"),
            Button(_("CSV"), f"{EXPORT_PREFIX}{cls.id}:csv"),
            Button(_("Calendar (.ics)"), f"{EXPORT_PREFIX}{cls.id}:ics"),
        )
        text = _("In which format should I send the live schedule of {name}?")
        return Reply(
            blocks=Reply.text(text.format(name=cls.title(lang))).blocks, buttons=(buttons,)
        )


async def export(db: Database, person: Person, cls: TrainingClass, fmt: str, lang: str) -> Reply:
    """The live schedule as an XLSX, CSV or ICS document."""
    await permissions.require(db, person, cls.id, permissions.MANAGERS)
    with use_lang(lang):
        if cls.live_version_id is None or fmt not in EXPORT_FORMATS:
            return Reply.text(_("There is no schedule to export yet."))
        schedule = await versions.load_version(db, cls.live_version_id)
        content = {"xlsx": to_xlsx, "csv": to_csv, "ics": to_ics}[fmt](schedule)
        caption = _("The live schedule of {name}.").format(name=cls.title(lang))
        return Reply(document=Document(f"{cls.code}.{fmt}", content, caption))


def template_reply(lang: str) -> Reply:
    """The blank workbook, with how to fill it in (the workbook has it in vi, lo and en too)."""
    steps = INSTRUCTIONS.get(lang, INSTRUCTIONS["en"])
    with use_lang(lang):
        caption = _("The blank schedule workbook. Fill it in and send it back with /upload.")
        return Reply(
            blocks=(Block(steps[1:], steps[0]),),
            document=Document("classbot-template.xlsx", template_xlsx(), caption),
        )
