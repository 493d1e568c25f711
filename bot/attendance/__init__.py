"""Attendance at every session: sign-in, the register, counting by half-day."""
