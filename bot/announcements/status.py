"""What became of an announcement: confirmations, the one follow-up, delivery reports.

:func:`ack` records a tap on "Received" once (action ``ack:<id>``).
:func:`run_due_followups` (called periodically with ``now``) sends one
reminder to those who have not confirmed after the delay, then a summary to
the sender, both through the outbox. :func:`report` gives the delivery and
confirmation figures with the names behind each number.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from bot import actions
from bot.announcements.publish import Announcement, from_row, message_key, recent, render
from bot.domain import Person, pick
from bot.i18n import N_, _, format_instant, ngettext, use_lang
from bot.people import permissions
from bot.people.linking import CHANNEL_NAMES
from bot.replies import Block, Reply
from bot.store import announcements as store
from bot.store import audit, classes, outbox, people
from bot.store.database import Database


@dataclass(frozen=True, slots=True)
class Report:
    """Delivery and confirmation of one announcement, with names."""

    announcement: Announcement
    sent: list[str] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    unreachable: list[str] = field(default_factory=list)
    uncertain: list[str] = field(default_factory=list)
    acknowledged: list[str] = field(default_factory=list)
    not_acknowledged: list[str] = field(default_factory=list)
    channels: dict[str, int] = field(default_factory=dict)
    """How many were delivered on each channel (a fallback shows up here: Zalo, say)."""

    @property
    def total(self) -> int:
        parts = (self.sent, self.waiting, self.failed, self.unreachable, self.uncertain)
        return sum(len(p) for p in parts)


async def ack(db: Database, person: Person, announcement_id: int, now: dt.datetime) -> bool | None:
    """Record that ``person`` confirmed; True if new, False if already, None if not theirs."""
    if await outbox.by_key(db, message_key(announcement_id, person.id)) is None:
        return None
    return await store.add_ack(db, announcement_id, person.id, now)


async def _on_ack(ctx: actions.ActionContext, rest: str) -> actions.ActionResult:
    """``ack:<announcement_id>``: the "Received" button."""
    try:
        announcement_id = int(rest)
    except ValueError:
        return actions.expired()
    result = await ack(ctx.db, ctx.person, announcement_id, ctx.now)
    if result is None:
        return actions.expired()
    with use_lang(ctx.lang):
        if result:
            return actions.ActionResult(toast=_("Thank you. Your confirmation has been recorded."))
        return actions.ActionResult(toast=_("You have already confirmed this announcement."))


actions.register("ack:", _on_ack)


async def report(db: Database, ann: Announcement) -> Report:
    """Who got it, who did not, who confirmed."""
    acked = await store.ackers(db, ann.id)
    out = Report(ann)
    buckets = {
        "sent": out.sent,
        "pending": out.waiting,
        "sending": out.waiting,
        "failed": out.failed,
        "expired": out.failed,
        "unreachable": out.unreachable,
        "uncertain": out.uncertain,
    }
    for d in await outbox.deliveries(db, ann.id):
        buckets[d.state].append(d.name)
        if d.state == "sent" and d.sent_channel is not None:
            name = CHANNEL_NAMES.get(d.sent_channel, d.sent_channel.value)
            out.channels[name] = out.channels.get(name, 0) + 1
        if not ann.needs_ack or d.person_id is None:
            continue
        if d.person_id in acked:  # a tap proves delivery, whatever the row says
            out.acknowledged.append(d.name)
        elif d.state in ("sent", "uncertain"):
            out.not_acknowledged.append(d.name)
    return out


def _names_line(names: list[str], limit: int = 40) -> str:
    shown = ", ".join(names[:limit])
    return shown if len(names) <= limit else f"{shown}, … (+{len(names) - limit})"


def report_lines(rep: Report) -> list[str]:
    """The figures in the active language: counts, then the names behind the exceptions."""
    counts = [ngettext("{n} sent", "{n} sent", len(rep.sent)).format(n=len(rep.sent))]
    if rep.announcement.needs_ack:
        n = len(rep.acknowledged)
        counts.append(ngettext("{n} read-confirmed", "{n} read-confirmed", n).format(n=n))
    lines = [" · ".join(counts)]
    groups = (
        (rep.unreachable, N_("{n} could not be reached (blocked the bot or left): {names}")),
        (rep.failed, N_("{n} failed: {names}")),
        (rep.uncertain, N_("{n} uncertain (interrupted while sending, not resent): {names}")),
        (rep.waiting, N_("{n} still being sent: {names}")),
        (rep.not_acknowledged, N_("{n} not yet confirmed: {names}")),
    )
    for names, template in groups:
        if names:
            lines.append(_(template).format(n=len(names), names=_names_line(names)))
    if rep.channels:
        by_channel = " · ".join(f"{name} {n}" for name, n in sorted(rep.channels.items()))
        lines.append(_("Delivered by channel: {channels}").format(channels=by_channel))
    return lines


async def report_block(db: Database, ann: Announcement, tz: str, lang: str) -> Block:
    """One announcement's heading (when, audience, first words) and figures."""
    rep = await report(db, ann)
    first = next(iter(pick(ann.body, lang, "vi").splitlines()), "") or _("(file)")
    if len(first) > 60:
        first = first[:59] + "…"
    title = _("{when} · {audience}: {text}").format(
        when=format_instant(ann.created_at, tz, lang), audience=ann.audience.label(), text=first
    )
    return Block(title=title, lines=tuple(report_lines(rep)))


async def class_report(db: Database, class_id: int, lang: str, limit: int = 5) -> Reply:
    """The recent announcements of a class with their figures (no permission check: CLI)."""
    cls = await classes.get_class(db, class_id)
    if cls is None:
        return Reply.text(_("No such class."))
    with use_lang(lang):
        anns = await recent(db, class_id, limit)
        head = Block(title=_("Announcements: {cls}").format(cls=cls.title(lang)))
        if not anns:
            return Reply(blocks=(head, Block(lines=(_("No announcements yet."),))))
        blocks = [head] + [await report_block(db, a, cls.timezone, lang) for a in anns]
    return Reply(blocks=tuple(blocks))


async def report_for(
    db: Database, viewer: Person, class_id: int, lang: str, limit: int = 5
) -> Reply:
    """:func:`class_report` for a manager of the class (or an admin)."""
    await permissions.require(db, viewer, class_id, permissions.MANAGERS)
    return await class_report(db, class_id, lang, limit)


async def run_due_followups(db: Database, now: dt.datetime) -> int:
    """Queue the one reminder to non-confirmers and the sender's summary; returns how many."""
    queued = 0
    for row in await store.due_followups(db, now):
        queued += await _follow_up(db, from_row(row), now)
    return queued


async def _follow_up(db: Database, ann: Announcement, now: dt.datetime) -> int:
    cls = await classes.get_class(db, ann.class_id)
    sender = await people.get_person(db, ann.sender_person_id) if ann.sender_person_id else None
    if cls is None:
        return 0
    rep = await report(db, ann)
    acked = await store.ackers(db, ann.id)
    targets = [
        d
        for d in await outbox.deliveries(db, ann.id)
        if d.person_id is not None and d.state in ("sent", "uncertain") and d.person_id not in acked
    ]
    messages = []
    for d in targets:
        person = await people.get_person(db, d.person_id or 0)
        if person is None:
            continue
        lang = person.lang or cls.default_lang
        reply = render(ann, lang, cls.title(lang), sender.display_name if sender else "")
        with use_lang(lang):
            note = Block(title=_("Reminder: please confirm you have received this announcement."))
        messages.append(
            outbox.OutgoingMessage(
                dedup_key=f"{message_key(ann.id, person.id)}:remind",
                kind="ann_reminder",
                reply=Reply(blocks=(note, *reply.blocks), buttons=reply.buttons, media=ann.media),
                not_before=now,
                class_id=cls.id,
                person_id=person.id,
                announcement_id=ann.id,
                urgent=True,
            )
        )
    if sender is not None:
        lang = sender.lang or cls.default_lang
        with use_lang(lang):
            block = await report_block(db, ann, cls.timezone, lang)
            reminded = ngettext(
                "A reminder was sent to {n} person who had not confirmed.",
                "A reminder was sent to {n} people who had not confirmed.",
                len(messages),
            ).format(n=len(messages))
            head = Block(title=_("Summary of your announcement"), lines=(reminded,))
        messages.append(
            outbox.OutgoingMessage(
                dedup_key=f"ann:{ann.id}:summary",
                kind="ann_summary",
                reply=Reply(blocks=(head, block)),
                not_before=now,
                class_id=cls.id,
                person_id=sender.id,
                announcement_id=ann.id,
            )
        )
    async with db.transaction():
        queued = await outbox.enqueue(db, messages, now)
        await store.mark_reminded(db, ann.id, now)
        await audit.record(
            db,
            action="broadcast_followup",
            actor="classbot",
            class_id=cls.id,
            now=now,
            details={
                "announcement_id": ann.id,
                "sent": len(rep.sent),
                "acknowledged": len(rep.acknowledged),
                "reminded": len(messages) - (1 if sender else 0),
                "unreachable": rep.unreachable,
                "failed": rep.failed,
                "uncertain": rep.uncertain,
            },
        )
    return queued
