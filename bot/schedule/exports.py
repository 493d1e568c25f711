"""A class's schedule for organisers: its stored versions, exports and the blank workbook."""

from __future__ import annotations

from bot.domain import Person, TrainingClass
from bot.i18n import _, format_instant, use_lang
from bot.people import permissions
from bot.people.permissions import ORGANISERS
from bot.replies import Block, Button, Document, Reply
from bot.schedule.ics import to_ics
from bot.schedule.instructions import INSTRUCTIONS
from bot.schedule.write import template_xlsx, to_csv, to_xlsx
from bot.store import versions
from bot.store.database import Database

EXPORT_FORMATS = ("xlsx", "csv", "ics")
EXPORT_PREFIX = "exp:"


async def versions_view(db: Database, person: Person, cls: TrainingClass, lang: str) -> Reply:
    """Every stored version of the schedule, the live one marked."""
    await permissions.require(db, person, cls.id, ORGANISERS)
    found = await versions.list_versions(db, cls.id)
    with use_lang(lang):
        lines = []
        for v in reversed(found):
            text = _("v{number} · {at} · {by} · {source} · {rows} sessions").format(
                number=v.number,
                at=format_instant(v.created_at, cls.timezone, lang),
                by=v.created_by,
                source=v.source_name or v.note or "—",
                rows=v.row_count,
            )
            if v.id == cls.live_version_id:
                text = _("{version} (live)").format(version=text)
            lines.append(text)
        hint = _("To go back to an earlier version: /rollback NUMBER (you will see a preview).")
        title = _("Schedule versions: {name}").format(name=cls.title(lang))
        return Reply(blocks=(Block(tuple(lines), title), Block((hint,))))


async def export_picker(db: Database, person: Person, cls: TrainingClass, lang: str) -> Reply:
    """Ask which format to export in."""
    await permissions.require(db, person, cls.id, permissions.MANAGERS)
    with use_lang(lang):
        buttons = (
            Button(_("Excel (.xlsx)"), f"{EXPORT_PREFIX}{cls.id}:xlsx"),
            Button(_("CSV"), f"{EXPORT_PREFIX}{cls.id}:csv"),
            Button(_("Calendar (.ics)"), f"{EXPORT_PREFIX}{cls.id}:ics"),
        )
        text = _("In which format should I send the live schedule of {name}?")
        return Reply(
            blocks=Reply.text(text.format(name=cls.title(lang))).blocks, buttons=(buttons,)
        )


async def export(db: Database, person: Person, cls: TrainingClass, fmt: str, lang: str) -> Reply:
    """The live schedule as an XLSX, CSV or ICS document."""
    await permissions.require(db, person, cls.id, permissions.MANAGERS)
    with use_lang(lang):
        if cls.live_version_id is None or fmt not in EXPORT_FORMATS:
            return Reply.text(_("There is no schedule to export yet."))
        schedule = await versions.load_version(db, cls.live_version_id)
        content = {"xlsx": to_xlsx, "csv": to_csv, "ics": to_ics}[fmt](schedule)
        caption = _("The live schedule of {name}.").format(name=cls.title(lang))
        return Reply(document=Document(f"{cls.code}.{fmt}", content, caption))


def template_reply(lang: str) -> Reply:
    """The blank workbook, with how to fill it in (the workbook has it in vi, lo and en too)."""
    steps = INSTRUCTIONS.get(lang, INSTRUCTIONS["en"])
    with use_lang(lang):
        caption = _("The blank schedule workbook. Fill it in and send it back with /upload.")
        return Reply(
            blocks=(Block(steps[1:], steps[0]),),
            document=Document("classbot-template.xlsx", template_xlsx(), caption),
        )
