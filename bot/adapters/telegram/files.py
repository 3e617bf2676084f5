"""Files on Telegram: fetching what users and agents sent, and sending files to a chat.

A file that came from Telegram goes back by its file_id (no download, no size limit, and
the right method for its kind: a voice note stays a voice note). A file from another
platform is fetched through `FileSource` and uploaded as a document (lossless, and a long
screenshot is not refused for its dimensions). Bots may download up to 20 MB and upload up
to 50 MB (https://core.telegram.org/bots/api#getfile, #sending-files); a file over that,
or one Telegram refuses, raises `FileUnavailable` and the caller says so in text instead.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Final, TypeVar

from telegram import Bot, InputFile, Message
from telegram.error import BadRequest

from bot.adapters.telegram.convert import PLATFORM, is_group_chat, reply_under
from bot.adapters.telegram.pacing import RetryPolicy, call_with_retry
from bot.errors import FileUnavailable
from bot.files import FileSource, upload_name
from bot.messages import Attachment
from bot.pacing import Pace

__all__ = ["MAX_DOWNLOAD", "MAX_UPLOAD", "TelegramFiles", "TelegramUploads"]

MAX_DOWNLOAD: Final = 20 * 1024 * 1024
MAX_UPLOAD: Final = 50 * 1024 * 1024
_READ_TIMEOUT: Final = 60.0  # seconds for a download of up to 20 MB
_NATIVE: Final = {
    "photo": "send_photo",
    "voice": "send_voice",
    "video": "send_video",
    "video_note": "send_video_note",
    "animation": "send_animation",
    "audio": "send_audio",
    "sticker": "send_sticker",
}
T = TypeVar("T")


async def _refusal_is_final(call: Callable[[], Awaitable[T]]) -> T:
    """A Bad Request about a file (wrong file_id, too big, bad type) will not change."""
    try:
        return await call()
    except BadRequest as exc:
        raise FileUnavailable(exc.message) from None


class TelegramFiles:
    """The `FileSource` of Telegram: getFile, then the file's download URL."""

    def __init__(self, bot: Bot, *, policy: RetryPolicy | None = None) -> None:
        self.bot = bot
        self.policy = policy or RetryPolicy()

    async def fetch(self, attachment: Attachment, *, limit: int) -> bytes:
        limit = min(limit, MAX_DOWNLOAD)
        if attachment.size > limit:
            raise FileUnavailable(f"{attachment.size} bytes is over the {limit}-byte limit")
        file = await call_with_retry(
            lambda: _refusal_is_final(lambda: self.bot.get_file(attachment.ref)),
            policy=self.policy,
            what="getFile",
        )
        if (file.file_size or 0) > limit:
            raise FileUnavailable(f"{file.file_size} bytes is over the {limit}-byte limit")
        data = await call_with_retry(
            lambda: _refusal_is_final(
                lambda: file.download_as_bytearray(read_timeout=_READ_TIMEOUT)
            ),
            policy=self.policy,
            what="download file",
        )
        if len(data) > limit:
            raise FileUnavailable(f"{len(data)} bytes is over the {limit}-byte limit")
        return bytes(data)


class TelegramUploads:
    """Sends one file to a chat, paced like every message."""

    def __init__(self, bot: Bot, files: FileSource, *, pacer: Pace) -> None:
        self.bot, self.files, self.pacer = bot, files, pacer

    async def send(
        self, chat_id: str, attachment: Attachment, *, reply_to: int | None, policy: RetryPolicy
    ) -> int:
        """Send the file (under message `reply_to`); its message id."""
        media: str | InputFile
        if attachment.platform == PLATFORM and attachment.ref:
            method, media = _NATIVE.get(attachment.kind, "send_document"), attachment.ref
        else:
            data = await self.files.fetch(attachment, limit=MAX_UPLOAD)
            method = "send_document"
            media = InputFile(data, filename=upload_name(attachment))
        send: Callable[..., Awaitable[Message]] = getattr(self.bot, method)
        await self.pacer.wait(chat_id, group=is_group_chat(chat_id))
        sent = await call_with_retry(
            lambda: _refusal_is_final(
                lambda: send(int(chat_id), media, reply_parameters=reply_under(reply_to))
            ),
            policy=policy,
            what=method,
        )
        return sent.message_id
