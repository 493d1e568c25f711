"""Replies rendered for Telegram: escaped HTML, inline keyboards, locations, documents.

Every piece of text from a :class:`~bot.replies.Reply` is escaped with
:func:`html.escape` here and only here (block titles become ``<b>…</b>``), so
no service can inject markup. Text longer than Telegram's 4,096-character
limit is split at line boundaries; the buttons ride on the last part. A
location follows the text as its own message (``sendVenue`` when it has a
title, else ``sendLocation``), then a document. :func:`reply_parts` lists
those messages as sends to run in order (the outbox's Telegram sender resumes
after the parts a failed attempt delivered); :func:`send_reply` runs them all
and, with :func:`edit_reply`, is what handlers call.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    LinkPreviewOptions,
    Message,
)
from telegram.constants import MessageLimit, ParseMode
from telegram.error import BadRequest

from bot.replies import Block, Reply

MAX_TEXT: int = MessageLimit.MAX_TEXT_LENGTH
"""Telegram's limit on one message's text (4,096 characters)."""

MAX_CAPTION: int = MessageLimit.CAPTION_LENGTH
MAX_CALLBACK_BYTES = 64
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


def _escaped_pieces(raw: str, limit: int, wrap: tuple[str, str] = ("", "")) -> Iterator[str]:
    """``raw`` escaped (and wrapped in tags), cut so each piece fits in ``limit``."""
    opening, closing = wrap
    room = limit - len(opening) - len(closing)
    whole = html.escape(raw)
    if len(whole) <= room:
        yield f"{opening}{whole}{closing}"
        return
    piece = ""
    for char in raw:
        escaped = html.escape(char)
        if len(piece) + len(escaped) > room:
            yield f"{opening}{piece}{closing}"
            piece = ""
        piece += escaped
    yield f"{opening}{piece}{closing}"


def html_lines(blocks: tuple[Block, ...], limit: int = MAX_TEXT) -> list[str]:
    """The reply's text as escaped HTML lines; a blank line between blocks."""
    lines: list[str] = []
    for block in blocks:
        if not block.title and not block.lines:
            continue
        if lines:
            lines.append("")
        if block.title:
            lines.extend(_escaped_pieces(block.title, limit, ("<b>", "</b>")))
        for line in block.lines:
            lines.extend(_escaped_pieces(line, limit))
    return lines


def split_text(lines: list[str], limit: int = MAX_TEXT) -> list[str]:
    """Join ``lines`` into messages of at most ``limit`` characters, cutting between lines."""
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for line in lines:
        extra = len(line) + (1 if current else 0)
        if current and size + extra > limit:
            parts.append("\n".join(current).strip("\n"))
            current, size = [], 0
            if not line:
                continue
            extra = len(line)
        current.append(line)
        size += extra
    if current:
        parts.append("\n".join(current).strip("\n"))
    return [p for p in parts if p]


def render_text(reply: Reply, limit: int = MAX_TEXT) -> list[str]:
    """The reply's text as one or more HTML messages, each under ``limit``."""
    return split_text(html_lines(reply.blocks, limit), limit)


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    """The reply's buttons as an inline keyboard (callback data = the action)."""
    if not reply.buttons:
        return None
    rows: list[list[InlineKeyboardButton]] = []
    for row in reply.buttons:
        for button in row:
            if len(button.action.encode()) > MAX_CALLBACK_BYTES:
                raise ValueError(f"button action longer than 64 bytes: {button.action!r}")
        rows.append([InlineKeyboardButton(b.label, callback_data=b.action) for b in row])
    return InlineKeyboardMarkup(rows)


RENDERED_SIZE = 1024
"""Text-and-buttons replies whose rendering is remembered (see :func:`_rendered`)."""

_rendered_cache: dict[Reply, tuple[tuple[str, ...], InlineKeyboardMarkup | None]] = {}


def _rendered(reply: Reply) -> tuple[tuple[str, ...], InlineKeyboardMarkup | None]:
    """:func:`render_text` and :func:`keyboard` of a reply, remembered when it has no files.

    Many chats get equal replies (the day's programme is the same for a whole
    class), and building the keyboard's objects costs as much as the escaping.
    A reply with a document or media is not kept (it may hold a file's bytes).
    """
    cacheable = reply.document is None and reply.media is None and reply.picture is None
    if cacheable:
        found = _rendered_cache.get(reply)
        if found is not None:
            return found
    rendered = tuple(render_text(reply)), keyboard(reply)
    if cacheable:
        if len(_rendered_cache) >= RENDERED_SIZE:
            del _rendered_cache[next(iter(_rendered_cache))]
        _rendered_cache[reply] = rendered
    return rendered


Part = Callable[[], Awaitable[Message]]
"""One Telegram message of a reply, ready to send."""


def _media_part(bot: Bot, chat_id: int | str, reply: Reply, caption: str | None) -> Part:
    """The reply's media; with the caption and buttons when the text fits in a caption."""
    file_id: str | InputFile
    if reply.picture is not None:  # an image the bot made: uploaded as a photo
        kind, file_id = "photo", InputFile(reply.picture.content, filename=reply.picture.filename)
    else:
        assert reply.media is not None
        kind, file_id = reply.media
    markup = keyboard(reply) if caption is not None else None
    options: dict[str, Any] = {
        "caption": caption,
        "parse_mode": ParseMode.HTML,
        "reply_markup": markup,
    }
    if kind == "photo":
        return functools.partial(bot.send_photo, chat_id, file_id, **options)
    if kind == "video":
        return functools.partial(bot.send_video, chat_id, file_id, **options)
    if kind == "voice":
        return functools.partial(bot.send_voice, chat_id, file_id, **options)
    if kind == "audio":
        return functools.partial(bot.send_audio, chat_id, file_id, **options)
    return functools.partial(bot.send_document, chat_id, file_id, **options)


def reply_parts(
    bot: Bot, chat_id: int | str, reply: Reply, *, reply_to: int | None = None
) -> list[Part]:
    """The messages ``reply`` goes out as, in order (the outbox resumes after sent ones).

    Media (with the text as caption when it fits), the text split at 4,096
    characters (buttons on the last part, or on a "⬇" holder when there is no
    text), then the location and the document.
    """
    parts: list[Part] = []
    texts, markup = _rendered(reply)
    if reply.media is not None or reply.picture is not None:
        captions = render_text(reply, MAX_CAPTION)
        if len(captions) <= 1:
            parts.append(_media_part(bot, chat_id, reply, captions[0] if captions else ""))
            texts = ()
        else:
            parts.append(_media_part(bot, chat_id, reply, None))
    for index, text in enumerate(texts):
        last = index == len(texts) - 1
        parts.append(
            functools.partial(
                bot.send_message,
                chat_id,
                text,
                parse_mode=ParseMode.HTML,
                link_preview_options=NO_PREVIEW,
                reply_markup=markup if last else None,
                reply_to_message_id=reply_to if index == 0 else None,
            )
        )
    if markup is not None and not parts:
        # Buttons need a message to sit on; a reply of only buttons gets a pointer glyph.
        parts.append(functools.partial(bot.send_message, chat_id, "⬇", reply_markup=markup))
    parts.extend(_extra_parts(bot, chat_id, reply))
    return parts


async def send_reply(
    bot: Bot, chat_id: int | str, reply: Reply, *, reply_to: int | None = None
) -> list[Message]:
    """Send ``reply`` to ``chat_id``; returns the messages sent, in order."""
    return [await part() for part in reply_parts(bot, chat_id, reply, reply_to=reply_to)]


def _extra_parts(bot: Bot, chat_id: int | str, reply: Reply) -> list[Part]:
    """The location and the document that follow the text."""
    parts: list[Part] = []
    loc = reply.location
    if loc is not None:
        if loc.title:
            parts.append(
                functools.partial(
                    bot.send_venue,
                    chat_id,
                    loc.latitude,
                    loc.longitude,
                    loc.title,
                    loc.address or loc.title,
                )
            )
        else:
            parts.append(functools.partial(bot.send_location, chat_id, loc.latitude, loc.longitude))
    doc = reply.document
    if doc is not None:
        caption = render_text(Reply.text(doc.caption), MAX_CAPTION)[0] if doc.caption else None
        parts.append(
            functools.partial(
                bot.send_document,
                chat_id,
                InputFile(doc.content, filename=doc.filename),
                caption=caption,
                parse_mode=ParseMode.HTML,
            )
        )
    return parts


async def edit_reply(bot: Bot, chat_id: int | str, message_id: int, reply: Reply) -> list[Message]:
    """Replace the text and buttons of a message the bot sent (◀ ▶ navigation).

    Only the first part fits in place; further parts, a location and a
    document follow as new messages. An unchanged text is not an error.
    """
    parts = render_text(reply) or ["⬇"]
    markup = keyboard(reply)
    sent: list[Message] = []
    try:
        edited = await bot.edit_message_text(
            parts[0],
            chat_id=chat_id,
            message_id=message_id,
            parse_mode=ParseMode.HTML,
            link_preview_options=NO_PREVIEW,
            reply_markup=markup if len(parts) == 1 else None,
        )
        if isinstance(edited, Message):
            sent.append(edited)
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise
    for index, text in enumerate(parts[1:], start=2):
        sent.append(
            await bot.send_message(
                chat_id,
                text,
                parse_mode=ParseMode.HTML,
                link_preview_options=NO_PREVIEW,
                reply_markup=markup if index == len(parts) else None,
            )
        )
    sent.extend([await part() for part in _extra_parts(bot, chat_id, reply)])
    return sent
