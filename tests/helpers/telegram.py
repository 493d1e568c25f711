"""A fake Bot API for tests: a ``BaseRequest`` that records calls and answers with canned JSON.

Nothing here touches the network. Use :class:`RecordingRequest` as the
``request``/``get_updates_request`` of an ``ApplicationBuilder`` and drive the
application with ``app.process_update(Update.de_json(...))`` built by
:func:`message_update` / :func:`callback_update`. Failures are injected per
method and chat with :meth:`RecordingRequest.fail_next`.
"""

from __future__ import annotations

import itertools
import json
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from typing import Any

from telegram.request import BaseRequest, RequestData

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


@dataclass
class Failure:
    status: int
    description: str
    retry_after: int | None = None


@dataclass
class RecordingRequest(BaseRequest):
    """Records every Bot API call and answers like Telegram would."""

    calls: list[ApiCall] = field(default_factory=list)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1000))
    _failures: dict[tuple[str, str], deque[Failure | None]] = field(
        default_factory=lambda: defaultdict(deque)
    )
    files: dict[str, bytes] = field(default_factory=dict)

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

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
            queue.append(Failure(status, description, retry_after))

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

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        api_method = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data else {}
        for key in ("reply_markup", "entities", "link_preview_options"):
            if isinstance(params.get(key), str):
                params[key] = json.loads(params[key])
        call = ApiCall(api_method, params)
        self.calls.append(call)
        for key in ((api_method, call.chat_id), (api_method, "*")):
            queue = self._failures.get(key)
            if queue:
                failure = queue.popleft()
                if failure is None:
                    break  # a call let through before the failures
                body: dict[str, Any] = {
                    "ok": False,
                    "error_code": failure.status,
                    "description": failure.description,
                }
                if failure.retry_after is not None:
                    body["parameters"] = {"retry_after": failure.retry_after}
                return failure.status, json.dumps(body).encode()
        result = self._answer(api_method, params)
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def _answer(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return {
                "id": BOT_ID,
                "is_bot": True,
                "first_name": "classbot",
                "username": BOT_USERNAME,
                "can_join_groups": True,
                "can_read_all_group_messages": False,
                "supports_inline_queries": False,
            }
        if method == "getUpdates":
            return []
        if method.startswith("send") or method.startswith("edit"):
            chat_id = params.get("chat_id", 1)
            message: dict[str, Any] = {
                "message_id": params.get("message_id") or next(self._ids),
                "date": int(time.time()),
                "chat": {"id": int(chat_id), "type": "private" if int(chat_id) > 0 else "group"},
                "from": {"id": BOT_ID, "is_bot": True, "first_name": "classbot"},
            }
            if "text" in params:
                message["text"] = params["text"]
            if "caption" in params:
                message["caption"] = params["caption"]
            if method == "sendLocation":
                message["location"] = {
                    "latitude": params["latitude"],
                    "longitude": params["longitude"],
                }
            if method == "sendVenue":
                message["venue"] = {
                    "location": {"latitude": params["latitude"], "longitude": params["longitude"]},
                    "title": params.get("title", ""),
                    "address": params.get("address", ""),
                }
            if method == "sendDocument":
                message["document"] = {"file_id": "DOC1", "file_unique_id": "U1"}
            return message
        if method == "getFile":
            return {
                "file_id": params["file_id"],
                "file_unique_id": "U" + str(params["file_id"]),
                "file_size": 10,
                "file_path": f"documents/{params['file_id']}",
            }
        return True


_update_ids = itertools.count(1)


def user(
    user_id: int = 501, first_name: str = "Somphone", language_code: str | None = "lo"
) -> dict[str, Any]:
    data: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
    if language_code:
        data["language_code"] = language_code
    return data


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
    chat = {"id": chat_id if chat_id is not None else user_id, "type": chat_type}
    if chat_type != "private":
        chat["title"] = "Class group"
    message: dict[str, Any] = {
        "message_id": next(_update_ids),
        "date": int(time.time()),
        "chat": chat,
        "from": user(user_id, first_name, language_code),
    }
    if text:
        key = "caption" if (document or photo) else "text"
        message[key] = text
        if text.startswith("/"):
            command = text.split()[0]
            message["entities" if key == "text" else "caption_entities"] = [
                {"type": "bot_command", "offset": 0, "length": len(command)}
            ]
    if reply_to is not None:
        message["reply_to_message"] = reply_to
    if document is not None:
        message["document"] = document
    if photo is not None:
        message["photo"] = photo
    return {"update_id": next(_update_ids), "message": message}


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
    chat = {"id": chat_id if chat_id is not None else user_id, "type": "private"}
    return {
        "update_id": next(_update_ids),
        "callback_query": {
            "id": str(next(_update_ids)),
            "chat_instance": "ci",
            "data": data,
            "from": user(user_id, first_name, language_code),
            "message": {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": chat,
                "from": {"id": BOT_ID, "is_bot": True, "first_name": "classbot"},
                "text": message_text,
            },
        },
    }
