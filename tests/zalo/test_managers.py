"""Class managers on Zalo: /broadcast as numbered choices, /report, /rollcall, /members,
/invite, /settings, and what Zalo cannot do (uploads, groups), with a Vietnamese and a Lao
trainee on Zalo next to the Telegram members of the sample class."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from bot.clock import FakeClock
from bot.domain import Channel, Role
from bot.outbox.worker import DeliveryWorker
from bot.people import invites, linking
from bot.reminders import planning as reminders
from bot.store import Database, people
from bot.zalo.client import ZaloClient
from bot.zalo.conversation import Conversation
from bot.zalo.sender import ZaloSender
from tests.helpers.sample import Seeded, seed
from tests.helpers.senders import FakeSender, clock_sleep
from tests.helpers.zalo_server import TOKEN, FakeZaloServer, text_update

MANAGER, VI, LO = "zmanager", "ztrainee-vi", "ztrainee-lo"
SORRY_LAO = "ຂໍອະໄພ, ສະເພາະຄະນະຄຸ້ມຄອງຫ້ອງເທົ່ານັ້ນທີ່ສາມາດດຳເນີນການນີ້ໄດ້."
HANOI_1245 = dt.datetime(2024, 7, 15, 5, 45, tzinfo=dt.UTC)
"""Thirty minutes before the field visit's 13:15 departure."""


@dataclass
class Day:
    """The sample class with a manager and two trainees on Zalo, and the means to talk."""

    db: Database
    clock: FakeClock
    zalo: FakeZaloServer
    talk: Conversation
    seeded: Seeded
    telegram: FakeSender

    async def say(self, user: str, text: str) -> list[str]:
        before = len(self.zalo.messages(user))
        await self.talk.handle(text_update(text, user_id=user, name=user))
        return self.zalo.messages(user)[before:]

    async def deliver(self) -> None:
        zalo_sender = ZaloSender(self.talk.client, self.db, self.clock)
        worker = DeliveryWorker(
            self.db, [zalo_sender, self.telegram], self.clock, sleep=clock_sleep(self.clock)
        )
        await worker.run_until_idle()


@pytest.fixture
async def day(zalo_server: FakeZaloServer, db: Database, clock: FakeClock) -> AsyncIterator[Day]:
    seeded = await seed(db, clock.now())
    async with ZaloClient(TOKEN, zalo_server.url, timeout=5) as client:
        talk = Conversation(db, client, clock, sleep=clock_sleep(clock))
        found = Day(db, clock, zalo_server, talk, seeded, FakeSender(clock))
        for user, role, choice in ((MANAGER, Role.MANAGER, "1"), (VI, Role.TRAINEE, "1")):
            code = (await invites.create(db, seeded.cls.id, role, now=clock.now())).code
            await found.say(user, code)
            await found.say(user, choice)  # Tiếng Việt
        code = (await invites.create(db, seeded.cls.id, Role.TRAINEE, now=clock.now())).code
        await found.say(LO, code)
        await found.say(LO, "2")  # ພາສາລາວ
        zalo_server.clear()
        yield found


async def _person_id(db: Database, user: str) -> int:
    identity = await people.find_identity(db, Channel.ZALO, user)
    assert identity is not None
    return identity.person_id


async def test_a_manager_broadcasts_in_two_languages_with_acknowledgement_on_zalo(
    day: Day,
) -> None:
    (ask,) = await day.say(MANAGER, "/broadcast")
    assert "Vui lòng" in ask or "thông báo" in ask.lower()  # "please write the announcement"
    (second,) = await day.say(MANAGER, "Xe xuất phát lúc 13:15 tại sảnh A.\nMang theo thẻ.")
    assert "1. " in second and "ພາສາລາວ" in second  # add a version in Lao, by number
    assert "nút" not in second.lower() and "bấm" not in second.lower()  # no buttons to tap
    await day.say(MANAGER, "1")  # the Lao version
    (audience,) = await day.say(MANAGER, "ລົດອອກ 13:15 ຢູ່ຫ້ອງໂຖງ A.")
    assert "3. " in audience
    (preview,) = await day.say(MANAGER, "2")  # trainees only
    assert "Xe xuất phát lúc 13:15" in preview and "ລົດອອກ 13:15" in preview
    assert "☑" in preview  # asking to confirm receipt is on
    (sent,) = await day.say(MANAGER, "2")  # ✅ Send
    assert "3" in sent  # queued for the three trainees (Somphone on Telegram, two on Zalo)

    await day.deliver()
    (vi,) = day.zalo.delivered(VI)
    (lo,) = day.zalo.delivered(LO)
    assert "Xe xuất phát lúc 13:15" in vi and "ລົດອອກ" not in vi
    assert "ລົດອອກ 13:15" in lo and "Xe xuất phát" not in lo
    assert "1. ✅ Đã nhận" in vi and "1. ✅ ໄດ້ຮັບແລ້ວ" in lo
    assert "bấm" not in vi and "ກົດ" not in lo  # nobody is told to tap anything on Zalo
    assert [m.chat_id for m in day.telegram.sent] == ["501"]

    (thanks,) = await day.say(VI, "1")
    assert thanks
    (report,) = await day.say(MANAGER, "/report")
    assert "3" in report and "1" in report and "Somphone" in report  # who has not confirmed
    assert "ztrainee-lo" in report and "ztrainee-vi" not in report.split("Somphone")[-1]


async def test_the_broadcast_survives_a_restart_and_refuses_when_stale(
    day: Day, zalo_server: FakeZaloServer
) -> None:
    await day.say(MANAGER, "/broadcast Họp lớp lúc 16:00.")
    await day.say(MANAGER, "3")  # no second language
    async with ZaloClient(TOKEN, zalo_server.url, timeout=5) as client:  # a new process
        day.talk = Conversation(day.db, client, day.clock)
        (preview,) = await day.say(MANAGER, "1")  # whole class
        assert "Họp lớp lúc 16:00." in preview
        day.clock.advance(dt.timedelta(minutes=11))
        (stale,) = await day.say(MANAGER, "2")  # Send, too late
        assert "/broadcast" in stale and "10" in stale
        await day.deliver()
    assert day.zalo.delivered(VI) == [] and day.telegram.sent == []
    row = await day.db.fetchone("SELECT COUNT(*) FROM announcements")
    assert row is not None and row[0] == 0


async def test_a_trainee_cannot_broadcast_or_see_the_report(day: Day) -> None:
    (refused,) = await day.say(LO, "/broadcast ທົດສອບ")
    (report,) = await day.say(LO, "/report")
    assert refused == report == SORRY_LAO
    row = await day.db.fetchone("SELECT COUNT(*) FROM announcements")
    assert row is not None and row[0] == 0


async def test_roll_call_on_zalo_marks_a_trainee_present_by_number(day: Day) -> None:
    day.clock.set(HANOI_1245)
    await reminders.fire_due(day.db, day.clock.now())
    await day.deliver()
    reminder = next(m for m in day.zalo.delivered(VI) if "Tôi đã lên xe" in m)
    assert "bấm" not in reminder and "nút" not in reminder  # no "tap the button below"
    assert "xác nhận bằng “Tôi đã lên xe”" in reminder and "1. Tôi đã lên xe" in reminder
    await day.say(VI, "1")  # I'm on the bus

    (roll,) = await day.say(MANAGER, "/rollcall")
    assert "1/3" in roll
    assert "ztrainee-lo" in roll and "Somphone" in roll
    lines = [line for line in roll.splitlines() if "ztrainee-lo" in line and ". " in line]
    number = lines[-1].split(".")[0].strip()
    (marked,) = await day.say(MANAGER, number)
    assert marked
    row = await day.db.fetchone(
        "SELECT COUNT(*) FROM checkins WHERE class_id = ? AND person_id = ?",
        (day.seeded.cls.id, await _person_id(day.db, LO)),
    )
    assert row is not None and row[0] == 1


async def test_members_invite_and_settings_on_zalo(day: Day) -> None:
    (members,) = await day.say(MANAGER, "/members")
    assert "Somphone" in members and "ztrainee-lo" in members
    (menu,) = await day.say(MANAGER, "/invite")
    assert "1. " in menu
    (link,) = await day.say(MANAGER, "1")  # a trainee invitation
    code = next(line.split(": ", 1)[1] for line in link.splitlines() if line.startswith("Mã mời"))
    assert "t.me" not in link  # Zalo only: no Telegram bot to point to
    day.talk.settings = dataclasses.replace(day.talk.settings, bot_token="1:abc")
    await day.say(MANAGER, "/invite")
    (both,) = await day.say(MANAGER, "1")
    second = next(line.split(": ", 1)[1] for line in both.splitlines() if line.startswith("Mã mời"))
    assert f"?start={second}" in both  # with Telegram served too: the same code as a link
    joined = await day.say("znew", code)
    assert day.seeded.cls.title("lo") in joined[0]

    (settings,) = await day.say(MANAGER, "/settings departure 45")
    assert "45" in settings
    row = await day.db.fetchone(
        "SELECT departure_reminder_min FROM classes WHERE id = ?", (day.seeded.cls.id,)
    )
    assert row is not None and row[0] == 45


async def test_what_zalo_cannot_do_is_said_in_the_readers_language(day: Day) -> None:
    (upload_vi,) = await day.say(MANAGER, "/upload")
    (upload_lo,) = await day.say(LO, "/upload")
    assert "Telegram" in upload_vi and "classbot schedule import" in upload_vi
    assert "Zalo" in upload_lo and "ອັບໂຫຼດ" in upload_lo
    (groups,) = await day.say(MANAGER, "/linkgroup")
    assert "beta" in groups


async def test_a_manager_linked_on_telegram_and_zalo_uses_either(
    day: Day, db: Database, clock: FakeClock
) -> None:
    code = await linking.issue(db, day.seeded.manager, clock.now())  # /link on Telegram
    await day.say("zlan", f"/link {code}")
    (report,) = await day.say("zlan", "/report")
    assert day.seeded.cls.title("vi") in report  # Lan's role and language, from Telegram


async def test_invitation_links_are_listed_and_revoked_by_number_on_zalo(day: Day) -> None:
    await day.say(MANAGER, "/invite trainee 5 2")
    (menu,) = await day.say(MANAGER, "/invite")
    # A manager makes trainee links only: 1 = a trainee link, 2 = the existing links.
    assert "3." not in menu
    (listing,) = await day.say(MANAGER, "2")
    assert "1. " in listing
    (revoked,) = await day.say(MANAGER, "1")  # revoke the first active one
    assert "#" in revoked
    row = await day.db.fetchone("SELECT COUNT(*) FROM invites WHERE revoked_at IS NOT NULL")
    assert row is not None and row[0] == 1


async def test_a_question_after_a_stale_draft_is_still_answered(day: Day) -> None:
    await day.say(MANAGER, "/broadcast")  # waiting for the text
    day.clock.advance(dt.timedelta(minutes=15))
    notice, answer = await day.say(MANAGER, "/myclass")
    assert "/broadcast" in notice and day.seeded.cls.title("vi") in answer
    row = await day.db.fetchone("SELECT COUNT(*) FROM announcements")
    assert row is not None and row[0] == 0


ONLY_TELEGRAM_VI = "chỉ dùng được trên Telegram"
NOT_ON_ZALO = ("/export", "/upload", "/versions", "/rollback", "/newclass", "/audit", "/template")


async def _join_as_admin(day: Day, user: str = "zadmin") -> None:
    code = (await invites.create(day.db, day.seeded.cls.id, Role.ADMIN, now=day.clock.now())).code
    await day.say(user, code)
    await day.say(user, "1")  # Tiếng Việt


def _commands(text: str) -> list[str]:
    return [line.split(" — ")[0] for line in text.splitlines() if line.startswith("/")]


async def test_the_help_on_zalo_lists_only_commands_that_work_there(day: Day) -> None:
    await _join_as_admin(day)
    # The admin's help is longer than one Zalo message (2,000 UTF-16 units): read every part.
    manager_help = "\n".join(await day.say(MANAGER, "help"))
    admin_help = "\n".join(await day.say("zadmin", "/help"))
    manager, admin = _commands(manager_help), _commands(admin_help)
    assert {"/broadcast", "/report", "/rollcall", "/members", "/invite", "/remove"} <= set(manager)
    assert "/promote" not in manager and "/demote" not in manager  # not a manager's to use
    assert {"/promote", "/demote", "/remove"} <= set(admin)
    for name in NOT_ON_ZALO:
        assert name not in manager and name not in admin
    assert "Telegram" in admin_help.split("/demote —")[1]  # where files, versions, audit are
    # Every command the help names works on Zalo: none is answered "only on Telegram".
    for name in admin:
        answers = await day.say("zadmin", name)
        assert answers, name
        assert not any(ONLY_TELEGRAM_VI in a for a in answers), name
        await day.say("zadmin", "/cancel")  # leave /broadcast's draft


async def test_the_members_footer_names_only_commands_the_reader_may_use(day: Day) -> None:
    await _join_as_admin(day)
    (by_manager,) = await day.say(MANAGER, "/members")
    (by_admin,) = await day.say("zadmin", "/members")
    manager_footer, admin_footer = by_manager.splitlines()[-1], by_admin.splitlines()[-1]
    assert "/remove" in manager_footer and "/promote" not in manager_footer
    assert all(c in admin_footer for c in ("/promote", "/demote", "/remove"))


async def test_remove_promote_and_demote_by_number_on_zalo(day: Day) -> None:
    await _join_as_admin(day)
    lo, vi = await _person_id(day.db, LO), await _person_id(day.db, VI)
    (refused,) = await day.say(MANAGER, f"/promote {vi}")
    assert "Ban Tổ chức" in refused  # who may: not "only the class managers", to a manager
    assert await _role(day, vi) is Role.TRAINEE
    (promoted,) = await day.say("zadmin", f"/promote {vi}")
    assert await _role(day, vi) is Role.MANAGER and "ztrainee-vi" in promoted
    (demoted,) = await day.say("zadmin", f"/demote #{vi}")
    assert await _role(day, vi) is Role.TRAINEE and "ztrainee-vi" in demoted
    (whom,) = await day.say(MANAGER, "/remove")
    assert "/members" in whom
    (removed,) = await day.say(MANAGER, f"/remove {lo}")
    assert "ztrainee-lo" in removed and await _role(day, lo) is None
    entries = await day.db.fetchall(
        "SELECT action FROM audit_log WHERE class_id = ? ORDER BY id", (day.seeded.cls.id,)
    )
    actions = [row[0] for row in entries]
    assert actions[-3:] == ["member.promote", "member.demote", "member.remove"]


async def _role(day: Day, person_id: int) -> Role | None:
    membership = await people.get_membership(day.db, day.seeded.cls.id, person_id)
    return membership.role if membership else None


async def test_start_without_a_code_on_zalo_is_no_telegram_command(day: Day) -> None:
    (help_text,) = await day.say(VI, "/start")
    assert ONLY_TELEGRAM_VI not in help_text and "/today" in help_text
    (stranger,) = await day.say("zstranger", "/start")
    assert "ພາສາລາວ" in stranger and "English" in stranger  # how to join, in three languages
    assert "Telegram" not in stranger


async def test_the_per_hour_cap_holds_on_zalo_too(day: Day) -> None:
    """Issue 14's per-manager cap applies to every channel: on Zalo as on Telegram."""
    day.talk.settings = dataclasses.replace(day.talk.settings, announcements_per_hour=2)
    for text in ("Thông báo một.", "Thông báo hai.", "Thông báo ba."):
        await day.say(MANAGER, f"/broadcast {text}")
        await day.say(MANAGER, "3")  # no second language
        await day.say(MANAGER, "1")  # whole class
        (answer,) = await day.say(MANAGER, "2")  # ✅ Send
    assert "2" in answer and "phút" in answer  # the cap, and when the next one may go
    row = await day.db.fetchone("SELECT COUNT(*) FROM announcements")
    assert row is not None and row[0] == 2


async def test_a_manager_demoted_during_a_draft_gets_no_preview_on_zalo(day: Day) -> None:
    """The role is checked again when the preview is built (as on Telegram): a manager
    lowered to trainee while composing sees neither the audience count nor a Send choice."""
    await day.say(MANAGER, "/broadcast Họp lớp lúc 16:00.")
    await day.say(MANAGER, "3")  # no second language
    manager_id = await _person_id(day.db, MANAGER)
    await day.db.execute(
        "UPDATE members SET role = 'trainee' WHERE class_id = ? AND person_id = ?",
        (day.seeded.cls.id, manager_id),
    )
    (answer,) = await day.say(MANAGER, "1")  # whole class
    assert "Họp lớp lúc 16:00." not in answer and "✅" not in answer
    row = await day.db.fetchone("SELECT COUNT(*) FROM announcements")
    assert row is not None and row[0] == 0
