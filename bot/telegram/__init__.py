"""The Telegram channel: the application, its typed context, rendering, sending, jobs, running."""
