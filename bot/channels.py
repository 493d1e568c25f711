"""What the delivery worker needs from a channel (Telegram, Zalo, terminal).

A :class:`Sender` sends one rendered :class:`~bot.replies.Reply` to one chat
and reports failures as one of the typed errors below, so the outbox can
decide whether to wait, retry, give up on the recipient or record an error
without knowing anything about the channel's API.
"""

from __future__ import annotations

from typing import Protocol

from bot.domain import Channel
from bot.replies import Reply


class DeliveryError(Exception):
    """Base of the errors a sender raises."""


class RetryAfter(DeliveryError):
    """Flood limit: try this chat (or the whole channel) again after ``seconds``."""

    def __init__(self, seconds: float, message: str = "") -> None:
        super().__init__(message or f"retry after {seconds}s")
        self.seconds = seconds


class TransientError(DeliveryError):
    """Network trouble or a server error: back off and retry."""


class Unreachable(DeliveryError):
    """The recipient blocked the bot or is gone: stop trying this chat."""


class Rejected(DeliveryError):
    """The channel refused this message for good (bad request): record it, do not retry."""


class Sender(Protocol):
    """Delivers replies on one channel."""

    @property
    def channel(self) -> Channel: ...

    async def send(self, chat_id: str, reply: Reply) -> str:
        """Send ``reply``; return the channel's message id or raise a :class:`DeliveryError`."""
        ...
