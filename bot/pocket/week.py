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


async def picture_reply(
    db: Database, cls: TrainingClass, monday: dt.date, lang: str
) -> list[Reply]:
    """The week's picture, one photo per page (on Zalo a link the bot serves, see
    :mod:`bot.zalo.pictures`)."""
    first = max(monday, cls.first_day)
    last = min(monday + dt.timedelta(days=6), cls.last_day)
    sessions = await classes.sessions_between(db, cls, first, last) if first <= last else []
    topics = await class_topics(db, cls) if any(s.topic_number for s in sessions) else {}
    picture = cached_week(cls, monday, sessions, topics, lang)
    with use_lang(lang):
        dates = date_range(monday, monday + dt.timedelta(days=6))
        caption = f"{cls.title(lang)} — " + _("Week of {dates}").format(dates=dates)
    count = len(picture.pages)
    replies = []
    for number, png in enumerate(picture.pages, start=1):
        suffix = f" ({number}/{count})" if count > 1 else ""
        name = f"{cls.code}-{monday.isoformat()}-{lang}-{number}.png"
        replies.append(Reply(blocks=(Block((caption + suffix,)),), picture=Document(name, png)))
    return replies
