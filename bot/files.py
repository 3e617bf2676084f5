"""Fetching a file from the platform it was sent on, to pass it on to another one.

Each channel adapter implements `FileSource` for its own platform (Telegram: getFile and the
file URL; Slack: the private download URL with the bot token). The composition root puts
them in one `FileSources`, which every outbox sender uses to fetch what it must upload.
A file sent back to its own platform needs no fetch: the adapter re-sends it by reference.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Mapping
from typing import Protocol

from bot.errors import FileUnavailable
from bot.messages import Attachment

__all__ = ["FileSource", "FileSources", "upload_name"]


class FileSource(Protocol):
    """Reads files sent on one platform."""

    async def fetch(self, attachment: Attachment, *, limit: int) -> bytes:
        """The file's bytes. `FileUnavailable` when it is over `limit` bytes (or the
        platform's own download limit) or will never come (deleted, refused);
        `DeliveryError` when it may come later (the network, a 5xx)."""
        ...


class FileSources:
    """The file source of each platform; `fetch` asks the one the file came from."""

    def __init__(self, sources: Mapping[str, FileSource] | None = None) -> None:
        self._sources = dict(sources or {})

    def add(self, platform: str, source: FileSource) -> None:
        """Register a channel's source (the composition root does, as it builds channels)."""
        self._sources[platform] = source

    async def fetch(self, attachment: Attachment, *, limit: int) -> bytes:
        source = self._sources.get(attachment.platform)
        if source is None or not attachment.ref:
            raise FileUnavailable(f"no way to fetch a {attachment.kind} from {attachment.platform}")
        if attachment.size > limit:
            raise FileUnavailable(f"{attachment.size} bytes is over the {limit}-byte limit")
        return await source.fetch(attachment, limit=limit)


def upload_name(attachment: Attachment) -> str:
    """The file name to upload under: its own, or its kind with the extension of its type."""
    if attachment.name:
        return attachment.name
    extension = mimetypes.guess_extension(attachment.mime or "") or ""
    return f"{attachment.kind}{'.jpg' if extension == '.jpe' else extension}"
