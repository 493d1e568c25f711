"""Role checks per class: admins everywhere, managers in their class, trainees nowhere."""

from __future__ import annotations

import dataclasses

import pytest

from bot.clock import FakeClock
from bot.domain import Role
from bot.people.permissions import MANAGERS, Forbidden, require, require_admin, role_in
from bot.store.database import Database
from bot.store.versions import save_version
from tests.helpers.sample import guangzhou_schedule, seed


async def test_roles_per_class(db: Database, clock: FakeClock) -> None:
    s = await seed(db, clock.now())
    other, _ = await save_version(
        db, guangzhou_schedule(), created_by="t", source_hash="g", now=clock.now()
    )
    assert await require(db, s.manager, s.cls.id, MANAGERS) is Role.MANAGER
    assert await require(db, s.admin, other.id, MANAGERS) is Role.ADMIN
    with pytest.raises(Forbidden):
        await require(db, s.manager, other.id, MANAGERS)
    with pytest.raises(Forbidden):
        await require(db, s.trainee, s.cls.id, MANAGERS)
    assert await role_in(db, s.trainee, other.id) is None
    require_admin(s.admin)
    with pytest.raises(Forbidden):
        require_admin(dataclasses.replace(s.manager))


# Reads of the global-admin flag and membership look-ups that are not an authorisation of
# the person acting, each with its reason. Anything else belongs in bot.people.permissions.
NOT_AUTHORISATION = {
    ("bot/people/members.py", "_member_line", "is_admin"): "shows a member's standing",
    ("bot/people/members.py", "promote", "is_admin"): "the target's standing",
    ("bot/people/members.py", "demote", "is_admin"): "the target's standing",
    ("bot/people/members.py", "promote", "get_membership"): "the target's role",
    ("bot/people/members.py", "remove", "get_membership"): "the target's role",
    ("bot/people/members.py", "demote", "get_membership"): "the target's role",
    ("bot/people/invites.py", "redeem", "get_membership"): "already enrolled: nothing to use up",
    ("bot/reminders/rollcall.py", "mark_present", "get_membership"): "the trainee marked",
    ("bot/attendance/register.py", "_mark_present", "get_membership"): "the trainee marked",
    ("bot/pocket/roster.py", "row_picker", "get_membership"): "the member to be matched",
    ("bot/pocket/roster.py", "match", "get_membership"): "the member matched",
    ("bot/telegram/terminal.py", "prepare", "get_membership"): "enrols the demo user",
}


def _role_reads() -> set[tuple[str, str, str]]:
    """(module, function, what) for every ``.is_admin`` read and ``get_membership`` call in
    features and channels (the store and the permissions module excluded)."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    found: set[tuple[str, str, str]] = set()
    for path in sorted((root / "bot").rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        if rel.startswith("bot/store/") or rel == "bot/people/permissions.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for func in ast.walk(tree):
            if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(func):
                if isinstance(node, ast.Attribute) and node.attr in ("is_admin", "get_membership"):
                    found.add((rel, func.name, node.attr))
    return found


def test_roles_are_resolved_in_bot_people_permissions_only() -> None:
    """Who someone is in a class (global admin or a membership's role) is decided in one
    place; a feature or channel asks :mod:`bot.people.permissions` (resolve, require,
    effective_role, managed_class_ids, may_send_schedule_files), never reads the flag or the
    membership itself to authorise someone."""
    stray = {read for read in _role_reads() if read not in NOT_AUTHORISATION}
    assert stray == set(), sorted(stray)
