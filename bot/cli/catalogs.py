"""Maintaining the gettext catalogs in ``locales/`` (a developer tool, ``classbot i18n``).

The same steps as ``pybabel extract / update / compile`` with the options this
project uses, plus ``check`` (what is missing) and ``translate`` (merge a JSON
file of translations). Every step holds a lock on ``locales/.lock`` so two
people (or two processes) updating catalogs at once cannot overwrite each
other. English is the source language: its catalog is filled from the msgids.
"""

from __future__ import annotations

import contextlib
import fcntl
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from bot.domain import LANGS
from bot.i18n import DOMAIN

ROOT = Path(__file__).resolve().parent.parent.parent
SOURCE_DIR = ROOT / "bot"
LOCALES = ROOT / "locales"
POT = LOCALES / f"{DOMAIN}.pot"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
METHOD_MAP = [("**.py", "python")]
PROJECT = "classbot"


@contextlib.contextmanager
def locked() -> Iterator[None]:
    """Hold an exclusive lock on the catalogs for the duration of the block."""
    LOCALES.mkdir(exist_ok=True)
    with (LOCALES / ".lock").open("w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def po_path(lang: str) -> Path:
    return LOCALES / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(lang: str) -> Path:
    return LOCALES / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"


def extract() -> Catalog:
    """All translatable messages in ``bot/`` (``_``, ``N_``, ``ngettext``)."""
    catalog = Catalog(project=PROJECT, domain=DOMAIN, charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(SOURCE_DIR), METHOD_MAP, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)
    ):
        catalog.add(
            message,
            None,
            [(f"bot/{filename}", lineno)],
            auto_comments=comments,
            context=context,
        )
    return catalog


def read(lang: str) -> Catalog:
    with po_path(lang).open("rb") as fh:
        return read_po(fh, locale=lang, domain=DOMAIN)


def _write(path: Path, catalog: Catalog) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    write_po(buf, catalog, width=100, sort_output=False, omit_header=False)
    path.write_bytes(buf.getvalue())


def _fill_english(catalog: Catalog) -> None:
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple | list):
            if not any(message.string or ()):
                message.string = tuple(message.id)
        elif not message.string:
            message.string = message.id
        message.flags.discard("fuzzy")


def update() -> None:
    """Extract, write the template, merge it into every language, compile."""
    with locked():
        template = extract()
        _write(POT, template)
        for lang in LANGS:
            path = po_path(lang)
            if path.exists():
                catalog = read(lang)
                catalog.update(template, no_fuzzy_matching=True)
                catalog.obsolete.clear()
            else:
                catalog = Catalog(locale=lang, domain=DOMAIN, project=PROJECT, charset="utf-8")
                catalog.update(template, no_fuzzy_matching=True)
            if lang == "en":
                _fill_english(catalog)
            _write(path, catalog)
        _compile_unlocked()


def _compile_unlocked() -> None:
    for lang in LANGS:
        catalog = read(lang)
        buf = io.BytesIO()
        write_mo(buf, catalog, use_fuzzy=False)
        mo_path(lang).write_bytes(buf.getvalue())


def compile_all() -> None:
    with locked():
        _compile_unlocked()


def translate(path: Path) -> int:
    """Merge ``{"msgid": {"vi": "…", "lo": "…"}}`` (plurals: a list per language); compile."""
    data: dict[str, dict[str, str | list[str]]] = json.loads(path.read_text("utf-8"))
    changed = 0
    with locked():
        for lang in LANGS:
            catalog = read(lang)
            for msgid, per_lang in data.items():
                if lang not in per_lang:
                    continue
                message = _find(catalog, msgid)
                if message is None:
                    continue
                value = per_lang[lang]
                message.string = tuple(value) if isinstance(value, list) else value
                message.flags.discard("fuzzy")
                changed += 1
            _write(po_path(lang), catalog)
        _compile_unlocked()
    return changed


def _find(catalog: Catalog, msgid: str) -> Message | None:
    message = catalog.get(msgid)
    if message is not None:
        return message
    for candidate in catalog:
        if isinstance(candidate.id, tuple | list) and candidate.id[0] == msgid:
            return candidate
    return None


def problems() -> list[str]:
    """Messages missing from a catalog, untranslated, fuzzy, or with broken placeholders."""
    found: list[str] = []
    template = extract()
    for lang in LANGS:
        if not po_path(lang).exists():
            found.append(f"{lang}: no catalog at {po_path(lang)}")
            continue
        catalog = read(lang)
        for message in template:
            if not message.id:
                continue
            key = message.id[0] if isinstance(message.id, tuple | list) else message.id
            have = _find(catalog, key)
            if have is None:
                found.append(f"{lang}: not in catalog: {key!r}")
            elif "fuzzy" in have.flags:
                found.append(f"{lang}: fuzzy: {key!r}")
            elif not (all(have.string) if isinstance(have.string, tuple) else have.string):
                found.append(f"{lang}: untranslated: {key!r}")
            else:
                found.extend(_placeholder_errors(lang, have))
        for message, errors in catalog.check():
            for error in errors:
                found.append(f"{lang}: {message.id!r}: {error}")
    return found


_FIELD = re.compile(r"(?<!\{)\{([a-z_][a-z0-9_]*)(?:[:!][^}]*)?\}")


def placeholders(text: str) -> set[str]:
    """The ``{name}`` fields a message is formatted with."""
    return set(_FIELD.findall(text))


def _placeholder_errors(lang: str, message: Message) -> list[str]:
    ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
    strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
    wanted = set().union(*(placeholders(i) for i in ids))
    errors = []
    for string in strings:
        if string and not placeholders(string) <= wanted | {"n"}:
            errors.append(f"{lang}: {ids[0]!r}: unknown placeholder in {string!r}")
        if string and len(ids) == 1 and placeholders(string) != wanted:
            errors.append(f"{lang}: {ids[0]!r}: placeholders differ in {string!r}")
    return errors
