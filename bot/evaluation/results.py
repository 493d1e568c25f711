"""Each trainee's own result and commendation; managers see the class's counts.

Nobody sees another trainee's result in the chat: a trainee's ``/results``
shows their own, a manager's shows counts only (the names are in the closing
pack, which only managers and organisers get).
"""

from __future__ import annotations

from bot.domain import Person, Role, TrainingClass
from bot.i18n import N_, _, use_lang
from bot.people import permissions
from bot.replies import Reply
from bot.store import evaluation as store
from bot.store.database import Database
from bot.store.evaluation import Grade

GRADE_NAMES: dict[Grade, str] = {
    Grade.EXCELLENT: N_("excellent"),
    Grade.GOOD: N_("good"),
    Grade.PASS: N_("pass"),
    Grade.NOT_COMPLETED: N_("not completed"),
}


async def results_view(db: Database, person: Person, cls: TrainingClass, lang: str) -> Reply:
    """``/results``: the trainee's own result, or the class's counts for managers."""
    role = await permissions.require(db, person, cls.id, permissions.EVERYONE)
    with use_lang(lang):
        heading = _("Results: {name}").format(name=cls.title(lang))
        if role is Role.TRAINEE:
            mine = await store.result_of(db, cls.id, person.id)
            if mine is None:
                return Reply.text(_("Your result has not been published yet."), title=heading)
            lines = [_("Your result: {grade}").format(grade=_(GRADE_NAMES[mine.grade]))]
            if mine.commended:
                line = _("You have received a commendation.")
                if mine.reason:
                    line += " " + _("Reason: {reason}").format(reason=mine.reason)
                lines.append(line)
            return Reply.text(*lines, title=heading)
        found = await store.results(db, cls.id)
        if not found:
            return Reply.text(
                _(
                    "No results yet. Organisers: send /results and then the results sheet "
                    "(.xlsx or .csv)."
                ),
                title=heading,
            )
        counts = {g: sum(1 for r in found.values() if r.grade is g) for g in Grade}
        lines = [f"{_(GRADE_NAMES[g])}: {counts[g]}" for g in Grade]
        lines.append(
            _("Commendations: {count}").format(count=sum(r.commended for r in found.values()))
        )
        return Reply.text(*lines, title=heading)
