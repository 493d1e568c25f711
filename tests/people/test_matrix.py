"""No way around a role: every privileged command and every button the bot emits, tried by
everyone, in every kind of chat, through the real application and the fake Bot API.

Actors: a stranger; a trainee, a manager and an admin of class A; a manager and an
admin of class B; a global admin (``ADMIN_IDS``); a member removed from A. Chats: the
actor's private chat, A's linked group, an unlinked group. Each (command or button,
chat) runs on a fresh copy of the same world, actors in a fixed order, and the outcome
of each actor is compared with the expected one: ``allowed``, ``refused``,
``private`` (a pointer to the private chat), ``group`` (a pointer to the group),
``expired`` (the button is no longer active). A refused or expired tap must never
edit the message it was on, and nothing may end in the error handler's apology.
Then: replayed, forged and malformed variants of every button, and edited commands.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import shutil
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from telegram import Update

from bot.announcements import publish
from bot.clock import FakeClock
from bot.domain import Channel, Person, Role, localized
from bot.evaluation import uploads as sheet_uploads
from bot.people import groups, invites, members
from bot.pocket import materials
from bot.pocket import roster as pocket_roster
from bot.schedule import uploads
from bot.store import Database, people
from bot.store import roster as roster_store
from bot.store.versions import save_version
from bot.telegram.context import BotApp
from bot.telegram.offline_api import message_json, tap_json, user_json
from tests.helpers.app import feed, started_app
from tests.helpers.programmes import book, vi_merged_dates
from tests.helpers.sample import guangzhou_schedule, revised, vientiane_schedule
from tests.helpers.telegram import RecordingRequest

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")

NOW = dt.datetime(2024, 7, 14, 23, 0, tzinfo=dt.UTC)  # 15 July 2024, 06:00 in Hanoi
A_CODE, B_CODE = "VTE-HN-2024", "HN-GZ-2025"

STRANGER, TRAINEE_A, MANAGER_A, ADMIN_A = 900, 901, 902, 903
MANAGER_B, ADMIN_B, GLOBAL, REMOVED = 904, 905, 906, 907
ACTORS = {
    STRANGER: "stranger",
    TRAINEE_A: "trainee of A",
    MANAGER_A: "manager of A",
    ADMIN_A: "admin of A",
    MANAGER_B: "manager of B",
    ADMIN_B: "admin of B",
    GLOBAL: "global admin",
    REMOVED: "removed from A",
}
TARGET_TRAINEE, TARGET_MANAGER = 950, 951
"""Members of A that /promote, /demote and /remove act on."""
LINKED, UNLINKED = -1001, -1002
CHATS = ("private", "linked group", "unlinked group")

MANAGERS_A = {MANAGER_A, ADMIN_A, GLOBAL}
ADMINS_A = {ADMIN_A, GLOBAL}
MANAGERS_B = {MANAGER_B, ADMIN_B, GLOBAL}
MEMBERS_A = {TRAINEE_A, MANAGER_A, ADMIN_A}

POINTERS = {
    "Please use this command in a private chat with me.": "private",
    "Your card holds personal details: please ask me in a private chat.": "private",
    "Please send schedule files in a private chat.": "private",
    "Please use /linkgroup inside the group chat.": "group",
}
REFUSALS = {
    "Sorry, only the organisers of this class can do that.",
    "Sorry, only the class managers can do that.",
    "Only the class managers can do this.",
}
EXPIRED = {
    "This button is no longer active.",
    "This departure is no longer in the schedule.",
}
NOT_JOINED = {
    "You have not joined a class yet. Please open the invitation link your class manager sent you.",
    "This group is not linked to a class yet. A class manager can link it by writing "
    "/linkgroup here.",
}
APOLOGY = "Sorry, something went wrong on my side. Please try again in a moment."


@dataclasses.dataclass
class World:
    """The ids a row needs: classes, the staged upload, an invite, an announcement."""

    a: int
    b: int
    upload: int
    invite_a: int
    announcement_a: int
    people: dict[int, int]
    """Telegram user id → person id."""
    sheet: int = 0
    """A results sheet of A staged by its admin (issue 17)."""
    pending_roster: int = 0
    """A trainees list for A, previewed by MANAGER_A and waiting for Confirm."""
    entry: int = 0
    """A row of A's live trainees list that nobody is matched to yet."""
    material: int = 0
    """A document MANAGER_A is attaching to one of A's sessions (waiting for the pick)."""
    session: int = 0
    """The id of one of A's sessions (a choice of the attach picker)."""
    mapping: int = 0
    """A programme for B whose columns its admin is mapping with buttons (issue 12)."""


MONDAY = "2024-07-15"
"""The Monday of the class's week (the week picture's button)."""
ROOM_OWN, PHONE_OWN = "R-701", "+84 911 000 701"
"""The trainee of A's own card: only they (and A's managers) may ever read these."""
ROOM_OTHER, PHONE_OTHER = "R-702", "+84 911 000 702"
"""Another row of A's list: read only by A's managers (the whole list)."""
ROSTER_CSV = (
    "Name,Room,Bus,Seat,Phone\n"
    f"trainee of A,{ROOM_OWN},1,12,{PHONE_OWN}\n"
    f"Nguyen Van Unmatched,{ROOM_OTHER},2,3,{PHONE_OTHER}\n"
).encode()
ODD_PROGRAMME = book(
    [
        ["LỊCH HỌC"],
        ["Hôm", "Lúc", "Việc", "Ai", "Chỗ"],
        ["15/07/2025", "08:00-11:00", "Chuyên đề 1: Xây dựng Đảng", "TS A", "Hội trường"],
    ]
)
"""An organiser's programme whose headers the bot does not know: mapped with ``map:`` buttons."""
DOCUMENT = {"file_id": "DOC1", "file_unique_id": "uDOC1", "file_name": "cd1.pdf", "file_size": 1000}


async def _person(db: Database, ext: int, name: str) -> Person:
    person, _, _ = await people.upsert_identity(
        db,
        channel=Channel.TELEGRAM,
        external_id=str(ext),
        chat_id=str(ext),
        display_name=name,
        language_code="en",
        now=NOW,
        is_admin=ext == GLOBAL,
    )
    await people.set_lang(db, person.id, "en")
    return person


async def _build(path: Path) -> World:
    db = await Database.open(path)
    try:
        a, _ = await save_version(
            db, vientiane_schedule(), created_by="test", source_hash="a1", now=NOW
        )
        a, _ = await save_version(
            db, revised(s4=dt.time(9, 0)), created_by="test", source_hash="a2", now=NOW
        )
        b, _ = await save_version(
            db, guangzhou_schedule(), created_by="test", source_hash="b1", now=NOW
        )
        made: dict[int, Person] = {}
        for ext, name in {**ACTORS, TARGET_TRAINEE: "Target", TARGET_MANAGER: "Deputy"}.items():
            made[ext] = await _person(db, ext, name)
        for ext, cls, role in (
            (TRAINEE_A, a, Role.TRAINEE),
            (MANAGER_A, a, Role.MANAGER),
            (ADMIN_A, a, Role.ADMIN),
            (TARGET_TRAINEE, a, Role.TRAINEE),
            (TARGET_MANAGER, a, Role.MANAGER),
            (REMOVED, a, Role.TRAINEE),
            (MANAGER_B, b, Role.MANAGER),
            (ADMIN_B, b, Role.ADMIN),
        ):
            await people.add_member(db, cls.id, made[ext].id, role, NOW)
            await people.set_active_class(db, made[ext].id, cls.id)
        await people.set_active_class(db, made[GLOBAL].id, a.id)  # a global admin asking about A
        await members.remove(db, made[ADMIN_A], a, made[REMOVED].id, now=NOW, lang="en")
        await groups.link(
            db, made[MANAGER_A], a.id, channel=Channel.TELEGRAM, chat_id=str(LINKED), now=NOW
        )
        staged = await uploads.stage_rollback(db, made[ADMIN_A], a, 1, now=NOW, lang="en")
        upload = next(
            b.action for row in staged.buttons for b in row if b.action.startswith("upl:ok:")
        )
        invite = await invites.create(db, a.id, Role.TRAINEE, now=NOW, by=made[MANAGER_A])
        ann, _ = await publish.create(
            db,
            made[ADMIN_A],
            publish.Draft(a.id, localized({"en": "Bus at 13:15"}), needs_ack=True),
            NOW,
        )
        results = "Họ và tên,Kết quả\ntrainee of A,Đạt\n".encode()
        preview = await sheet_uploads.stage(
            db, made[ADMIN_A], a, "results", results, "kq.csv", NOW, "en"
        )
        sheet = next(
            b.action for row in preview.buttons for b in row if b.action.startswith("sheet:ok:")
        )
        # Issue 18: A's live trainees list (the trainee of A matched by name, one row not),
        # a second list waiting for MANAGER_A's Confirm, a document waiting for its session.
        manager = made[MANAGER_A]
        live = await pocket_roster.stage(db, manager, a, ROSTER_CSV, "r.csv", now=NOW, lang="en")
        await pocket_roster.confirm(db, manager, _number(live, "pkr:ok:"), now=NOW, lang="en")
        entry = next(e for e in await roster_store.entries(db, a.id) if e.person_id is None)
        waiting = await pocket_roster.stage(db, manager, a, ROSTER_CSV, "r.csv", now=NOW, lang="en")
        picker = await materials.start_attach(
            db, manager, a, title="Slides", file_id="DOC1", now=NOW, lang="en"
        )
        material, session = picker.buttons[0][0].action.split(":")[1:]
        # Issue 12: B's admin sent an organiser's programme whose columns the bot could not
        # tell apart; the column-mapping questions wait for their answers.
        asked = await uploads.stage_file(
            db, made[ADMIN_B], ODD_PROGRAMME, "odd.xlsx", now=NOW, lang="en", class_code=B_CODE
        )
        mapping = asked.buttons[0][0].action.split(":")[1]
        assert entry.id is not None
        return World(
            a=a.id,
            b=b.id,
            upload=int(upload.rsplit(":", 1)[1]),
            invite_a=invite.invite.id,
            announcement_a=ann.id,
            people={ext: p.id for ext, p in made.items()},
            sheet=int(sheet.rsplit(":", 1)[1]),
            pending_roster=_number(waiting, "pkr:ok:"),
            entry=entry.id,
            material=int(material),
            session=int(session),
            mapping=int(mapping),
        )
    finally:
        await db.close()


def _number(reply: Any, prefix: str) -> int:
    """The id at the end of the reply's button whose data starts with ``prefix``."""
    action = next(b.action for row in reply.buttons for b in row if b.action.startswith(prefix))
    return int(action.rsplit(":", 1)[1])


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, World]:
    import asyncio

    path = tmp_path_factory.mktemp("matrix") / "world.db"
    world = asyncio.run(_build(path))
    return path, world


@contextlib.asynccontextmanager
async def fresh(template: tuple[Path, World], tmp_path: Path) -> AsyncIterator[Any]:
    """A started application on a copy of the world (ADMIN_IDS = the global admin)."""
    path = tmp_path / "copy.db"
    shutil.copy(template[0], path)
    db = await Database.open(path)
    request = RecordingRequest()
    try:
        async with started_app(db, FakeClock(NOW), request, admin_ids=frozenset({GLOBAL})) as app:
            yield app, request, db
    finally:
        await db.close()


def chat_of(actor: int, chat: str) -> dict[str, Any]:
    if chat == "private":
        return {"id": actor, "type": "private"}
    return {"id": LINKED if chat == "linked group" else UNLINKED, "type": "group", "title": "G"}


async def say(
    app: BotApp,
    actor: int,
    text: str,
    chat: str,
    *,
    edited: bool = False,
    reply_to: dict[str, Any] | None = None,
) -> None:
    data = message_json(
        text,
        user_json(actor, ACTORS.get(actor, "X"), "en"),
        chat=chat_of(actor, chat),
        reply_to=reply_to,
    )
    if edited:
        data["edited_message"] = data.pop("message")
        data["edited_message"]["edit_date"] = data["edited_message"]["date"]
    await feed(app, data)


async def tap(app: BotApp, actor: int, data: str, chat: str) -> None:
    update = tap_json(
        data,
        user_json(actor, ACTORS.get(actor, "X"), "en"),
        RecordingRequest.me,
        message_id=77,
        chat=chat_of(actor, chat),
    )
    await feed(app, update)


def personal(request: RecordingRequest) -> str | None:
    """Whose personal data (room, phone) the answer shows: ``roster`` (A's whole list),
    ``card`` (the trainee of A's own card only), or None."""
    shown = " ".join(c.text for c in request.messages())
    if ROOM_OTHER in shown or PHONE_OTHER in shown:
        return "roster"
    if ROOM_OWN in shown or PHONE_OWN in shown:
        return "card"
    return None


def command_outcome(request: RecordingRequest) -> str:
    texts = [c.text for c in request.messages()]
    assert APOLOGY not in texts, "ended in the error handler"
    if not texts:
        return "silent"
    shown = personal(request)
    if shown is not None:
        return shown
    last = texts[-1]
    if last in NOT_JOINED:
        return "not joined"
    for pointer, outcome in POINTERS.items():
        if last == pointer:
            return outcome
    return "refused" if last in REFUSALS else "allowed"


def tap_outcome(request: RecordingRequest) -> str:
    assert APOLOGY not in [c.text for c in request.messages()], "ended in the error handler"
    answers = request.sent("answerCallbackQuery")
    assert len(answers) == 1, "every tap is answered exactly once"
    answer = answers[0].params
    text = str(answer.get("text") or "")
    touched = request.messages()
    if answer.get("show_alert") or text in REFUSALS:
        assert not touched, "a refused tap must not edit or send anything"
        return "refused"
    if text in EXPIRED:
        assert not touched, "an expired tap must not edit or send anything"
        return "expired"
    if text in POINTERS:
        assert not touched, "a tap pointed elsewhere must not edit or send anything"
        return POINTERS[text]
    return "allowed"


# -- commands -------------------------------------------------------------------------------

Expect = Callable[[str], dict[int, str]]


def everywhere(allowed: set[int]) -> Expect:
    """Allowed for ``allowed`` in any chat, refused for the rest."""
    return lambda chat: {a: "allowed" if a in allowed else "refused" for a in ACTORS}


def private_only(allowed: set[int]) -> Expect:
    """In a private chat: allowed or refused; in any group: the pointer, for everyone."""

    def expect(chat: str) -> dict[int, str]:
        if chat != "private":
            return dict.fromkeys(ACTORS, "private")
        return {a: "allowed" if a in allowed else "refused" for a in ACTORS}

    return expect


def group_only(linked: set[int], unlinked: set[int]) -> Expect:
    def expect(chat: str) -> dict[int, str]:
        if chat == "private":
            return dict.fromkeys(ACTORS, "group")
        allowed = linked if chat == "linked group" else unlinked
        return {a: "allowed" if a in allowed else "refused" for a in ACTORS}

    return expect


def each(default: str, cases: dict[str, set[int]] | None = None) -> dict[int, str]:
    """``default`` for every actor but those listed under another outcome."""
    table = dict.fromkeys(ACTORS, default)
    for outcome, actors in (cases or {}).items():
        table.update(dict.fromkeys(actors, outcome))
    return table


def per_chat(private: dict[int, str], linked: dict[int, str], unlinked: dict[int, str]) -> Expect:
    return {"private": private, "linked group": linked, "unlinked group": unlinked}.__getitem__


OUTSIDERS = {STRANGER, REMOVED}
"""Nobody's class in a private chat: told to open their invitation link."""
OF_B = {MANAGER_B, ADMIN_B}
"""Their own class (B) is the one they ask about in a private chat."""


def pocket_question() -> Expect:
    """/contacts, /materials: for the class asked about, in private or in its linked group."""
    return per_chat(each("allowed", {"not joined": OUTSIDERS}), each("allowed"), each("not joined"))


def roster_command(managers: str) -> Expect:
    """/roster [links]: A's managers get the list (``managers``), its trainee their own card,
    B's managers B's list; in a group only a pointer to the private chat."""
    return per_chat(
        each(
            "allowed",
            {managers: MANAGERS_A, "card": {TRAINEE_A}, "not joined": OUTSIDERS},
        ),
        each("private"),
        each("not joined"),
    )


AS_REPLY_TO_DOCUMENT = {"/attach"}
"""Commands sent as a reply to a document (a PDF of the lecture)."""

COMMANDS: dict[str, Expect] = {
    # Issue 18, the pocket. Personal data (rooms, phones) only to its owner and A's managers,
    # only in a private chat: /me in a group points to the private chat, for everyone.
    "/me": per_chat(
        each("allowed", {"card": {TRAINEE_A}, "not joined": OUTSIDERS}),
        each("private"),
        each("not joined"),
    ),
    "/contacts": pocket_question(),
    "/materials": pocket_question(),
    # The same in plain words; a group hears only words addressed to the bot.
    "my room": per_chat(
        each("allowed", {"card": {TRAINEE_A}, "not joined": OUTSIDERS}),
        each("silent"),
        each("silent"),
    ),
    "@classbot_test_bot my room": per_chat(
        each("allowed", {"card": {TRAINEE_A}, "not joined": OUTSIDERS}),
        each("private"),
        each("not joined"),
    ),
    "/roster": roster_command("roster"),
    "/roster links": roster_command("allowed"),  # one invite per row: names, no rooms
    # Attaching a document to a session: the managers of the class it is for.
    "/attach": per_chat(
        each("allowed", {"refused": {TRAINEE_A}, "not joined": OUTSIDERS}),
        each("refused", {"allowed": MANAGERS_A}),
        each("not joined"),
    ),
    f"/members {A_CODE}": private_only(MANAGERS_A),
    f"/invite {A_CODE}": private_only(MANAGERS_A),
    f"/invite {A_CODE} trainee 5 2": private_only(MANAGERS_A),
    # 1: managers make trainee links only; a manager link is a promotion (class admins).
    f"/invite {A_CODE} manager 5 2": private_only(ADMINS_A),
    f"/invite {A_CODE} admin 5 2": private_only({GLOBAL}),
    f"/promote {A_CODE} {{target_trainee}}": private_only(ADMINS_A),
    # 4: roles (and a promoted global admin's) can be lowered again, by those who raise them.
    f"/demote {A_CODE} {{target_manager}}": private_only(ADMINS_A),
    f"/remove {A_CODE} {{target_trainee}}": private_only(MANAGERS_A),
    f"/remove {A_CODE} {{target_manager}}": private_only(ADMINS_A),
    f"/versions {A_CODE}": private_only(ADMINS_A),
    f"/rollback {A_CODE} 1": private_only(ADMINS_A),
    f"/audit {A_CODE}": private_only(ADMINS_A),
    "/audit all": private_only({GLOBAL}),
    f"/broadcast {A_CODE} Bus at 13:15": private_only(MANAGERS_A),
    f"/report {A_CODE}": private_only(MANAGERS_A),
    # /upload acts on one's own class (admins of B upload to B); /newclass: global admins.
    "/upload": private_only({ADMIN_A, ADMIN_B, GLOBAL}),
    "/newclass": private_only({GLOBAL}),
    f"/export {A_CODE}": everywhere(MANAGERS_A),
    f"/rollcall {A_CODE}": everywhere(MANAGERS_A),
    f"/settings {A_CODE}": everywhere(MANAGERS_A),
    f"/linkgroup {A_CODE}": group_only(MANAGERS_A, MANAGERS_A),
    # 2: moving A's group to B needs a role in A (where it is linked) and in B.
    f"/linkgroup {B_CODE}": group_only({GLOBAL}, MANAGERS_B),
    # Issue 17: attendance and evaluation, private chats only (they show names and results).
    # /attendance, /evaluation, /results: one's own for trainees, the class's for managers.
    f"/attendance {A_CODE}": private_only(MEMBERS_A | {GLOBAL}),
    f"/evaluation {A_CODE}": private_only(MEMBERS_A | {GLOBAL}),
    f"/results {A_CODE}": private_only(MEMBERS_A | {GLOBAL}),
    # /signin: trainees get their own record and nothing changes.
    f"/signin {A_CODE} code 5": private_only(MEMBERS_A | {GLOBAL}),
    f"/mark {A_CODE} 1 present": private_only(MANAGERS_A),
    f"/ratings {A_CODE}": private_only(MANAGERS_A),
    f"/closing {A_CODE}": private_only(MANAGERS_A),
    f"/evalform {A_CODE}": private_only(ADMINS_A),
}


def _fill(text: str, world: World) -> str:
    return text.format(
        target_trainee=world.people[TARGET_TRAINEE], target_manager=world.people[TARGET_MANAGER]
    )


@pytest.mark.parametrize("chat", CHATS)
@pytest.mark.parametrize("command", list(COMMANDS))
async def test_every_privileged_command(
    template: tuple[Path, World], tmp_path: Path, command: str, chat: str
) -> None:
    world = template[1]
    outcomes: dict[int, str] = {}
    async with fresh(template, tmp_path) as (app, request, _db):
        for actor in ACTORS:
            request.clear()
            document = None
            if command in AS_REPLY_TO_DOCUMENT:
                document = {
                    "message_id": 5,
                    "date": 0,
                    "chat": chat_of(actor, chat),
                    "document": DOCUMENT,
                }
            await say(app, actor, _fill(command, world), chat, reply_to=document)
            outcomes[actor] = command_outcome(request)
    expected = COMMANDS[command](chat)
    assert {ACTORS[a]: o for a, o in outcomes.items()} == {
        ACTORS[a]: o for a, o in expected.items()
    }


# -- buttons --------------------------------------------------------------------------------


def taps_everywhere(allowed: set[int], rest: str = "refused") -> Expect:
    return lambda chat: {a: "allowed" if a in allowed else rest for a in ACTORS}


def day_expect(chat: str) -> dict[int, str]:
    # Anyone reading A's linked group may page through A's days; elsewhere A's members.
    allowed = set(ACTORS) if chat == "linked group" else MEMBERS_A | {GLOBAL}
    return {a: "allowed" if a in allowed else "expired" for a in ACTORS}


def private_taps(allowed: set[int]) -> Expect:
    """Personal data (the trainees list as a file): ``allowed`` get it in a private chat only;
    in a group their tap points to the private chat; everyone else is refused."""

    def expect(chat: str) -> dict[int, str]:
        outcome = "allowed" if chat == "private" else "private"
        return {a: outcome if a in allowed else "refused" for a in ACTORS}

    return expect


BUTTONS: dict[str, Expect] = {
    # Issue 18, the pocket: a previewed trainees list is its uploader's to confirm or cancel.
    "pkr:ok:{pending_roster}": taps_everywhere({MANAGER_A}),
    "pkr:no:{pending_roster}": taps_everywhere({MANAGER_A}),
    # Matching members to rows (names only): A's managers, wherever the picker is.
    "pkm:{a}": taps_everywhere(MANAGERS_A),
    "pkm:{a}:{target_trainee}": taps_everywhere(MANAGERS_A),
    "pkm:{a}:{target_trainee}:{entry}": taps_everywhere(MANAGERS_A),
    "pkx:{a}": private_taps(MANAGERS_A),
    "pkx:{b}": private_taps(MANAGERS_B),
    "pka:{material}:{session}": taps_everywhere(MANAGERS_A),
    # The week as a picture: who may page through A's days may see A's week.
    "pkw:{a}:{monday}": day_expect,
    "upl:ok:{upload}": taps_everywhere({ADMIN_A}),  # only the admin who staged it
    "upl:no:{upload}": taps_everywhere({ADMIN_A}),
    "inv:new:{a}:trainee": taps_everywhere(MANAGERS_A),
    "inv:new:{a}:manager": taps_everywhere(ADMINS_A),
    "inv:new:{a}:admin": taps_everywhere({GLOBAL}),
    "inv:list:{a}": taps_everywhere(MANAGERS_A),
    "inv:rv:{invite}": taps_everywhere(MANAGERS_A),
    # 9: a stranger's tap on a manager's export picker is refused to them; the picker stays.
    "exp:{a}:csv": taps_everywhere(MANAGERS_A),
    "exp:{b}:csv": taps_everywhere(MANAGERS_B),
    "mark:{a}:s3:2024-07-15:{target_trainee}": taps_everywhere(MANAGERS_A),
    "rollcall:{a}:s3:2024-07-15": taps_everywhere(MANAGERS_A),
    "checkin:{a}:s3:2024-07-15": taps_everywhere(MEMBERS_A | {GLOBAL}, "expired"),
    "ack:{announcement}": taps_everywhere({TRAINEE_A, MANAGER_A}, "expired"),
    "day:{a}:2024-07-16": day_expect,
    "visit:{a}:s3": day_expect,  # a visit's full card: like a day of the class
    "help:all": taps_everywhere(set(ACTORS)),  # the commands: anyone may read them
    "class:{a}": taps_everywhere(MEMBERS_A, "expired"),
    "lang:en": taps_everywhere(set(ACTORS)),
    "remind:off": taps_everywhere(set(ACTORS)),
    # 7: outside a /broadcast of one's own, the broadcast buttons mean nothing.
    "bcast:class:{a}": taps_everywhere(set(), "expired"),
    "bcast:aud:class": taps_everywhere(set(), "expired"),
    "bcast:send": taps_everywhere(set(), "expired"),
    # Issue 17. A trainee's buttons: a non-trainee member is told so (a toast, nothing
    # changes); outside the class they mean nothing.
    "att:in:{a}:s2:2024-07-15": taps_everywhere(MEMBERS_A | {GLOBAL}, "expired"),
    "rate:{a}:s2:2024-07-15:5": taps_everywhere(MEMBERS_A | {GLOBAL}, "expired"),
    "rate:c:{a}:s2:2024-07-15": taps_everywhere(MEMBERS_A | {GLOBAL}, "expired"),
    "ev:{a}:1:5": taps_everywhere(MEMBERS_A | {GLOBAL}, "expired"),
    "ev:{a}:go": taps_everywhere(MEMBERS_A | {GLOBAL}, "expired"),
    # The register: managers only.
    "att:ls:{a}:s2:2024-07-15": taps_everywhere(MANAGERS_A),
    "att:mk:{a}:s2:2024-07-15:{target_trainee}:p": taps_everywhere(MANAGERS_A),
    # A staged results sheet: only the admin who sent it.
    "sheet:ok:{sheet}": taps_everywhere({ADMIN_A}),
    "sheet:no:{sheet}": taps_everywhere({ADMIN_A}),
    # Issue 12. The column mapping of a programme: only the admin who sent it (B's).
    "map:{mapping}:a": taps_everywhere({ADMIN_B}),
    "map:{mapping}:-": taps_everywhere({ADMIN_B}),
    # A new class's questions are asked in the private chat of whoever sent the programme;
    # with no such questions under way (this world) they mean nothing to anyone. Asked:
    # test_only_the_organiser_creating_a_class_answers_its_questions.
    "ncl:name": taps_everywhere(set(), "expired"),
    "ncl:dates": taps_everywhere(set(), "expired"),
    "ncl:cancel": taps_everywhere(set(), "expired"),
    "ncl:tz:Asia/Vientiane": taps_everywhere(set(), "expired"),
    "ncl:lang:lo": taps_everywhere(set(), "expired"),
}


def _data(pattern: str, world: World) -> str:
    return pattern.format(
        a=world.a,
        b=world.b,
        upload=world.upload,
        invite=world.invite_a,
        announcement=world.announcement_a,
        target_trainee=world.people[TARGET_TRAINEE],
        sheet=world.sheet,
        pending_roster=world.pending_roster,
        entry=world.entry,
        material=world.material,
        session=world.session,
        mapping=world.mapping,
        monday=MONDAY,
    )


def test_the_matrix_covers_every_button_shape() -> None:
    from bot import buttons

    world = World(
        1,
        2,
        3,
        4,
        5,
        {TARGET_TRAINEE: 6},
        sheet=7,
        pending_roster=8,
        entry=9,
        material=10,
        session=11,
        mapping=12,
    )
    tried = {buttons.parse(_data(p, world)) for p in BUTTONS}
    names = {p.name for p in tried if p is not None}
    assert names >= {p.name for p in buttons.PATTERNS} - {"bcast:lang"}


@pytest.mark.parametrize("chat", CHATS)
@pytest.mark.parametrize("pattern", list(BUTTONS))
async def test_every_button(
    template: tuple[Path, World], tmp_path: Path, pattern: str, chat: str
) -> None:
    world = template[1]
    outcomes: dict[int, str] = {}
    async with fresh(template, tmp_path) as (app, request, _db):
        for actor in ACTORS:
            request.clear()
            await tap(app, actor, _data(pattern, world), chat)
            outcomes[actor] = tap_outcome(request)
    expected = BUTTONS[pattern](chat)
    assert {ACTORS[a]: o for a, o in outcomes.items()} == {
        ACTORS[a]: o for a, o in expected.items()
    }


def well_formed(data: str) -> bool:
    from bot import buttons

    return buttons.parse(data) is not None


def malformed(data: str) -> list[str]:
    """Forged and broken variants of button data: none is a button the bot emits (a variant of
    a session key may be well formed but names no departure: no longer active all the same)."""
    parts = data.split(":")
    variants = [
        data + ":1",  # an extra field
        ":".join(parts[:-1]),  # a missing field
        data + "x",  # junk at the end
        data.replace(":", "::", 1),
        " " + data,
        data.upper() if data != data.upper() else data + "!",
    ]
    for i, part in enumerate(parts):
        for bad in ("99999999999999999999", "-1", "0", "1e9", "9999-12-31", "2024-02-30", "x" * 80):
            if part != bad:
                variants.append(":".join([*parts[:i], bad, *parts[i + 1 :]]))
    return [v for v in variants if v != data]


@pytest.mark.parametrize("pattern", list(BUTTONS))
async def test_malformed_and_forged_buttons_are_no_longer_active(
    template: tuple[Path, World], tmp_path: Path, pattern: str
) -> None:
    """8: huge integers, impossible dates, junk: answered "no longer active", no traceback."""
    world = template[1]
    real = {_data(p, world) for p in BUTTONS}  # pkm:<a>:<b> is pkm:<a>:<b>:<c> cut short
    variants = [v for v in malformed(_data(pattern, world)) if v not in real]
    assert variants
    async with fresh(template, tmp_path) as (app, request, _db):
        for actor in (MANAGER_A, GLOBAL, STRANGER):
            for data in variants:
                request.clear()
                await tap(app, actor, data, "linked group")
                # Refused (a forged but well-formed key, tapped by a non-manager) or no longer
                # active; never allowed, never an edit, never the error handler's apology.
                assert tap_outcome(request) in ("expired", "refused"), data
                if not well_formed(data):
                    assert tap_outcome(request) == "expired", data


async def test_replayed_buttons_change_nothing_the_second_time(
    template: tuple[Path, World], tmp_path: Path
) -> None:
    world = template[1]
    async with fresh(template, tmp_path) as (app, request, db):
        for data in (f"upl:ok:{world.upload}", f"inv:rv:{world.invite_a}"):
            await tap(app, ADMIN_A, data, "private")
            request.clear()
            before = await db.fetchall("SELECT COUNT(*) FROM audit_log")
            await tap(app, ADMIN_A, data, "private")
            assert await db.fetchall("SELECT COUNT(*) FROM audit_log") == before, data
            assert tap_outcome(request) == "allowed"  # says it is already done, in place


async def test_an_edited_command_never_runs_again(
    template: tuple[Path, World], tmp_path: Path
) -> None:
    """10: editing `/remove A 8` into `/remove A 9` removes nobody; an edited /start does not
    enrol."""
    world = template[1]
    async with fresh(template, tmp_path) as (app, request, db):
        made = await invites.create(db, world.a, Role.TRAINEE, now=NOW)
        await say(
            app,
            MANAGER_A,
            f"/remove {A_CODE} {world.people[TARGET_TRAINEE]}",
            "private",
            edited=True,
        )
        await say(app, STRANGER, f"/start {made.code}", "private", edited=True)
        assert request.messages() == []
        assert await people.get_membership(db, world.a, world.people[TARGET_TRAINEE])
        assert await people.get_membership(db, world.a, world.people[STRANGER]) is None


async def test_a_forged_class_pick_is_refused_before_any_preview(
    template: tuple[Path, World], tmp_path: Path
) -> None:
    """7: a manager of two classes (B and another) who is a trainee of A starts /broadcast and
    forges the pick of A: refused at once; no preview of A's audience is ever shown."""
    world = template[1]
    async with fresh(template, tmp_path) as (app, request, db):
        third, _ = await save_version(
            db,
            dataclasses.replace(
                guangzhou_schedule(),
                cls=dataclasses.replace(guangzhou_schedule().cls, code="THIRD-2025"),
            ),
            created_by="test",
            source_hash="c",
            now=NOW,
        )
        manager_b = world.people[MANAGER_B]
        await people.add_member(db, third.id, manager_b, Role.MANAGER, NOW)
        await people.add_member(db, world.a, manager_b, Role.TRAINEE, NOW)
        await people.set_active_class(db, manager_b, world.a)  # asks about A, as a trainee
        await say(app, MANAGER_B, "/broadcast Bus moved", "private")
        picker = request.messages()[-1]
        assert {d for row in picker.buttons for _l, d in row} == {
            f"bcast:class:{world.b}",
            f"bcast:class:{third.id}",
        }
        request.clear()
        await tap(app, MANAGER_B, f"bcast:class:{world.a}", "private")
        assert tap_outcome(request) == "refused"
        for step in ("bcast:lang:none", "bcast:aud:class", "bcast:send"):
            await tap(app, MANAGER_B, step, "private")
        assert not any("Preview" in c.text for c in request.messages())
        count = await db.fetchall(
            "SELECT COUNT(*) FROM announcements WHERE class_id = ?", (world.a,)
        )
        assert count[0][0] == 1  # only the world's own announcement


def test_update_json_round_trips() -> None:
    """The helpers build updates PTB accepts (an edited message included)."""
    data = message_json("/help", user_json(1, "X", "en"))
    data["edited_message"] = data.pop("message")
    data["edited_message"]["edit_date"] = data["edited_message"]["date"]
    assert Update.de_json(data, None).edited_message is not None  # type: ignore[arg-type]


async def test_a_removed_member_cannot_rejoin_with_an_old_link(
    template: tuple[Path, World], tmp_path: Path
) -> None:
    """3: after /remove, the class's link made before no longer admits them; a new one does."""
    world = template[1]
    async with fresh(template, tmp_path) as (app, request, db):
        target = world.people[TARGET_TRAINEE]
        made_before = await invites.create(db, world.a, Role.TRAINEE, now=NOW, uses=60)
        await say(app, MANAGER_A, f"/remove {A_CODE} {target}", "private")
        assert await people.get_membership(db, world.a, target) is None
        request.clear()
        await say(app, TARGET_TRAINEE, f"/start {made_before.code}", "private")
        assert await people.get_membership(db, world.a, target) is None
        assert "removed from this class" in request.messages()[0].text
        made_after = await invites.create(db, world.a, Role.TRAINEE, now=NOW)
        await say(app, TARGET_TRAINEE, f"/start {made_after.code}", "private")
        assert await people.get_membership(db, world.a, target) is not None


async def test_a_link_never_changes_a_members_role(
    template: tuple[Path, World], tmp_path: Path
) -> None:
    """1: a one-use manager link redeemed by existing trainees raises nobody and counts right."""
    world = template[1]
    async with fresh(template, tmp_path) as (app, _request, db):
        made = await invites.create(db, world.a, Role.MANAGER, now=NOW, uses=1)
        for trainee in (TRAINEE_A, TARGET_TRAINEE):
            await say(app, trainee, f"/start {made.code}", "private")
            membership = await people.get_membership(db, world.a, world.people[trainee])
            assert membership is not None and membership.role is Role.TRAINEE
        await say(app, STRANGER, f"/start {made.code}", "private")  # the one real use
        joined = await people.get_membership(db, world.a, world.people[STRANGER])
        assert joined is not None and joined.role is Role.MANAGER
        invite = await invites.get(db, made.invite.id)
        assert invite is not None and (invite.uses, invite.max_uses) == (1, 1)


async def test_global_admin_is_admin_ids_at_each_start_plus_revocable_promotions(
    template: tuple[Path, World], tmp_path: Path
) -> None:
    """4: an id taken out of ADMIN_IDS is no admin after a restart; a promotion is audited
    and /demote revokes it; an ADMIN_IDS admin cannot be demoted in the chat."""
    world = template[1]
    path = tmp_path / "copy.db"
    shutil.copy(template[0], path)
    db = await Database.open(path)
    try:
        request = RecordingRequest()
        async with started_app(db, FakeClock(NOW), request, admin_ids=frozenset({GLOBAL})) as app:
            await say(app, GLOBAL, f"/promote {A_CODE} {world.people[ADMIN_A]}", "private")
            assert (await people.get_person(db, world.people[ADMIN_A])).is_admin  # type: ignore[union-attr]
            request.clear()
            await say(app, ADMIN_A, f"/demote {A_CODE} {world.people[GLOBAL]}", "private")
            assert "ADMIN_IDS" in request.messages()[-1].text
        # Restart without the global admin in ADMIN_IDS: no longer an admin, anywhere.
        async with started_app(db, FakeClock(NOW), request, admin_ids=frozenset()) as app:
            assert not (await people.get_person(db, world.people[GLOBAL])).is_admin  # type: ignore[union-attr]
            request.clear()
            await say(app, GLOBAL, "/audit all", "private")
            assert request.messages()[-1].text in REFUSALS
            # The promoted admin stays one until demoted (by a global admin, audited).
            assert (await people.get_person(db, world.people[ADMIN_A])).is_admin  # type: ignore[union-attr]
            await say(app, ADMIN_A, f"/demote {A_CODE} {world.people[ADMIN_A]}", "private")
            assert (await people.get_person(db, world.people[ADMIN_A])).is_admin  # type: ignore[union-attr]
        async with started_app(db, FakeClock(NOW), request, admin_ids=frozenset({GLOBAL})) as app:
            await say(app, GLOBAL, f"/demote {A_CODE} {world.people[ADMIN_A]}", "private")
            assert not (await people.get_person(db, world.people[ADMIN_A])).is_admin  # type: ignore[union-attr]
            request.clear()
            await say(app, ADMIN_A, "/audit all", "private")
            assert request.messages()[-1].text in REFUSALS
        actions = [r[0] for r in await db.fetchall("SELECT action FROM audit_log ORDER BY id")]
        assert "member.promote" in actions and "member.demote" in actions
    finally:
        await db.close()


async def test_relinking_a_group_is_in_both_classes_audit_logs(
    template: tuple[Path, World], tmp_path: Path
) -> None:
    """2: a global admin moves A's group to B: A's admins see it in A's log, B's in B's."""
    world = template[1]
    async with fresh(template, tmp_path) as (app, _request, db):
        await say(app, GLOBAL, f"/linkgroup {B_CODE}", "linked group")
        logged = await db.fetchall(
            "SELECT class_id FROM audit_log WHERE action = 'group.relink' ORDER BY class_id"
        )
        assert [r[0] for r in logged] == sorted([world.a, world.b])


async def test_one_manager_cannot_flood_past_the_hourly_cap(
    template: tuple[Path, World], tmp_path: Path
) -> None:
    """5: past ANNOUNCEMENTS_PER_HOUR a manager gets a clear answer and nothing is queued."""
    world = template[1]
    async with fresh(template, tmp_path) as (app, request, db):
        app.bot_data.settings = dataclasses.replace(app.bot_data.settings, announcements_per_hour=3)
        for n in range(4):
            await say(app, MANAGER_A, f"/broadcast {A_CODE} Spam {n}", "private")
            for step in ("bcast:lang:none", "bcast:aud:class", "bcast:send"):
                await tap(app, MANAGER_A, step, "private")
        assert "the most allowed" in request.messages()[-1].text
        sent = await db.fetchall(
            "SELECT COUNT(*) FROM announcements WHERE sender_person_id = ?",
            (world.people[MANAGER_A],),
        )
        assert sent[0][0] == 3


async def test_a_stale_or_forged_match_never_hands_a_card_to_someone_else(
    template: tuple[Path, World], tmp_path: Path
) -> None:
    """A manager's row picker offers free rows only; a stale one (another manager matched the
    row meanwhile) or a forged ``pkm:`` naming the trainee of A's row must not move their card
    (room, phone) to another member: no longer active, nothing changed."""
    world = template[1]
    async with fresh(template, tmp_path) as (app, request, db):
        held = next(e for e in await roster_store.entries(db, world.a) if e.person_id is not None)
        assert held.person_id == world.people[TRAINEE_A]
        await tap(
            app, MANAGER_A, f"pkm:{world.a}:{world.people[TARGET_TRAINEE]}:{held.id}", "private"
        )
        assert tap_outcome(request) == "expired"
        assert await roster_store.entry_of(db, world.a, world.people[TRAINEE_A]) == held
        assert await roster_store.entry_of(db, world.a, world.people[TARGET_TRAINEE]) is None


async def test_a_trainees_preview_is_confirmed_once_and_only_while_its_sender_manages(
    template: tuple[Path, World], tmp_path: Path
) -> None:
    """The role is read when the tap runs: a manager demoted after sending the list can no
    longer confirm it; while they manage, a second Confirm changes nothing and says so."""
    world = template[1]
    confirm = f"pkr:ok:{world.pending_roster}"
    async with fresh(template, tmp_path) as (app, request, db):
        await tap(app, MANAGER_A, confirm, "private")
        assert tap_outcome(request) == "allowed"
        before = await db.fetchall("SELECT COUNT(*) FROM audit_log")
        request.clear()
        await tap(app, MANAGER_A, confirm, "private")
        assert tap_outcome(request) == "allowed"  # in place: no longer waiting
        assert "no longer waiting" in request.messages()[-1].text
        assert await db.fetchall("SELECT COUNT(*) FROM audit_log") == before
    (tmp_path / "again").mkdir()
    async with fresh(template, tmp_path / "again") as (app, request, db):
        await say(app, ADMIN_A, f"/demote {A_CODE} {world.people[MANAGER_A]}", "private")
        membership = await people.get_membership(db, world.a, world.people[MANAGER_A])
        assert membership is not None and membership.role is Role.TRAINEE
        request.clear()
        await tap(app, MANAGER_A, confirm, "private")
        assert tap_outcome(request) == "refused"
        state = await db.fetchall(
            "SELECT state FROM pending_rosters WHERE id = ?", (world.pending_roster,)
        )
        assert state[0][0] == "pending"


async def test_only_the_organiser_creating_a_class_answers_its_questions(
    template: tuple[Path, World], tmp_path: Path
) -> None:
    """Issue 12: /newclass with an organiser's programme asks the class details in the private
    chat of the global admin who sent it; the same buttons and words from anyone else, in
    their own chat, mean nothing (their words go to the assistant as usual)."""
    async with fresh(template, tmp_path) as (app, request, db):
        await say(app, GLOBAL, "/newclass", "private")
        request.serve_file("PROG", PROGRAMME)
        document = {
            "file_id": "PROG",
            "file_unique_id": "uPROG",
            "file_name": "lich.xlsx",
            "file_size": len(PROGRAMME),
        }
        message = message_json(
            "",
            user_json(GLOBAL, "global admin", "en"),
            chat=chat_of(GLOBAL, "private"),
            document=document,
        )
        await feed(app, message)
        assert "code" in request.messages()[-1].text  # the class code is asked first
        for actor in ACTORS:
            if actor == GLOBAL:
                continue
            request.clear()
            await say(app, actor, "VTE-NEW-07", "private")
            answered = request.messages()
            assert not any(
                d.startswith("ncl:") for c in answered for row in c.buttons for _l, d in row
            )
            for data in ("ncl:name", "ncl:cancel", "ncl:lang:lo"):
                request.clear()
                await tap(app, actor, data, "private")
                assert tap_outcome(request) == "expired", (actor, data)
        request.clear()
        await say(app, GLOBAL, "VTE-NEW-07", "private")
        asked = request.messages()[-1]
        name = next(d for row in asked.buttons for _l, d in row if d == "ncl:name")
        request.clear()
        await tap(app, GLOBAL, name, "private")
        assert tap_outcome(request) == "allowed"
        request.clear()
        await tap(app, GLOBAL, "ncl:cancel", "private")
        assert tap_outcome(request) == "allowed"
        made = await db.fetchall("SELECT COUNT(*) FROM classes WHERE code = 'VTE-NEW-07'")
        assert made[0][0] == 0


PROGRAMME = vi_merged_dates()
