"""Replies become escaped HTML with keyboards, split under 4,096 characters, extras after text."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import Bot
from telegram.error import BadRequest

from bot.replies import Block, Button, Document, Location, Reply
from bot.telegram import render as telegram_render
from bot.telegram.render import (
    MAX_TEXT,
    edit_reply,
    html_lines,
    keyboard,
    render_text,
    send_reply,
    split_text,
)
from tests.helpers.telegram import RecordingRequest

BUTTONS = ((Button("▶", "day:1:x"),),)


@pytest.fixture
async def bot(request_recorder: RecordingRequest) -> AsyncIterator[Bot]:
    bot = Bot("1:test", request=request_recorder)
    await bot.initialize()
    request_recorder.clear()
    yield bot
    await bot.shutdown()


def test_hostile_titles_and_lines_are_escaped() -> None:
    reply = Reply.text("a < b & c", "<script>alert(1)</script>", title="<b>x</b> & <script>")
    [text] = render_text(reply)
    assert text == (
        "<b>&lt;b&gt;x&lt;/b&gt; &amp; &lt;script&gt;</b>\n"
        "a &lt; b &amp; c\n"
        "&lt;script&gt;alert(1)&lt;/script&gt;"
    )


def test_blocks_are_separated_by_a_blank_line_and_empty_blocks_skipped() -> None:
    reply = Reply(blocks=(Block(("one",), "T"), Block(()), Block(("two",))))
    assert render_text(reply) == ["<b>T</b>\none\n\ntwo"]


def test_long_text_splits_at_line_boundaries_under_the_limit() -> None:
    lines = tuple(f"line {i:04d} " + "x" * 90 for i in range(120))
    parts = render_text(Reply.text(*lines))
    assert len(parts) == 3
    assert all(len(p) <= MAX_TEXT for p in parts)
    rejoined = "\n".join(parts).split("\n")
    assert rejoined == list(lines)


def test_escaping_counts_towards_the_limit() -> None:
    parts = render_text(Reply.text(*("&" * 1000 for _ in range(5))))
    assert all(len(p) <= MAX_TEXT for p in parts)
    # Each line is 5,000 characters once escaped, so each is cut, never inside "&amp;".
    assert "".join(parts).replace("\n", "") == "&amp;" * 5000
    assert all(p.startswith("&amp;") and p.endswith("&amp;") for p in parts)


def test_a_single_huge_line_is_cut_without_breaking_an_entity() -> None:
    parts = render_text(Reply.text("<" * 3000))
    assert [len(p) for p in parts] == [4096, 4096, 3808]
    assert "".join(parts) == "&lt;" * 3000
    assert all(p.startswith("&lt;") and p.endswith("&lt;") for p in parts)


def test_split_skips_a_blank_line_at_a_cut() -> None:
    assert split_text(["a" * 6, "", "b" * 6], limit=8) == ["a" * 6, "b" * 6]


def test_bold_titles_are_cut_inside_their_tags() -> None:
    lines = html_lines((Block((), "t" * 10),), limit=8)
    assert lines == ["<b>t</b>"] * 10


def test_keyboard_rows_and_the_64_byte_limit() -> None:
    reply = Reply(
        blocks=Reply.text("x").blocks,
        buttons=((Button("◀", "day:1:2024-07-14"), Button("▶", "day:1:2024-07-16")),),
    )
    markup = keyboard(reply)
    assert markup is not None
    assert [[b.callback_data for b in row] for row in markup.inline_keyboard] == [
        ["day:1:2024-07-14", "day:1:2024-07-16"]
    ]
    assert keyboard(Reply.text("no buttons")) is None
    with pytest.raises(ValueError, match="64 bytes"):
        keyboard(Reply(buttons=((Button("x", "ack:" + "ມ" * 30),),)))


async def test_send_reply_puts_buttons_on_the_last_part(
    bot: Bot, request_recorder: RecordingRequest
) -> None:
    lines = tuple("y" * 100 for _ in range(60))
    reply = Reply(blocks=Reply.text(*lines).blocks, buttons=((Button("▶", "day:1:x"),),))
    sent = await send_reply(bot, 42, reply)
    calls = request_recorder.sent("sendMessage", 42)
    assert len(sent) == len(calls) == 2
    assert calls[0].buttons == [] and calls[1].buttons == [[("▶", "day:1:x")]]
    assert all(c.params["parse_mode"] == "HTML" for c in calls)
    assert all(c.params["link_preview_options"] == {"is_disabled": True} for c in calls)


async def test_equal_replies_are_rendered_once_and_sent_the_same(
    bot: Bot, request_recorder: RecordingRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    rendered: list[Reply] = []
    real = telegram_render.render_text

    def counting(reply: Reply, limit: int = MAX_TEXT) -> list[str]:
        rendered.append(reply)
        return real(reply, limit)

    monkeypatch.setattr(telegram_render, "render_text", counting)
    monkeypatch.setattr(telegram_render, "_rendered_cache", {})

    def programme() -> Reply:  # a new but equal object each time, as the agenda may return
        return Reply(blocks=Reply.text("08:00 <b>", title="Today").blocks, buttons=BUTTONS)

    for chat in (1, 2, 3):
        await send_reply(bot, chat, programme())
    assert len(rendered) == 1
    calls = request_recorder.sent("sendMessage")
    assert [c.chat_id for c in calls] == ["1", "2", "3"]
    assert {c.text for c in calls} == {"<b>Today</b>\n08:00 &lt;b&gt;"}
    assert all(c.buttons == [[("▶", "day:1:x")]] for c in calls)
    # A different reply is rendered on its own; one with a file is never kept.
    await send_reply(bot, 1, Reply.text("other"))
    with_file = Reply(blocks=Reply.text("x").blocks, document=Document("a.txt", b"a"))
    await send_reply(bot, 1, with_file)
    await send_reply(bot, 1, with_file)
    assert len(rendered) == 4
    assert with_file not in telegram_render._rendered_cache


def test_remembered_renderings_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(telegram_render, "_rendered_cache", {})
    monkeypatch.setattr(telegram_render, "RENDERED_SIZE", 2)
    bot = Bot("1:test")
    for n in range(5):
        telegram_render.reply_parts(bot, 1, Reply.text(str(n)))
    assert list(telegram_render._rendered_cache) == [Reply.text("3"), Reply.text("4")]


async def test_location_and_document_follow_the_text(
    bot: Bot, request_recorder: RecordingRequest
) -> None:
    reply = Reply(
        blocks=Reply.text("Departure 13:15").blocks,
        location=Location(21.0285, 105.8542, "Hotel <lobby>", ""),
        document=Document("plan.txt", b"hello", caption="Plan & <notes>"),
    )
    await send_reply(bot, 7, reply)
    methods = [c.method for c in request_recorder.calls]
    assert methods == ["sendMessage", "sendVenue", "sendDocument"]
    venue = request_recorder.calls[1].params
    assert (venue["latitude"], venue["longitude"], venue["title"]) == (
        21.0285,
        105.8542,
        "Hotel <lobby>",
    )
    assert request_recorder.calls[2].params["caption"] == "Plan &amp; &lt;notes&gt;"


async def test_location_without_title_is_a_plain_location(
    bot: Bot, request_recorder: RecordingRequest
) -> None:
    await send_reply(bot, 7, Reply(location=Location(1.5, 2.5)))
    assert [c.method for c in request_recorder.calls] == ["sendLocation"]


async def test_media_carries_a_short_text_as_caption(
    bot: Bot, request_recorder: RecordingRequest
) -> None:
    reply = Reply(
        blocks=Reply.text("Photo of the bus").blocks,
        buttons=((Button("OK", "ack:1"),),),
        media=("photo", "AgAD1"),
    )
    await send_reply(bot, 7, reply)
    [call] = request_recorder.calls
    assert call.method == "sendPhoto"
    assert call.text == "Photo of the bus" and call.buttons == [[("OK", "ack:1")]]


async def test_media_with_a_long_text_sends_the_text_after(
    bot: Bot, request_recorder: RecordingRequest
) -> None:
    reply = Reply(blocks=Reply.text("z" * 2000).blocks, media=("document", "BQAD1"))
    await send_reply(bot, 7, reply)
    assert [c.method for c in request_recorder.calls] == ["sendDocument", "sendMessage"]


async def test_edit_reply_edits_in_place(bot: Bot, request_recorder: RecordingRequest) -> None:
    reply = Reply(blocks=Reply.text("Tue").blocks, buttons=((Button("◀", "day:1:a"),),))
    await edit_reply(bot, 7, 55, reply)
    [call] = request_recorder.calls
    assert call.method == "editMessageText"
    assert (call.params["message_id"], call.text, call.buttons) == (55, "Tue", [[("◀", "day:1:a")]])


async def test_edit_reply_ignores_an_unchanged_message(
    bot: Bot, request_recorder: RecordingRequest
) -> None:
    request_recorder.fail_next(
        "editMessageText", status=400, description="Bad Request: message is not modified"
    )
    assert await edit_reply(bot, 7, 55, Reply.text("same")) == []
    request_recorder.fail_next("editMessageText", status=400, description="Bad Request: no text")
    with pytest.raises(BadRequest, match="No text"):
        await edit_reply(bot, 7, 55, Reply.text("same"))
