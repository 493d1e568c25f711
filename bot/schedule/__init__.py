"""Schedules: reading organisers' files, checking, diffs, imports, uploads, exports, change notices."""
