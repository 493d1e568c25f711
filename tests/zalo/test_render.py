"""Replies as Zalo plain text: titles, numbered choices, maps links, splitting under 2,000."""

from __future__ import annotations

from bot.i18n import use_lang
from bot.replies import Block, Button, Document, Location, Reply
from bot.zalo.render import TEXT_LIMIT, render, split_text


def test_titles_and_lines_are_plain_text_without_html() -> None:
    reply = Reply(
        blocks=(
            Block(title="Hôm nay <b>15/7</b>", lines=("08:00 Lễ khai giảng", "09:15 Chuyên đề 1")),
            Block(lines=("Ghi chú & lưu ý",)),
        )
    )
    rendered = render(reply)
    assert rendered.texts == (
        "■ Hôm nay <b>15/7</b>\n08:00 Lễ khai giảng\n09:15 Chuyên đề 1\n\nGhi chú & lưu ý",
    )
    assert rendered.choices == ()


def test_one_button_becomes_reply_1() -> None:
    reply = Reply(
        blocks=Reply.text("Xe xuất phát 13:15").blocks,
        buttons=((Button("Đã nhận", "ack:12"),),),
    )
    with use_lang("en"):
        rendered = render(reply)
    assert rendered.choices == ("ack:12",)
    assert rendered.texts[0].endswith("1. Đã nhận\nReply 1 for “Đã nhận”.")


def test_several_buttons_are_numbered_across_rows_and_links_stay_links() -> None:
    reply = Reply(
        blocks=Reply.text("?").blocks,
        buttons=(
            (Button("◀", "day:1:2024-07-14"), Button("▶", "day:1:2024-07-16")),
            (Button("Bản đồ", "https://maps.example.org/x"),),
            (Button("Tiếng Việt", "lang:vi"),),
        ),
    )
    with use_lang("en"):
        rendered = render(reply)
    assert rendered.choices == ("day:1:2024-07-14", "day:1:2024-07-16", "lang:vi")
    text = rendered.texts[0]
    assert "1. ◀\n2. ▶\nBản đồ: https://maps.example.org/x\n3. Tiếng Việt" in text
    assert text.endswith("Reply with a number from 1 to 3 to choose.")


def test_choice_prompt_is_in_the_members_language() -> None:
    reply = Reply(blocks=Reply.text("x").blocks, buttons=((Button("OK", "ack:1"),),))
    with use_lang("en"):
        english = render(reply).texts[0]
    with use_lang("vi"):
        vietnamese = render(reply).texts[0]
    with use_lang("lo"):
        lao = render(reply).texts[0]
    assert len({english, vietnamese, lao}) == 3


def test_location_is_a_maps_link() -> None:
    reply = Reply(
        blocks=Reply.text("Điểm tập trung").blocks,
        location=Location(21.0285, 105.8542, "Sảnh khách sạn", "1 Tràng Tiền"),
    )
    with use_lang("en"):
        text = render(reply).texts[0]
    assert "Place: Sảnh khách sạn, 1 Tràng Tiền" in text
    assert "https://maps.google.com/?q=21.028500,105.854200" in text


def test_document_and_telegram_photo_are_explained_and_url_photo_is_kept() -> None:
    doc = Reply(blocks=Reply.text("Lịch").blocks, document=Document("lich.xlsx", b"x", "Lịch tuần"))
    photo = Reply(blocks=Reply.text("Ảnh").blocks, media=("photo", "AgADBAAD"))
    url_photo = Reply(blocks=Reply.text("Ảnh").blocks, media=("photo", "https://x.invalid/a.jpg"))
    with use_lang("en"):
        doc_text = render(doc).texts[0]
        photo_text = render(photo).texts[0]
        rendered = render(url_photo)
    assert "Lịch tuần" in doc_text and "“lich.xlsx”" in doc_text
    assert "attachment" in photo_text
    assert rendered.photo_url == "https://x.invalid/a.jpg" and rendered.texts == ("Ảnh",)


def test_long_text_is_split_at_line_boundaries_under_the_limit() -> None:
    lines = [f"{i:03d} " + " ".join(["chuyên đề"] * 12) for i in range(60)]
    reply = Reply(blocks=(Block(title="Cả tuần", lines=tuple(lines)),))
    texts = render(reply).texts
    assert len(texts) > 1
    assert all(len(t) <= TEXT_LIMIT for t in texts)
    rejoined = "\n".join(texts).split("\n")
    assert rejoined == ["■ Cả tuần", *lines]


def test_a_single_overlong_line_is_cut_at_spaces() -> None:
    words = " ".join(f"w{i}" for i in range(2000))
    pieces = split_text(words, 500)
    assert all(len(p) <= 500 for p in pieces)
    assert " ".join(pieces) == words
    assert split_text("x" * 1200, 500) == ["x" * 500, "x" * 500, "x" * 200]
    assert split_text("  \n ") == []


def test_split_counts_utf16_units_so_emoji_count_two() -> None:
    # 999 buses are 1,998 UTF-16 units (1,000 code points with the newline): one emoji more
    # and the platform would refuse a part that a code-point count thinks fits.
    text = "🚌" * 999 + "\n" + "🎓 Lễ bế giảng"
    parts = split_text(text)
    assert parts == ["🚌" * 999, "🎓 Lễ bế giảng"]
    long_line = "🎓" * 1500
    cut = split_text(long_line)
    assert all(len(p.encode("utf-16-le")) // 2 <= TEXT_LIMIT for p in cut)
    assert "".join(cut) == long_line
