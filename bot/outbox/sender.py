"""What the delivery worker needs from a channel (Telegram, Zalo, terminal).

A :class:`Sender` sends one rendered :class:`~bot.replies.Reply` to one chat
and reports failures as one of the typed errors below, so the outbox can
decide whether to wait, retry, give up on the recipient or record an error
without knowing anything about the channel's API.

A reply may go out as several channel messages ("parts": a photo, text cut
at the channel's length limit, a map location, a document). Parts are
resumable: when part *n* fails after earlier parts went out, the sender
raises :class:`PartlySent` telling how many are delivered, the outbox
records that, and the retry to the same chat passes ``skip`` so the
recipient never gets part 1 twice.
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


class Uncertain(TransientError):
    """The send may have reached the recipient, but no answer said so (read timeout, reset
    after the request was written): never resend it; report it as uncertain.

    Network trouble all the same (a subclass of :class:`TransientError`), so code that
    only polls treats it as such.
    """


class Unreachable(DeliveryError):
    """The recipient blocked the bot or is gone: stop trying this chat."""


class Rejected(DeliveryError):
    """The channel refused this message for good (bad request): record it, do not retry."""


class PartlySent(DeliveryError):
    """Some parts of a reply went out, then one failed.

    ``done`` counts the parts this chat now has (those skipped as delivered
    by an earlier attempt included): a retry to the same chat passes
    ``skip=done``. ``cause`` is the failing part's typed error and decides
    what happens next (wait, back off, give up on the chat, record it).
    """

    def __init__(self, done: int, cause: DeliveryError) -> None:
        super().__init__(f"{done} part(s) delivered, then: {cause}")
        self.done = done
        self.cause = cause


class Sender(Protocol):
    """Delivers replies on one channel.

    A sender may also have ``async def probe(self) -> None``: a cheap call (Telegram's
    ``getMe``) that raises when the channel's API does not answer; the worker uses it
    to decide that an outage is over. Without one, the next send is the probe.
    """

    @property
    def channel(self) -> Channel: ...

    async def send(self, chat_id: str, reply: Reply, *, skip: int = 0) -> str:
        """Send ``reply`` but its first ``skip`` parts (already in this chat); return a message id.

        Raises a :class:`DeliveryError`: :class:`PartlySent` when a part fails
        after at least one part went out in this call, else the failing
        part's own error (nothing went out in this call).
        """
        ...
