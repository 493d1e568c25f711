"""A :class:`~bot.replies.Reply` as Zalo plain text: no HTML, no buttons, under 2,000 UTF-16 units.

Block titles become marked lines, buttons become numbered choices ("reply 1
to …") whose actions the caller remembers for the person, a location becomes
a maps link, and the text is split at line boundaries into messages that fit
Zalo's limit. Texts are in the active language (:func:`bot.i18n.use_lang`).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain import LANGS
from bot.i18n import LANG_NAMES, _
from bot.replies import Location, Reply
from bot.zalo.client import TEXT_LIMIT, utf16_len

TITLE_MARK = "■"


@dataclass(frozen=True, slots=True)
class Rendered:
    """What to send: an optional photo, the text messages, and the numbered choices' actions."""

    texts: tuple[str, ...]
    choices: tuple[str, ...] = ()
    photo_url: str | None = None


def maps_link(location: Location) -> str:
    return f"https://maps.google.com/?q={location.latitude:.6f},{location.longitude:.6f}"


def _is_link(action: str) -> bool:
    return action.startswith(("https://", "http://"))


def render(reply: Reply, limit: int = TEXT_LIMIT) -> Rendered:
    """Render ``reply`` for Zalo in the active language."""
    parts: list[str] = []
    for block in reply.blocks:
        lines = [f"{TITLE_MARK} {block.title}"] if block.title else []
        lines.extend(block.lines)
        if lines:
            parts.append("\n".join(lines))
    photo_url = None
    if reply.media is not None:
        kind, ref = reply.media
        if kind == "photo" and _is_link(ref):
            photo_url = ref
        else:
            parts.append(_("(This message has an attachment that Zalo cannot show.)"))
    if reply.picture is not None:
        parts.append(
            _(
                "I cannot send this picture on Zalo at the moment; it can be opened on "
                "Telegram, or write “this week” to read the week as text."
            )
        )
    if reply.location is not None:
        parts.append(_location_text(reply.location))
    if reply.document is not None:
        doc = reply.document
        lines = [doc.caption] if doc.caption else []
        lines.append(
            _(
                "The file “{name}” cannot be sent on Zalo; please ask your class manager "
                "or open it on Telegram."
            ).format(name=doc.filename)
        )
        parts.append("\n".join(lines))
    choices, choice_text = _choices(reply)
    if choice_text:
        parts.append(choice_text)
    texts = tuple(split_text("\n\n".join(p for p in parts if p), limit))
    return Rendered(texts=texts, choices=choices, photo_url=photo_url)


def _location_text(location: Location) -> str:
    place = ", ".join(x for x in (location.title, location.address) if x)
    lines = [_("Place: {place}").format(place=place)] if place else []
    lines.append(_("Map: {url}").format(url=maps_link(location)))
    return "\n".join(lines)


def _in_every_language(reply: Reply) -> bool:
    """One block per language, titled with its name (the question to someone whose language
    is not known yet): each block says how to answer, so no footer in a single language."""
    return tuple(b.title for b in reply.blocks) == tuple(LANG_NAMES[code] for code in LANGS)


def _choices(reply: Reply) -> tuple[tuple[str, ...], str]:
    """Numbered lines for the buttons (links stay links) and the actions in number order."""
    actions: list[str] = []
    lines: list[str] = []
    for row in reply.buttons:
        for button in row:
            if _is_link(button.action):
                lines.append(f"{button.label}: {button.action}")
                continue
            actions.append(button.action)
            lines.append(f"{len(actions)}. {button.label}")
    if _in_every_language(reply):
        pass
    elif len(actions) == 1:
        label = next(b.label for row in reply.buttons for b in row if b.action == actions[0])
        lines.append(_("Reply 1 for “{label}”.").format(label=label))
    elif actions:
        lines.append(_("Reply with a number from 1 to {last} to choose.").format(last=len(actions)))
    return tuple(actions), "\n".join(lines)


def split_text(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Cut ``text`` into pieces of at most ``limit`` UTF-16 units, at line breaks where possible.

    Lengths are counted as Zalo's limit is (see :data:`bot.zalo.client.TEXT_LIMIT`): an
    emoji outside the Basic Multilingual Plane (🚌, 🎓) counts 2.
    """
    text = text.strip()
    if not text:
        return []
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        for chunk in _hard_wrap(line, limit):
            candidate = f"{current}\n{chunk}" if current else chunk
            if utf16_len(candidate) <= limit:
                current = candidate
                continue
            if current.strip():
                pieces.append(current.strip("\n"))
            current = chunk
    if current.strip():
        pieces.append(current.strip("\n"))
    return pieces


def _hard_wrap(line: str, limit: int) -> list[str]:
    """A single line longer than ``limit`` cut at spaces (or anywhere if it has none)."""
    out: list[str] = []
    while utf16_len(line) > limit:
        fits = _fitting(line, limit)
        cut = line.rfind(" ", 0, fits + 1)
        if cut <= 0:
            cut = fits
        out.append(line[:cut].rstrip())
        line = line[cut:].lstrip()
    out.append(line)
    return out


def _fitting(line: str, limit: int) -> int:
    """How many characters of ``line`` fit in ``limit`` UTF-16 units (at least one)."""
    units = 0
    for index, char in enumerate(line):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            return max(index, 1)
    return len(line)
