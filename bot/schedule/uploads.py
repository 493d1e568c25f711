"""Schedule changes from the chat: upload or rollback → preview → Confirm or Cancel.

:func:`stage_file` validates an uploaded file (the importer's checks, nothing
written), checks the person's role for the file's class and stores the file
as the class's one *pending* change, answering with the diff and Confirm /
Cancel buttons (``upl:ok:<id>``, ``upl:no:<id>``). :func:`stage_rollback`
does the same for an earlier version. :func:`confirm` applies a pending
change in one transaction (new live version, audit entry, change-notice
window); :func:`cancel`, the timeout (:data:`UPLOAD_TIMEOUT`, checked with
the clock at Confirm and by :func:`expire_due`) and a live version that
moved underneath leave everything as it was. A second change for a class
while one is pending is refused, so changes are never interleaved.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from bot.domain import Person, Role, Schedule, TrainingClass
from bot.i18n import _, resolve_lang, use_lang
from bot.people import permissions
from bot.people.permissions import ORGANISERS
from bot.replies import Reply
from bot.schedule import extras, importer, mapping
from bot.schedule import notices as change_notices
from bot.schedule.diff import ScheduleDiff, diff_schedules
from bot.schedule.preview import (
    CANCEL,
    CONFIRM,
    UPLOAD_TIMEOUT,
    check_document,
    preview_reply,
    problems_reply,
)
from bot.schedule.problems import Problem, ScheduleProblems
from bot.schedule.programme import NO_CLASS, NeedsMapping
from bot.store import audit, classes, column_maps, outbox, people, versions
from bot.store import pending_uploads as store
from bot.store.database import Database
from bot.store.outbox import OutgoingMessage
from bot.store.pending_uploads import PendingUpload, UploadKind

"""Who may change a class's schedule: its admins (and global admins)."""

__all__ = [
    "CANCEL",
    "CONFIRM",
    "ORGANISERS",
    "UPLOAD_TIMEOUT",
    "Applied",
    "NeedsClassDetails",
    "UploadRefused",
    "cancel",
    "check_document",
    "confirm",
    "expire_due",
    "map_column",
    "stage_file",
    "stage_rollback",
]


class NeedsClassDetails(Exception):
    """A new class from a programme without class details: ask for them in the chat."""


class UploadRefused(Exception):
    """The change cannot go ahead; ``reply`` says why, in the person's language."""

    def __init__(self, reply: Reply) -> None:
        super().__init__(reply.plain())
        self.reply = reply


@dataclass(frozen=True, slots=True)
class Applied:
    """A confirmed change: the answer, and the class whose reminders must follow it."""

    reply: Reply
    class_id: int | None = None


async def _lock(db: Database, person: Person, code: str, now: dt.datetime, lang: str) -> None:
    """Take the class's pending slot (inside the caller's transaction) or refuse."""
    existing = await store.open_for_class(db, code)
    if existing is None:
        return
    if existing.expired(now):
        await store.close(db, existing.id, "expired", now)
        return
    if existing.person_id == person.id:
        await store.close(db, existing.id, "cancelled", now)  # the newer file replaces it
        return
    owner = await people.get_person(db, existing.person_id)
    with use_lang(lang):
        raise UploadRefused(
            Reply.text(
                _(
                    "{name} has another change to {code} waiting for confirmation. "
                    "Please try again when it is confirmed or cancelled (at the latest in "
                    "{minutes} minutes). Nothing was changed."
                ).format(
                    name=owner.display_name if owner else "?",
                    code=code,
                    minutes=max(1, int((existing.expires_at - now).total_seconds() // 60) + 1),
                )
            )
        )


async def _stage(
    db: Database,
    person: Person,
    cls: TrainingClass,
    diff: ScheduleDiff,
    heading: str,
    now: dt.datetime,
    lang: str,
    notes: tuple[Problem, ...] = (),
    cancels_all: int = 0,
    **row: object,
) -> Reply:
    async with db.transaction():
        await _lock(db, person, cls.code, now, lang)
        upload_id = await store.insert(
            db,
            class_code=cls.code,
            person_id=person.id,
            now=now,
            expires_at=now + UPLOAD_TIMEOUT,
            **row,  # type: ignore[arg-type]
        )
    return preview_reply(upload_id, heading, cls, diff, now, lang, notes, cancels_all)


async def stage_file(
    db: Database,
    person: Person,
    data: bytes,
    filename: str,
    *,
    now: dt.datetime,
    lang: str,
    new_class: bool = False,
    class_code: str | None = None,
) -> Reply:
    """Validate an uploaded file and stage it; raises Forbidden or :class:`UploadRefused`."""
    if new_class:
        permissions.require_admin(person)
        class_code = None  # a new class's details come from the file (or are asked for)
    try:
        found = await importer.preview(db, data, filename, class_code=class_code)
    except NeedsMapping as unsure:
        cls = await classes.get_class_by_code(db, class_code) if class_code else None
        if new_class or cls is None:
            raise UploadRefused(problems_reply(unsure, lang)) from None
        await permissions.require(db, person, cls.id, ORGANISERS)
        return await _ask_mapping(db, person, cls, unsure, data, filename, now, lang)
    except ScheduleProblems as error:
        if new_class and error.problems and error.problems[0].message == NO_CLASS:
            raise NeedsClassDetails from None
        raise UploadRefused(problems_reply(error, lang)) from None
    code = found.schedule.cls.code
    cls = await classes.get_class_by_code(db, code)
    with use_lang(lang):
        if new_class and cls is not None:
            text = _("The class {code} already exists. Use /upload to change its schedule.")
            raise UploadRefused(Reply.text(text.format(code=code)))
        if not new_class and cls is None:
            text = _("There is no class {code} yet. Use /newclass to create it from this file.")
            raise UploadRefused(Reply.text(text.format(code=code)))
        if cls is not None:
            await permissions.require(db, person, cls.id, ORGANISERS)
        if found.unchanged:
            text = _("This file is the same as the live schedule of {code}. Nothing to do.")
            raise UploadRefused(Reply.text(text.format(code=code)))
        target = cls or found.schedule.cls
        heading = (
            _("New class {code}: preview").format(code=code)
            if new_class
            else _("Changes to {name}: preview").format(name=target.title(lang))
        )
    return await _stage(
        db,
        person,
        target,
        found.diff,
        heading,
        now,
        lang,
        found.notes,
        found.cancels_all,
        kind=UploadKind.NEWCLASS if new_class else UploadKind.UPLOAD,
        filename=Path(filename).name,
        data=data,
        source_hash=found.source_hash,
        base_version_id=cls.live_version_id if cls else None,
    )


async def _ask_mapping(
    db: Database,
    person: Person,
    cls: TrainingClass,
    unsure: NeedsMapping,
    data: bytes,
    filename: str,
    now: dt.datetime,
    lang: str,
) -> Reply:
    """Keep the file as the class's pending change and ask for its first column."""
    async with db.transaction():
        await _lock(db, person, cls.code, now, lang)
        upload_id = await store.insert(
            db,
            class_code=cls.code,
            person_id=person.id,
            now=now,
            expires_at=now + UPLOAD_TIMEOUT,
            kind=UploadKind.UPLOAD,
            filename=Path(filename).name,
            data=data,
            source_hash=importer.source_hash(data),
            base_version_id=cls.live_version_id,
        )
    return mapping.question(upload_id, unsure.row, unsure.columns, "", lang)


async def map_column(
    db: Database, person: Person, rest: str, *, now: dt.datetime, lang: str
) -> Reply:
    """One answer of the column mapping (``map:<id>:<answers>``): the next question, or,
    after the last, the mapping remembered for the class and the usual preview."""
    parsed = mapping.parse(rest)
    row = await store.get(db, parsed[0]) if parsed else None
    if parsed is None or row is None:
        return _closed(lang)
    if row.person_id != person.id:
        raise UploadRefused(_closed(lang))  # not theirs: answered to the tapper alone
    if row.state != "pending":
        return _closed(lang)
    cls = await classes.get_class_by_code(db, row.class_code)
    if cls is None or row.data is None:
        return _closed(lang)
    await permissions.require(db, person, cls.id, ORGANISERS)
    if row.expired(now):
        await store.close(db, row.id, "expired", now)
        with use_lang(lang):
            return Reply.text(_expired_text(row))
    answers = parsed[1]
    try:
        await importer.preview(db, row.data, row.filename, class_code=cls.code)
        columns: mapping.Columns = ()
    except NeedsMapping as unsure:
        if not mapping.finished(answers):
            return mapping.question(row.id, unsure.row, unsure.columns, answers, lang)
        columns = unsure.columns
    except ScheduleProblems:
        columns = ()
    if columns:
        await column_maps.remember(db, cls.id, mapping.chosen(columns, answers), now)
    await store.close(db, row.id, "cancelled", now)  # the preview below stages it afresh
    return await stage_file(
        db, person, row.data, row.filename, now=now, lang=lang, class_code=cls.code
    )


async def stage_rollback(
    db: Database, person: Person, cls: TrainingClass, number: int, *, now: dt.datetime, lang: str
) -> Reply:
    """Preview restoring version ``number`` as a new version; raises like :func:`stage_file`."""
    await permissions.require(db, person, cls.id, ORGANISERS)
    version = await versions.version_by_number(db, cls.id, number)
    with use_lang(lang):
        if version is None:
            text = _("There is no version {number}. /versions lists them.")
            raise UploadRefused(Reply.text(text.format(number=number)))
        if version.id == cls.live_version_id or cls.live_version_id is None:
            text = _("Version {number} is the live schedule already.")
            raise UploadRefused(Reply.text(text.format(number=number)))
        heading = _("Go back to version {number} of {name}: preview").format(
            number=number, name=cls.title(lang)
        )
    old = await versions.load_version(db, cls.live_version_id)
    new = await versions.load_version(db, version.id)
    return await _stage(
        db,
        person,
        cls,
        diff_schedules(old, new),
        heading,
        now,
        lang,
        kind=UploadKind.ROLLBACK,
        rollback_number=number,
        base_version_id=cls.live_version_id,
    )


def _closed(lang: str) -> Reply:
    with use_lang(lang):
        return Reply.text(_("This preview is no longer waiting. Nothing was changed by this tap."))


async def _schedule_of(db: Database, row: PendingUpload, cls: TrainingClass | None) -> Schedule:
    if row.kind is UploadKind.ROLLBACK:
        assert cls is not None and row.rollback_number is not None
        version = await versions.version_by_number(db, cls.id, row.rollback_number)
        if version is None:
            raise LookupError(row.rollback_number)
        return await versions.load_version(db, version.id)
    assert row.data is not None
    found = await importer.preview(db, row.data, row.filename, class_code=row.class_code)
    return found.schedule


async def confirm(
    db: Database, person: Person, upload_id: int, *, now: dt.datetime, lang: str
) -> Applied:
    """Apply a pending change atomically: new live version, audit entry, notice window."""
    row = await store.get(db, upload_id)
    if row is None or row.person_id != person.id:
        raise UploadRefused(_closed(lang))  # not theirs: answered to the tapper alone
    if row.state != "pending":
        return Applied(_closed(lang))
    cls = await classes.get_class_by_code(db, row.class_code)
    if cls is not None:
        await permissions.require(db, person, cls.id, ORGANISERS)
    elif row.kind is UploadKind.NEWCLASS:
        permissions.require_admin(person)
    with use_lang(lang):
        if row.expired(now):
            await store.close(db, row.id, "expired", now)
            return Applied(Reply.text(_expired_text(row)))
        if (cls.live_version_id if cls else None) != row.base_version_id:
            await store.close(db, row.id, "stale", now)
            text = _(
                "The schedule of {code} changed after this preview. Nothing was changed; "
                "please send the file again to see a fresh preview."
            )
            return Applied(Reply.text(text.format(code=row.class_code)))
    schedule = await _schedule_of(db, row, cls)
    async with db.transaction():
        current = await classes.get_class_by_code(db, row.class_code)
        if (current.live_version_id if current else None) != row.base_version_id:
            await store.close(db, row.id, "stale", now)  # another writer got in meanwhile
            return Applied(_closed(lang))
        if not await store.close(db, row.id, "applied", now):
            return Applied(_closed(lang))
        saved, version = await versions.save_version(
            db,
            schedule,
            created_by=person.display_name,
            created_by_person=person.id,
            source_hash=row.source_hash or schedule_hash(schedule),
            source_name=row.filename,
            now=now,
            note=f"rollback to {row.rollback_number}" if row.rollback_number else "",
        )
        await store.set_version(db, row.id, version.id)
        if row.kind is UploadKind.NEWCLASS:
            await people.add_member(db, saved.id, person.id, Role.ADMIN, now)
            await people.set_active_class(db, person.id, saved.id)
        else:
            await change_notices.record_change(db, saved.id, row.base_version_id, now)
        await audit.record(
            db,
            action=_AUDIT_ACTIONS[row.kind],
            actor=person.display_name,
            actor_person_id=person.id,
            class_id=saved.id,
            now=now,
            details={"version": version.number, "file": row.filename, "from": row.rollback_number}
            if row.rollback_number
            else {"version": version.number, "file": row.filename},
        )
    if row.data is not None:  # issue 18: contacts, interpreters, material links
        await extras.record_workbook(db, saved, row.data, row.filename)
    with use_lang(lang):
        if row.kind is UploadKind.NEWCLASS:
            text = _(
                "The class {name} ({code}) is created and its schedule is live. "
                "Use /invite to invite its managers and trainees."
            ).format(name=saved.title(lang), code=saved.code)
        else:
            text = _(
                "Done: version {number} of {code} is live. Reminders follow it, and members "
                "will be told about the changes to upcoming sessions shortly."
            ).format(number=version.number, code=saved.code)
    return Applied(Reply.text(text), saved.id)


_AUDIT_ACTIONS = {
    UploadKind.UPLOAD: "schedule.upload",
    UploadKind.NEWCLASS: "class.create",
    UploadKind.ROLLBACK: "schedule.rollback",
}


def schedule_hash(schedule: Schedule) -> str:
    """A content hash for a schedule that did not come from a file (a rollback)."""
    from bot.schedule.write import to_text

    return importer.source_hash(to_text(schedule).encode())


async def cancel(
    db: Database, person: Person, upload_id: int, *, now: dt.datetime, lang: str
) -> Reply:
    """Drop a pending change; nothing else is touched."""
    row = await store.get(db, upload_id)
    if row is None or row.person_id != person.id:
        raise UploadRefused(_closed(lang))  # not theirs: answered to the tapper alone
    if not await store.close(db, upload_id, "cancelled", now):
        return _closed(lang)
    with use_lang(lang):
        return Reply.text(_("Cancelled. The schedule was not changed."))


def _expired_text(row: PendingUpload) -> str:
    minutes = int(UPLOAD_TIMEOUT.total_seconds() // 60)
    return _(
        "The change to {code} was not confirmed within {minutes} minutes and was dropped. "
        "Nothing was changed; send the file again when you are ready."
    ).format(code=row.class_code, minutes=minutes)


async def expire_due(db: Database, now: dt.datetime) -> int:
    """Drop pending changes whose time ran out and tell their senders (outbox); returns count."""
    messages: list[OutgoingMessage] = []
    for row in await store.due_to_expire(db, now):
        if not await store.close(db, row.id, "expired", now):
            continue
        person = await people.get_person(db, row.person_id)
        with use_lang(resolve_lang(person.lang if person else None, None, None)):
            reply = Reply.text(_expired_text(row))
        messages.append(
            OutgoingMessage(
                dedup_key=f"upload-expired:{row.id}",
                kind="upload-expired",
                reply=reply,
                not_before=now,
                person_id=row.person_id,
            )
        )
    await outbox.enqueue(db, messages, now)
    return len(messages)
