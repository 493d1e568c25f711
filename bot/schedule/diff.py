"""What changed between two versions of a schedule, as data, and as lines people can read.

Sessions are matched by key (the file's ID column, or the key made from kind
and title, see :mod:`bot.schedule.check`). A session left over on both sides
at the same day, start and kind (a renamed session without an ID) counts as
changed, not as removed and added. A session whose day, start or end differs
is *moved* (it may have other changes too, listed in ``fields``).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from babel.lists import format_list

from bot.domain import Schedule, Session, Topic, TrainingClass, pick
from bot.i18n import N_, _, babel_locale, format_clock, format_day_short, ngettext, use_lang

TIME_FIELDS = ("day", "start", "end")
_IGNORED = {"key", "id", *TIME_FIELDS}
SESSION_FIELDS = tuple(f.name for f in fields(Session) if f.name not in _IGNORED)
CLASS_FIELDS = tuple(
    f.name for f in fields(TrainingClass) if f.name not in {"id", "code", "live_version_id"}
)

FIELD_LABELS: dict[str, str] = {
    "kind": N_("kind"),
    "title": N_("title"),
    "topic_number": N_("topic"),
    "lecturer": N_("lecturer"),
    "venue": N_("venue"),
    "meeting_point": N_("meeting point"),
    "departure": N_("departure time"),
    "return_time": N_("return time"),
    "transport": N_("transport"),
    "dress_code": N_("dress code"),
    "bring": N_("what to bring"),
    "latitude": N_("map location"),
    "longitude": N_("map location"),
    "notes": N_("notes"),
    "name": N_("class name"),
    "organiser": N_("organiser"),
    "timezone": N_("time zone"),
    "first_day": N_("first day"),
    "last_day": N_("last day"),
    "default_lang": N_("default language"),
    "reminder_time": N_("morning reminder time"),
    "evening_notice_time": N_("evening notice time"),
    "departure_reminder_min": N_("departure reminder"),
    "rollcall_report_min": N_("roll-call report"),
}


@dataclass(frozen=True, slots=True)
class SessionChange:
    """One session in both versions; ``fields`` names what changed besides its time."""

    old: Session
    new: Session
    fields: tuple[str, ...]

    @property
    def moved(self) -> bool:
        return any(getattr(self.old, f) != getattr(self.new, f) for f in TIME_FIELDS)


@dataclass(frozen=True, slots=True)
class ScheduleDiff:
    """Everything that differs from the old version to the new one."""

    added: tuple[Session, ...] = ()
    removed: tuple[Session, ...] = ()
    moved: tuple[SessionChange, ...] = ()
    changed: tuple[SessionChange, ...] = ()
    class_fields: tuple[str, ...] = ()
    topics_added: tuple[int, ...] = ()
    topics_removed: tuple[int, ...] = ()
    topics_changed: tuple[int, ...] = ()

    @property
    def empty(self) -> bool:
        return not any(getattr(self, f.name) for f in fields(self))

    @property
    def session_count(self) -> int:
        return len(self.added) + len(self.removed) + len(self.moved) + len(self.changed)

    def days(self) -> list[Any]:
        """Every day touched by a change (old and new days of moved sessions), sorted."""
        found = {s.day for s in (*self.added, *self.removed)}
        for c in (*self.moved, *self.changed):
            found |= {c.old.day, c.new.day}
        return sorted(found)


def _differs(old: Any, new: Any, names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(n for n in names if getattr(old, n) != getattr(new, n))


def _change(old: Session, new: Session) -> SessionChange:
    return SessionChange(old, new, _differs(old, new, SESSION_FIELDS))


def _topics(old: tuple[Topic, ...], new: tuple[Topic, ...]) -> tuple[tuple[int, ...], ...]:
    before = {t.number: t for t in old}
    after = {t.number: t for t in new}
    return (
        tuple(sorted(after.keys() - before.keys())),
        tuple(sorted(before.keys() - after.keys())),
        tuple(sorted(n for n in before.keys() & after.keys() if before[n] != after[n])),
    )


def diff_schedules(old: Schedule | None, new: Schedule) -> ScheduleDiff:
    """The changes from ``old`` (``None``: nothing yet) to ``new``."""
    if old is None:
        return ScheduleDiff(added=new.sessions, topics_added=tuple(t.number for t in new.topics))
    before = {s.key: s for s in old.sessions}
    after = {s.key: s for s in new.sessions}
    pairs = [_change(before[k], after[k]) for k in before.keys() & after.keys()]
    removed = [before[k] for k in before.keys() - after.keys()]
    added = [after[k] for k in after.keys() - before.keys()]
    by_slot = {(s.day, s.start, s.kind): s for s in added}
    for gone in list(removed):
        twin = by_slot.pop((gone.day, gone.start, gone.kind), None)
        if twin is not None:
            removed.remove(gone)
            added.remove(twin)
            pairs.append(_change(gone, twin))

    def order(s: Session) -> tuple[Any, ...]:
        return (s.day, s.start, s.key)

    moved = sorted((c for c in pairs if c.moved), key=lambda c: order(c.new))
    changed = sorted((c for c in pairs if not c.moved and c.fields), key=lambda c: order(c.new))
    topics_added, topics_removed, topics_changed = _topics(old.topics, new.topics)
    return ScheduleDiff(
        added=tuple(sorted(added, key=order)),
        removed=tuple(sorted(removed, key=order)),
        moved=tuple(moved),
        changed=tuple(changed),
        class_fields=_differs(old.cls, new.cls, CLASS_FIELDS),
        topics_added=topics_added,
        topics_removed=topics_removed,
        topics_changed=topics_changed,
    )


def _labels(names: tuple[str, ...], lang: str) -> str:
    seen = list(dict.fromkeys(_(FIELD_LABELS.get(n, n)) for n in names))
    return format_list(seen, locale=babel_locale(lang)) if seen else ""


def _when(s: Session, lang: str) -> str:
    return (
        f"{format_day_short(s.day, lang)} {format_clock(s.start, lang)}–{format_clock(s.end, lang)}"
    )


def render_diff(diff: ScheduleDiff, lang: str, fallback: str, limit: int = 0) -> list[str]:
    """The diff as one line per change in ``lang`` (titles fall back to ``fallback``).

    With ``limit``, at most that many lines, the last one saying how many more there are.
    """
    with use_lang(lang):
        lines: list[str] = []

        def title(s: Session) -> str:
            return pick(s.title, lang, fallback)

        for s in diff.added:
            lines.append(_("Added: {when} {title}").format(when=_when(s, lang), title=title(s)))
        for s in diff.removed:
            lines.append(_("Cancelled: {when} {title}").format(when=_when(s, lang), title=title(s)))
        for c in diff.moved:
            template = (
                _("Moved: {title}, from {old} to {new} (also changed: {fields})")
                if c.fields
                else _("Moved: {title}, from {old} to {new}")
            )
            lines.append(
                template.format(
                    title=title(c.new),
                    old=_when(c.old, lang),
                    new=_when(c.new, lang),
                    fields=_labels(c.fields, lang),
                )
            )
        for c in diff.changed:
            lines.append(
                _("Changed: {when} {title}: {fields}").format(
                    when=_when(c.new, lang), title=title(c.new), fields=_labels(c.fields, lang)
                )
            )
        if diff.class_fields:
            lines.append(
                _("Class details changed: {fields}").format(fields=_labels(diff.class_fields, lang))
            )
        topic_count = len(diff.topics_added) + len(diff.topics_removed) + len(diff.topics_changed)
        if topic_count:
            lines.append(
                ngettext(
                    "{n} topic added, removed or changed",
                    "{n} topics added, removed or changed",
                    topic_count,
                ).format(n=topic_count)
            )
        if limit and len(lines) > limit:
            rest = len(lines) - (limit - 1)
            lines = [
                *lines[: limit - 1],
                ngettext("…and {n} more change", "…and {n} more changes", rest).format(n=rest),
            ]
        return lines
