"""Per-session extras from the workbook: the interpreter (and into which language), links.

:func:`record_workbook` runs when a class workbook is imported or confirmed:
the class sheet's contact fields and the sessions sheet's interpreter and
material columns (see :mod:`bot.pocket.workbook`) replace the class's. Only an
Excel workbook carries them; a CSV or text upload leaves them as they were.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from bot.agenda.cards import INDENT
from bot.domain import Session, TrainingClass
from bot.i18n import N_, _, use_lang
from bot.pocket import workbook
from bot.replies import Block, Reply
from bot.store import classes
from bot.store import contacts as store
from bot.store.contacts import SessionExtra
from bot.store.database import Database

log = logging.getLogger(__name__)

LANG_NAMES: dict[str, str] = {"vi": N_("Vietnamese"), "lo": N_("Lao"), "en": N_("English")}


async def record_workbook(db: Database, cls: TrainingClass, data: bytes, filename: str) -> None:
    """Store the workbook's contacts and session extras for the class's live version."""
    if not filename.lower().endswith((".xlsx", ".xlsm")) or cls.live_version_id is None:
        return
    try:
        found, rows = workbook.read_extras(data)
    except Exception:  # the schedule itself was read; a broken extra must not undo that
        log.exception("event=pocket_workbook_unreadable class=%s", cls.code)
        return
    sessions = await classes.version_sessions(db, cls.live_version_id)
    by_key = {s.key: s for s in sessions}
    by_time = {(s.day, s.start): s for s in sessions}
    extras: dict[str, SessionExtra] = {}
    for row in rows:
        session = by_key.get(row.key) if row.key else None
        if session is None and row.day is not None and row.start is not None:
            session = by_time.get((row.day, row.start))
        if session is None:
            continue
        extras[session.key] = SessionExtra(
            session.key, row.interpreter, row.interpret_into, row.lecture_lang, row.links
        )
    await store.replace(db, cls.id, found, list(extras.values()))


def interpreter_line(cls: TrainingClass, extra: SessionExtra | None, lang: str) -> str | None:
    """'Interpreter: Ms Khamla (into Lao)', for readers whose language is not the lecture's."""
    if extra is None or not extra.interpreter:
        return None
    lecture = extra.lecture_lang or cls.default_lang
    if lang == lecture:
        return None
    into = extra.interpret_into
    if into is not None and into in LANG_NAMES:
        language = _(LANG_NAMES[into])
        return _("Interpreter: {name} (into {lang})").format(name=extra.interpreter, lang=language)
    return _("Interpreter: {name}").format(name=extra.interpreter)


async def annotate_day(
    db: Database, cls: TrainingClass, sessions: list[Session], reply: Reply, lang: str
) -> Reply:
    """The day view with each session's interpreter line, for readers who need it.

    The day view has one block per session after its heading block, in order.
    """
    extras = await store.session_extras(db, cls.id)
    if not extras or len(reply.blocks) != len(sessions) + 1:
        return reply
    return _with_interpreters(cls, sessions, reply, extras, lang)


def _with_interpreters(
    cls: TrainingClass,
    sessions: list[Session],
    reply: Reply,
    extras: Mapping[str, SessionExtra],
    lang: str,
) -> Reply:
    blocks = [reply.blocks[0]]
    changed = False
    with use_lang(lang):
        for session, block in zip(sessions, reply.blocks[1:], strict=True):
            line = interpreter_line(cls, extras.get(session.key), lang)
            if line:
                changed = True
                block = Block((*block.lines, INDENT + line), block.title)
            blocks.append(block)
    if not changed:
        return reply
    return Reply(
        blocks=tuple(blocks), buttons=reply.buttons, location=reply.location, media=reply.media
    )
