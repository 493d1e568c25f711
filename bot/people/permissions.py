"""Who may do what, per class: global admins, then the person's role in that class.

Every privileged service call starts with :func:`require`, which raises
:class:`Forbidden` (rendered by channels as a polite refusal) when the person
lacks the role. Global admins (``ADMIN_IDS`` or promoted) pass every check.
"""

from __future__ import annotations

from bot.domain import Person, Role
from bot.i18n import N_
from bot.store import people
from bot.store.database import Database

MANAGERS: tuple[Role, ...] = (Role.ADMIN, Role.MANAGER)
"""Roles that run a class: broadcast, roll call, members, invites."""

EVERYONE: tuple[Role, ...] = (Role.ADMIN, Role.MANAGER, Role.TRAINEE)


class Forbidden(Exception):
    """The person may not do this in this class."""

    def __init__(self, person_id: int, class_id: int | None, needed: tuple[Role, ...]) -> None:
        super().__init__(f"person {person_id} lacks {needed} in class {class_id}")
        self.person_id = person_id
        self.class_id = class_id
        self.needed = needed


async def role_in(db: Database, person: Person, class_id: int) -> Role | None:
    """The person's effective role in the class (a global admin is admin everywhere)."""
    if person.is_admin:
        return Role.ADMIN
    membership = await people.get_membership(db, class_id, person.id)
    return membership.role if membership else None


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
