"""Which sessions have a sign-in, when it opens and closes, the room code, button references.

A session has a sign-in when its kind is one of the class's sign-in kinds
(lectures by default) or the organiser marked it. Sign-in opens
``opens_min`` minutes before the start and closes ``closes_min`` minutes
after it, in the class's time zone. With a room code (``code_minutes`` > 0)
a short code derived from a per-class secret and the time changes every
``code_minutes``; the current and the previous code are accepted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from bot.domain import Session, TrainingClass
from bot.store import attendance as store
from bot.store import classes
from bot.store.attendance import SigninSettings
from bot.store.database import Database

MAX_ACTION_BYTES = 64
"""Telegram's limit on a button's callback data."""

CODE_DIGITS = 4


@dataclass(frozen=True, slots=True)
class Window:
    """When sign-in for a session is open, as aware UTC instants."""

    opens: dt.datetime
    closes: dt.datetime

    def state(self, now: dt.datetime) -> str:
        """'early', 'open' or 'closed'."""
        if now < self.opens:
            return "early"
        return "open" if now < self.closes else "closed"


def window(cls: TrainingClass, session: Session, settings: SigninSettings) -> Window:
    start = session.starts_at(cls.tz).astimezone(dt.UTC)
    return Window(
        start - dt.timedelta(minutes=settings.opens_min),
        start + dt.timedelta(minutes=settings.closes_min),
    )


def has_signin(session: Session, settings: SigninSettings, extra: set[tuple[str, dt.date]]) -> bool:
    return session.kind.value in settings.kinds or (session.key, session.day) in extra


async def signin_sessions(
    db: Database, cls: TrainingClass, first: dt.date | None = None, last: dt.date | None = None
) -> list[Session]:
    """The class's live sessions that have a sign-in, in time order."""
    settings = await store.settings(db, cls.id)
    extra = await store.extra_sessions(db, cls.id)
    found = await classes.sessions_between(db, cls, first or cls.first_day, last or cls.last_day)
    return [s for s in found if has_signin(s, settings, extra)]


def session_ref(cls: TrainingClass, session: Session) -> str:
    """``<class>:<key>:<day>`` for buttons; a long or odd key becomes ``#<hash>``."""
    day = session.day.isoformat()
    plain = f"{cls.id}:{session.key}:{day}"
    # The longest action built on a ref: "att:mk:<ref>:<person>:x".
    if ":" in session.key or len(f"att:mk:{plain}:{10**9}:x".encode()) > MAX_ACTION_BYTES:
        return f"{cls.id}:#{key_hash(session.key)}:{day}"
    return plain


def key_hash(key: str) -> str:
    return hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()[:10]


def parse_ref(text: str) -> tuple[int, str, dt.date] | None:
    """``<class>:<key>:<day>`` back into its parts (None if malformed)."""
    head, sep, tail = text.partition(":")
    key, sep2, day = tail.rpartition(":")
    if not sep or not sep2 or not key:
        return None
    try:
        return int(head), key, dt.date.fromisoformat(day)
    except ValueError:
        return None


async def resolve(
    db: Database, class_id: int, key: str, day: dt.date
) -> tuple[TrainingClass, Session] | None:
    """The live session a reference names, if it is still in the schedule."""
    cls = await classes.get_class(db, class_id)
    if cls is None:
        return None
    for session in await classes.sessions_on(db, cls, day):
        if session.key == key or key == f"#{key_hash(session.key)}":
            return cls, session
    return None


async def resolve_signin(
    db: Database, class_id: int, key: str, day: dt.date
) -> tuple[TrainingClass, Session, SigninSettings] | None:
    """As :func:`resolve`, for a session that has a sign-in (with the class's settings)."""
    found = await resolve(db, class_id, key, day)
    if found is None:
        return None
    settings = await store.settings(db, class_id)
    extra = await store.extra_sessions(db, class_id)
    if not has_signin(found[1], settings, extra):
        return None
    return found[0], found[1], settings


def new_secret() -> str:
    return secrets.token_hex(16)


def room_code(
    settings: SigninSettings, class_id: int, session: Session, instant: dt.datetime, back: int = 0
) -> str:
    """The code shown in the room at ``instant`` (``back`` periods earlier)."""
    period = max(settings.code_minutes, 1) * 60
    slot = int(instant.timestamp()) // period - back
    message = f"{class_id}:{session.key}:{session.day.isoformat()}:{slot}".encode()
    digest = hmac.new(settings.code_secret.encode(), message, hashlib.sha256).digest()
    number = int.from_bytes(digest[:4], "big") % 10**CODE_DIGITS
    return f"{number:0{CODE_DIGITS}d}"


def code_matches(
    settings: SigninSettings, class_id: int, session: Session, typed: str, now: dt.datetime
) -> bool:
    """The typed code is the current one or the one just before (a code read at the change)."""
    digits = "".join(c for c in typed if c.isdigit())
    if len(digits) != CODE_DIGITS:
        return False
    return any(
        hmac.compare_digest(digits, room_code(settings, class_id, session, now, back))
        for back in (0, 1)
    )


def code_valid_until(settings: SigninSettings, instant: dt.datetime) -> dt.datetime:
    period = max(settings.code_minutes, 1) * 60
    slot = int(instant.timestamp()) // period
    return dt.datetime.fromtimestamp((slot + 1) * period, tz=dt.UTC)


def half_day(session: Session) -> str:
    """'morning' for a session starting before noon, else 'afternoon'."""
    return "morning" if session.start < dt.time(12, 0) else "afternoon"
