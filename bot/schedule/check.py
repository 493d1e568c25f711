"""Validating raw schedule tables into a :class:`~bot.domain.Schedule`, or every problem at once.

Session keys: a file should carry an ID column ("ID" / "Mã") so a session
keeps its identity when it moves in time or is renamed; the diff then reports
it as moved or changed. Without IDs a key is made from the kind and the title
in the class's default language (plus the date for titles that repeat, such as
lunch), so a lecture moved to another hour is still recognised as moved, but a
renamed session without an ID shows as removed and added.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import zoneinfo
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.domain import (
    LANGS,
    Localized,
    Schedule,
    Session,
    SessionKind,
    Topic,
    TrainingClass,
    localized,
    pick,
)
from bot.i18n import N_
from bot.schedule.columns import SESSION_REQUIRED, TOPIC_REQUIRED, fold, kind_from, lang_from
from bot.schedule.problems import Problem, ScheduleProblems
from bot.schedule.read import Cell, RawFile, RawRow, RawTable
from bot.schedule.values import as_date, as_float, as_int, as_text, as_time
from bot.schedule.write import header

BAD_DATE = N_('"{value}" is not a date (write it as 15/07/2024 or 2024-07-15).')
BAD_TIME = N_('"{value}" is not a time (write it as 07:30 or 7h30).')
BAD_NUMBER = N_('"{value}" is not a whole number.')
MISSING = N_("This value is required.")
MISSING_MERGED = N_(
    "This value is required; the cell is part of the merged cells {range}, which leaves it "
    "empty. Unmerge them and write the value in each row."
)
OUT_OF_RANGE = N_('"{value}" is out of range (from {low} to {high}).')
YEARS = (2000, 2100)
"""Class dates must fall in these years: "0001", "9999" or "2204" is a typing slip."""
MAX_DAYS = 731
"""A class lasts at most two years (long programmes run in modules)."""
RANGES: dict[str, tuple[int, int]] = {
    "topic": (1, 999),
    "number": (1, 999),
    "departure_reminder_min": (0, 24 * 60),
    "rollcall_report_min": (0, 24 * 60),
}


@functools.cache
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def place_zone(name: str) -> bool:
    """A real IANA zone of a place (Asia/Ho_Chi_Minh) or UTC; not "localtime" or "Factory"."""
    return name == "UTC" or ("/" in name and name in _zones() and not name.startswith("Etc/"))


class _Checker:
    def __init__(self, raw: RawFile) -> None:
        self.raw = raw
        self.problems: list[Problem] = []

    def add(self, message: str, params: dict[str, object], sheet: str, cell: Cell | None) -> None:
        row = cell.row if cell else None
        column = cell.column if cell else ""
        self.problems.append(Problem(message, params, sheet, row, column, self.raw.by_line))

    def missing(self, sheet: str, row: RawRow, name: str, label: str) -> None:
        table = self.raw.sessions if sheet == getattr(self.raw.sessions, "sheet", None) else None
        table = table or (
            self.raw.topics if self.raw.topics and sheet == self.raw.topics.sheet else None
        )
        merged = table.merged.get((row.row, name)) if table else None
        if merged:
            self.add(MISSING_MERGED, {"range": merged}, sheet, Cell(None, row.row, label))
        else:
            self.add(MISSING, {}, sheet, Cell(None, row.row, label))

    def whole(self, sheet: str, row: RawRow, name: str, parser: Callable[[Any], Any]) -> Any:
        """A whole number within :data:`RANGES` (10^20 or -3 is refused, not stored)."""
        value = self.parse(sheet, row, name, parser, BAD_NUMBER)
        low, high = RANGES[name]
        if value is not None and not low <= value <= high:
            cell = row.cells[name]
            self.add(
                OUT_OF_RANGE, {"value": as_text(cell.value), "low": low, "high": high}, sheet, cell
            )
            return None
        return value

    def parse(
        self, sheet: str, row: RawRow, name: str, parser: Callable[[Any], Any], message: str
    ) -> Any:
        cell = row.cells.get(name)
        if cell is None:
            return None
        value = parser(cell.value)
        if value is None:
            self.add(message, {"value": as_text(cell.value)}, sheet, cell)
        return value

    def text(self, row: RawRow, name: str) -> str:
        cell = row.cells.get(name)
        return as_text(cell.value) if cell else ""

    def localized(self, row: RawRow, name: str) -> Localized:
        return localized({lang: self.text(row, f"{name}_{lang}") for lang in LANGS})


def _class(ck: _Checker, base: Schedule | None) -> TrainingClass | None:
    raw = ck.raw
    sheet = raw.class_sheet
    row = raw.cls or RawRow(0)
    fallback = base.cls if (raw.partial and base is not None) else None
    if raw.partial and fallback is None and "code" not in row.cells:
        ck.add(
            N_(
                'A CSV holds sessions only: name the class in a first line "# code: …" '
                "and import its workbook first."
            ),
            {},
            sheet,
            None,
        )
        return None

    def need(name: str, label: str) -> Cell | None:
        cell = row.cells.get(name)
        if cell is None and fallback is None:
            ck.add(N_('The class has no "{name}".'), {"name": label}, sheet, None)
        return cell

    code_cell = need("code", "code")
    tz_cell = need("timezone", "time zone")
    first_cell = need("first_day", "first day")
    last_cell = need("last_day", "last day")
    lang_cell = need("default_lang", "default language")
    code = as_text(code_cell.value) if code_cell else (fallback.code if fallback else "")
    tz = as_text(tz_cell.value) if tz_cell else (fallback.timezone if fallback else "")
    if tz_cell:
        try:
            ZoneInfo(tz)
            if not place_zone(tz):
                raise ValueError(tz)
        except (ZoneInfoNotFoundError, ValueError):
            ck.add(
                N_('Unknown time zone "{value}" (write it like Asia/Ho_Chi_Minh).'),
                {"value": tz},
                sheet,
                tz_cell,
            )
            tz = ""
    first = as_date(first_cell.value) if first_cell else (fallback.first_day if fallback else None)
    last = as_date(last_cell.value) if last_cell else (fallback.last_day if fallback else None)
    for cell, value in ((first_cell, first), (last_cell, last)):
        if cell and value is None:
            ck.add(BAD_DATE, {"value": as_text(cell.value)}, sheet, cell)
    lang = (
        (lang_from(as_text(lang_cell.value)) or "")
        if lang_cell
        else (fallback.default_lang if fallback else "")
    )
    if lang_cell and lang not in LANGS:
        ck.add(
            N_('Unknown language "{value}" (use vi, lo or en).'),
            {"value": as_text(lang_cell.value)},
            sheet,
            lang_cell,
        )
        lang = ""
    for cell, value in ((first_cell, first), (last_cell, last)):
        if cell and value and not YEARS[0] <= value.year <= YEARS[1]:
            ck.add(
                N_("The year {year} is implausible (expected {low} to {high})."),
                {"year": value.year, "low": YEARS[0], "high": YEARS[1]},
                sheet,
                cell,
            )
            first = last = None
    if first and last and last < first:
        ck.add(N_("The last day is before the first day."), {}, sheet, last_cell)
    elif first and last and (last - first).days > MAX_DAYS:
        ck.add(
            N_("The class would last {days} days; check the first and last day."),
            {"days": (last - first).days + 1},
            sheet,
            last_cell,
        )
        last = None
    name = ck.localized(row, "name") or (fallback.name if fallback else ck.localized(row, "name"))
    if lang and lang not in name:
        ck.add(
            N_("The class name is missing in the default language ({lang})."),
            {"lang": lang},
            sheet,
            row.cells.get("default_lang"),
        )
    times: dict[str, dt.time] = {}
    for field_name, default in (
        ("reminder_time", dt.time(6, 30)),
        ("evening_notice_time", dt.time(20, 0)),
    ):
        parsed = ck.parse(sheet, row, field_name, as_time, BAD_TIME)
        times[field_name] = parsed or (getattr(fallback, field_name) if fallback else default)
    minutes: dict[str, int] = {}
    for field_name, default_min in (("departure_reminder_min", 30), ("rollcall_report_min", 10)):
        parsed_min = ck.whole(sheet, row, field_name, as_int)
        minutes[field_name] = (
            parsed_min
            if parsed_min is not None
            else (getattr(fallback, field_name) if fallback else default_min)
        )
    if not (code and tz and first and last and lang) or last < first:
        return None
    return TrainingClass(
        id=0,
        code=code,
        name=name,
        timezone=tz,
        first_day=first,
        last_day=last,
        default_lang=lang,
        organiser=ck.text(row, "organiser") or (fallback.organiser if fallback else ""),
        venue=ck.text(row, "venue") or (fallback.venue if fallback else ""),
        reminder_time=times["reminder_time"],
        evening_notice_time=times["evening_notice_time"],
        departure_reminder_min=minutes["departure_reminder_min"],
        rollcall_report_min=minutes["rollcall_report_min"],
    )


def _missing_columns(ck: _Checker, table: RawTable, required: tuple[str, ...], lang: str) -> bool:
    absent = [n for n in required if n not in table.columns]
    if not any(c.startswith("title_") for c in table.columns):
        absent.append("title")
    for name in absent:
        ck.add(
            N_('The column "{name}" is missing. /template shows the expected columns.'),
            {"name": header(name, None)},
            table.sheet,
            None,
        )
    return not absent


def _topics(ck: _Checker, table: RawTable | None, lang: str) -> list[Topic]:
    if table is None:
        return []
    if (table.rows or table.filled) and not _missing_columns(ck, table, TOPIC_REQUIRED, lang):
        return []
    seen: dict[int, int] = {}
    out: list[Topic] = []
    for row in table.rows:
        number = ck.whole(table.sheet, row, "number", lambda v: as_int(v, trailing=True))
        if "number" not in row.cells:
            ck.missing(table.sheet, row, "number", table.columns.get("number", "number"))
        title = ck.localized(row, "title")
        if lang and lang not in title:
            ck.add(
                N_("The title in the class's default language ({lang}) is missing."),
                {"lang": lang},
                table.sheet,
                Cell(None, row.row, table.columns.get(f"title_{lang}", f"title_{lang}")),
            )
        if number is None:
            continue
        if number in seen:
            ck.add(
                N_("Topic number {number} is used twice (first in row {row})."),
                {"number": number, "row": seen[number]},
                table.sheet,
                row.cells["number"],
            )
            continue
        seen[number] = row.row
        out.append(
            Topic(
                number=number,
                title=title,
                block=ck.localized(row, "block"),
                lecturer=ck.text(row, "lecturer"),
                summary=ck.localized(row, "summary"),
            )
        )
    return sorted(out, key=lambda t: t.number)


def _auto_keys(rows: list[tuple[RawRow, Session]], lang: str, taken: set[str]) -> dict[int, str]:
    """Keys for rows without an ID: kind + title hash, with the date when the title repeats."""

    def base(s: Session) -> str:
        digest = hashlib.sha1(fold(pick(s.title, lang, lang)).encode(), usedforsecurity=False)
        return f"{s.kind.value}-{digest.hexdigest()[:8]}"

    counts = Counter(base(s) for _, s in rows)
    keys: dict[int, str] = {}
    for row, s in sorted(rows, key=lambda rs: (rs[1].day, rs[1].start, rs[0].row)):
        key = base(s)
        if counts[key] > 1:
            key = f"{key}-{s.day:%Y%m%d}-{s.start:%H%M}"
        while key in taken:
            key += "+"
        taken.add(key)
        keys[row.row] = key
    return keys


def _sessions(
    ck: _Checker, table: RawTable | None, cls: TrainingClass | None, topics: list[Topic], lang: str
) -> list[Session]:
    if table is None or not _missing_columns(ck, table, SESSION_REQUIRED, lang):
        return []
    sheet = table.sheet
    raw_layout = ck.raw.layout
    topic_numbers = {t.number for t in topics}
    ids: dict[str, int] = {}
    made: list[tuple[RawRow, Session]] = []
    for row in table.rows:
        for name in SESSION_REQUIRED:
            if name not in row.cells:
                ck.missing(sheet, row, name, table.columns.get(name, name))
        day = ck.parse(sheet, row, "date", as_date, BAD_DATE)
        start = ck.parse(sheet, row, "start", as_time, BAD_TIME)
        end = ck.parse(sheet, row, "end", as_time, BAD_TIME)
        departure = ck.parse(sheet, row, "departure", as_time, BAD_TIME)
        back = ck.parse(sheet, row, "return_time", as_time, BAD_TIME)
        kind = ck.parse(
            sheet,
            row,
            "kind",
            lambda v: kind_from(as_text(v)),
            N_('Unknown kind "{value}" (e.g. lecture, field visit, trip, break).'),
        )
        topic = ck.whole(sheet, row, "topic", lambda v: as_int(v, trailing=True))
        lat = ck.parse(sheet, row, "latitude", as_float, N_('"{value}" is not a number.'))
        lon = ck.parse(sheet, row, "longitude", as_float, N_('"{value}" is not a number.'))
        title = ck.localized(row, "title")
        meeting = ck.localized(row, "meeting_point")
        key = ck.text(row, "id")
        if key:
            if key in ids:
                ck.add(
                    N_('The ID "{value}" is used twice (first in row {row}).'),
                    {"value": key, "row": ids[key]},
                    sheet,
                    row.cells["id"],
                )
            ids.setdefault(key, row.row)
        if day and cls and not cls.first_day <= day <= cls.last_day:
            ck.add(
                N_("{value} is outside the class's days ({first} to {last})."),
                {
                    "value": day.isoformat(),
                    "first": cls.first_day.isoformat(),
                    "last": cls.last_day.isoformat(),
                },
                sheet,
                row.cells["date"],
            )
        if start and end and end <= start:
            ck.add(
                N_("The session ends ({end}) before it starts ({start})."),
                {"end": f"{end:%H:%M}", "start": f"{start:%H:%M}"},
                sheet,
                row.cells["end"],
            )
        if topic is not None and topic not in topic_numbers:
            ck.add(
                N_("There is no topic number {number}."),
                {"number": topic},
                sheet,
                row.cells["topic"],
            )
        if lang and lang not in title and raw_layout != "programme":
            label = table.columns.get(f"title_{lang}", f"title_{lang}")
            ck.add(
                N_("The title in the class's default language ({lang}) is missing."),
                {"lang": lang},
                sheet,
                Cell(None, row.row, label),
            )
        if departure and end and departure >= end:
            ck.add(
                N_("The departure ({departure}) is not before the visit ends ({end})."),
                {"departure": f"{departure:%H:%M}", "end": f"{end:%H:%M}"},
                sheet,
                row.cells["departure"],
            )
        if back and start and back <= start:
            ck.add(
                N_("The return ({back}) is not after the visit starts ({start})."),
                {"back": f"{back:%H:%M}", "start": f"{start:%H:%M}"},
                sheet,
                row.cells["return_time"],
            )
        if isinstance(kind, SessionKind) and kind.needs_departure and raw_layout != "programme":
            if "departure" not in row.cells:
                ck.add(
                    N_("A field visit or trip needs a departure time."),
                    {},
                    sheet,
                    Cell(None, row.row, table.columns.get("departure", "departure")),
                )
            if not meeting:
                ck.add(
                    N_("A field visit or trip needs a meeting point."),
                    {},
                    sheet,
                    Cell(
                        None, row.row, table.columns.get(f"meeting_point_{lang}", "meeting_point")
                    ),
                )
        if not _on_map(lat, lon):
            ck.add(
                N_("The map coordinates are out of range."), {}, sheet, row.cells.get("latitude")
            )
            lat = lon = None
        if not (day and start and end and kind) or end <= start:
            continue
        made.append(
            (
                row,
                Session(
                    key=key,
                    day=day,
                    start=start,
                    end=end,
                    kind=kind,
                    title=title,
                    topic_number=topic,
                    lecturer=ck.text(row, "lecturer"),
                    venue=ck.text(row, "venue"),
                    meeting_point=meeting,
                    departure=departure,
                    return_time=back,
                    transport=ck.localized(row, "transport"),
                    dress_code=ck.localized(row, "dress_code"),
                    bring=ck.localized(row, "bring"),
                    latitude=lat,
                    longitude=lon,
                    notes=ck.localized(row, "notes"),
                ),
            )
        )
    _overlaps(ck, sheet, made)
    auto = _auto_keys([(r, s) for r, s in made if not s.key], lang, set(ids))
    sessions = [s if s.key else replace(s, key=auto[r.row]) for r, s in made]
    return sorted(sessions, key=lambda s: (s.day, s.start, s.key))


def _on_map(lat: float | None, lon: float | None) -> bool:
    return (lat is None or -90 <= lat <= 90) and (lon is None or -180 <= lon <= 180)


def _overlaps(ck: _Checker, sheet: str, made: list[tuple[RawRow, Session]]) -> None:
    """Report each session that starts before an earlier one on the same day has ended."""
    ordered = sorted(made, key=lambda rs: (rs[1].day, rs[1].start, rs[0].row))
    latest: tuple[RawRow, Session] | None = None
    for row, s in ordered:
        if latest is not None and latest[1].day == s.day and s.start < latest[1].end:
            prev_row, prev = latest
            ck.add(
                N_("This session overlaps the one in row {row} ({start}–{end})."),
                {"row": prev_row.row, "start": f"{prev.start:%H:%M}", "end": f"{prev.end:%H:%M}"},
                sheet,
                row.cells.get("start"),
            )
            if s.end <= prev.end:
                continue
        latest = (row, s)


def build_schedule(raw: RawFile, base: Schedule | None = None) -> Schedule:
    """The schedule ``raw`` describes; raises :class:`ScheduleProblems` listing every problem.

    ``base`` is the class's stored schedule: a CSV (sessions only) takes the class
    header fields it does not give, and the topics, from it.
    """
    ck = _Checker(raw)
    cls = _class(ck, base)
    lang = cls.default_lang if cls else ""
    if raw.partial:
        topics = list(base.topics) if base is not None else []
        known = {t.number for t in topics}
        for number, title in sorted(raw.topics_found.items()):
            if number not in known and lang:
                topics.append(Topic(number=number, title=localized({lang: title})))
        topics.sort(key=lambda t: t.number)
    else:
        topics = _topics(ck, raw.topics, lang)
    sessions = _sessions(ck, raw.sessions, cls, topics, lang)
    if raw.sessions is None:
        ck.add(N_("The file has no sessions."), {}, "", None)
    if ck.problems or cls is None:
        order = {p.sheet: -i for i, p in reversed(list(enumerate(ck.problems)))}
        raise ScheduleProblems(sorted(ck.problems, key=lambda p: (-order[p.sheet], p.row or 0)))
    return Schedule(cls=cls, topics=tuple(topics), sessions=tuple(sessions))
