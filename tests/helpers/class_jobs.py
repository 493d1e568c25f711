"""Sign-in, rating and evaluation jobs together, as the bot's job queue holds them."""

from __future__ import annotations

import datetime as dt

from bot.attendance import planning as attendance_planning
from bot.attendance.planning import ClassJob
from bot.evaluation import planning as evaluation_planning
from bot.store.database import Database


async def planned(db: Database, now: dt.datetime) -> dict[str, ClassJob]:
    """Every class job that should exist at ``now``, by name."""
    jobs = [
        *await attendance_planning.plan_jobs(db, now),
        *await evaluation_planning.plan_jobs(db, now),
    ]
    return {j.name: j for j in jobs}


async def fire(db: Database, job: ClassJob, now: dt.datetime) -> int:
    """Fire a job with the planner it belongs to (as bot.telegram.jobs does)."""
    if job.kind in evaluation_planning.KINDS:
        return await evaluation_planning.fire(db, job, now)
    return await attendance_planning.fire(db, job, now)
