"""Members, promotion, removal and the audit log, with their role checks."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import pytest

from bot.cli import main as cli
from bot.clock import FakeClock
from bot.domain import Channel, Person, Role
from bot.people import members as organiser
from bot.people.permissions import Forbidden
from bot.store import audit, people
from bot.store.database import Database
from tests.helpers.cldr import instant
from tests.helpers.sample import Seeded, seed

T = dt.time


@pytest.fixture
async def world(db: Database, clock: FakeClock) -> Seeded:
    return await seed(db, clock.now())


async def newcomer(db: Database, ext: str, name: str, now: dt.datetime) -> Person:
    made, _, _ = await people.upsert_identity(
        db,
        channel=Channel.TELEGRAM,
        external_id=ext,
        chat_id=ext,
        display_name=name,
        language_code="en",
        now=now,
    )
    return made


async def test_members_show_role_language_and_reachability(
    db: Database, clock: FakeClock, world: Seeded
) -> None:
    await people.mark_unreachable(db, Channel.TELEGRAM, "501", "blocked")
    reply = await organiser.members_view(db, world.manager, world.cls, "en")
    lines = reply.blocks[0].lines
    assert reply.blocks[0].title == "Vientiane cadres' class in Hanoi: 2 members"
    assert lines == (
        f"#{world.manager.id} Nguyễn Thị Lan — Class manager, Tiếng Việt, reachable",
        f"#{world.trainee.id} Somphone — Trainee, ພາສາລາວ, not reachable",
    )
    with pytest.raises(Forbidden):
        await organiser.members_view(db, world.trainee, world.cls, "en")


async def test_promotion_goes_one_step_and_global_admin_only_by_a_global_admin(
    db: Database, clock: FakeClock, world: Seeded
) -> None:
    now = clock.now()
    class_admin = await newcomer(db, "710", "Class admin", now)
    await people.add_member(db, world.cls.id, class_admin.id, Role.ADMIN, now)
    with pytest.raises(Forbidden):
        await organiser.promote(db, world.manager, world.cls, world.trainee.id, now=now, lang="en")
    reply = await organiser.promote(
        db, class_admin, world.cls, world.trainee.id, now=now, lang="en"
    )
    assert reply.plain() == "Somphone is now: Class manager."
    await organiser.promote(db, class_admin, world.cls, world.trainee.id, now=now, lang="en")
    membership = await people.get_membership(db, world.cls.id, world.trainee.id)
    assert membership is not None and membership.role is Role.ADMIN
    with pytest.raises(Forbidden):  # a class admin cannot make a global admin
        await organiser.promote(db, class_admin, world.cls, world.trainee.id, now=now, lang="en")
    reply = await organiser.promote(
        db, world.admin, world.cls, world.trainee.id, now=now, lang="en"
    )
    assert reply.plain() == "Somphone is now: global admin."
    promoted = await people.get_person(db, world.trainee.id)
    assert promoted is not None and promoted.is_admin
    actions = [(e.action, e.details["to"]) for e in await audit.entries(db, world.cls.id)]
    assert actions[:3] == [
        ("member.promote", "global admin"),
        ("member.promote", "admin"),
        ("member.promote", "manager"),
    ]
    missing = await organiser.promote(db, world.admin, world.cls, 999, now=now, lang="en")
    assert "no member #999" in missing.plain()


async def test_managers_remove_trainees_and_only_admins_remove_managers(
    db: Database, clock: FakeClock, world: Seeded
) -> None:
    now = clock.now()
    other = await newcomer(db, "602", "Second manager", now)
    await people.add_member(db, world.cls.id, other.id, Role.MANAGER, now)
    with pytest.raises(Forbidden):
        await organiser.remove(db, world.manager, world.cls, other.id, now=now, lang="en")
    with pytest.raises(Forbidden):
        await organiser.remove(db, world.trainee, world.cls, world.manager.id, now=now, lang="en")
    selfish = await organiser.remove(
        db, world.manager, world.cls, world.manager.id, now=now, lang="en"
    )
    assert "cannot remove yourself" in selfish.plain()
    done = await organiser.remove(
        db, world.manager, world.cls, world.trainee.id, now=now, lang="en"
    )
    assert "Somphone is no longer a member" in done.plain()
    assert await people.get_membership(db, world.cls.id, world.trainee.id) is None
    await organiser.remove(db, world.admin, world.cls, other.id, now=now, lang="en")
    assert await people.get_membership(db, world.cls.id, other.id) is None
    (entry, *_rest) = await audit.entries(db, world.cls.id)
    assert entry.action == "member.remove" and entry.details["person"] == other.id


async def test_audit_log_by_class_and_for_everything(
    db: Database, clock: FakeClock, world: Seeded
) -> None:
    now = clock.now()
    await organiser.promote(db, world.admin, world.cls, world.trainee.id, now=now, lang="en")
    reply = await organiser.audit_view(db, world.admin, world.cls, "vi")
    (line,) = reply.blocks[0].lines
    assert "Admin · nâng vai trò thành viên" in line and '"to": "manager"' in line
    with pytest.raises(Forbidden):
        await organiser.audit_view(db, world.manager, world.cls, "en")
    with pytest.raises(Forbidden):
        await organiser.audit_view(db, world.manager, None, "en")
    everything = await organiser.audit_view(db, world.admin, None, "en")
    assert everything.blocks[0].title == "Audit log" and len(everything.blocks[0].lines) == 1


def test_cli_audit_prints_the_class_log(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`classbot audit [CLASS]` shows the same lines as /audit."""

    async def prepare() -> None:
        db = await Database.open(tmp_path / "a.db")
        try:
            now = dt.datetime(2024, 7, 1, tzinfo=dt.UTC)
            world = await seed(db, now)
            await organiser.promote(
                db, world.admin, world.cls, world.trainee.id, now=now, lang="en"
            )
        finally:
            await db.close()

    asyncio.run(prepare())
    db_path = str(tmp_path / "a.db")
    assert cli.main(["--db", db_path, "--lang", "en", "audit", "VTE-HN-2024"]) == 0
    out = capsys.readouterr().out.splitlines()
    at = instant(dt.datetime(2024, 7, 1, tzinfo=dt.UTC), "Asia/Ho_Chi_Minh", "en")
    assert len(out) == 1 and "Admin · member promoted" in out[0] and at in out[0]
    assert cli.main(["--db", db_path, "audit"]) == 0
    assert "nâng vai trò thành viên" in capsys.readouterr().out
    assert cli.main(["--db", db_path, "audit", "NOPE"]) == 1
