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
