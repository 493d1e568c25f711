"""The trainees list: read and checked like a schedule, previewed, confirmed, matched, private."""

from __future__ import annotations

import csv
import io

import pytest

from bot.actions import ActionContext, dispatch
from bot.clock import FakeClock
from bot.domain import Channel, Person, Role
from bot.i18n import use_lang
from bot.people import invites
from bot.people.permissions import Forbidden
from bot.pocket import roster
from bot.pocket.workbook import read_roster
from bot.schedule.problems import ScheduleProblems
from bot.store import Database, people
from bot.store import roster as store
from tests.helpers.pocket import ROSTER_ROWS, roster_xlsx
from tests.helpers.sample import Seeded


def test_the_trainees_sheet_is_found_under_its_title_block() -> None:
    rows = read_roster(roster_xlsx(), "lop.xlsx")
    assert [r.name for r in rows] == ["Somphone", "Khamla", "Bounmy"]
    first = rows[0]
    assert (first.room, first.roommate, first.bus, first.seat) == ("305", "Khamla", "1", "12")
    assert (first.leader, first.lang, first.unit) == ("Bounmy", "lo", "Vientiane")
    assert rows[1].lang == "lo" and rows[0].row_no == 4  # header at row 3


def test_a_csv_roster_is_read_too() -> None:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Name", "Room", "Bus", "Seat"])
    writer.writerow(["Somphone", "305", "1", "12"])
    rows = read_roster(out.getvalue().encode(), "roster.csv")
    assert rows[0].name == "Somphone" and rows[0].seat == "12"


def test_every_problem_names_its_row_and_column() -> None:
    bad = [
        [1, "", "Vientiane", "305", "", "1", "12", "", "lo", ""],
        [2, "Khamla", "", "", "", "1", "14", "", "Klingon", "call me"],
        [3, "Bounmy", "", "", "", "1", "14", "", "", ""],
    ]
    with pytest.raises(ScheduleProblems) as refused:
        read_roster(roster_xlsx(bad), "lop.xlsx")
    with use_lang("en"):
        lines = refused.value.lines("en")
    assert "Học viên, row 4, column B (Họ và tên): This row has no name." in lines
    assert any(line.startswith("Học viên, row 5, column I (Ngôn ngữ)") for line in lines)
    assert any(line.startswith("Học viên, row 5, column J (Điện thoại)") for line in lines)
    assert "Học viên, row 6, column G (Ghế): Seat 14 of bus 1 is also given to row 5." in lines


def test_a_workbook_without_a_trainees_table_is_refused() -> None:
    with pytest.raises(ScheduleProblems):
        read_roster(roster_xlsx([], title_rows=0, sheet="Ghi chú"), "x.xlsx")
    with pytest.raises(ScheduleProblems):
        read_roster(b"not a workbook", "x.xlsx")


def ctx(db: Database, person: Person, clock: FakeClock, lang: str = "en") -> ActionContext:
    return ActionContext(db=db, person=person, lang=lang, now=clock.now(), channel=Channel.TELEGRAM)


async def stage(db: Database, s: Seeded, clock: FakeClock, data: bytes | None = None) -> int:
    reply = await roster.stage(
        db, s.manager, s.cls, data or roster_xlsx(), "lop.xlsx", now=clock.now(), lang="en"
    )
    confirm = reply.buttons[0][0].action
    assert confirm.startswith("pkr:ok:"), reply.plain()
    assert "3 trainees; 1 matched to members already." in reply.plain()  # Somphone by name
    return int(confirm.rsplit(":", 1)[1])


async def test_preview_then_confirm_makes_the_list_live(
    db: Database, seeded: Seeded, clock: FakeClock
) -> None:
    pending = await stage(db, seeded, clock)
    assert await store.entries(db, seeded.cls.id) == []  # nothing before Confirm
    result = await dispatch(ctx(db, seeded.manager, clock), f"pkr:ok:{pending}")
    assert "the trainees list (3 rows) is live" in result.replies[0].plain()
    assert not result.replies[0].buttons  # the only trainee member was matched by name
    rows = await store.entries(db, seeded.cls.id)
    assert [r.person_id for r in rows] == [seeded.trainee.id, None, None]
    again = await dispatch(ctx(db, seeded.manager, clock), f"pkr:ok:{pending}")
    assert "no longer waiting" in again.replies[0].plain()


async def test_a_refused_file_changes_nothing(
    db: Database, seeded: Seeded, clock: FakeClock
) -> None:
    pending = await stage(db, seeded, clock)
    await dispatch(ctx(db, seeded.manager, clock), f"pkr:ok:{pending}")
    before = await store.entries(db, seeded.cls.id)
    bad = [[1, "", "", "999", "", "", "", "", "", ""]]
    reply = await roster.stage(
        db, seeded.manager, seeded.cls, roster_xlsx(bad), "lop.xlsx", now=clock.now(), lang="en"
    )
    assert "Nothing was changed" in reply.plain() and not reply.buttons
    assert await store.entries(db, seeded.cls.id) == before


async def test_a_trainee_may_not_load_the_list(
    db: Database, seeded: Seeded, clock: FakeClock
) -> None:
    with pytest.raises(Forbidden):
        await roster.stage(
            db, seeded.trainee, seeded.cls, roster_xlsx(), "l.xlsx", now=clock.now(), lang="en"
        )
    refused = await dispatch(ctx(db, seeded.trainee, clock), f"pkm:{seeded.cls.id}")
    assert refused.replies == [] and "only the class managers" in str(refused.toast)


async def test_a_trainee_sees_only_their_own_card(
    db: Database, seeded: Seeded, clock: FakeClock
) -> None:
    await dispatch(ctx(db, seeded.manager, clock), f"pkr:ok:{await stage(db, seeded, clock)}")
    card = await roster.card_reply(db, seeded.trainee, seeded.cls, "en", focus="room")
    text = card.plain()
    assert text.startswith("Your room: 305.")
    assert "Hotel room: 305 (with Khamla)" in text and "bus 1, seat 12" in text
    assert "+856 20 5555 1234" in text
    assert "5555 4321" not in text and "306" not in text  # nobody else's row
    in_lao = (await roster.card_reply(db, seeded.trainee, seeded.cls, "lo", focus="bus")).plain()
    assert "ລົດຄັນທີ 1, ບ່ອນນັ່ງ 12" in in_lao
    in_group = await roster.card_reply(db, seeded.trainee, seeded.cls, "en", private=False)
    assert "305" not in in_group.plain() and "private chat" in in_group.plain()
    manager_card = await roster.card_reply(db, seeded.manager, seeded.cls, "en")
    assert "not matched you" in manager_card.plain() and "/roster" in manager_card.plain()


async def test_managers_see_the_whole_list_and_match_a_member_in_two_taps(
    db: Database, seeded: Seeded, clock: FakeClock
) -> None:
    await dispatch(ctx(db, seeded.manager, clock), f"pkr:ok:{await stage(db, seeded, clock)}")
    khamla, _, _ = await people.upsert_identity(
        db,
        channel=Channel.TELEGRAM,
        external_id="502",
        chat_id="502",
        display_name="Ms K.",
        language_code="lo",
        now=clock.now(),
    )
    await people.add_member(db, seeded.cls.id, khamla.id, Role.TRAINEE, clock.now())
    pending = await stage(db, seeded, clock)
    applied = await dispatch(ctx(db, seeded.manager, clock), f"pkr:ok:{pending}")
    assert applied.replies[0].buttons[0][0].action == f"pkm:{seeded.cls.id}"
    listing = await roster.roster_reply(db, seeded.manager, seeded.cls, "en")
    assert "1 of 3 rows are matched to members." in listing.plain()
    assert "Khamla · room 305 · bus 1, seat 14 · 020 5555 4321 · not matched" in listing.plain()
    members = await dispatch(ctx(db, seeded.manager, clock), f"pkm:{seeded.cls.id}")
    assert [row[0].label for row in members.replies[0].buttons] == ["Ms K."]
    rows = await dispatch(ctx(db, seeded.manager, clock), members.replies[0].buttons[0][0].action)
    khamla_row = next(b for (b,) in rows.replies[0].buttons if b.label == "5: Khamla")
    done = await dispatch(ctx(db, seeded.manager, clock), khamla_row.action)
    assert "Matched: row 5 (Khamla)." in done.replies[0].plain()
    entry = await store.entry_of(db, seeded.cls.id, khamla.id)
    assert entry is not None and entry.seat == "14"
    with pytest.raises(Forbidden):
        await roster.roster_reply(db, seeded.trainee, seeded.cls, "en")


async def test_each_row_gets_its_own_link_which_matches_whoever_opens_it(
    db: Database, seeded: Seeded, clock: FakeClock
) -> None:
    await dispatch(ctx(db, seeded.manager, clock), f"pkr:ok:{await stage(db, seeded, clock)}")
    links = await roster.invite_links(
        db, seeded.manager, seeded.cls, now=clock.now(), lang="en", bot_username="classbot"
    )
    lines = links.blocks[1].lines
    assert len(lines) == 2 and lines[0].startswith("5. Khamla: https://t.me/classbot?start=")
    code = lines[1].rsplit("start=", 1)[1]
    newcomer, _, _ = await people.upsert_identity(
        db,
        channel=Channel.ZALO,
        external_id="z9",
        chat_id="z9",
        display_name="Bounmy S.",
        language_code="lo",
        now=clock.now(),
    )
    joined = await invites.redeem(db, code, newcomer, now=clock.now())
    assert joined.role is Role.TRAINEE
    claimed = await roster.claim(db, code, newcomer)
    assert claimed is not None and claimed.name == "Bounmy"
    card = await roster.card_reply(db, newcomer, seeded.cls, "en")
    assert "Hotel room: 306" in card.plain()


async def test_a_new_upload_keeps_the_matches_of_rows_with_the_same_name(
    db: Database, seeded: Seeded, clock: FakeClock
) -> None:
    await dispatch(ctx(db, seeded.manager, clock), f"pkr:ok:{await stage(db, seeded, clock)}")
    moved = [list(r) for r in ROSTER_ROWS]
    moved[0][3] = "410"
    await dispatch(
        ctx(db, seeded.manager, clock),
        f"pkr:ok:{await stage(db, seeded, clock, roster_xlsx(moved))}",
    )
    mine = await store.entry_of(db, seeded.cls.id, seeded.trainee.id)
    assert mine is not None and mine.room == "410"


async def test_the_export_neutralises_formulas(
    db: Database, seeded: Seeded, clock: FakeClock
) -> None:
    rows = [
        [1, "Somphone", '=HYPERLINK("http://x")', "305", "", "1", "12", "", "", "+856 20 1"],
        [2, "@SUM(A1)", "-1", "", "", "", "", "", "", ""],
    ]
    data = roster_xlsx(rows)
    reply = await roster.stage(
        db, seeded.manager, seeded.cls, data, "l.xlsx", now=clock.now(), lang="en"
    )
    await dispatch(ctx(db, seeded.manager, clock), reply.buttons[0][0].action)
    exported = await dispatch(ctx(db, seeded.manager, clock), f"pkx:{seeded.cls.id}")
    doc = exported.replies[0].document
    assert doc is not None and doc.filename.endswith(".csv")
    table = list(csv.reader(io.StringIO(doc.content.decode("utf-8-sig"))))
    assert table[1][1] == ""  # a formula in the workbook is never evaluated: no cached value
    assert table[1][8] == "'+856 20 1"
    assert table[2][0] == "'@SUM(A1)" and table[2][1] == "'-1"
    refused = await dispatch(ctx(db, seeded.trainee, clock), f"pkx:{seeded.cls.id}")
    assert refused.replies == [] and "only the class managers" in str(refused.toast)


async def test_a_rows_code_cannot_move_a_card_someone_already_holds(
    db: Database, seeded: Seeded, clock: FakeClock
) -> None:
    await dispatch(ctx(db, seeded.manager, clock), f"pkr:ok:{await stage(db, seeded, clock)}")
    links = await roster.invite_links(db, seeded.manager, seeded.cls, now=clock.now(), lang="en")
    code = links.blocks[1].lines[1].rsplit(": ", 1)[1]  # Bounmy's row
    outsider, _, _ = await people.upsert_identity(
        db,
        channel=Channel.ZALO,
        external_id="z1",
        chat_id="z1",
        display_name="Outsider",
        language_code="en",
        now=clock.now(),
    )
    assert await roster.claim(db, code, outsider) is None  # not a member: nothing happens
    owner, _, _ = await people.upsert_identity(
        db,
        channel=Channel.ZALO,
        external_id="z2",
        chat_id="z2",
        display_name="Bounmy",
        language_code="lo",
        now=clock.now(),
    )
    await invites.redeem(db, code, owner, now=clock.now())
    assert await roster.claim(db, code, owner) is not None
    # the trainee already in the class opens the used link: their role stays, the card too
    await invites.redeem(db, code, seeded.trainee, now=clock.now())
    assert await roster.claim(db, code, seeded.trainee) is None
    held = await store.entry_of(db, seeded.cls.id, owner.id)
    assert held is not None and held.name == "Bounmy"
    mine = await store.entry_of(db, seeded.cls.id, seeded.trainee.id)
    assert mine is not None and mine.name == "Somphone"
