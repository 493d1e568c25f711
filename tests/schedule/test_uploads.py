"""Upload → preview → Confirm / Cancel / timeout; bad files; the per-class lock; rollback."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import zipfile

import openpyxl
import pytest

from bot.clock import FakeClock
from bot.domain import Channel, Person, Role, Schedule
from bot.people.permissions import Forbidden
from bot.schedule import uploads
from bot.schedule.write import to_csv, to_xlsx
from bot.store import audit, classes, people, versions
from bot.store import pending_uploads as store
from bot.store.database import Database
from tests.helpers.sample import Seeded, guangzhou_schedule, revised, seed, vientiane_schedule

T = dt.time


def xlsx(schedule: Schedule) -> bytes:
    return to_xlsx(schedule)


async def person(
    db: Database, ext: str, name: str, now: dt.datetime, admin: bool = False
) -> Person:
    made, _, _ = await people.upsert_identity(
        db,
        channel=Channel.TELEGRAM,
        external_id=ext,
        chat_id=ext,
        display_name=name,
        language_code="vi",
        now=now,
        is_admin=admin,
    )
    return made


async def snapshot(db: Database) -> tuple[object, ...]:
    """Everything a refused upload must leave alone."""
    counts = []
    for table in ("schedule_versions", "sessions", "pending_uploads", "audit_log", "outbox"):
        row = await db.fetchone(f"SELECT COUNT(*) FROM {table}")
        counts.append(row[0] if row else None)
    live = await db.fetchall("SELECT code, live_version_id FROM classes ORDER BY code")
    return (*counts, [tuple(r) for r in live])


@pytest.fixture
async def world(db: Database, clock: FakeClock) -> Seeded:
    return await seed(db, clock.now())


async def stage(
    db: Database, who: Person, data: bytes, now: dt.datetime, name: str = "v2.xlsx"
) -> int:
    reply = await uploads.stage_file(db, who, data, name, now=now, lang="en")
    (row,) = reply.buttons
    return int(row[0].action.removeprefix(uploads.CONFIRM))


async def test_preview_shows_summary_and_buttons_without_writing(
    db: Database, clock: FakeClock, world: Seeded
) -> None:
    before = await snapshot(db)
    reply = await uploads.stage_file(
        db, world.admin, xlsx(revised(s4=T(9, 0))), "v2.xlsx", now=clock.now(), lang="en"
    )
    text = reply.plain()
    assert "1 session moved — Confirm?" in text
    assert "Moved: Topic 2, from" in text
    labels = [b.label for row in reply.buttons for b in row]
    assert labels == ["✅ Confirm", "✖ Cancel"]
    after = await snapshot(db)
    assert after[0] == before[0] and after[-1] == before[-1]  # no version, same live pointer
    assert after[2] == 1  # only the pending row


async def test_confirm_applies_a_new_live_version_atomically_with_audit(
    db: Database, clock: FakeClock, world: Seeded
) -> None:
    upload_id = await stage(db, world.admin, xlsx(revised(s4=T(9, 0))), clock.now())
    applied = await uploads.confirm(db, world.admin, upload_id, now=clock.now(), lang="en")
    assert applied.class_id == world.cls.id
    assert "version 2" in applied.reply.plain()
    cls = await classes.get_class(db, world.cls.id)
    assert cls is not None
    (s4,) = [s for s in await classes.sessions_on(db, cls, dt.date(2024, 7, 16)) if s.key == "s4"]
    assert s4.start == T(9, 0)
    (entry, *_rest) = await audit.entries(db, cls.id)
    assert entry.action == "schedule.upload" and entry.actor_person_id == world.admin.id
    assert entry.details == {"version": 2, "file": "v2.xlsx"}
    again = await uploads.confirm(db, world.admin, upload_id, now=clock.now(), lang="en")
    assert again.class_id is None and "no longer waiting" in again.reply.plain()
    assert len(await versions.list_versions(db, cls.id)) == 2


async def test_cancel_leaves_everything_as_it_was(
    db: Database, clock: FakeClock, world: Seeded
) -> None:
    before = await snapshot(db)
    upload_id = await stage(db, world.admin, xlsx(revised(s4=T(9, 0))), clock.now())
    reply = await uploads.cancel(db, world.admin, upload_id, now=clock.now(), lang="en")
    assert "not changed" in reply.plain()
    after = await snapshot(db)
    assert after[:2] == before[:2] and after[-1] == before[-1]
    row = await store.get(db, upload_id)
    assert row is not None and row.state == "cancelled" and row.data is None
    late = await uploads.confirm(db, world.admin, upload_id, now=clock.now(), lang="en")
    assert late.class_id is None


async def test_timeout_cancels_cleanly_at_confirm_and_by_the_due_check(
    db: Database, clock: FakeClock, world: Seeded
) -> None:
    first = await stage(db, world.admin, xlsx(revised(s4=T(9, 0))), clock.now())
    clock.advance(uploads.UPLOAD_TIMEOUT + dt.timedelta(seconds=1))
    applied = await uploads.confirm(db, world.admin, first, now=clock.now(), lang="en")
    assert applied.class_id is None and "not confirmed within 15 minutes" in applied.reply.plain()
    assert len(await versions.list_versions(db, world.cls.id)) == 1

    second = await stage(db, world.admin, xlsx(revised(s4=T(10, 0))), clock.now())
    clock.advance(dt.timedelta(minutes=14))
    assert await uploads.expire_due(db, clock.now()) == 0
    clock.advance(dt.timedelta(minutes=2))
    assert await uploads.expire_due(db, clock.now()) == 1
    row = await store.get(db, second)
    assert row is not None and row.state == "expired"
    told = await db.fetchone(
        "SELECT person_id, payload FROM outbox WHERE dedup_key = ?", (f"upload-expired:{second}",)
    )
    assert told is not None and told[0] == world.admin.id and "Không" not in told[1]
    assert len(await versions.list_versions(db, world.cls.id)) == 1


async def test_a_second_upload_for_the_class_is_refused_while_one_waits(
    db: Database, clock: FakeClock, world: Seeded
) -> None:
    other = await person(db, "702", "Second admin", clock.now(), admin=True)
    first = await stage(db, world.admin, xlsx(revised(s4=T(9, 0))), clock.now())
    with pytest.raises(uploads.UploadRefused) as refused:
        await stage(db, other, xlsx(revised(s4=T(10, 0))), clock.now())
    assert "Admin has another change to VTE-HN-2024 waiting" in refused.value.reply.plain()
    row = await store.get(db, first)
    assert row is not None and row.state == "pending"
    # The same person sending a corrected file replaces their own preview.
    newer = await stage(db, world.admin, xlsx(revised(s4=T(10, 0))), clock.now())
    old = await store.get(db, first)
    assert old is not None and old.state == "cancelled" and newer != first


async def test_two_uploads_at_once_never_interleave(
    db: Database, clock: FakeClock, world: Seeded
) -> None:
    other = await person(db, "702", "Second admin", clock.now(), admin=True)
    results = await asyncio.gather(
        stage(db, world.admin, xlsx(revised(s4=T(9, 0))), clock.now()),
        stage(db, other, xlsx(revised(s4=T(10, 0))), clock.now()),
        return_exceptions=True,
    )
    staged = [r for r in results if isinstance(r, int)]
    refused = [r for r in results if isinstance(r, uploads.UploadRefused)]
    assert len(staged) == 1 and len(refused) == 1
    applied = await uploads.confirm(
        db,
        world.admin if results[0] == staged[0] else other,
        staged[0],
        now=clock.now(),
        lang="en",
    )
    assert applied.class_id == world.cls.id


async def test_a_preview_goes_stale_when_the_live_version_moves_under_it(
    db: Database, clock: FakeClock, world: Seeded
) -> None:
    upload_id = await stage(db, world.admin, xlsx(revised(s4=T(9, 0))), clock.now())
    await versions.save_version(
        db, revised(s5=T(14, 0)), created_by="cli", source_hash="x", now=clock.now()
    )
    applied = await uploads.confirm(db, world.admin, upload_id, now=clock.now(), lang="en")
    assert applied.class_id is None and "changed after this preview" in applied.reply.plain()
    assert len(await versions.list_versions(db, world.cls.id)) == 2


def zip_bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (130 * 2**20))
    return buf.getvalue()


def bad_dates() -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(xlsx(vientiane_schedule())))
    sheet = next(ws for ws in book.worksheets if "Sessions" in ws.title)
    sheet.cell(row=3, column=2).value = "32/13/2024"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("bomb.xlsx", zip_bomb(), "unpacks to more than"),
        ("broken.xlsx", b"PK\x03\x04 this is not a workbook", "not a valid Excel workbook"),
        ("notes.docx", b"whatever", "not"),
        ("dates.xlsx", bad_dates(), "row 3, column"),
    ],
)
async def test_bad_files_are_refused_with_every_problem_and_change_nothing(
    db: Database, clock: FakeClock, world: Seeded, name: str, data: bytes, expected: str
) -> None:
    before = await snapshot(db)
    with pytest.raises(uploads.UploadRefused) as refused:
        await uploads.stage_file(db, world.admin, data, name, now=clock.now(), lang="en")
    text = refused.value.reply.plain()
    assert expected in text and "Nothing was changed" in text
    assert await snapshot(db) == before


async def test_only_the_class_admins_may_upload(
    db: Database, clock: FakeClock, world: Seeded
) -> None:
    before = await snapshot(db)
    for who in (world.manager, world.trainee):
        with pytest.raises(Forbidden):
            await uploads.stage_file(
                db, who, xlsx(revised(s4=T(9, 0))), "v2.xlsx", now=clock.now(), lang="en"
            )
    assert await snapshot(db) == before
    class_admin = await person(db, "710", "Class admin", clock.now())
    await people.add_member(db, world.cls.id, class_admin.id, Role.ADMIN, clock.now())
    assert await stage(db, class_admin, xlsx(revised(s4=T(9, 0))), clock.now())


async def test_a_csv_takes_the_class_from_the_current_class(
    db: Database, clock: FakeClock, world: Seeded
) -> None:
    data = to_csv(revised(s4=T(9, 0)))
    reply = await uploads.stage_file(
        db, world.admin, data, "sessions.csv", now=clock.now(), lang="en", class_code="VTE-HN-2024"
    )
    assert "1 session moved" in reply.plain()


async def test_newclass_needs_a_global_admin_and_a_new_code(
    db: Database, clock: FakeClock, world: Seeded
) -> None:
    data = xlsx(guangzhou_schedule())
    with pytest.raises(Forbidden):
        await uploads.stage_file(
            db, world.manager, data, "gz.xlsx", now=clock.now(), lang="en", new_class=True
        )
    with pytest.raises(uploads.UploadRefused, match="There is no class HN-GZ-2025"):
        await uploads.stage_file(db, world.admin, data, "gz.xlsx", now=clock.now(), lang="en")
    reply = await uploads.stage_file(
        db, world.admin, data, "gz.xlsx", now=clock.now(), lang="en", new_class=True
    )
    upload_id = int(reply.buttons[0][0].action.removeprefix(uploads.CONFIRM))
    applied = await uploads.confirm(db, world.admin, upload_id, now=clock.now(), lang="en")
    assert "is created" in applied.reply.plain()
    cls = await classes.get_class_by_code(db, "HN-GZ-2025")
    assert cls is not None and cls.live_version_id is not None
    membership = await people.get_membership(db, cls.id, world.admin.id)
    assert membership is not None and membership.role is Role.ADMIN
    (entry, *_rest) = await audit.entries(db, cls.id)
    assert entry.action == "class.create"
    with pytest.raises(uploads.UploadRefused, match="already exists"):
        await uploads.stage_file(
            db, world.admin, data, "gz.xlsx", now=clock.now(), lang="en", new_class=True
        )


async def test_rollback_restores_an_old_version_as_a_new_one(
    db: Database, clock: FakeClock, world: Seeded
) -> None:
    first = await stage(db, world.admin, xlsx(revised(s4=T(9, 0))), clock.now())
    await uploads.confirm(db, world.admin, first, now=clock.now(), lang="en")
    cls = await classes.get_class(db, world.cls.id)
    assert cls is not None
    with pytest.raises(Forbidden):
        await uploads.stage_rollback(db, world.manager, cls, 1, now=clock.now(), lang="en")
    with pytest.raises(uploads.UploadRefused, match="already"):
        await uploads.stage_rollback(db, world.admin, cls, 2, now=clock.now(), lang="en")
    with pytest.raises(uploads.UploadRefused, match="no version 7"):
        await uploads.stage_rollback(db, world.admin, cls, 7, now=clock.now(), lang="en")
    reply = await uploads.stage_rollback(db, world.admin, cls, 1, now=clock.now(), lang="en")
    assert "1 session moved" in reply.plain()
    upload_id = int(reply.buttons[0][0].action.removeprefix(uploads.CONFIRM))
    applied = await uploads.confirm(db, world.admin, upload_id, now=clock.now(), lang="en")
    assert "version 3" in applied.reply.plain()
    found = await versions.list_versions(db, cls.id)
    assert [v.number for v in found] == [1, 2, 3] and found[-1].note == "rollback to 1"
    live = await classes.get_class(db, cls.id)
    assert live is not None and live.live_version_id == found[-1].id
    restored = await versions.load_version(db, found[-1].id)
    assert restored.sessions == vientiane_schedule().sessions
    (entry, *_rest) = await audit.entries(db, cls.id)
    assert entry.action == "schedule.rollback" and entry.details["from"] == 1


async def test_a_writer_slipping_in_before_the_transaction_makes_the_preview_stale(
    db: Database, clock: FakeClock, world: Seeded, monkeypatch: pytest.MonkeyPatch
) -> None:
    upload_id = await stage(db, world.admin, xlsx(revised(s4=T(9, 0))), clock.now())
    parse = uploads._schedule_of

    async def parse_then_race(*args: object) -> Schedule:
        found = await parse(*args)  # type: ignore[arg-type]
        await versions.save_version(
            db, revised(s5=T(14, 0)), created_by="cli", source_hash="x", now=clock.now()
        )
        return found

    monkeypatch.setattr(uploads, "_schedule_of", parse_then_race)
    applied = await uploads.confirm(db, world.admin, upload_id, now=clock.now(), lang="en")
    assert applied.class_id is None
    assert [v.source_hash for v in await versions.list_versions(db, world.cls.id)] == ["seed", "x"]
    row = await store.get(db, upload_id)
    assert row is not None and row.state == "stale"
