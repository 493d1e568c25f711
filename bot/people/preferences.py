"""A member's own settings: the language they read and the class they are asking about.

Registers the ``class:<id>`` button action with :mod:`bot.actions` (``lang:<code>`` is
in :mod:`bot.agenda.assistant`, which follows it with the help); the pickers are plain
replies any channel can show.
"""

from __future__ import annotations

import datetime as dt

from bot import actions
from bot.actions import ActionContext, ActionResult
from bot.domain import LANGS, Person, Role, TrainingClass
from bot.i18n import LANG_NAMES, _
from bot.people.permissions import effective_role
from bot.replies import Button, Reply
from bot.store import classes, people, senders
from bot.store.database import Database

CHECK = "✓"


def language_picker(selected: str | None) -> Reply:
    """The question 'which language?' with one button per language, ``selected`` ticked."""
    buttons = tuple(
        Button(
            f"{CHECK} {LANG_NAMES[code]}" if code == selected else LANG_NAMES[code], f"lang:{code}"
        )
        for code in LANGS
    )
    return Reply(
        blocks=Reply.text(_("Please choose the language you would like me to use.")).blocks,
        buttons=(buttons,),
    )


async def member_classes(
    db: Database, person: Person, now: dt.datetime | None = None
) -> list[tuple[TrainingClass, Role]]:
    """The classes the person belongs to, with their role in each, oldest first.

    With ``now``, a recent answer may come from memory (see :mod:`bot.store.senders`).
    """
    return await senders.classes_with_roles(db, person.id, now)


async def active_class(
    db: Database, person: Person, now: dt.datetime | None = None
) -> tuple[TrainingClass, Role] | None:
    """The class the person is asking about: the chosen one, else their only (or latest) class."""
    mine = await member_classes(db, person, now)
    if not mine:
        chosen = effective_role(person, None)  # a global admin may look at any class
        if chosen is not None and person.active_class_id is not None:
            cls = await classes.get_class(db, person.active_class_id)
            return (cls, chosen) if cls else None
        return None
    for cls, role in mine:
        if cls.id == person.active_class_id:
            return cls, effective_role(person, role)
    cls, role = mine[-1]
    return cls, effective_role(person, role)


def class_picker(mine: list[tuple[TrainingClass, Role]], active_id: int | None, lang: str) -> Reply:
    """One button per class; the active one ticked."""
    rows = tuple(
        (
            Button(
                f"{CHECK} {cls.title(lang)}" if cls.id == active_id else cls.title(lang),
                f"class:{cls.id}",
            ),
        )
        for cls, _role in mine
    )
    return Reply(
        blocks=Reply.text(_("Which class would you like to ask about?")).blocks, buttons=rows
    )


async def _choose_class(ctx: ActionContext, rest: str) -> ActionResult:
    try:
        class_id = int(rest)
    except ValueError:
        return actions.expired()
    mine = {cls.id: cls for cls, _role in await member_classes(ctx.db, ctx.person)}
    cls = mine.get(class_id)
    if cls is None:
        return actions.expired()
    await people.set_active_class(ctx.db, ctx.person.id, class_id)
    text = _("From now on I will answer about: {name}").format(name=cls.title(ctx.lang))
    return ActionResult(replies=[Reply.text(text)], replace=True)


actions.register("class:", _choose_class)
