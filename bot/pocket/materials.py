"""Materials per session or topic: documents a manager attached, links from the workbook.

A manager replies to a document with ``/attach``; the document waits until they
tap the session it belongs to (buttons list the class's sessions). The
workbook's "Materials" column gives links per session. Trainees ask
``/materials [topic]`` or "tài liệu chuyên đề 3": on Telegram each document is
re-sent by its file id; on Zalo, where the bot cannot send documents, a link
is given when there is one, otherwise a clear sentence says where to get it.
"""

from __future__ import annotations

import datetime as dt

from bot.agenda.cards import session_title, short_day, span
from bot.domain import Channel, Person, Session, SessionKind, Topic, TrainingClass
from bot.i18n import _, use_lang
from bot.people import permissions
from bot.people.permissions import MANAGERS
from bot.replies import Block, Button, Reply
from bot.store import classes
from bot.store import contacts as extras_store
from bot.store import materials as store
from bot.store.database import Database

MAX_BUTTONS = 40
TITLE_CHARS = 40


async def start_attach(
    db: Database,
    person: Person,
    cls: TrainingClass,
    *,
    title: str,
    file_id: str | None,
    now: dt.datetime,
    lang: str,
) -> Reply:
    """Keep the document and ask which session it belongs to."""
    await permissions.require(db, person, cls.id, MANAGERS)
    material_id = await store.add_pending(
        db, cls.id, title=title, file_id=file_id, link=None, by=person.id, now=now
    )
    sessions = [
        s
        for s in await classes.sessions_between(db, cls, cls.first_day, cls.last_day)
        if s.kind is not SessionKind.BREAK and s.id is not None
    ]
    topics = {t.number: t for t in await classes.topics(db, cls)}
    with use_lang(lang):
        if not sessions:
            return Reply.text(_("The class has no sessions to attach the document to."))
        buttons = tuple(
            (Button(_label(cls, s, topics, lang), f"pka:{material_id}:{s.id}"),)
            for s in sessions[:MAX_BUTTONS]
        )
        text = _("Which session is “{title}” for?").format(title=title)
        return Reply(blocks=(Block((text,)),), buttons=buttons)


def _label(cls: TrainingClass, s: Session, topics: dict[int, Topic], lang: str) -> str:
    topic = topics.get(s.topic_number) if s.topic_number is not None else None
    title = session_title(cls, s, topic, lang)
    if len(title) > TITLE_CHARS:
        title = title[: TITLE_CHARS - 1] + "…"
    return f"{short_day(s.day)} {span(s)} {title}"


async def attach(
    db: Database, person: Person, material_id: int, session_id: int, *, lang: str
) -> Reply | None:
    """Tie the waiting document to the chosen session (and its topic); tapped again, says
    it is done. None when the document or the session is gone (a stale or forged button)."""
    found = await store.get(db, material_id)
    with use_lang(lang):
        if found is None:
            return None
        await permissions.require(db, person, found.class_id, MANAGERS)
        cls = await classes.get_class(db, found.class_id)
        if cls is None or cls.live_version_id is None:
            return None
        session = next(
            (
                s
                for s in await classes.version_sessions(db, cls.live_version_id)
                if s.id == session_id
            ),
            None,
        )
        if session is None:
            return None
        attached = await store.attach(db, material_id, session.key, session.topic_number)
        if not attached:
            again = await store.get(db, material_id)
            if again is None or again.state != "attached" or again.session_key != session.key:
                return None
        topics = {t.number: t for t in await classes.topics(db, cls)}
        return Reply.text(
            _("Attached “{title}” to {session}. Trainees get it with /materials.").format(
                title=found.title, session=_label(cls, session, topics, lang)
            )
        )


async def materials_reply(
    db: Database,
    cls: TrainingClass,
    topic: int | None,
    *,
    lang: str,
    channel: Channel,
) -> list[Reply]:
    """The class's materials (of one topic, if given) for this channel."""
    sessions = await classes.sessions_between(db, cls, cls.first_day, cls.last_day)
    by_key = {s.key: s for s in sessions}
    topics = {t.number: t for t in await classes.topics(db, cls)}
    docs = [
        m
        for m in await store.attached(db, cls.id)
        if topic is None
        or m.topic_number == topic
        or (m.session_key in by_key and by_key[m.session_key].topic_number == topic)
    ]
    extras = await extras_store.session_extras(db, cls.id)
    links = [
        (by_key[key], link)
        for key, extra in extras.items()
        if key in by_key and (topic is None or by_key[key].topic_number == topic)
        for link in extra.links
    ]
    with use_lang(lang):
        title = (
            _("Materials for topic {number}").format(number=topic)
            if topic is not None
            else _("Materials: {name}").format(name=cls.title(lang))
        )
        if not docs and not links:
            text = (
                _("There are no materials for topic {number} yet.").format(number=topic)
                if topic is not None
                else _("There are no materials for this class yet.")
            )
            return [Reply.text(text, title=title)]
        lines = [
            f"• {_label(cls, s, topics, lang)}: {link}"
            for s, link in sorted(links, key=lambda sl: (sl[0].day, sl[0].start))
        ]
        replies: list[Reply] = []
        for m in docs:
            session = by_key.get(m.session_key or "")
            where = _label(cls, session, topics, lang) if session else ""
            if m.link:
                lines.append(
                    f"• {m.title} ({where}): {m.link}" if where else f"• {m.title}: {m.link}"
                )
            elif channel is Channel.ZALO or not m.file_id:
                lines.append(
                    _(
                        "• {title}: the document cannot be sent here; please open it on "
                        "Telegram or ask a class manager."
                    ).format(title=m.title)
                )
            else:
                caption = f"{m.title} — {where}" if where else m.title
                replies.append(Reply(blocks=(Block((caption,)),), media=("document", m.file_id)))
        head = Reply(blocks=(Block(tuple(lines), title),)) if lines else Reply.text(title)
        return [head, *replies]
