"""Translations and locale-aware formatting.

The active language lives in a :class:`~contextvars.ContextVar`, set per
update (or per outgoing message) with :func:`use_lang`; :func:`_` translates
into it. Catalogs are the compiled ``locales/<lang>/LC_MESSAGES/classbot.mo``
files; a missing catalog is an error, never a silent fallback to English.
Dates and times are formatted with Babel in the class's time zone.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
from collections.abc import Iterator
from contextvars import ContextVar
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel import dates as babel_dates
from babel.support import Translations

from bot.domain import LANGS

DOMAIN = "classbot"
BABEL_LOCALES: dict[str, str] = {"vi": "vi_VN", "lo": "lo_LA", "en": "en"}
"""Our language codes → the Babel locale used for dates and numbers."""

LANG_NAMES: dict[str, str] = {"vi": "Tiếng Việt", "lo": "ພາສາລາວ", "en": "English"}
"""Each language's name in that language (for the language picker)."""

DEFAULT_LANG = "vi"

_current: ContextVar[str] = ContextVar("classbot_lang", default=DEFAULT_LANG)


class CatalogError(RuntimeError):
    """A language's compiled catalog is missing or unreadable."""


def locales_dir() -> Path:
    """Where the catalogs are: ``$CLASSBOT_LOCALES``, the installed copy, or the source tree."""
    env = os.environ.get("CLASSBOT_LOCALES")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent
    installed = here / "_data" / "locales"
    return installed if installed.is_dir() else here.parent / "locales"


@functools.cache
def translations(lang: str) -> Translations:
    """The compiled catalog for ``lang``; raises :class:`CatalogError` if absent."""
    if lang not in LANGS:
        raise CatalogError(f"unsupported language {lang!r}")
    mo = locales_dir() / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
    if not mo.is_file():
        raise CatalogError(f"catalog not compiled: {mo} (run the README's 'compile' step)")
    with mo.open("rb") as fh:
        return Translations(fh, domain=DOMAIN)


def load_all() -> None:
    """Load every catalog now so a missing one fails at start-up, not mid-conversation."""
    for lang in LANGS:
        translations(lang)


def current_lang() -> str:
    return _current.get()


def set_lang(lang: str) -> None:
    """Make ``lang`` active for the rest of the current task (one update)."""
    _current.set(lang if lang in LANGS else DEFAULT_LANG)


@contextlib.contextmanager
def use_lang(lang: str) -> Iterator[None]:
    """Make ``lang`` active inside the ``with`` block."""
    token = _current.set(lang if lang in LANGS else DEFAULT_LANG)
    try:
        yield
    finally:
        _current.reset(token)


def _(message: str) -> str:
    """Translate ``message`` into the active language."""
    return translations(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate with plural forms; format ``n`` yourself with ``%(n)s``-style placeholders."""
    return translations(_current.get()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it (translate later with ``_``)."""
    return message


def parse_language_code(code: str | None) -> str | None:
    """Map a client's language code (``vi``, ``lo-LA``, ``en_US``) to one of ours."""
    if not code:
        return None
    try:
        locale = Locale.parse(code.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return None
    return locale.language if locale.language in LANGS else None


def resolve_lang(stored: str | None, client_code: str | None, class_default: str | None) -> str:
    """Stored preference → the client's language code → the class default → Vietnamese."""
    for candidate in (stored, parse_language_code(client_code), class_default):
        if candidate in LANGS:
            return candidate
    return DEFAULT_LANG


def babel_locale(lang: str | None = None) -> str:
    return BABEL_LOCALES.get(lang or _current.get(), BABEL_LOCALES[DEFAULT_LANG])


# Babel formatting costs tens of microseconds a call and a day view makes dozens; a class
# has a few dozen distinct dates and times, so the results are memoised per locale.
@functools.lru_cache(maxsize=4096)
def _date(day: dt.date, fmt: str, locale: str) -> str:
    return babel_dates.format_date(day, fmt, locale=locale)


@functools.lru_cache(maxsize=4096)
def _short_date(day: dt.date, locale: str) -> str:
    return babel_dates.format_skeleton("MMMEd", day, locale=locale)


@functools.lru_cache(maxsize=4096)
def _clock(hour: int, minute: int, locale: str) -> str:
    return babel_dates.format_time(dt.time(hour, minute), "HH:mm", locale=locale)


def format_day(day: dt.date, lang: str | None = None, fmt: str = "full") -> str:
    """A date such as 'Thứ Hai, 15 tháng 7, 2024' / 'ວັນຈັນ, 15 ກໍລະກົດ 2024'."""
    return _date(day, fmt, babel_locale(lang))


def format_day_short(day: dt.date, lang: str | None = None) -> str:
    """A compact weekday and date such as 'Th 2, 15/7' for lists."""
    return _short_date(day, babel_locale(lang))


def format_clock(value: dt.time | dt.datetime, lang: str | None = None) -> str:
    """A 24-hour wall-clock time such as '07:30' (the class's local time)."""
    return _clock(value.hour, value.minute, babel_locale(lang))


def format_instant(instant: dt.datetime, tz: str, lang: str | None = None) -> str:
    """An aware instant shown as date and time in the time zone ``tz``."""
    local = instant.astimezone(babel_dates.get_timezone(tz))
    return babel_dates.format_datetime(
        local, "short", tzinfo=local.tzinfo, locale=babel_locale(lang)
    )
