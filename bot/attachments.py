"""A file a user or an agent sent, as the core and the outbox keep it (`Attachment`): what it
is, and how its own platform finds it again. Part of the seam (`bot/messages.py`)."""

from __future__ import annotations

from dataclasses import asdict, dataclass

__all__ = ["ATTACHMENT_KINDS", "Attachment"]

ATTACHMENT_KINDS = frozenset(
    {"photo", "document", "voice", "video", "video_note", "animation", "audio", "sticker"}
    | {"file", "contact", "location"}
)


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file a user or an agent sent: what it is, and how its own platform finds it again.

    `kind` is one of `ATTACHMENT_KINDS`; `ref` is the platform's handle (a Telegram file_id,
    a Slack file's private download URL), empty when there is nothing to fetch (a shared
    location or contact); `size` is in bytes, 0 when the platform did not say.
    """

    platform: str
    kind: str
    name: str = ""
    mime: str = ""
    size: int = 0
    ref: str = ""

    def __post_init__(self) -> None:
        if self.kind not in ATTACHMENT_KINDS:
            raise ValueError(f"unknown attachment kind {self.kind!r}")

    @property
    def marker(self) -> str:
        """How the file is named in text (transcripts, relays): "[photo]", "[document: a.pdf]"."""
        return f"[{self.kind}: {self.name}]" if self.name else f"[{self.kind}]"

    def to_json(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def from_json(cls, value: object, *, platform: str = "") -> Attachment:
        """What `to_json` gave; a plain string is an old payload's kind or file name, and a
        kind this version does not know is a plain file (a stored delivery still loads)."""
        if isinstance(value, str):
            known = value in ATTACHMENT_KINDS
            return cls(platform, value if known else "file", name="" if known else value)
        if not isinstance(value, dict):
            raise ValueError(f"not an attachment: {value!r}")
        return cls(
            platform=str(value.get("platform") or platform),
            kind=kind if (kind := str(value.get("kind"))) in ATTACHMENT_KINDS else "file",
            name=str(value.get("name") or ""),
            mime=str(value.get("mime") or ""),
            size=int(value.get("size") or 0),
            ref=str(value.get("ref") or ""),
        )
