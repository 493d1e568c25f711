"""Reminders derived from the schedule: planning, what they say, settings, roll calls."""
