"""The files a Telegram message carries, as the core's `Attachment`s (pure: what Telegram
said of them; fetching one is `files.py`'s)."""

from __future__ import annotations

from typing import Final

from telegram import Message

from bot.messages import Attachment

__all__ = ["PLATFORM", "attachments_of"]

PLATFORM: Final = "telegram"  # the core's name for it (also convert.PLATFORM)
# Media with a file_id; an animation also comes as a `document`, which is the same file.
_FILES: Final = ("animation", "document", "voice", "audio", "video", "video_note", "sticker")


def attachments_of(message: Message) -> tuple[Attachment, ...]:
    """The files of a message (a photo in its largest size), then a contact or location."""
    found: list[Attachment] = []
    if message.photo:
        big = max(message.photo, key=lambda p: (p.width * p.height, p.file_size or 0))
        size = big.file_size or 0
        found.append(Attachment(PLATFORM, "photo", mime="image/jpeg", size=size, ref=big.file_id))
    for kind in _FILES:
        media = getattr(message, kind, None)
        if media is None or (kind == "document" and message.animation is not None):
            continue
        name = getattr(media, "file_name", None) or ""
        mime = getattr(media, "mime_type", None) or _sticker_mime(message)
        found.append(Attachment(PLATFORM, kind, name, mime, media.file_size or 0, media.file_id))
    found += [Attachment(PLATFORM, k) for k in ("contact", "location") if getattr(message, k)]
    return tuple(found)


def _sticker_mime(message: Message) -> str:
    sticker = message.sticker
    if sticker is None:
        return ""
    if sticker.is_animated:
        return "application/x-tgsticker"
    return "video/webm" if sticker.is_video else "image/webp"
