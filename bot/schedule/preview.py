"""What a staged schedule change looks like: refusals before download, problems, the preview.

:func:`check_document` refuses a file by its announced size and name before
anything is downloaded; :func:`problems_reply` lists every problem of a
refused file with sheet, row and column; :func:`preview_reply` shows the
diff against the live version in the organiser's language, led by a one-line
summary ("3 sessions moved, 1 session added and venue changed for …"), with
Confirm / Cancel buttons (``upl:ok:<id>``, ``upl:no:<id>``).
"""

from __future__ import annotations

import datetime as dt

from babel.lists import format_list

from bot.agenda.cards import text_of
from bot.domain import TrainingClass
from bot.i18n import _, babel_locale, format_day_short, ngettext, use_lang
from bot.replies import Block, Button, Document, Reply
from bot.schedule.diff import ScheduleDiff, render_diff
from bot.schedule.notices import future_diff
from bot.schedule.problems import Problem, ScheduleProblems
from bot.schedule.read import MAX_BYTES, file_format

UPLOAD_TIMEOUT = dt.timedelta(minutes=15)
"""How long a preview waits for Confirm; after that it is cancelled and nothing changes."""

DETAIL_LINES = 40
"""At most this many lines of detail under the summary (the last says how many more)."""
PROBLEM_LINES = 30
"""A refused file's problems shown in the message; the full list follows as a text file."""
NOTE_LINES = 30
"""What the reader skipped or inferred, shown in the preview."""

CONFIRM, CANCEL = "upl:ok:", "upl:no:"


def check_document(filename: str | None, size: int | None, lang: str) -> Reply | None:
    """Refuse a file by its name and announced size, before downloading it."""
    with use_lang(lang):
        if size is not None and size > MAX_BYTES:
            return Reply.text(
                _(
                    "The file is too large ({size} MB). The limit is {limit} MB. "
                    "Nothing was changed."
                ).format(size=round(size / 2**20, 1), limit=MAX_BYTES // 2**20)
            )
        if not filename or file_format(filename) is None:
            return Reply.text(
                _(
                    "Please send the schedule as an Excel workbook (.xlsx) or a CSV file. "
                    "“{name}” is neither. Nothing was changed."
                ).format(name=filename or "?")
            )
    return None


def _capped(lines: list[str], limit: int) -> list[str]:
    if len(lines) <= limit:
        return lines
    more = len(lines) - limit
    return [*lines[:limit], ngettext("… and {n} more.", "… and {n} more.", more).format(n=more)]


def problems_reply(error: ScheduleProblems, lang: str) -> Reply:
    """A refused file's problems with sheet, row and column: the first
    :data:`PROBLEM_LINES` in the message, all of them in an attached text file."""
    with use_lang(lang):
        lines = error.lines(lang)
        document = None
        if len(lines) > PROBLEM_LINES:
            document = Document(
                "problems.txt",
                ("\n".join(lines) + "\n").encode(),
                _("All {n} problems of the file.").format(n=len(lines)),
            )
        return Reply(
            blocks=(
                Block(
                    (_("Nothing was changed. Please correct the file and send it again."),),
                    _("The file was not accepted"),
                ),
                Block(tuple(_capped(lines, PROBLEM_LINES))),
            ),
            document=document,
        )


def summary(cls: TrainingClass, diff: ScheduleDiff, lang: str) -> str:
    """'3 sessions moved, 1 session added and venue changed for Topic 2 (Thu 18/7)'."""
    with use_lang(lang):
        return _summary(cls, diff, lang)


def _summary(cls: TrainingClass, diff: ScheduleDiff, lang: str) -> str:
    parts: list[str] = []
    if diff.moved:
        n = len(diff.moved)
        parts.append(ngettext("{n} session moved", "{n} sessions moved", n).format(n=n))
    if diff.added:
        n = len(diff.added)
        parts.append(ngettext("{n} session added", "{n} sessions added", n).format(n=n))
    if diff.removed:
        n = len(diff.removed)
        parts.append(ngettext("{n} session cancelled", "{n} sessions cancelled", n).format(n=n))
    venue = [c for c in diff.changed if "venue" in c.fields]
    for c in venue[:2]:
        parts.append(
            _("venue changed for {title} ({day})").format(
                title=text_of(cls, c.new.title, lang),
                day=format_day_short(c.new.day, lang),
            )
        )
    rest = len(diff.changed) - min(len(venue), 2)
    if rest:
        parts.append(ngettext("{n} session changed", "{n} sessions changed", rest).format(n=rest))
    if diff.class_fields or diff.topics_added or diff.topics_removed or diff.topics_changed:
        parts.append(_("class details or topics changed"))
    return format_list(parts, locale=babel_locale(lang)) if parts else _("no changes")


def preview_reply(
    upload_id: int,
    heading: str,
    cls: TrainingClass,
    diff: ScheduleDiff,
    now: dt.datetime,
    lang: str,
    notes: tuple[Problem, ...] = (),
    cancels_all: int = 0,
) -> Reply:
    """The diff in ``lang`` with Confirm / Cancel buttons, and what the reader inferred.

    A file that would cancel every session gets no plain Confirm: its button says
    "Cancel all N sessions", so nobody empties a class by a routine tap.
    """
    with use_lang(lang):
        past = diff.session_count - future_diff(diff, cls, now).session_count
        lines = [_("{summary} — Confirm?").format(summary=summary(cls, diff, lang))]
        if past:
            lines.append(
                ngettext(
                    "{n} change concerns a session that has already begun; "
                    "members will not be told about it.",
                    "{n} changes concern sessions that have already begun; "
                    "members will not be told about them.",
                    past,
                ).format(n=past)
            )
        lines.append(
            _("This preview waits {minutes} minutes; after that nothing is changed.").format(
                minutes=int(UPLOAD_TIMEOUT.total_seconds() // 60)
            )
        )
        details = render_diff(diff, lang, cls.default_lang, DETAIL_LINES)
        blocks = [Block(tuple(lines), heading), Block(tuple(details))]
        if notes:
            shown = _capped([n.text(lang) for n in notes], NOTE_LINES)
            blocks.append(Block(tuple(shown), _("Read from the file, please check")))
        confirm = Button("✅ " + _("Confirm"), f"{CONFIRM}{upload_id}")
        if cancels_all:
            blocks.insert(
                0,
                Block(
                    (
                        ngettext(
                            "This file has no sessions: confirming cancels the {n} session "
                            "of the class.",
                            "This file has no sessions: confirming cancels all {n} sessions "
                            "of the class.",
                            cancels_all,
                        ).format(n=cancels_all),
                    ),
                    _("Warning"),
                ),
            )
            label = ngettext(
                "Cancel the {n} session", "Cancel all {n} sessions", cancels_all
            ).format(n=cancels_all)
            confirm = Button("⚠ " + label, f"{CONFIRM}{upload_id}")
        return Reply(
            blocks=tuple(blocks),
            buttons=((confirm, Button("✖ " + _("Cancel"), f"{CANCEL}{upload_id}")),),
        )
