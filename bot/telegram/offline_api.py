"""A Bot API answered inside this process, to run the Telegram application without Telegram.

Three places drive the real application offline: the terminal chat prints what
the bot sends (:mod:`bot.telegram.terminal`), Zalo-only mode discards it
(:mod:`bot.telegram.zalo_only`), and the tests record it (``tests/helpers/telegram.py``).
Each is a :class:`LocalBotApi`, a ``BaseRequest`` that answers every call the
way Telegram would (``getMe``, the sent message for ``send*``/``edit*``, a
file for ``getFile``, ``True`` otherwise) and lets a subclass see each call
first (:meth:`LocalBotApi.on_call`: print it, record it, or fail it).

The module also builds incoming updates as Telegram sends them:
:func:`message_json` (a message or command) and :func:`tap_json` (a button tap).
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from telegram.request import BaseRequest, RequestData

_JSON_PARAMS = ("reply_markup", "entities", "link_preview_options", "reply_parameters")
"""Parameters PTB sends as JSON strings; decoded so subclasses see plain values."""


@dataclass(frozen=True)
class ApiError:
    """What :meth:`LocalBotApi.on_call` returns to make a call fail as Telegram would."""

    status: int
    description: str
    retry_after: int | None = None

    def body(self) -> bytes:
        data: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.retry_after is not None:
            data["parameters"] = {"retry_after": self.retry_after}
        return json.dumps(data).encode()


class LocalBotApi(BaseRequest):
    """Answers Bot API calls locally; override :meth:`on_call` to act on them."""

    me: ClassVar[Mapping[str, Any]] = {
        "id": 7000000000,
        "is_bot": True,
        "first_name": "classbot",
        "username": "classbot_offline_bot",
    }
    """The bot's own user (``getMe``); messages the bot sends are from it."""

    def __init__(self) -> None:
        self._message_ids = itertools.count(1000)

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    @property
    def read_timeout(self) -> float | None:
        return None

    def on_call(self, method: str, params: dict[str, Any]) -> ApiError | None:
        """Called first for every call (``params`` decoded); an error makes the call fail."""
        return None

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
        params: dict[str, Any] = dict(request_data.parameters) if request_data else {}
        for key in _JSON_PARAMS:
            if isinstance(params.get(key), str):
                params[key] = json.loads(params[key])
        error = self.on_call(api_method, params)
        if error is not None:
            return error.status, error.body()
        result = self.answer(api_method, params)
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def answer(self, method: str, params: Mapping[str, Any]) -> Any:
        """The ``result`` Telegram would return for a successful call."""
        if method == "getMe":
            return {
                "can_join_groups": True,
                "can_read_all_group_messages": False,
                "supports_inline_queries": False,
                **self.me,
            }
        if method == "getUpdates":
            return []
        if method.startswith(("send", "edit")):
            return self.sent_message(method, params)
        if method == "getFile":
            return {
                "file_id": params["file_id"],
                "file_unique_id": "U" + str(params["file_id"]),
                "file_size": 10,
                "file_path": f"documents/{params['file_id']}",
            }
        return True

    def sent_message(self, method: str, params: Mapping[str, Any]) -> dict[str, Any]:
        """The message a ``send*`` or ``edit*`` call puts in the chat."""
        chat_id = int(params.get("chat_id", 1))
        message: dict[str, Any] = {
            "message_id": int(params.get("message_id") or next(self._message_ids)),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
            "from": {k: self.me[k] for k in ("id", "is_bot", "first_name")},
        }
        for key in ("text", "caption"):
            if key in params:
                message[key] = params[key]
        if method == "sendLocation":
            message["location"] = {"latitude": params["latitude"], "longitude": params["longitude"]}
        if method == "sendVenue":
            message["venue"] = {
                "location": {"latitude": params["latitude"], "longitude": params["longitude"]},
                "title": params.get("title", ""),
                "address": params.get("address", ""),
            }
        if method == "sendDocument":
            message["document"] = {"file_id": "DOC1", "file_unique_id": "U1"}
        return message


_update_ids = itertools.count(1)


def user_json(user_id: int, first_name: str, language_code: str | None = None) -> dict[str, Any]:
    """A Telegram user who writes to the bot."""
    data: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
    if language_code:
        data["language_code"] = language_code
    return data


def message_json(
    text: str,
    sender: Mapping[str, Any],
    *,
    chat: Mapping[str, Any] | None = None,
    reply_to: Mapping[str, Any] | None = None,
    document: Mapping[str, Any] | None = None,
    photo: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """An incoming message update (a command when ``text`` starts with '/').

    The chat is the sender's private chat unless ``chat`` is given; with a
    document or photo the text is its caption.
    """
    message: dict[str, Any] = {
        "message_id": next(_update_ids),
        "date": int(time.time()),
        "chat": dict(chat) if chat is not None else {"id": sender["id"], "type": "private"},
        "from": dict(sender),
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
        message["reply_to_message"] = dict(reply_to)
    if document is not None:
        message["document"] = dict(document)
    if photo is not None:
        message["photo"] = photo
    return {"update_id": next(_update_ids), "message": message}


def tap_json(
    data: str,
    sender: Mapping[str, Any],
    bot: Mapping[str, Any],
    *,
    message_id: int,
    chat: Mapping[str, Any] | None = None,
    message_text: str = "…",
) -> dict[str, Any]:
    """An incoming tap on an inline button of the bot's message ``message_id``."""
    return {
        "update_id": next(_update_ids),
        "callback_query": {
            "id": str(next(_update_ids)),
            "chat_instance": "local",
            "data": data,
            "from": dict(sender),
            "message": {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": dict(chat) if chat is not None else {"id": sender["id"], "type": "private"},
                "from": {k: bot[k] for k in ("id", "is_bot", "first_name")},
                "text": message_text,
            },
        },
    }
