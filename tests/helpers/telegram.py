"""A fake Bot API for tests: a ``BaseRequest`` that records calls and answers with canned JSON.

Nothing here touches the network. :class:`RecordingRequest` is the application's own
offline Bot API (:class:`bot.telegram.offline_api.LocalBotApi`) that also records. Use it as the
``request``/``get_updates_request`` of an ``ApplicationBuilder`` and drive the
application with ``app.process_update(Update.de_json(...))`` built by
:func:`message_update` / :func:`callback_update`. Failures are injected per
method and chat with :meth:`RecordingRequest.fail_next`.
"""

from __future__ import annotations

import json
from collections import defaultdict, deque
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from bot.telegram.offline_api import ApiError, LocalBotApi, message_json, tap_json, user_json

BOT_ID = 7000000001
BOT_USERNAME = "classbot_test_bot"


@dataclass
class ApiCall:
    """One recorded Bot API call."""

    method: str
    params: dict[str, Any]

    @property
    def chat_id(self) -> str:
        return str(self.params.get("chat_id", ""))

    @property
    def text(self) -> str:
        return str(self.params.get("text") or self.params.get("caption") or "")

    @property
    def buttons(self) -> list[list[tuple[str, str]]]:
        """The inline keyboard as rows of (label, callback_data)."""
        markup = self.params.get("reply_markup")
        if isinstance(markup, str):
            markup = json.loads(markup)
        if not markup or "inline_keyboard" not in markup:
            return []
        return [
            [(b["text"], b.get("callback_data") or b.get("url", "")) for b in row]
            for row in markup["inline_keyboard"]
        ]


class RecordingRequest(LocalBotApi):
    """Records every Bot API call and answers like Telegram would."""

    me: ClassVar[Mapping[str, Any]] = {
        "id": BOT_ID,
        "is_bot": True,
        "first_name": "classbot",
        "username": BOT_USERNAME,
    }

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[ApiCall] = []
        self.files: dict[str, bytes] = {}
        self._failures: dict[tuple[str, str], deque[ApiError | None]] = defaultdict(deque)

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    def fail_next(
        self,
        method: str,
        *,
        chat_id: str | int = "*",
        status: int = 403,
        description: str = "Forbidden: bot was blocked by the user",
        retry_after: int | None = None,
        times: int = 1,
        after: int = 0,
    ) -> None:
        """Make the next ``times`` calls of ``method`` (to ``chat_id``, or any) fail.

        With ``after``, that many calls succeed first (e.g. the third part of a split text).
        """
        queue = self._failures[(method, str(chat_id))]
        queue.extend([None] * after)
        for _ in range(times):
            queue.append(ApiError(status, description, retry_after))

    def sent(self, method: str | None = None, chat_id: str | int | None = None) -> list[ApiCall]:
        """Recorded calls, optionally only of one method and/or to one chat."""
        return [
            c
            for c in self.calls
            if (method is None or c.method == method)
            and (chat_id is None or c.chat_id == str(chat_id))
        ]

    def messages(self, chat_id: str | int | None = None) -> list[ApiCall]:
        """Calls that put something in a chat (send*, edit*)."""
        return [
            c
            for c in self.calls
            if (c.method.startswith("send") or c.method.startswith("edit"))
            and (chat_id is None or c.chat_id == str(chat_id))
        ]

    def clear(self) -> None:
        self.calls.clear()

    def serve_file(self, file_id: str, content: bytes) -> None:
        """Make a download of ``file_id`` (getFile, then its file_path) return ``content``."""
        self.files[file_id] = content

    async def retrieve(self, url: str, *args: Any, **kwargs: Any) -> bytes:  # type: ignore[misc]
        """A file download: the bytes registered with :meth:`serve_file` for the URL's file_id."""
        return self.files[url.rsplit("/", 1)[-1]]

    def on_call(self, method: str, params: dict[str, Any]) -> ApiError | None:
        call = ApiCall(method, params)
        self.calls.append(call)
        for key in ((method, call.chat_id), (method, "*")):
            queue = self._failures.get(key)
            if queue:
                failure = queue.popleft()
                if failure is None:
                    break  # a call let through before the failures
                return failure
        return None


def user(
    user_id: int = 501, first_name: str = "Somphone", language_code: str | None = "lo"
) -> dict[str, Any]:
    return user_json(user_id, first_name, language_code)


def message_update(
    text: str,
    *,
    user_id: int = 501,
    first_name: str = "Somphone",
    language_code: str | None = "lo",
    chat_id: int | None = None,
    chat_type: str = "private",
    reply_to: dict[str, Any] | None = None,
    document: dict[str, Any] | None = None,
    photo: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The JSON of an incoming message (a command if ``text`` starts with '/')."""
    chat: dict[str, Any] = {"id": chat_id if chat_id is not None else user_id, "type": chat_type}
    if chat_type != "private":
        chat["title"] = "Class group"
    return message_json(
        text,
        user(user_id, first_name, language_code),
        chat=chat,
        reply_to=reply_to,
        document=document,
        photo=photo,
    )


def callback_update(
    data: str,
    *,
    user_id: int = 501,
    first_name: str = "Somphone",
    language_code: str | None = "lo",
    message_id: int = 1,
    chat_id: int | None = None,
    message_text: str = "…",
) -> dict[str, Any]:
    """The JSON of a tap on an inline button of a message the bot sent."""
    return tap_json(
        data,
        user(user_id, first_name, language_code),
        RecordingRequest.me,
        message_id=message_id,
        chat={"id": chat_id if chat_id is not None else user_id, "type": "private"},
        message_text=message_text,
    )
