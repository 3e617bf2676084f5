"""Which files of a KB folder count: the articles and synonyms.yaml the bot reads, and the
files an author meant as such that it would not read (`kb check` names them). The running
bot's reload watches all of them, so that adding one is noticed as editing one is."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from bot.knowledge.frontmatter import Problems

__all__ = [
    "SYNONYMS_FILE",
    "counts",
    "misnamed_synonyms",
    "nested_in",
    "not_directly_in",
    "not_read",
    "synonyms_files",
    "watched",
]

SYNONYMS_FILE = "synonyms.yaml"
_SYNONYMS_MISNAMED = {
    f"{stem}.{ext}" for stem in ("synonyms", "synonym") for ext in ("yaml", "yml")
}


def counts(path: Path) -> bool:
    """Whether a file of the KB folder counts at all: `_…` files (drafts) and READMEs do not,
    nor hidden `.…` files, which nobody wrote as articles: an editor's lock or backup
    (Emacs's `.#vpn-connect.md` while an edit is unsaved) and the `._vpn-connect.md` a Mac
    adds beside each file it copies or packs."""
    return not (path.name.startswith(("_", ".")) or path.name.lower() == "readme.md")


def not_read(directory: Path, problems: Problems) -> None:
    """Files an author meant as articles or synonyms that are not read as such: an article
    in a sub-folder, or not named `*.md`, and `synonyms.yml` or `Synonyms.yaml`. The KB was
    "valid" without them, and their questions (or slang) went unanswered."""
    misnamed_synonyms(directory, problems)
    for path, nested in _files(directory):
        suffix = path.suffix
        if suffix.lower() not in (".md", ".markdown") or (suffix == ".md" and not nested):
            continue
        why = "an article's file name ends in '.md' (lower case): rename it"
        problems.add(
            path, 0, not_directly_in(directory) if nested else f"not read as an article: {why}"
        )


def not_directly_in(directory: Path) -> str:
    """The problem of an article in a sub-folder of the KB in `directory`."""
    return (
        f"not read as an article: articles are the .md files directly in {directory}: move it there"
    )


def nested_in(path: Path, directory: Path) -> bool:
    """Whether the file at `path` is in a sub-folder of `directory` that `not_read` looks in
    (not a `_…` or `.…` one: drafts, `.git`), so that `kb check` of the folder names it."""
    try:
        inside = path.resolve().parent.relative_to(directory.resolve())
    except ValueError:  # not in it at all
        return False
    return bool(inside.parts) and not any(part.startswith(("_", ".")) for part in inside.parts)


def misnamed_synonyms(directory: Path, problems: Problems) -> None:
    """A synonyms file of the KB in `directory` (its folder, or the folder of its kb.jsonl)
    not named `synonyms.yaml`, such as `synonyms.yml`: the bot does not read it."""
    for path in synonyms_files(directory):
        if path.name != SYNONYMS_FILE:
            why = f"the synonyms file must be named '{SYNONYMS_FILE}'"
            problems.add(path, 0, f"not read: {why}")


def synonyms_files(directory: Path) -> list[Path]:
    """The files directly in `directory` an author meant as the KB's synonyms: the one the
    bot reads, and those `misnamed_synonyms` names; in name order."""
    try:
        names = sorted(os.listdir(directory))
    except OSError:  # gone: the KB's own check says so
        return []
    return [directory / name for name in names if name.casefold() in _SYNONYMS_MISNAMED]


def watched(directory: Path) -> list[Path]:
    """Every file whose change (or arrival, or leaving) may change what `check_kb` finds: the
    articles and synonyms.yaml, and the files `not_read` names; a symlink too, whether or not
    what it points at is there."""
    return [
        path
        for path, _nested in _files(directory)
        if path.suffix.lower() in (".md", ".markdown") or path.name.casefold() in _SYNONYMS_MISNAMED
    ]


def _files(directory: Path) -> Iterator[tuple[Path, bool]]:
    """Each file of the folder and its sub-folders (nested: True), `_…` and `.…` sub-folders
    (drafts, `.git`), `_…` and `.…` files and READMEs left out; in name order."""
    for folder, subfolders, names in os.walk(directory):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith(("_", ".")))
        for name in sorted(names):
            path = Path(folder) / name
            if counts(path):
                yield path, Path(folder) != directory
