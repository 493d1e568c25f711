"""The week as a picture: the "🖼 Picture" button under /week and what tapping it sends."""

from __future__ import annotations

import datetime as dt

from bot.agenda.cards import date_range
from bot.agenda.views import class_topics
from bot.domain import TrainingClass
from bot.i18n import _, use_lang
from bot.pocket.picture import cached_week
from bot.replies import Block, Document, Reply
from bot.store import classes
from bot.store.database import Database


async def picture_reply(db: Database, cls: TrainingClass, monday: dt.date, lang: str) -> Reply:
    """The week's picture, sent as a photo (on Zalo as a link the bot serves, see
    :mod:`bot.zalo.pictures`)."""
    with use_lang(lang):
        week_of = _("Week of {dates}").format(dates=date_range(monday, monday + dt.timedelta(6)))
    first = max(monday, cls.first_day)
    last = min(monday + dt.timedelta(days=6), cls.last_day)
    sessions = await classes.sessions_between(db, cls, first, last) if first <= last else []
    topics = await class_topics(db, cls) if any(s.topic_number for s in sessions) else {}
    picture = cached_week(cls, monday, sessions, topics, lang)
    name = f"{cls.code}-{monday.isoformat()}-{lang}.png"
    return Reply(
        blocks=(Block((f"{cls.title(lang)} — {week_of}",)),),
        picture=Document(name, picture.png),
    )
