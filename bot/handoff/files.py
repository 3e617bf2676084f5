"""Files passed between a user and the agent who serves them, through the outbox.

Each file is an outbox item of its own, so a retried upload repeats nothing else. The item's
text is the line the reader gets instead when the file cannot go (too large for the
platforms, gone, or a chat without uploads such as the web chat), written here in the
reader's language because the adapters that deliver it hold no phrases.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.handoff.outbox import put
from bot.handoff.queue import Queue, desk_address, load_related
from bot.markdown import literal
from bot.messages import Attachment
from bot.storage.models import Handoff

__all__ = ["pass_files", "with_markers"]


def with_markers(text: str, files: Sequence[Attachment]) -> str:
    """`text` followed by a marker per file ("[photo]", "[document: a.pdf]"), for transcripts."""
    return " ".join([text, *(f.marker for f in files)]).strip()


async def pass_files(
    queue: Queue, handoff: Handoff, files: Sequence[Attachment], *, to_desk: bool
) -> None:
    """Queue `files` for the handoff's desk (in the card's thread) or for the user's chat."""
    if not files:
        return
    await load_related(handoff, "user", "conversation")
    if to_desk:
        language, (platform, chat) = queue.desk_language, desk_address(handoff.desk, handoff.team)
    else:
        language, platform, chat = (
            handoff.language,
            handoff.user.platform,
            handoff.conversation.chat_id,
        )
    for file in files:
        name = literal(file.name) if file.name else file.marker  # "my_report.docx" as named
        instead = queue.phrases.get(language, "file_not_passed", name=name)
        await put(
            platform,
            chat,
            instead,
            kind="relay",
            handoff=handoff,
            attachment=file,
            now=queue.clock(),
        )
