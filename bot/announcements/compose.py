"""Composing an announcement, step by step, as channel-neutral replies.

Telegram shows these as buttons and Zalo as numbered choices; both conversations
(``bot/telegram/handlers/broadcast.py``, ``bot/zalo/broadcast.py``) keep their own
state and ask the same questions through these functions. Every button is
``bcast:…`` (see :mod:`bot.buttons`).
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.announcements import publish
from bot.announcements.publish import Audience
from bot.domain import LANGS, Person, Role, TrainingClass
from bot.i18n import LANG_NAMES, _, ngettext
from bot.people import permissions
from bot.people.permissions import Forbidden
from bot.replies import Block, Button, Reply
from bot.store import classes
from bot.store.database import Database

PREFIX = "bcast:"


async def class_for(
    db: Database, person: Person, found: tuple[TrainingClass, Role | None] | None, lang: str
) -> int | Reply | None:
    """The class an announcement is for: the person's active class if they manage it, else
    the only class they manage; several: a picker to choose from; none: None."""
    if found is not None and found[1] in permissions.MANAGERS:
        return found[0].id
    managed = await permissions.managed_class_ids(db, person)
    if len(managed) == 1:
        return managed[0]
    if not managed:
        return None
    picks = await classes.classes_by_ids(db, managed)
    buttons = tuple((Button(c.title(lang), f"{PREFIX}class:{c.id}"),) for c in picks)
    return Reply(Reply.text(_("Which class is this for?")).blocks, buttons)


def language_offer(body: Mapping[str, str]) -> Reply | None:
    """With one language written, offer the others (or None: nothing to offer)."""
    if len(body) != 1:
        return None
    offers = tuple(
        (
            Button(
                _("Add a version in {language}").format(language=LANG_NAMES[code]),
                f"{PREFIX}lang:{code}",
            ),
        )
        for code in LANGS
        if code not in body
    )
    buttons = (*offers, (Button(_("No, continue"), f"{PREFIX}lang:none"),))
    question = _(
        "Add the same announcement in another language? Each person gets the version "
        "in their language; someone whose language has no version gets all of them."
    )
    return Reply(Reply.text(question).blocks, buttons)


def audience_question() -> Reply:
    buttons = tuple((Button(a.label(), f"{PREFIX}aud:{a.value}"),) for a in Audience)
    return Reply(Reply.text(_("Who should receive it?")).blocks, buttons)


async def preview(
    db: Database,
    person: Person,
    class_id: int,
    audience: Audience,
    body: Mapping[str, str],
    *,
    ack: bool,
    media: tuple[str, str] | None,
    lang: str,
) -> Reply | None:
    """The draft as it will go out; None when the person does not manage the class now
    (the service checks the role again at this step: a stale or forged class is refused)."""
    try:
        count = await publish.audience_size(db, person, class_id, audience)
    except Forbidden:
        return None
    cls = await classes.get_class(db, class_id)
    lines = [
        _("Class: {cls}").format(cls=cls.title(lang) if cls else ""),
        ngettext("To: {audience} ({n} person)", "To: {audience} ({n} people)", count).format(
            audience=audience.label(), n=count
        ),
    ]
    if media is not None:
        lines.append(_("With the attached file."))
    blocks = [Block(tuple(lines), _("Preview of your announcement"))]
    for code in LANGS:
        if code in body:
            blocks.append(Block(tuple(body[code].splitlines()), LANG_NAMES[code]))
    toggle = _("☑ Ask to confirm receipt") if ack else _("☐ Ask to confirm receipt")
    buttons = (
        (Button(toggle, f"{PREFIX}ack"),),
        (Button(_("✅ Send"), f"{PREFIX}send"), Button(_("✖ Cancel"), f"{PREFIX}cancel")),
    )
    return Reply(blocks=tuple(blocks), buttons=buttons, media=media)
