"""Invitation codes: unguessable, hashed at rest, limited, expiring, revocable, atomic."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib

import pytest

from bot.clock import FakeClock
from bot.domain import Channel, Person, Role
from bot.people import invites
from bot.people.permissions import Forbidden
from bot.store import Database, audit, people
from tests.helpers.sample import Seeded


async def newcomer(db: Database, clock: FakeClock, ext: str = "900") -> Person:
    person, _, _ = await people.upsert_identity(
        db,
        channel=Channel.TELEGRAM,
        external_id=ext,
        chat_id=ext,
        display_name=f"New {ext}",
        language_code="lo",
        now=clock.now(),
    )
    return person


async def test_codes_are_long_random_and_stored_only_as_hashes(
    db: Database, clock: FakeClock, seeded: Seeded
) -> None:
    made = [
        await invites.create(db, seeded.cls.id, Role.TRAINEE, now=clock.now()) for _ in range(20)
    ]
    codes = {m.code for m in made}
    assert len(codes) == 20
    assert all(len(c) >= 22 for c in codes)  # 16 random bytes = 128 bits, URL-safe base64
    rows = await db.fetchall("SELECT code_hash FROM invites")
    stored = {r[0] for r in rows}
    assert stored == {hashlib.sha256(c.encode()).hexdigest() for c in codes}
    assert not stored & codes
    link = made[0].link("@classbot_test_bot")
    assert link == f"https://t.me/classbot_test_bot?start={made[0].code}"


async def test_redeem_enrols_with_the_links_role_and_counts_the_use(
    db: Database, clock: FakeClock, seeded: Seeded
) -> None:
    new = await invites.create(db, seeded.cls.id, Role.MANAGER, now=clock.now(), uses=3)
    person = await newcomer(db, clock)
    joined = await invites.redeem(db, new.code, person, now=clock.now())
    assert (joined.cls.id, joined.role, joined.already_member) == (
        seeded.cls.id,
        Role.MANAGER,
        False,
    )
    membership = await people.get_membership(db, seeded.cls.id, person.id)
    assert membership is not None and membership.role is Role.MANAGER
    fresh = await people.get_person(db, person.id)
    assert fresh is not None and fresh.active_class_id == seeded.cls.id
    invite = await invites.get(db, new.invite.id)
    assert invite is not None and invite.uses == 1
    assert [e.action for e in await audit.entries(db, seeded.cls.id)][:2] == [
        "invite.redeem",
        "invite.create",
    ]


async def test_a_member_redeeming_again_uses_nothing_and_keeps_a_higher_role(
    db: Database, clock: FakeClock, seeded: Seeded
) -> None:
    new = await invites.create(db, seeded.cls.id, Role.TRAINEE, now=clock.now(), uses=1)
    joined = await invites.redeem(db, new.code, seeded.manager, now=clock.now())
    assert (joined.role, joined.already_member) == (Role.MANAGER, True)
    invite = await invites.get(db, new.invite.id)
    assert invite is not None and invite.uses == 0


async def test_wrong_code(db: Database, clock: FakeClock, seeded: Seeded) -> None:
    await invites.create(db, seeded.cls.id, Role.TRAINEE, now=clock.now())
    with pytest.raises(invites.InviteRejected) as caught:
        await invites.redeem(db, "not-a-real-code", await newcomer(db, clock), now=clock.now())
    assert caught.value.problem is invites.InviteProblem.UNKNOWN


async def test_used_up_code_enrols_nobody_more(
    db: Database, clock: FakeClock, seeded: Seeded
) -> None:
    new = await invites.create(db, seeded.cls.id, Role.TRAINEE, now=clock.now(), uses=1)
    await invites.redeem(db, new.code, await newcomer(db, clock, "901"), now=clock.now())
    late = await newcomer(db, clock, "902")
    with pytest.raises(invites.InviteRejected) as caught:
        await invites.redeem(db, new.code, late, now=clock.now())
    assert caught.value.problem is invites.InviteProblem.USED_UP
    assert await people.get_membership(db, seeded.cls.id, late.id) is None


async def test_racing_for_the_last_use_lets_only_one_in(
    db: Database, clock: FakeClock, seeded: Seeded
) -> None:
    new = await invites.create(db, seeded.cls.id, Role.TRAINEE, now=clock.now(), uses=1)
    racers = [await newcomer(db, clock, str(910 + i)) for i in range(5)]
    results = await asyncio.gather(
        *(invites.redeem(db, new.code, p, now=clock.now()) for p in racers),
        return_exceptions=True,
    )
    assert sum(isinstance(r, invites.Joined) for r in results) == 1
    assert all(
        isinstance(r, invites.InviteRejected) and r.problem is invites.InviteProblem.USED_UP
        for r in results
        if not isinstance(r, invites.Joined)
    )


async def test_expired_code(db: Database, clock: FakeClock, seeded: Seeded) -> None:
    new = await invites.create(db, seeded.cls.id, Role.TRAINEE, now=clock.now(), days=2)
    clock.advance(dt.timedelta(days=2))
    person = await newcomer(db, clock)
    with pytest.raises(invites.InviteRejected) as caught:
        await invites.redeem(db, new.code, person, now=clock.now())
    assert caught.value.problem is invites.InviteProblem.EXPIRED
    assert await people.get_membership(db, seeded.cls.id, person.id) is None


async def test_revoked_code(db: Database, clock: FakeClock, seeded: Seeded) -> None:
    new = await invites.create(db, seeded.cls.id, Role.TRAINEE, now=clock.now())
    assert await invites.revoke(db, new.invite.id, now=clock.now(), by=seeded.manager)
    assert not await invites.revoke(db, new.invite.id, now=clock.now())
    with pytest.raises(invites.InviteRejected) as caught:
        await invites.redeem(db, new.code, await newcomer(db, clock), now=clock.now())
    assert caught.value.problem is invites.InviteProblem.REVOKED
    [listed] = await invites.list_for_class(db, seeded.cls.id)
    assert listed.revoked_at == clock.now()


async def test_only_managers_create_or_revoke_and_only_admins_invite_admins(
    db: Database, clock: FakeClock, seeded: Seeded
) -> None:
    with pytest.raises(Forbidden):
        await invites.create(db, seeded.cls.id, Role.TRAINEE, now=clock.now(), by=seeded.trainee)
    with pytest.raises(Forbidden):
        await invites.create(db, seeded.cls.id, Role.ADMIN, now=clock.now(), by=seeded.manager)
    made = await invites.create(db, seeded.cls.id, Role.ADMIN, now=clock.now(), by=seeded.admin)
    with pytest.raises(Forbidden):
        await invites.revoke(db, made.invite.id, now=clock.now(), by=seeded.trainee)
    with pytest.raises(ValueError, match="at least one use"):
        await invites.create(db, seeded.cls.id, Role.TRAINEE, now=clock.now(), uses=0)
