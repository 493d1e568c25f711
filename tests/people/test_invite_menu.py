"""/invite replies: role buttons, a link with limits, the list with Revoke buttons."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.clock import FakeClock
from bot.domain import Role
from bot.people import invite_menu, invites
from bot.people.permissions import Forbidden
from bot.replies import Button
from bot.store import audit
from bot.store.database import Database
from tests.helpers.sample import Seeded, seed


@pytest.fixture
async def world(db: Database, clock: FakeClock) -> Seeded:
    return await seed(db, clock.now())


def test_arguments_are_role_uses_days_within_limits() -> None:
    assert invite_menu.parse_args(["trainee", "30", "7"]) == (Role.TRAINEE, 30, 7.0)
    assert invite_menu.parse_args(["Manager"]) == (
        Role.MANAGER,
        invites.DEFAULT_USES,
        invites.DEFAULT_DAYS,
    )
    assert invite_menu.parse_args(["trainee", "0"]) is None
    assert invite_menu.parse_args(["trainee", "5", "365"]) is None
    assert invite_menu.parse_args(["everyone"]) is None
    assert invite_menu.parse_args([]) is None


async def test_the_menu_offers_only_the_links_one_may_make(db: Database, world: Seeded) -> None:
    # A manager makes trainee links only (a manager link would be a /promote, admins only).
    mine = await invite_menu.menu(db, world.manager, world.cls, "en")
    assert [b.action for b in mine.buttons[0]] == [f"inv:new:{world.cls.id}:trainee"]
    theirs = await invite_menu.menu(db, world.admin, world.cls, "en")
    assert theirs.buttons[0][-1].action == f"inv:new:{world.cls.id}:admin"
    with pytest.raises(Forbidden):
        await invite_menu.menu(db, world.trainee, world.cls, "en")


async def test_create_list_and_revoke(db: Database, clock: FakeClock, world: Seeded) -> None:
    now = clock.now()
    made = await invite_menu.create(
        db,
        world.manager,
        world.cls,
        Role.TRAINEE,
        now=now,
        lang="en",
        bot_username="cb",
        uses=5,
        days=2,
    )
    text = made.plain()
    assert "https://t.me/cb?start=" in text and "Works 5 times, until" in text
    listing = await invite_menu.listing(db, world.manager, world.cls, now=now, lang="en")
    (line,) = listing.blocks[0].lines
    assert line.startswith("#1 Trainee: used 0 of 5") and line.endswith("— active")
    assert listing.buttons == ((Button("Revoke #1", "inv:rv:1"),),)
    with pytest.raises(Forbidden):
        await invite_menu.revoke(db, world.trainee, 1, now=now, lang="en")
    done = await invite_menu.revoke(db, world.manager, 1, now=now, lang="en")
    assert "Link #1 is revoked" in done.plain()
    again = await invite_menu.revoke(db, world.manager, 1, now=now, lang="en")
    assert "already revoked" in again.plain()
    after = await invite_menu.listing(
        db, world.manager, world.cls, now=now + dt.timedelta(minutes=1), lang="en"
    )
    assert after.blocks[0].lines[0].endswith("— revoked") and after.buttons == ()
    actions = [e.action for e in await audit.entries(db, world.cls.id)]
    assert actions[:2] == ["invite.revoke", "invite.create"]


async def test_a_manager_revokes_only_the_links_they_could_make(
    db: Database, clock: FakeClock, world: Seeded
) -> None:
    """A manager makes trainee links only; the admins' manager links are not theirs to
    withdraw (no Revoke choice for them, and a forged revoke is refused and changes nothing)."""
    now = clock.now()
    trainee_link = await invites.create(db, world.cls.id, Role.TRAINEE, now=now, by=world.admin)
    manager_link = await invites.create(db, world.cls.id, Role.MANAGER, now=now, by=world.admin)
    listing = await invite_menu.listing(db, world.manager, world.cls, now=now, lang="en")
    offered = [b.action for row in listing.buttons for b in row]
    assert offered == [f"inv:rv:{trainee_link.invite.id}"]
    with pytest.raises(Forbidden):
        await invite_menu.revoke(db, world.manager, manager_link.invite.id, now=now, lang="en")
    still = await invites.get(db, manager_link.invite.id)
    assert still is not None and still.problem(now) is None
    done = await invite_menu.revoke(db, world.manager, trainee_link.invite.id, now=now, lang="en")
    assert f"#{trainee_link.invite.id}" in done.plain()
    by_admin = await invite_menu.listing(db, world.admin, world.cls, now=now, lang="en")
    assert [b.action for row in by_admin.buttons for b in row] == [
        f"inv:rv:{manager_link.invite.id}"
    ]
