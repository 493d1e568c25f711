"""The persisted outbox's delivery: the worker, the channels' limits, the Sender protocol."""
