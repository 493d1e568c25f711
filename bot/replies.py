"""Channel-neutral replies that services return and channels render.

A service never builds HTML or Telegram objects: it returns a :class:`Reply`
made of plain-text blocks, buttons as ``(label, action)`` pairs and optional
location or document. Telegram renders it as escaped HTML with an inline
keyboard, Zalo as plain text with numbered choices, the terminal as text.
Replies serialise to JSON so the outbox can persist them.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Button:
    """A choice; ``action`` is the callback data (a short prefixed string)."""

    label: str
    action: str


@dataclass(frozen=True, slots=True)
class Location:
    """A map point (a meeting point, say)."""

    latitude: float
    longitude: float
    title: str = ""
    address: str = ""


@dataclass(frozen=True, slots=True)
class Document:
    """A file to send."""

    filename: str
    content: bytes
    caption: str = ""


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph: an optional heading (rendered bold) and plain lines."""

    lines: tuple[str, ...] = ()
    title: str | None = None


@dataclass(frozen=True, slots=True)
class Reply:
    """One message's worth of content."""

    blocks: tuple[Block, ...] = ()
    buttons: tuple[tuple[Button, ...], ...] = ()
    location: Location | None = None
    document: Document | None = None
    media: tuple[str, str] | None = field(default=None)
    """A channel file reference to re-send: (kind, file_id), e.g. ("photo", "AgAD...")."""
    picture: Document | None = None
    """An image made by the bot (the week as a picture), sent as a photo."""

    @classmethod
    def text(cls, *lines: str, title: str | None = None) -> Reply:
        return cls(blocks=(Block(lines=tuple(lines), title=title),))

    def plain(self) -> str:
        """The text as plain lines (titles on their own line, blocks blank-line separated)."""
        parts: list[str] = []
        for block in self.blocks:
            lines = ([block.title] if block.title else []) + list(block.lines)
            parts.append("\n".join(lines))
        return "\n\n".join(p for p in parts if p)

    def to_json(self) -> str:
        return json.dumps(_encode(self), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, raw: str) -> Reply:
        return _decode(json.loads(raw))


def _encode(reply: Reply) -> dict[str, Any]:
    out: dict[str, Any] = {
        "blocks": [{"t": b.title, "l": list(b.lines)} for b in reply.blocks],
    }
    if reply.buttons:
        out["buttons"] = [[[b.label, b.action] for b in row] for row in reply.buttons]
    if reply.location:
        loc = reply.location
        out["location"] = [loc.latitude, loc.longitude, loc.title, loc.address]
    if reply.document:
        doc = reply.document
        out["document"] = [doc.filename, base64.b64encode(doc.content).decode(), doc.caption]
    if reply.media:
        out["media"] = list(reply.media)
    if reply.picture:
        pic = reply.picture
        out["picture"] = [pic.filename, base64.b64encode(pic.content).decode(), pic.caption]
    return out


def _decode(data: dict[str, Any]) -> Reply:
    blocks = tuple(Block(lines=tuple(b["l"]), title=b["t"]) for b in data.get("blocks", []))
    buttons = tuple(
        tuple(Button(label, action) for label, action in row) for row in data.get("buttons", [])
    )
    location = Location(*data["location"]) if "location" in data else None
    document = None
    if "document" in data:
        name, content, caption = data["document"]
        document = Document(name, base64.b64decode(content), caption)
    media = (data["media"][0], data["media"][1]) if "media" in data else None
    picture = None
    if "picture" in data:
        name, content, caption = data["picture"]
        picture = Document(name, base64.b64decode(content), caption)
    return Reply(
        blocks=blocks,
        buttons=buttons,
        location=location,
        document=document,
        media=media,
        picture=picture,
    )
