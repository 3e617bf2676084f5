"""Files on Slack: fetching what users and agents sent, and uploading files to a chat.

A Slack file is fetched from its `url_private_download` with the bot token (the app needs
the files:read scope; without it Slack answers with a redirect to its login page, which is
taken as "unavailable"). The token goes only to Slack's file host or to the configured Web
API's own host (a proxy, a test server), never to a URL an event merely claims, and
redirects are not followed. Uploads use `files_upload_v2` into the chat (in the thread).
Files are held in memory, so both ways stop at `MAX_FILE` bytes.
"""

from __future__ import annotations

from typing import Final
from urllib.parse import urlsplit

from aiohttp import ClientError, ClientSession, ClientTimeout

from bot.errors import DeliveryError, FileUnavailable
from bot.messages import Attachment

__all__ = ["MAX_FILE", "SlackFiles"]

MAX_FILE: Final = 50 * 1024 * 1024
FILE_HOST: Final = "https://files.slack.com"
_CHUNK: Final = 64 * 1024
_TIMEOUT: Final = ClientTimeout(total=120)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".casefold()


class SlackFiles:
    """The `FileSource` of Slack: private download URLs read with the bot token."""

    def __init__(self, token: str, *, api_url: str) -> None:
        self._token = token
        self._origins = frozenset({FILE_HOST, _origin(api_url)})

    def __repr__(self) -> str:
        return f"SlackFiles(origins={sorted(self._origins)})"  # never the token

    async def fetch(self, attachment: Attachment, *, limit: int) -> bytes:
        limit = min(limit, MAX_FILE)
        if _origin(attachment.ref) not in self._origins:
            raise FileUnavailable(f"not a Slack file URL: {_origin(attachment.ref)}")
        if attachment.size > limit:
            raise FileUnavailable(f"{attachment.size} bytes is over the {limit}-byte limit")
        headers = {"Authorization": f"Bearer {self._token}"}
        try:
            async with (
                ClientSession(timeout=_TIMEOUT) as session,
                session.get(attachment.ref, headers=headers, allow_redirects=False) as response,
            ):
                _check(response.status, response.content_type)
                data = bytearray()
                async for chunk in response.content.iter_chunked(_CHUNK):
                    data += chunk
                    if len(data) > limit:
                        raise FileUnavailable(f"over the {limit}-byte limit")
        except (ClientError, TimeoutError) as exc:
            raise DeliveryError(f"Slack file download failed: {type(exc).__name__}") from None
        return bytes(data)


def _check(status: int, content_type: str) -> None:
    """Raise unless the answer is the file: a 5xx or 429 may pass, the rest will not."""
    if status == 429 or status >= 500:
        raise DeliveryError(f"Slack file download: HTTP {status}")
    if status != 200 or content_type == "text/html":  # a login page: no files:read scope
        raise FileUnavailable(f"Slack file download: HTTP {status} {content_type}")
