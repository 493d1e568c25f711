"""Group -1: every update's sender is recorded and their language chosen before any handler."""

from __future__ import annotations

import datetime as dt

from telegram.ext import CommandHandler

from bot.clock import FakeClock
from bot.domain import Channel
from bot.store import Database, people
from bot.telegram.context import BotContext
from tests.helpers.app import feed, started_app
from tests.helpers.sample import seed
from tests.helpers.telegram import RecordingRequest, message_update


async def test_the_sender_is_upserted_and_their_language_resolved(
    db: Database, clock: FakeClock, request_recorder: RecordingRequest
) -> None:
    seen: list[tuple[str, bool, bool]] = []

    async def probe(update: object, context: BotContext) -> None:
        assert context.person is not None
        seen.append((context.lang, context.person.is_admin, context.first_contact))

    async with started_app(db, clock, request_recorder, admin_ids=frozenset({9})) as app:
        app.add_handler(CommandHandler("probe", probe), group=5)
        await feed(app, message_update("/probe", user_id=8, language_code="lo-LA"))
        await feed(app, message_update("/probe", user_id=9, language_code="en-US"))
        await feed(app, message_update("/probe", user_id=10, language_code="fr"))
        await feed(app, message_update("/probe", user_id=8, language_code="lo-LA"))
    identity = await people.find_identity(db, Channel.TELEGRAM, "8")
    assert identity is not None and identity.language_code == "lo-LA"
    assert seen == [
        ("lo", False, True),
        ("en", True, True),
        ("vi", False, True),  # French is not offered: the default
        ("lo", False, False),
    ]


async def test_stored_choice_beats_telegram_which_beats_the_class_default(
    db: Database, clock: FakeClock, request_recorder: RecordingRequest
) -> None:
    seeded = await seed(db, clock.now())
    langs: list[str] = []

    async def probe(update: object, context: BotContext) -> None:
        langs.append(context.lang)

    async with started_app(db, clock, request_recorder) as app:
        app.add_handler(CommandHandler("probe", probe), group=5)
        await feed(app, message_update("/probe", user_id=501, language_code="en"))  # stored: lo
        await db.execute("UPDATE persons SET lang = NULL WHERE id = ?", (seeded.trainee.id,))
        await feed(app, message_update("/probe", user_id=501, language_code="en"))
        await feed(app, message_update("/probe", user_id=501, language_code=None))
    assert langs == ["lo", "en", "lo"]  # the last from the class's default language


async def test_an_unchanged_sender_is_not_rewritten_for_a_minute(
    db: Database, clock: FakeClock, request_recorder: RecordingRequest
) -> None:
    async def last_seen() -> str:
        row = await db.fetchone("SELECT last_seen_at FROM identities WHERE external_id = '8'")
        assert row is not None
        return str(row[0])

    async with started_app(db, clock, request_recorder) as app:
        await feed(app, message_update("hello", user_id=8, language_code="vi"))
        first = await last_seen()
        clock.advance(dt.timedelta(seconds=30))
        await feed(app, message_update("hello", user_id=8, language_code="vi"))
        assert await last_seen() == first
        await feed(app, message_update("hello", user_id=8, first_name="Renamed"))
        assert await last_seen() != first
        person = await people.get_person(db, 1)
        assert person is not None and person.display_name == "Renamed"
        renamed = await last_seen()
        clock.advance(dt.timedelta(minutes=1))
        await feed(app, message_update("hello", user_id=8, first_name="Renamed"))
        assert await last_seen() != renamed


async def test_writing_again_after_blocking_the_bot_makes_the_sender_reachable_at_once(
    db: Database, clock: FakeClock, request_recorder: RecordingRequest
) -> None:
    async with started_app(db, clock, request_recorder) as app:
        await feed(app, message_update("hello", user_id=8, language_code="vi"))
        await people.mark_unreachable(db, Channel.TELEGRAM, "8", "blocked")
        await feed(app, message_update("hello", user_id=8, language_code="vi"))
    identity = await people.find_identity(db, Channel.TELEGRAM, "8")
    assert identity is not None and identity.reachable
