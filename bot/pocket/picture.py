"""The week as one picture: a PNG timetable in the reader's language, to post in a group.

Days are rows (a phone is taller than wide), each session a time, a title, its
venue and, for field visits and trips, the departure time and meeting point.
Text is drawn with the Noto Sans and Noto Sans Lao fonts shipped in
``bot/pocket/fonts`` (SIL OFL 1.1, see ``OFL.txt``): each run of Lao letters in
the Lao font, everything else in Noto Sans, so Vietnamese, Lao and English all
have their glyphs. A character neither font has is replaced by "?" rather than
drawn as an empty box. Pictures are kept in memory per class, schedule version,
week and language: the second request costs a dictionary lookup.
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
MARGIN = 40
BODY = 30
SMALL = 26
HEAD = 40
CACHE_SIZE = 64

INK = (33, 37, 41)
MUTED = (90, 98, 110)
BAND = (27, 94, 153)
PAPER = (255, 255, 255)
STRIPE = (240, 244, 249)
VISIT = (176, 84, 0)


@dataclass(frozen=True, slots=True)
class Picture:
    """A rendered week and, per font file, every character drawn with it."""

    png: bytes
    drawn: Mapping[str, frozenset[str]] = field(default_factory=dict)


@functools.lru_cache(maxsize=16)
def _font(name: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONTS / name), size)


def _is_lao(ch: str) -> bool:
    return "\u0e80" <= ch <= "\u0eff"


@functools.lru_cache(maxsize=4096)
def _covered(name: str, ch: str) -> bool:
    """Whether the font draws ``ch`` with a glyph of its own (not the missing-glyph box)."""
    if ch.isspace() or unicodedata.category(ch) in ("Cf", "Cc"):
        return True
    font = _font(name, 24)
    missing = font.getmask("\U000f0000")
    mask = font.getmask(ch)
    return bytes(mask) != bytes(missing) or mask.size != missing.size


def _face(ch: str, bold: bool) -> str:
    return (
        f"NotoSansLao-{'Bold' if bold else 'Regular'}.ttf"
        if _is_lao(ch)
        else (f"NotoSans-{'Bold' if bold else 'Regular'}.ttf")
    )


def _clean(text: str, bold: bool) -> str:
    """NFC text without invisible characters; anything no font has becomes '?'."""
    text = unicodedata.normalize("NFC", text)
    out = []
    for ch in text:
        if unicodedata.category(ch) in ("Cf", "Cc", "So", "Cs", "Co"):
            continue
        out.append(ch if _covered(_face(ch, bold), ch) else "?")
    return "".join(out).strip()


def _runs(text: str, bold: bool) -> list[tuple[str, str]]:
    """(font file, text) runs: Lao letters in the Lao font, the rest in Noto Sans."""
    runs: list[tuple[str, str]] = []
    for ch in text:
        face = _face(ch, bold)
        if ch == " " and runs:
            face = runs[-1][0]
        if runs and runs[-1][0] == face:
            runs[-1] = (face, runs[-1][1] + ch)
        else:
            runs.append((face, ch))
    return runs


class _Canvas:
    """Lines of text laid out top to bottom, then painted onto one image."""

    def __init__(self) -> None:
        self.items: list[tuple[str, int, int, bool, tuple[int, int, int], int | None]] = []
        self.y = MARGIN
        self.drawn: dict[str, set[str]] = {}
        self._sizes: list[int] = []
        self._measure = ImageDraw.Draw(Image.new("RGB", (1, 1)))

    def width(self, text: str, size: int, bold: bool) -> float:
        return sum(
            self._measure.textlength(part, font=_font(face, size))
            for face, part in _runs(text, bold)
        )

    def wrap(self, text: str, size: int, bold: bool, width: int) -> list[str]:
        lines: list[str] = []
        current = ""
        for word in text.split(" "):
            trial = f"{current} {word}".strip()
            if current and self.width(trial, size, bold) > width:
                lines.append(current)
                current = word
            else:
                current = trial
            while self.width(current, size, bold) > width and len(current) > 1:
                cut = len(current) - 1
                while cut > 1 and self.width(current[:cut], size, bold) > width:
                    cut -= 1
                lines.append(current[:cut])
                current = current[cut:]
        if current:
            lines.append(current)
        return lines

    def text(
        self,
        text: str,
        *,
        size: int = BODY,
        bold: bool = False,
        colour: tuple[int, int, int] = INK,
        indent: int = 0,
        band: int | None = None,
    ) -> None:
        clean = _clean(text, bold)
        for line in self.wrap(clean, size, bold, WIDTH - 2 * MARGIN - indent) or [""]:
            self.items.append((line, MARGIN + indent, self.y, bold, colour, band))
            self._sizes.append(size)
            self.y += int(size * 1.45)

    def gap(self, height: int) -> None:
        self.y += height

    def paint(self) -> bytes:
        image = Image.new("RGB", (WIDTH, self.y + MARGIN), PAPER)
        draw = ImageDraw.Draw(image)
        for (line, x, y, bold, colour, band), size in zip(self.items, self._sizes, strict=True):
            if band is not None:
                draw.rectangle((0, y - 8, WIDTH, y + int(size * 1.45) + 2), fill=band_colour(band))
            cursor = float(x)
            for face, part in _runs(line, bold):
                font = _font(face, size)
                draw.text((cursor, y), part, font=font, fill=colour)
                self.drawn.setdefault(face, set()).update(part)
                cursor += draw.textlength(part, font=font)
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=False, compress_level=3)
        return out.getvalue()


def band_colour(kind: int) -> tuple[int, int, int]:
    return BAND if kind == 0 else STRIPE


def render_week(
    cls: TrainingClass,
    monday: dt.date,
    sessions: Sequence[Session],
    topics: Mapping[int, Topic],
    lang: str,
) -> Picture:
    """Monday to Sunday of the class's week starting ``monday``, in ``lang``."""
    canvas = _Canvas()
    with use_lang(lang):
        days = [
            d
            for d in (monday + dt.timedelta(days=i) for i in range(7))
            if cls.first_day <= d <= cls.last_day
        ]
        canvas.text(cls.title(lang), size=HEAD, bold=True, colour=BAND)
        week = date_range(monday, monday + dt.timedelta(days=6))
        canvas.text(_("Week of {dates}").format(dates=week), size=BODY, bold=True)
        canvas.text(venue_time_label(cls, days[0] if days else monday), size=SMALL, colour=MUTED)
        canvas.gap(16)
        if not days:
            canvas.text(_("No sessions."), colour=MUTED)
        for d in days:
            canvas.gap(10)
            canvas.text(day_text(d), size=BODY, bold=True, colour=PAPER, band=0)
            canvas.gap(8)
            todays = [s for s in sessions if s.day == d and s.kind is not SessionKind.BREAK]
            if not todays:
                canvas.text(_("No sessions."), colour=MUTED, indent=16)
            for s in todays:
                _session(canvas, cls, s, topics, lang)
    return Picture(canvas.paint(), {k: frozenset(v) for k, v in canvas.drawn.items()})


def _session(
    canvas: _Canvas, cls: TrainingClass, s: Session, topics: Mapping[int, Topic], lang: str
) -> None:
    topic = topics.get(s.topic_number) if s.topic_number is not None else None
    canvas.text(span(s), size=BODY, bold=True, indent=16)
    colour = VISIT if s.kind.needs_departure else INK
    canvas.text(session_title(cls, s, topic, lang), colour=colour, indent=48)
    if s.venue:
        canvas.text(_("Venue: {place}").format(place=s.venue), size=SMALL, colour=MUTED, indent=48)
    departure = departure_line(cls, s, lang) if s.kind.needs_departure else None
    if departure:
        canvas.text(departure, size=SMALL, bold=True, colour=VISIT, indent=48)
    canvas.gap(6)


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


def is_cached(cls: TrainingClass, monday: dt.date, lang: str) -> bool:
    return (cls.id, cls.live_version_id or 0, monday, lang) in _cache
