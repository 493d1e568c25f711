"""The week as a picture: a PNG timetable in the reader's language, to post in a group.

Days are rows (a phone is taller than wide): a coloured band with the date, then
one entry per session, the time on the left and the title beside it, the venue
under it and, for field visits and trips, the departure time and meeting point
in orange. A page is 1,080 pixels wide (legible on a phone once Telegram fits it
to the screen) and at most :data:`MAX_HEIGHT` tall, because Telegram shrinks a
taller photo until its text is unreadable; a longer week becomes several pages,
a day never split across two.

Text is drawn with Noto Sans and Noto Sans Lao, shipped in ``bot/pocket/fonts``
(SIL OFL 1.1, see ``OFL.txt``): each run of Lao letters in the Lao font (shaped
by raqm, for stacked vowels and tone marks), everything else in Noto Sans, so
Vietnamese, Lao and English all have their glyphs. A character neither font has
becomes "?" rather than an empty box. Pictures are kept in memory per class,
schedule version, week and language: a second request is a dictionary lookup.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from bot.agenda.cards import (
    date_range,
    day_text,
    departure_line,
    session_title,
    span,
    venue_time_label,
)
from bot.domain import Session, SessionKind, Topic, TrainingClass
from bot.i18n import _, use_lang

FONTS = Path(__file__).parent / "fonts"
WIDTH = 1080
MAX_HEIGHT = 2400
MARGIN = 40
BODY = 30
SMALL = 26
HEAD = 38
CACHE_SIZE = 64

INK = (33, 37, 41)
MUTED = (90, 98, 110)
BAND = (27, 94, 153)
PAPER = (255, 255, 255)
VISIT = (176, 84, 0)

Colour = tuple[int, int, int]


@dataclass(frozen=True, slots=True)
class Picture:
    """A rendered week (one PNG per page) and, per font file, every character drawn with it."""

    pages: tuple[bytes, ...]
    drawn: Mapping[str, frozenset[str]] = field(default_factory=dict)

    @property
    def png(self) -> bytes:
        return self.pages[0]


@functools.lru_cache(maxsize=16)
def _font(name: str, size: int) -> ImageFont.FreeTypeFont:
    """Lao is shaped by raqm (stacked vowels and tone marks); Latin and Vietnamese
    (precomposed after NFC) are laid out by FreeType alone, several times faster."""
    layout = ImageFont.Layout.RAQM if "Lao" in name else ImageFont.Layout.BASIC
    try:
        return ImageFont.truetype(str(FONTS / name), size, layout_engine=layout)
    except (OSError, KeyError):  # a Pillow built without raqm
        return ImageFont.truetype(str(FONTS / name), size, layout_engine=ImageFont.Layout.BASIC)


@functools.lru_cache(maxsize=8192)
def _length(face: str, size: int, text: str) -> float:
    return _font(face, size).getlength(text)


def _is_lao(ch: str) -> bool:
    return "\u0e80" <= ch <= "\u0eff"


def _face(ch: str, bold: bool) -> str:
    weight = "Bold" if bold else "Regular"
    return f"NotoSansLao-{weight}.ttf" if _is_lao(ch) else f"NotoSans-{weight}.ttf"


@functools.lru_cache(maxsize=4096)
def _covered(name: str, ch: str) -> bool:
    """Whether the font draws ``ch`` with a glyph of its own (not the missing-glyph box)."""
    if ch.isspace():
        return True
    mask = _font(name, 24).getmask(ch)
    return (mask.size, bytes(mask)) != _missing_glyph(name)


@functools.lru_cache(maxsize=8)
def _missing_glyph(name: str) -> tuple[tuple[int, int], bytes]:
    """The size and pixels of the font's missing-glyph box (a private-use character)."""
    mask = _font(name, 24).getmask("\U000f0000")
    return mask.size, bytes(mask)


def _clean(text: str, bold: bool) -> str:
    """NFC text without invisible characters or emoji; anything no font has becomes '?'."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if unicodedata.category(ch) in ("Cf", "Cc", "So", "Cs", "Co"):
            continue
        out.append(ch if _covered(_face(ch, bold), ch) else "?")
    return " ".join("".join(out).split())


def _runs(text: str, bold: bool) -> list[tuple[str, str]]:
    """(font file, text) runs: Lao letters in the Lao font, the rest in Noto Sans."""
    runs: list[tuple[str, str]] = []
    for ch in text:
        face = runs[-1][0] if ch == " " and runs else _face(ch, bold)
        if runs and runs[-1][0] == face:
            runs[-1] = (face, runs[-1][1] + ch)
        else:
            runs.append((face, ch))
    return runs


def _width(text: str, size: int, bold: bool) -> float:
    return sum(_length(face, size, part) for face, part in _runs(text, bold))


def _wrap(text: str, size: int, bold: bool, width: float) -> list[str]:
    """Lines of ``text`` no wider than ``width`` (Lao has no spaces: long runs are cut)."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        trial = f"{current} {word}" if current else word
        if current and _width(trial, size, bold) > width:
            lines.append(current)
            current = word
        else:
            current = trial
        while _width(current, size, bold) > width and len(current) > 1:
            cut = len(current) - 1
            while cut > 1 and _width(current[:cut], size, bold) > width:
                cut -= 1
            lines.append(current[:cut])
            current = current[cut:]
    if current:
        lines.append(current)
    return lines


@dataclass(frozen=True, slots=True)
class _Line:
    text: str
    x: int
    y: int
    size: int
    bold: bool
    colour: Colour


@dataclass(slots=True)
class _Block:
    """A run of lines (the heading, or one day) with its own height; bands behind some."""

    lines: list[_Line] = field(default_factory=list)
    bands: list[tuple[int, int]] = field(default_factory=list)
    height: int = 0

    def text(
        self,
        text: str,
        *,
        size: int = BODY,
        bold: bool = False,
        colour: Colour = INK,
        x: int = MARGIN,
    ) -> None:
        """``text`` wrapped from ``x`` to the right margin, below what is there."""
        clean = _clean(text, bold)
        for line in _wrap(clean, size, bold, WIDTH - MARGIN - x) or [""]:
            self.lines.append(_Line(line, x, self.height, size, bold, colour))
            self.height += int(size * 1.4)

    def label(self, text: str, *, x: int) -> None:
        """One bold line beside the next text (a session's time beside its title)."""
        self.lines.append(_Line(_clean(text, True), x, self.height, BODY, True, INK))

    def band(self, text: str) -> None:
        self.height += 10
        self.bands.append((self.height, int(BODY * 1.4) + 14))
        self.height += 6
        self.text(text, bold=True, colour=PAPER)
        self.height += 14

    def gap(self, height: int) -> None:
        self.height += height


def _paint(blocks: list[_Block], drawn: dict[str, set[str]]) -> bytes:
    height = MARGIN + sum(b.height for b in blocks) + MARGIN
    image = Image.new("RGB", (WIDTH, height), PAPER)
    draw = ImageDraw.Draw(image)
    top = MARGIN
    for block in blocks:
        for y, h in block.bands:
            draw.rectangle((0, top + y, WIDTH, top + y + h), fill=BAND)
        for line in block.lines:
            cursor = float(line.x)
            for face, part in _runs(line.text, line.bold):
                draw.text(
                    (cursor, top + line.y), part, font=_font(face, line.size), fill=line.colour
                )
                drawn.setdefault(face, set()).update(part)
                cursor += _length(face, line.size, part)
        top += block.height
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=1)
    return out.getvalue()


@functools.lru_cache(maxsize=1)
def _time_column() -> int:
    """Where a session's title starts: right of the widest time span, and a gap."""
    return MARGIN + 8 + int(_width("00:00–00:00", BODY, True)) + 20


def _session(
    block: _Block, cls: TrainingClass, s: Session, topics: Mapping[int, Topic], lang: str
) -> None:
    topic = topics.get(s.topic_number) if s.topic_number is not None else None
    visit = s.kind.needs_departure
    block.label(span(s), x=MARGIN + 8)
    block.text(session_title(cls, s, topic, lang), colour=VISIT if visit else INK, x=_time_column())
    if s.venue:
        venue = _("Venue: {place}").format(place=s.venue)
        block.text(venue, size=SMALL, colour=MUTED, x=_time_column())
    departure = departure_line(cls, s, lang) if visit else None
    if departure:
        block.text(departure, size=SMALL, bold=True, colour=VISIT, x=_time_column())
    block.gap(10)


def render_week(
    cls: TrainingClass,
    monday: dt.date,
    sessions: Sequence[Session],
    topics: Mapping[int, Topic],
    lang: str,
) -> Picture:
    """Monday to Sunday of the class's week starting ``monday``, in ``lang``."""
    with use_lang(lang):
        days = [
            d
            for d in (monday + dt.timedelta(days=i) for i in range(7))
            if cls.first_day <= d <= cls.last_day
        ]
        heading = _Block()
        heading.text(cls.title(lang), size=HEAD, bold=True, colour=BAND)
        week = date_range(monday, monday + dt.timedelta(days=6))
        heading.text(_("Week of {dates}").format(dates=week), bold=True)
        heading.text(venue_time_label(cls, days[0] if days else monday), size=SMALL, colour=MUTED)
        if not days:
            heading.text(_("No sessions."), colour=MUTED)
        day_blocks: list[_Block] = []
        for d in days:
            block = _Block()
            block.band(day_text(d))
            todays = [s for s in sessions if s.day == d and s.kind is not SessionKind.BREAK]
            if not todays:
                block.text(_("No sessions."), colour=MUTED, x=MARGIN + 8)
            for s in todays:
                _session(block, cls, s, topics, lang)
            day_blocks.append(block)
    drawn: dict[str, set[str]] = {}
    pages: list[bytes] = []
    page = [heading]
    for block in day_blocks:
        if len(page) > 1 and sum(b.height for b in page) + block.height > MAX_HEIGHT - 2 * MARGIN:
            pages.append(_paint(page, drawn))
            page = [heading]
        page.append(block)
    pages.append(_paint(page, drawn))
    return Picture(tuple(pages), {k: frozenset(v) for k, v in drawn.items()})


_cache: dict[tuple[int, int, dt.date, str], Picture] = {}


def cached_week(
    cls: TrainingClass,
    monday: dt.date,
    sessions: Sequence[Session],
    topics: Mapping[int, Topic],
    lang: str,
) -> Picture:
    """:func:`render_week`, kept per class, schedule version, week and language."""
    key = (cls.id, cls.live_version_id or 0, monday, lang)
    found = _cache.get(key)
    if found is None:
        found = render_week(cls, monday, sessions, topics, lang)
        if len(_cache) >= CACHE_SIZE:
            del _cache[next(iter(_cache))]
        _cache[key] = found
    return found
