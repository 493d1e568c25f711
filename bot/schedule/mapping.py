"""Mapping a programme's columns by hand when the bot cannot tell which holds what.

The bot shows the header row it found and asks, one field at a time, which
column holds the date, the time, the part of the day, the content, the
lecturer, the venue and the notes, with one button per column (Zalo shows them
as numbered choices). The answers so far travel in the button's data
(``map:<upload id>:<one letter per field>``: ``a`` is the first column, ``-``
none, ``.`` "preview now", the rest none), so nothing is half-stored; when the
last answer comes the mapping is remembered for the class
(:mod:`bot.store.column_maps`) and the file is previewed as usual.
"""

from __future__ import annotations

import string

from bot.i18n import N_, _, use_lang
from bot.replies import Block, Button, Reply
from bot.schedule.columns import fold

MAP = "map:"
FIELDS = ("date", "time", "part", "content", "lecturer", "venue", "notes")
REQUIRED = frozenset({"date", "content"})
FIELD_NAMES = {
    "date": N_("the date"),
    "time": N_("the time (07h30-11h00)"),
    "part": N_("the part of the day (Sáng / Chiều)"),
    "content": N_("the content (what happens)"),
    "lecturer": N_("the lecturer"),
    "venue": N_("the venue"),
    "notes": N_("the notes"),
}
LETTERS = string.ascii_lowercase
NONE, DONE = "-", "."

Columns = tuple[tuple[str, str], ...]


def parse(rest: str) -> tuple[int, str] | None:
    """``"12:ab-"`` (after ``map:``) → (upload id, answers so far)."""
    number, _sep, answers = rest.partition(":")
    if not number.isdigit() or any(c not in LETTERS + NONE + DONE for c in answers):
        return None
    return int(number), answers


def finished(answers: str) -> bool:
    return answers.endswith(DONE) or len(answers) >= len(FIELDS)


def chosen(columns: Columns, answers: str) -> dict[str, str]:
    """Folded header text → field, for every column chosen."""
    pairs: dict[str, str] = {}
    for field, answer in zip(FIELDS, answers, strict=False):
        if answer in (NONE, DONE):
            continue
        index = LETTERS.index(answer)
        if index < len(columns):
            pairs[fold(columns[index][1])] = field
    return pairs


def question(upload_id: int, row: int, columns: Columns, answers: str, lang: str) -> Reply:
    """The next field to map, with a button per column of the header row found."""
    field = FIELDS[len(answers)]
    taken = {answer for answer in answers if answer in LETTERS}
    with use_lang(lang):
        shown = "; ".join(f"{label}" for label, _text in columns)
        lines = [
            _(
                "I could not tell which column holds what. The header I found is row {row}: "
                "{columns}. Please show me, one field at a time; I will remember it for this "
                "class's next uploads."
            ).format(row=row, columns=shown)
            if not answers
            else "",
            _("Which column holds {field}?").format(field=_(FIELD_NAMES[field])),
        ]
        buttons: list[Button] = [
            Button(label, f"{MAP}{upload_id}:{answers}{LETTERS[i]}")
            for i, (label, _text) in enumerate(columns[: len(LETTERS)])
            if LETTERS[i] not in taken
        ]
        if field not in REQUIRED:
            buttons.append(Button("— " + _("none"), f"{MAP}{upload_id}:{answers}{NONE}"))
        if "content" in FIELDS[: len(answers)]:
            buttons.append(Button("✅ " + _("Preview now"), f"{MAP}{upload_id}:{answers}{DONE}"))
        rows = tuple(tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2))
        return Reply(blocks=(Block(tuple(ln for ln in lines if ln)),), buttons=rows)
