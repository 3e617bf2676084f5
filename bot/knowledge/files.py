"""Reading the text files support staff write (articles, synonyms, labelled questions).

They come from every editor: a Windows one may start the file with a byte-order mark, which
is not part of the text, and one set to a legacy encoding saves bytes that are not UTF-8,
which are named with their line so the author can find them.
"""

from __future__ import annotations

from pathlib import Path

from bot.errors import KnowledgeError

__all__ = ["read_text"]


def read_text(path: Path) -> str:
    """The file's text (UTF-8, a leading byte-order mark dropped); KnowledgeError naming the
    file, and the line of the first byte that is not UTF-8, when it cannot be read."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise KnowledgeError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise KnowledgeError(
            f"{path}:{line}: not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8"
        ) from exc
