"""Schedules: organisers' files read and checked, diffs, imports, uploads, exports, notices."""
