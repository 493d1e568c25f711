"""Who may do what, per class: global admins, then the person's role in that class.

The one place that answers "who is this, in which class, with which role, now":
:func:`resolve` reads the person and their membership afresh from the store at
the moment a command or a button runs (never from what a button or an earlier
message carried). Every privileged service call starts with :func:`require`,
which raises :class:`Forbidden` (rendered by channels as a polite refusal)
when the person lacks the role. Global admins (``ADMIN_IDS`` at start-up, or
promoted and not since demoted) pass every check.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import overload

from bot.domain import Person, Role
from bot.i18n import N_, _
from bot.replies import Reply
from bot.store import people
from bot.store.database import Database

MANAGERS: tuple[Role, ...] = (Role.ADMIN, Role.MANAGER)
"""Roles that run a class: broadcast, roll call, members, invites."""

EVERYONE: tuple[Role, ...] = (Role.ADMIN, Role.MANAGER, Role.TRAINEE)

CLASS_ADMINS: tuple[Role, ...] = (Role.ADMIN,)
"""Roles that change roles: promote to manager, invite managers, remove managers."""


class Forbidden(Exception):
    """The person may not do this in this class."""

    def __init__(self, person_id: int, class_id: int | None, needed: tuple[Role, ...]) -> None:
        super().__init__(f"person {person_id} lacks {needed} in class {class_id}")
        self.person_id = person_id
        self.class_id = class_id
        self.needed = needed


@dataclass(frozen=True, slots=True)
class Access:
    """Who someone is in one class right now."""

    person: Person
    """The person as stored now (a global admin flag revoked since is seen)."""
    class_id: int
    role: Role | None
    """The effective role (a global admin is admin everywhere); None: not a member."""
    member_role: Role | None
    """The role of the membership itself (None for a global admin who did not join)."""

    @property
    def grantable(self) -> tuple[Role, ...]:
        """The roles this person may give in the class (an invitation link's role): global
        admins any, the class's admins manager and trainee, its managers trainee only."""
        if self.person.is_admin:
            return (Role.TRAINEE, Role.MANAGER, Role.ADMIN)
        if self.role is Role.ADMIN:
            return (Role.TRAINEE, Role.MANAGER)
        if self.role is Role.MANAGER:
            return (Role.TRAINEE,)
        return ()


@overload
def effective_role(person: Person, member_role: Role) -> Role: ...
@overload
def effective_role(person: Person, member_role: Role | None) -> Role | None: ...
def effective_role(person: Person, member_role: Role | None) -> Role | None:
    """The role someone acts with in a class: a global admin is admin of every class;
    anyone else has their membership's role (None: not a member)."""
    return Role.ADMIN if person.is_admin else member_role


async def resolve(db: Database, person: Person, class_id: int) -> Access:
    """The person's standing in the class, read from the store now."""
    fresh = await people.get_person(db, person.id) or person
    membership = await people.get_membership(db, class_id, person.id)
    member_role = membership.role if membership else None
    return Access(fresh, class_id, effective_role(fresh, member_role), member_role)


async def managed_class_ids(db: Database, person: Person) -> list[int]:
    """The classes the person runs now (manager or admin there), e.g. to choose where an
    announcement goes; a global admin's active class comes first even without a membership."""
    fresh = await people.get_person(db, person.id) or person
    ids = [m.class_id for m in await people.memberships_of(db, fresh.id) if m.role in MANAGERS]
    if fresh.is_admin and fresh.active_class_id and fresh.active_class_id not in ids:
        ids.insert(0, fresh.active_class_id)
    return ids


async def may_send_schedule_files(
    db: Database, person: Person, class_id: int | None, *, new_class: bool
) -> bool:
    """Whether to ask for a file after /upload (an admin of ``class_id``) or /newclass (a
    global admin); the upload itself checks again, file by file."""
    fresh = await people.get_person(db, person.id) or person
    if fresh.is_admin:
        return True
    if new_class or class_id is None:
        return False
    return await role_in(db, fresh, class_id) in ORGANISERS


async def role_in(db: Database, person: Person, class_id: int) -> Role | None:
    """The person's effective role in the class (a global admin is admin everywhere)."""
    return (await resolve(db, person, class_id)).role


async def require(db: Database, person: Person, class_id: int, allowed: tuple[Role, ...]) -> Role:
    """The person's role if it is one of ``allowed``; else raise :class:`Forbidden`."""
    role = await role_in(db, person, class_id)
    if role is None or role not in allowed:
        raise Forbidden(person.id, class_id, allowed)
    return role


def require_admin(person: Person) -> None:
    """Organiser-wide actions (new classes, promoting admins) need a global admin."""
    if not person.is_admin:
        raise Forbidden(person.id, None, (Role.ADMIN,))


ROLE_NAMES: dict[Role, str] = {
    Role.TRAINEE: N_("Trainee"),
    Role.MANAGER: N_("Class manager"),
    Role.ADMIN: N_("Organiser (administrator)"),
}
"""What each role is called (translated where shown)."""

ORGANISERS: tuple[Role, ...] = (Role.ADMIN,)
"""Who may change a class's schedule and records: its admins (and global admins)."""


async def require_global_admin(db: Database, person: Person) -> None:
    """Like :func:`require_admin`, with the flag read from the store now."""
    fresh = await people.get_person(db, person.id)
    if fresh is None or not fresh.is_admin:
        raise Forbidden(person.id, None, (Role.ADMIN,))


def refusal(exc: Forbidden) -> Reply:
    """The polite refusal for ``exc``, naming who may do it (in the active language)."""
    if Role.MANAGER in exc.needed:
        return Reply.text(_("Sorry, only the class managers can do that."))
    return Reply.text(_("Sorry, only the organisers of this class can do that."))
