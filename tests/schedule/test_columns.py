"""Headers, sheet names and kind words in Vietnamese, English and Lao."""

from __future__ import annotations

import pytest

from bot.domain import SessionKind
from bot.schedule.columns import (
    CLASS_FIELDS,
    SESSION_FIELDS,
    TOPIC_FIELDS,
    fold,
    kind_from,
    match_header,
    sheet_role,
)


def test_fold_drops_case_diacritics_and_punctuation() -> None:
    assert fold("Tiêu đề (VI)") == "tieu de vi"
    assert fold("  Ngày_bắt-đầu ") == "ngay bat dau"


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Ngày", "date"),
        ("NGAY", "date"),
        ("Date", "date"),
        ("Bắt đầu", "start"),
        ("Giờ kết thúc", "end"),
        ("Tiêu đề (vi)", "title_vi"),
        ("Tiêu đề (lo)", "title_lo"),
        ("Title [en]", "title_en"),
        ("Tiêu đề (Lào)", "title_lo"),
        ("Title (vi) / Tiêu đề (vi)", "title_vi"),
        ("Ngày / Date", "date"),
        ("Điểm tập trung (lo)", "meeting_point_lo"),
        ("Mã", "id"),
        ("ID", "id"),
        ("Chuyên đề", "topic"),
        ("Giờ xuất phát", "departure"),
        ("Trang phục (en)", "dress_code_en"),
        ("STT", None),
    ],
)
def test_session_headers(header: str, field: str | None) -> None:
    assert match_header(header, SESSION_FIELDS, "lo") == field


def test_localized_header_without_language_means_the_default_language() -> None:
    assert match_header("Tiêu đề", SESSION_FIELDS, "lo") == "title_lo"
    assert match_header("Tiêu đề", SESSION_FIELDS, None) is None


def test_class_and_topic_headers() -> None:
    assert match_header("Mã lớp / Code", CLASS_FIELDS, None) == "code"
    assert match_header("Tên lớp (vi)", CLASS_FIELDS, None) == "name_vi"
    assert match_header("Múi giờ", CLASS_FIELDS, None) == "timezone"
    assert match_header("Default language", CLASS_FIELDS, None) == "default_lang"
    assert match_header("Số", TOPIC_FIELDS, None) == "number"
    assert match_header("Tóm tắt (lo)", TOPIC_FIELDS, None) == "summary_lo"


@pytest.mark.parametrize(
    ("word", "kind"),
    [
        ("Khai giảng", SessionKind.OPENING),
        ("Lễ bế giảng", SessionKind.CLOSING),
        ("Bài giảng", SessionKind.LECTURE),
        ("chuyên đề", SessionKind.LECTURE),
        ("Khảo sát thực tế", SessionKind.FIELD_VISIT),
        ("field_visit", SessionKind.FIELD_VISIT),
        ("ທັດສະນະສຶກສາ", SessionKind.FIELD_VISIT),
        ("Đi thực tế", SessionKind.TRIP),
        ("Trip", SessionKind.TRIP),
        ("Tự học", SessionKind.SELF_STUDY),
        ("Ăn trưa", SessionKind.BREAK),
        ("Nghỉ", SessionKind.BREAK),
        ("ອາຫານທ່ຽງ", SessionKind.BREAK),
        ("Khác", SessionKind.OTHER),
        ("party", None),
    ],
)
def test_kind_words(word: str, kind: SessionKind | None) -> None:
    assert kind_from(word) == kind


def test_sheet_names() -> None:
    assert sheet_role("Lớp học - Class") == "class"
    assert sheet_role("LICH HOC") == "sessions"
    assert sheet_role("Chuyên đề") == "topics"
    assert sheet_role("Hướng dẫn - Instructions") == "instructions"
    assert sheet_role("Sheet1") is None
