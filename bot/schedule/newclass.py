"""A new class from an organiser's own programme: the class details asked in the chat.

An organiser's programme has no class sheet. Sent with ``/newclass``, the bot
asks what it lacks, one question at a time: the class code, its name (the
title block's line naming the class is offered), its first and last day (the
programme's own dates are offered), its time zone and its default language
(buttons; the language is guessed from the programme's script). The answers
and the programme then make an ordinary workbook
(:func:`bot.schedule.write.to_xlsx`), which goes through the usual preview and
Confirm of a new class. Button data: ``ncl:name``, ``ncl:dates``, ``ncl:tz:<zone>``,
``ncl:lang:<code>``, ``ncl:cancel``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace

from bot.domain import CLASS_ZONES, LANGS, Schedule, TrainingClass, localized
from bot.i18n import N_, _, use_lang
from bot.replies import Block, Button, Reply
from bot.schedule.check import build_schedule, place_zone
from bot.schedule.columns import fold
from bot.schedule.problems import ScheduleProblems
from bot.schedule.programme import read_upload
from bot.schedule.values import as_date, clean_text, control_char
from bot.schedule.write import to_xlsx

NCL = "ncl:"
ZONES = CLASS_ZONES
LANG_NAMES = {"vi": "Tiếng Việt", "lo": "ພາສາລາວ", "en": "English"}
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{1,39}$")
_RANGE = re.compile(r"^\s*(\S+)\s*(?:-|–|—|đến|to|ຫາ|ເຖິງ)\s*(\S+)\s*$", re.IGNORECASE)
_CLASS_WORDS = ("lop", "khoa", "class", "course", "ຫອງ", "ຊຸດ", "ຝກອບຮມ")


@dataclass(slots=True)
class Draft:
    """The programme and the class details answered so far."""

    data: bytes
    filename: str
    suggested_name: str = ""
    suggested_days: tuple[dt.date, dt.date] | None = None
    guessed_lang: str = "vi"
    code: str = ""
    name: str = ""
    days: tuple[dt.date, dt.date] | None = None
    timezone: str = ""
    lang: str = ""
    tries: list[str] = field(default_factory=list)

    @property
    def step(self) -> str:
        for name, done in (
            ("code", self.code),
            ("name", self.name),
            ("dates", self.days),
            ("timezone", self.timezone),
            ("lang", self.lang),
        ):
            if not done:
                return name
        return "done"


def _provisional(today: dt.date, lang: str = "vi") -> Schedule:
    first = dt.date(today.year - 1, 1, 1)
    cls = TrainingClass(
        id=0,
        code="NEW",
        name=localized({lang: "?"}),
        timezone="Asia/Ho_Chi_Minh",
        first_day=first,
        last_day=dt.date(today.year + 1, 12, 31),
        default_lang=lang,
    )
    return Schedule(cls, (), ())


def start(data: bytes, filename: str, today: dt.date) -> Draft:
    """What the programme itself tells: its dates, a name from its title block, its script.

    Raises :class:`ScheduleProblems` if the file is no programme at all.
    """
    raw = read_upload(data, filename, _provisional(today))
    if raw.layout != "programme" or raw.sessions is None:
        raise ScheduleProblems(())
    days = sorted(
        cell.value
        for row in raw.sessions.rows
        if (cell := row.cells.get("date")) is not None and isinstance(cell.value, dt.date)
    )
    langs = [
        name.rsplit("_", 1)[1]
        for row in raw.sessions.rows
        for name in row.cells
        if name.startswith("title_")
    ]
    guessed = max(("lo", "vi", "en"), key=lambda code: langs.count(code))
    named = [line for line in raw.heading if any(w in fold(line) for w in _CLASS_WORDS)]
    return Draft(
        data,
        filename,
        suggested_name=(named or [""])[0][:200],
        suggested_days=(days[0], days[-1]) if days else None,
        guessed_lang=guessed if langs else "vi",
    )


def question(draft: Draft, lang: str) -> Reply:
    """The next detail to ask, with buttons where there is a likely answer."""
    step = draft.step
    buttons: list[Button] = []
    with use_lang(lang):
        if step == "code":
            text = _(
                "This programme has no class details; I will ask for them. "
                "First, the class code (letters, digits and dashes, e.g. VTE-HN-2024):"
            )
        elif step == "name":
            text = _("The class's name:")
            if draft.suggested_name:
                buttons.append(Button(draft.suggested_name[:60], f"{NCL}name"))
        elif step == "dates":
            text = _("The first and last day, e.g. 15/07/2024 - 26/07/2024:")
            if draft.suggested_days:
                first, last = draft.suggested_days
                buttons.append(Button(f"{first:%d/%m/%Y} – {last:%d/%m/%Y}", f"{NCL}dates"))
        elif step == "timezone":
            text = _("The time zone of the venue (or write one, e.g. Asia/Tokyo):")
            buttons.extend(Button(zone, f"{NCL}tz:{zone}") for zone in ZONES)
        else:
            text = _("The class's default language:")
            order = [draft.guessed_lang, *(c for c in LANGS if c != draft.guessed_lang)]
            buttons.extend(Button(LANG_NAMES[c], f"{NCL}lang:{c}") for c in order)
        buttons.append(Button("✖ " + _("Cancel"), f"{NCL}cancel"))
        extra = tuple(_(t) for t in draft.tries)
        draft.tries.clear()
    rows = tuple(tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2))
    return Reply(blocks=(Block((*extra, text)),), buttons=rows)


BAD_CODE = N_("A class code is 2 to 40 letters, digits, dots or dashes.")
BAD_DAYS = N_("Please write two dates, the first not after the last, e.g. 15/07/2024 - 26/07/2024.")
BAD_ZONE = N_("That is not a time zone of a place; please choose one or write e.g. Asia/Tokyo.")
BAD_TEXT = N_("Please write it as plain text.")


def answer(draft: Draft, text: str) -> Draft:
    """A typed answer to the current question (a problem is kept to show with it again)."""
    text = clean_text(text)
    step = draft.step
    if control_char(text) or not text:
        draft.tries.append(BAD_TEXT)
        return draft
    if step == "code":
        if _CODE.match(text):
            return replace(draft, code=text.upper())
        draft.tries.append(BAD_CODE)
    elif step == "name":
        return replace(draft, name=text[:200])
    elif step == "dates":
        match = _RANGE.match(text)
        first = as_date(match[1]) if match else None
        last = as_date(match[2]) if match else None
        if first and last and first <= last and (last - first).days <= 731:
            return replace(draft, days=(first, last))
        draft.tries.append(BAD_DAYS)
    elif step == "timezone":
        if place_zone(text):
            return replace(draft, timezone=text)
        draft.tries.append(BAD_ZONE)
    return draft


def tap(draft: Draft, data: str) -> Draft:
    """A button answer (``ncl:...`` without the prefix)."""
    if data == "name" and draft.suggested_name:
        return replace(draft, name=draft.suggested_name)
    if data == "dates" and draft.suggested_days:
        return replace(draft, days=draft.suggested_days)
    if data.startswith("tz:") and place_zone(data[3:]):
        return replace(draft, timezone=data[3:])
    if data.startswith("lang:") and data[5:] in LANGS:
        return replace(draft, lang=data[5:])
    return draft


def workbook(draft: Draft) -> tuple[bytes, str]:
    """The programme and the answers as our workbook, ready for the new-class preview.

    Raises :class:`ScheduleProblems` with the programme's own problems (a bad cell,
    a date outside the given days ...).
    """
    assert draft.days is not None
    cls = TrainingClass(
        id=0,
        code=draft.code,
        name=localized({draft.lang: draft.name}),
        timezone=draft.timezone,
        first_day=draft.days[0],
        last_day=draft.days[1],
        default_lang=draft.lang,
    )
    base = Schedule(cls, (), ())
    schedule = build_schedule(read_upload(draft.data, draft.filename, base), base)
    stem = draft.filename.rsplit(".", 1)[0] or "programme"
    return to_xlsx(schedule), f"{stem}.xlsx"
