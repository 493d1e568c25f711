"""The roster: each trainee's card (room, bus and seat, group leader …) and its upkeep.

A class manager sends the trainees sheet (the class workbook itself, or a
roster workbook or CSV) after ``/roster``; it is validated like a schedule and
previewed with who it matched, then applied on Confirm. Rows keep their match
across uploads by name; members are matched automatically when their name is
the row's, by the manager with buttons, or by opening the row's own invite
link. Personal data (room, phone) is shown to the member it belongs to and to
the class's managers only, and only in a private chat.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from bot.agenda.cards import SPOKEN_NAMES
from bot.domain import Member, Person, Role, TrainingClass
from bot.i18n import _, use_lang
from bot.people import invites, permissions
from bot.people.permissions import MANAGERS, Forbidden
from bot.pocket.workbook import has_trainees_sheet, read_roster
from bot.replies import Block, Button, Document, Reply
from bot.schedule.columns import fold
from bot.schedule.problems import ScheduleProblems
from bot.store import audit, classes, pending_uploads, people
from bot.store import roster as store
from bot.store.database import Database
from bot.store.roster import RosterEntry

PREVIEW_FOR = dt.timedelta(hours=24)
PREVIEW_LINES = 12
MAX_BUTTONS = 30
CONFIRM, CANCEL = "pkr:ok:", "pkr:no:"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class NotYours(Exception):
    """A manager tapped another manager's preview: ``text`` is answered to them alone."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def problems_reply(error: ScheduleProblems, lang: str) -> Reply:
    """Every problem of a refused trainees file, with sheet, row and column."""
    with use_lang(lang):
        return Reply(
            blocks=(
                Block(
                    (_("Nothing was changed. Please correct the file and send it again."),),
                    _("The file was not accepted"),
                ),
                Block(tuple(error.lines(lang))),
            )
        )


def _name_key(name: str) -> str:
    return fold(name)


def _seat_text(entry: RosterEntry) -> str:
    if entry.bus and entry.seat:
        return _("bus {bus}, seat {seat}").format(bus=entry.bus, seat=entry.seat)
    if entry.bus:
        return _("bus {bus}").format(bus=entry.bus)
    return ""


def card_lines(entry: RosterEntry, *, private: bool = True) -> tuple[str, ...]:
    """A roster row as lines in the active language (without phone and room unless private)."""
    lines = [_("Name: {name}").format(name=entry.name)]
    if entry.unit:
        lines.append(_("Delegation / unit: {unit}").format(unit=entry.unit))
    if private and entry.room:
        room = _("Hotel room: {room}").format(room=entry.room)
        if entry.roommate:
            room += " " + _("(with {name})").format(name=entry.roommate)
        lines.append(room)
    if entry.bus:
        lines.append(_("Bus: {seat}").format(seat=_seat_text(entry)))
    if entry.leader:
        lines.append(_("Group leader: {name}").format(name=entry.leader))
    if entry.lang:
        lines.append(_("Language: {lang}").format(lang=_(SPOKEN_NAMES[entry.lang])))
    if private and entry.phone:
        lines.append(_("Phone: {phone}").format(phone=entry.phone))
    return tuple(lines)


async def card_reply(
    db: Database,
    person: Person,
    cls: TrainingClass,
    lang: str,
    *,
    focus: str | None = None,
    private: bool = True,
) -> Reply:
    """``/me``, "my room", "which bus": the asker's own card (never someone else's)."""
    role = await permissions.role_in(db, person, cls.id)
    with use_lang(lang):
        if not private:
            return Reply.text(
                _("Your card holds personal details: please ask me in a private chat.")
            )
        entry = await store.entry_of(db, cls.id, person.id)
        if entry is None:
            lines = [
                _(
                    "I do not have your card for {name} yet: the organisers have not matched "
                    "you to the trainees list. Please ask a class manager."
                ).format(name=cls.title(lang))
            ]
            if role in MANAGERS:
                lines.append(_("Managers: /roster shows the whole list and matches members."))
            return Reply.text(*lines)
        head: list[str] = []
        if focus == "room":
            head.append(
                _("Your room: {room}.").format(room=entry.room)
                if entry.room
                else _("No hotel room is given for you yet.")
            )
        elif focus == "bus":
            head.append(
                _("Your seat: {seat}.").format(seat=_seat_text(entry))
                if entry.bus
                else _("No bus is given for you yet.")
            )
        blocks = ([Block(tuple(head))] if head else []) + [
            Block(card_lines(entry), _("My card: {name}").format(name=cls.title(lang)))
        ]
        return Reply(blocks=tuple(blocks))


async def _members(db: Database, cls: TrainingClass) -> list[Member]:
    return await people.class_members(db, cls.id, (Role.TRAINEE,))


async def roster_reply(db: Database, person: Person, cls: TrainingClass, lang: str) -> Reply:
    """``/roster`` for managers: every row with room, bus and seat, and who is matched."""
    await permissions.require(db, person, cls.id, MANAGERS)
    rows = await store.entries(db, cls.id)
    with use_lang(lang):
        title = _("Trainees list: {name}").format(name=cls.title(lang))
        if not rows:
            text = _(
                "There is no trainees list yet. Send the workbook with its trainees sheet "
                "(or a CSV) after /roster."
            )
            return Reply.text(text, title=title)
        members = {m.person.id: m.person.display_name for m in await _members(db, cls)}
        lines = []
        for e in rows:
            bits = [e.name]
            if e.room:
                bits.append(_("room {room}").format(room=e.room))
            if e.bus:
                bits.append(_seat_text(e))
            if e.phone:
                bits.append(e.phone)
            who = members.get(e.person_id or 0)
            bits.append(f"✓ {who}" if who else _("not matched"))
            lines.append(" · ".join(bits))
        matched = sum(1 for e in rows if e.person_id)
        summary = _("{matched} of {total} rows are matched to members.").format(
            matched=matched, total=len(rows)
        )
        buttons = (
            (Button(_("Match a member"), f"pkm:{cls.id}"),),
            (Button(_("Export"), f"pkx:{cls.id}"),),
        )
        hint = _("One invite link per unmatched row: /roster links")
        return Reply(
            blocks=(Block((summary,), title), Block(tuple(lines)), Block((hint,))),
            buttons=buttons,
        )


async def stage(
    db: Database,
    person: Person,
    cls: TrainingClass,
    data: bytes,
    filename: str,
    *,
    now: dt.datetime,
    lang: str,
) -> Reply:
    """Read and check a roster file; preview it with Confirm / Cancel, or list its problems."""
    await permissions.require(db, person, cls.id, MANAGERS)
    try:
        rows = read_roster(data, filename)
    except ScheduleProblems as exc:
        return problems_reply(exc, lang)
    old = {_name_key(e.name): e for e in await store.entries(db, cls.id)}
    by_name: dict[str, int] = {}
    for m in await _members(db, cls):
        by_name.setdefault(_name_key(m.person.display_name), m.person.id)
    taken: set[int] = set()
    matched: list[RosterEntry] = []
    for e in rows:
        before = old.get(_name_key(e.name))
        person_id = before.person_id if before else None
        if person_id is None:
            person_id = by_name.get(_name_key(e.name))
        if person_id in taken:
            person_id = None
        if person_id is not None:
            taken.add(person_id)
        matched.append(
            RosterEntry(
                **{
                    **e.to_dict(),
                    "person_id": person_id,
                    "invite_hash": before.invite_hash if before else None,
                }
            )
        )
    pending_id = await store.stage(
        db, cls.id, person.id, matched, now=now, expires=now + PREVIEW_FOR
    )
    with use_lang(lang):
        count = sum(1 for e in matched if e.person_id)
        lines = [
            _("{total} trainees; {matched} matched to members already.").format(
                total=len(matched), matched=count
            )
        ]
        detail = [
            " · ".join(b for b in (e.name, e.room, _seat_text(e)) if b)
            + (" ✓" if e.person_id else "")
            for e in matched[:PREVIEW_LINES]
        ]
        if len(matched) > PREVIEW_LINES:
            detail.append(_("… and {count} more").format(count=len(matched) - PREVIEW_LINES))
        lines.append(_("Members not matched now can be matched after Confirm with /roster."))
        title = _("Trainees list for {name}: preview").format(name=cls.title(lang))
        buttons = (
            (
                Button(_("Confirm"), f"{CONFIRM}{pending_id}"),
                Button(_("Cancel"), f"{CANCEL}{pending_id}"),
            ),
        )
        return Reply(blocks=(Block(tuple(lines), title), Block(tuple(detail))), buttons=buttons)


async def workbook_of_upload(db: Database, upload_id: int) -> tuple[str, bytes] | None:
    """A waiting schedule upload's file, when it is a workbook with a trainees sheet."""
    row = await pending_uploads.get(db, upload_id)
    if row is None or row.state != "pending" or not row.data:
        return None
    return (row.filename, row.data) if has_trainees_sheet(row.data) else None


async def stage_from_schedule_upload(
    db: Database,
    person: Person,
    upload_id: int,
    workbook: tuple[str, bytes],
    *,
    now: dt.datetime,
    lang: str,
) -> Reply | None:
    """After a class workbook was confirmed with /upload: the preview of its trainees sheet.

    None unless the upload was applied, by this person, who may manage the list.
    """
    row = await pending_uploads.get(db, upload_id)
    if row is None or row.state != "applied" or row.person_id != person.id:
        return None
    cls = await classes.get_class_by_code(db, row.class_code)
    if cls is None:
        return None
    filename, data = workbook
    try:
        return await stage(db, person, cls, data, filename, now=now, lang=lang)
    except Forbidden:
        return None


def _closed() -> Reply:
    return Reply.text(_("This preview is no longer waiting. Nothing was changed by this tap."))


async def _own_preview(db: Database, person: Person, pending_id: int) -> store.PendingRoster | None:
    """The previewed list if it exists (None: a forged or unknown id), after checking the
    tapper manages its class now (:class:`Forbidden`) and is the one who sent it
    (:class:`NotYours`)."""
    found = await store.pending(db, pending_id)
    if found is None:
        return None
    await permissions.require(db, person, found.class_id, MANAGERS)
    if found.person_id != person.id:
        raise NotYours(_("This preview is no longer waiting. Nothing was changed by this tap."))
    return found


async def confirm(
    db: Database, person: Person, pending_id: int, *, now: dt.datetime, lang: str
) -> Reply | None:
    """Apply a previewed roster (all rows or none) and audit it; None if there is no such
    preview. Raises :class:`Forbidden` or :class:`NotYours` for anyone but its sender."""
    with use_lang(lang):
        found = await _own_preview(db, person, pending_id)
        if found is None:
            return None
        closed = _closed()
        if found.state != "pending":
            return closed
        if now >= found.expires_at:
            await store.close(db, pending_id, "cancelled")
            return closed
        async with db.transaction():
            if not await store.close(db, pending_id, "applied"):
                return closed
            await store.replace(db, found.class_id, list(found.entries))
            await audit.record(
                db,
                action="roster.upload",
                actor=person.display_name,
                actor_person_id=person.id,
                class_id=found.class_id,
                now=now,
                details={"rows": len(found.entries)},
            )
        done = _(
            "Done: the trainees list ({count} rows) is live. Trainees see their card with /me."
        ).format(count=len(found.entries))
        matched = {e.person_id for e in found.entries if e.person_id}
        cls_members = await people.class_members(db, found.class_id, (Role.TRAINEE,))
        if all(m.person.id in matched for m in cls_members):
            return Reply.text(done)
        # members who joined before the list: matched by the organiser, two taps each
        button = Button(_("Match a member"), f"pkm:{found.class_id}")
        return Reply(blocks=(Block((done,)),), buttons=((button,),))


async def cancel(db: Database, person: Person, pending_id: int, lang: str) -> Reply | None:
    """Drop a previewed roster; like :func:`confirm`, only its sender may."""
    with use_lang(lang):
        found = await _own_preview(db, person, pending_id)
        if found is None:
            return None
        if not await store.close(db, pending_id, "cancelled"):
            return _closed()
        return Reply.text(_("Cancelled. The trainees list was not changed."))


async def member_picker(db: Database, person: Person, cls: TrainingClass, lang: str) -> Reply:
    """Trainees not matched to a row yet, as buttons."""
    await permissions.require(db, person, cls.id, MANAGERS)
    rows = await store.entries(db, cls.id)
    done = {e.person_id for e in rows if e.person_id}
    waiting = [m for m in await _members(db, cls) if m.person.id not in done]
    with use_lang(lang):
        if not waiting:
            return Reply.text(_("Every trainee of the class is matched to a row."))
        return Reply(
            blocks=(Block((_("Whom do you want to match to a row of the list?"),)),),
            buttons=tuple(
                (Button(m.person.display_name, f"pkm:{cls.id}:{m.person.id}"),)
                for m in waiting[:MAX_BUTTONS]
            ),
        )


async def row_picker(
    db: Database, person: Person, cls: TrainingClass, member_id: int, lang: str
) -> Reply | None:
    """Rows not matched to anyone yet, as buttons, for one member (None: not a member)."""
    await permissions.require(db, person, cls.id, MANAGERS)
    if await people.get_membership(db, cls.id, member_id) is None:
        return None
    rows = [e for e in await store.entries(db, cls.id) if e.person_id is None]
    with use_lang(lang):
        if not rows:
            return Reply.text(_("Every row of the list is matched already."))
        return Reply(
            blocks=(Block((_("Which row of the list is this member?"),)),),
            buttons=tuple(
                (Button(f"{e.row_no}: {e.name}", f"pkm:{cls.id}:{member_id}:{e.id}"),)
                for e in rows[:MAX_BUTTONS]
            ),
        )


async def match(
    db: Database,
    person: Person,
    cls: TrainingClass,
    member_id: int,
    entry_id: int,
    *,
    now: dt.datetime,
    lang: str,
) -> Reply | None:
    """Tie a member to a row nobody holds (audited); tapped again, says it is done. None when
    the member or the row is gone, or the row is someone else's (a stale or forged button)."""
    await permissions.require(db, person, cls.id, MANAGERS)
    member = await people.get_membership(db, cls.id, member_id)
    entry = await store.entry(db, cls.id, entry_id)
    with use_lang(lang):
        if member is None or entry is None:
            return None
        done = _("Matched: row {row} ({name}).").format(row=entry.row_no, name=entry.name)
        if entry.person_id == member_id:
            return Reply.text(done)
        if not await store.match(db, cls.id, entry_id, member_id):
            return None
        await audit.record(
            db,
            action="roster.match",
            actor=person.display_name,
            actor_person_id=person.id,
            class_id=cls.id,
            now=now,
            details={"row": entry.row_no, "person": member_id},
        )
        return Reply.text(done)


async def invite_links(
    db: Database,
    person: Person,
    cls: TrainingClass,
    *,
    now: dt.datetime,
    lang: str,
    bot_username: str = "",
) -> Reply:
    """A one-use invite per unmatched row: whoever opens it joins and is that row."""
    await permissions.require(db, person, cls.id, MANAGERS)
    rows = [e for e in await store.entries(db, cls.id) if e.person_id is None]
    days = max((cls.last_day - cls.local_now(now).date()).days + 2, 1)
    lines: list[str] = []
    for e in rows:
        new = await invites.create(db, cls.id, Role.TRAINEE, now=now, by=person, uses=1, days=days)
        assert e.id is not None
        await store.set_invite(db, e.id, invites.hash_code(new.code))
        link = new.link(bot_username) if bot_username else new.code
        lines.append(f"{e.row_no}. {e.name}: {link}")
    with use_lang(lang):
        if not lines:
            return Reply.text(_("Every row of the list is matched already."))
        head = _(
            "One link per trainee, each for one person: send each trainee their own link "
            "(or print it). On Zalo they send the code after “start=”. Earlier links of "
            "these rows no longer match them."
        )
        return Reply(blocks=(Block((head,), _("Invite links per row")), Block(tuple(lines))))


async def claim(db: Database, code: str, person: Person) -> RosterEntry | None:
    """After ``person`` joined with ``code``: the row whose own invite it was is theirs."""
    return await store.claim(db, invites.hash_code(code), person.id)


def _safe(value: str) -> str:
    """A cell no spreadsheet will run as a formula."""
    return "'" + value if value.startswith(FORMULA_START) else value


async def export(db: Database, person: Person, cls: TrainingClass, lang: str) -> Reply:
    """The roster as CSV (managers only); formula-like cells are neutralised."""
    await permissions.require(db, person, cls.id, MANAGERS)
    rows = await store.entries(db, cls.id)
    out = io.StringIO()
    writer = csv.writer(out)
    with use_lang(lang):
        writer.writerow(
            [
                _("Name"),
                _("Delegation / unit"),
                _("Room"),
                _("Roommate"),
                _("Bus"),
                _("Seat"),
                _("Group leader"),
                _("Language"),
                _("Phone"),
            ]
        )
        for e in rows:
            writer.writerow(
                [
                    _safe(v)
                    for v in (
                        e.name,
                        e.unit,
                        e.room,
                        e.roommate,
                        e.bus,
                        e.seat,
                        e.leader,
                        e.lang or "",
                        e.phone,
                    )
                ]
            )
        caption = _("Trainees list: {name}").format(name=cls.title(lang))
    data = ("\ufeff" + out.getvalue()).encode()
    return Reply(document=Document(f"{cls.code}-trainees.csv", data, caption))
