"""Every user-visible string is translated into vi, lo and en, and the .mo files are current."""

from __future__ import annotations

import io

import pytest
from babel.messages.mofile import read_mo, write_mo

from bot import i18n
from bot.cli import catalogs
from bot.domain import LANGS


def test_no_message_lacks_a_translation() -> None:
    problems = catalogs.problems()
    assert problems == [], "\n".join(problems[:50])


@pytest.mark.parametrize("lang", LANGS)
def test_compiled_catalog_matches_po(lang: str) -> None:
    expected = io.BytesIO()
    write_mo(expected, catalogs.read(lang), use_fuzzy=False)
    expected.seek(0)
    with catalogs.mo_path(lang).open("rb") as fh:
        have = read_mo(fh)
    want = read_mo(expected)
    # plural messages have list ids: key by their text
    assert {str(m.id): m.string for m in have if m.id} == {
        str(m.id): m.string for m in want if m.id
    }, f"{lang}: .mo is stale; run `classbot i18n compile`"


def test_missing_catalog_fails_loudly(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLASSBOT_LOCALES", str(tmp_path))
    i18n.translations.cache_clear()
    try:
        with pytest.raises(i18n.CatalogError):
            i18n.translations("lo")
    finally:
        monkeypatch.delenv("CLASSBOT_LOCALES")
        i18n.translations.cache_clear()


def test_placeholder_check_catches_a_renamed_field() -> None:
    from babel.messages.catalog import Message

    bad = Message("Hello {name}", "Xin chào {ten}")
    assert catalogs._placeholder_errors("vi", bad)
    good = Message("Hello {name}", "Xin chào {name}")
    assert catalogs._placeholder_errors("vi", good) == []


def _strings(lang: str) -> list[tuple[str, str]]:
    out = []
    for message in catalogs.read(lang):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        out.extend((str(message.id), s) for s in strings if s)
    return out


def test_lao_never_glues_a_word_to_a_placeholder() -> None:
    """'ເພີ່ມສະບັບເປັນ{language}' showed as 'ເພີ່ມສະບັບເປັນTiếng Việt': a Lao word runs into
    a name or number put in its place, which may be in Latin script."""
    import re

    glued = re.compile(r"[\u0e80-\u0eff]\{\w+\}|\{\w+\}[\u0e80-\u0eff]")
    bad = [(mid, s) for mid, s in _strings("lo") if glued.search(s)]
    assert bad == []


def test_vietnamese_asks_politely() -> None:
    """A bare imperative 'Hãy …' at the start of a sentence is curt for senior officials:
    the bot writes 'Kính mời Anh/Chị …' or 'Anh/Chị hãy …'."""
    import re

    curt = re.compile(r"(?:^|[.:;!?]\s+)Hãy\b")
    bad = [(mid, s) for mid, s in _strings("vi") if curt.search(s)]
    assert bad == []


def test_vietnamese_refusals_address_the_reader_alike() -> None:
    """Both refusals ('only the class managers', 'only the organisers') say 'Xin lỗi Anh/Chị'."""
    found = dict(_strings("vi"))
    for msgid in (
        "Sorry, only the class managers can do that.",
        "Sorry, only the organisers of this class can do that.",
    ):
        assert found[msgid].startswith("Xin lỗi Anh/Chị,"), found[msgid]


def test_lao_names_the_role_with_one_word() -> None:
    """'Role' is ບົດບາດ everywhere ('Role: {role}', /myclass, the welcome on joining); the
    welcome said ພາລະບົດບາດ (duty) instead."""
    found = dict(_strings("lo"))
    for msgid in (
        "Role: {role}",
        "Welcome! You have joined {name}. Your role: {role}.",
        "You are already a member of {name}. Your role: {role}.",
    ):
        assert "ບົດບາດ" in found[msgid] and "ພາລະບົດບາດ" not in found[msgid], found[msgid]
