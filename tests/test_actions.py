"""The button router: prefixes, dispatch, expired buttons, and the day navigation it owns."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from bot import actions
from bot.actions import ActionContext, ActionResult
from bot.clock import FakeClock
from bot.domain import Channel, Person
from bot.replies import Reply
from bot.store import Database
from tests.helpers.cldr import day
from tests.helpers.sample import Seeded


def ctx(
    db: Database,
    seeded: Seeded,
    clock: FakeClock,
    person: Person | None = None,
    group_class_id: int | None = None,
) -> ActionContext:
    return ActionContext(
        db, person or seeded.trainee, "en", clock.now(), Channel.ZALO, group_class_id
    )


async def test_a_registered_prefix_gets_the_rest_of_the_action(
    db: Database, clock: FakeClock, seeded: Seeded
) -> None:
    seen: list[str] = []

    async def handler(context: ActionContext, rest: str) -> ActionResult:
        seen.append(rest)
        return ActionResult([Reply.text("ok")], toast="done")

    actions.load_modules()
    original = actions._handlers.pop("remind:")
    actions.register("remind:", handler)
    try:
        actions.register("remind:", handler)  # registering the same handler again is harmless
        result = await actions.dispatch(ctx(db, seeded, clock), "remind:off")
        assert seen == ["off"] and result.toast == "done" and not result.replace
        # Only data of the button's shape (bot.buttons) reaches the handler.
        assert (await actions.dispatch(ctx(db, seeded, clock), "remind:maybe")).toast
        assert seen == ["off"]
    finally:
        actions._handlers["remind:"] = original
    assert {"day:", "lang:", "class:"} <= set(actions.prefixes())


def test_prefixes_must_be_well_formed_and_unique() -> None:
    async def other(context: ActionContext, rest: str) -> ActionResult:
        return ActionResult()

    with pytest.raises(ValueError, match="end with ':'"):
        actions.register("nocolon", other)
    with pytest.raises(ValueError, match="no pattern"):
        actions.register("testprobe:", other)
    with pytest.raises(ValueError, match="already registered"):
        actions.register("day:", other)


@pytest.mark.parametrize("action", ["", "nothing", "zzz:1", "day:x:2024-07-16", "day:1:notadate"])
async def test_unknown_or_malformed_actions_say_the_button_expired(
    db: Database, clock: FakeClock, seeded: Seeded, action: str
) -> None:
    result = await actions.dispatch(ctx(db, seeded, clock), action)
    assert result.replies == [] and result.toast == "This button is no longer active."


async def test_day_navigation_replaces_the_message_for_members_only(
    db: Database, clock: FakeClock, seeded: Seeded
) -> None:
    action = f"day:{seeded.cls.id}:2024-07-16"
    result = await actions.dispatch(ctx(db, seeded, clock), action)
    assert result.replace and len(result.replies) == 1
    assert day(dt.date(2024, 7, 16), "en") in result.replies[0].plain()

    stranger = await actions.dispatch(ctx(db, seeded, clock, person=_stranger(seeded)), action)
    assert stranger.replies == []
    in_group = await actions.dispatch(
        ctx(db, seeded, clock, person=_stranger(seeded), group_class_id=seeded.cls.id), action
    )
    assert in_group.replace and in_group.replies


def _stranger(seeded: Seeded) -> Person:
    return dataclasses.replace(seeded.trainee, id=99999, is_admin=False)
