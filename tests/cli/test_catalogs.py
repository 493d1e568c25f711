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
