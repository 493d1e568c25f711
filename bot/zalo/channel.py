"""The Zalo channel as one object to start and stop next to Telegram.

:class:`ZaloChannel` checks the token (``getMe``), then either registers the
webhook (``ZALO_WEBHOOK_URL`` set) and serves it, or removes any webhook and
long-polls ``getUpdates`` (for trials: the platform recommends the webhook in
production). Its :attr:`~ZaloChannel.sender` is what the delivery worker uses to
reach people on Zalo.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets

import httpx

from bot.clock import Clock
from bot.config import Settings
from bot.outbox.sender import DeliveryError
from bot.outbox.worker import DeliveryWorker
from bot.store.database import Database
from bot.zalo import pictures
from bot.zalo.client import POLL_TIMEOUT, ZaloClient
from bot.zalo.conversation import Conversation
from bot.zalo.sender import ZALO_LIMITS, ZaloSender
from bot.zalo.server import WebhookServer, poll, webhook_target
from bot.zalo.turn import Resync

log = logging.getLogger(__name__)


class ZaloChannel:
    """Receives Zalo updates (webhook or polling) and sends through one client."""

    def __init__(
        self,
        settings: Settings,
        db: Database,
        clock: Clock,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        poll_wait: int = POLL_TIMEOUT,
        resync: Resync | None = None,
    ) -> None:
        self.settings = settings
        self.client = ZaloClient(
            settings.zalo_bot_token, settings.zalo_api_url, transport=transport
        )
        self.conversation = Conversation(db, self.client, clock, resync, settings=settings)
        self.sender = ZaloSender(self.client, db, clock)
        self.webhook: WebhookServer | None = None
        self.secret = settings.zalo_webhook_secret
        self._poll_wait = poll_wait
        self._stop = asyncio.Event()
        self._poller: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Check the token, then listen for updates; raises if Zalo refuses the token."""
        me = await self.client.get_me()
        log.info("event=zalo_started bot=%s", me.get("account_name") or me.get("name") or "?")
        url = self.settings.zalo_webhook_url
        if url:
            if not self.secret:
                self.secret = secrets.token_urlsafe(32)
                log.warning("event=zalo_webhook_secret_generated note=set ZALO_WEBHOOK_SECRET")
            registered, path = webhook_target(url)
            self.webhook = WebhookServer(
                self.conversation.handle,
                self.secret,
                host=self.settings.webhook_listen,
                port=self.settings.zalo_webhook_port,
                path=path,
            )
            await self.webhook.start()
            pictures.activate(url)  # the same server hands Zalo the pictures the bot made
            await self.client.set_webhook(registered, self.secret)
            log.info("event=zalo_webhook_registered path=%s", path)
            return
        pictures.activate(None)
        try:
            await self.client.delete_webhook()
        except DeliveryError as exc:  # no webhook was set: nothing to remove
            log.info("event=zalo_delete_webhook result=%s", exc)
        self._stop.clear()
        self._poller = asyncio.create_task(
            poll(self.client, self.conversation.handle, self._stop, wait=self._poll_wait),
            name="classbot-zalo-poll",
        )
        log.info("event=zalo_polling")

    def register_with(self, worker: DeliveryWorker) -> None:
        """Let the outbox worker deliver on Zalo (with Zalo's limits)."""
        worker.add_sender(self.sender, ZALO_LIMITS)

    async def stop(self) -> None:
        self._stop.set()
        if self._poller is not None:
            self._poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._poller
            self._poller = None
        if self.webhook is not None:
            await self.webhook.stop()
            self.webhook = None
        await self.client.close()
