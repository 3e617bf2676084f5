"""Synonym groups from `kb/synonyms.yaml`: slang, abbreviations and spellings of one meaning.

Each member of a group (a word or a phrase) is normalised like any other text; wherever its
terms occur in a question or an example, they are replaced by one canonical term for the
group (built from the group's first member). This runs both at index and at query time, so
"впн не пашет" and "VPN не работает" reach the matcher as the same terms.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import yaml

from bot.errors import KnowledgeError
from bot.knowledge.files import YAML_MISTAKES, odd_spaces, read_text, yaml_mistake
from bot.knowledge.normalize import terms

__all__ = ["Synonyms", "load_synonyms"]


class Synonyms:
    """Rewrites runs of terms to their group's canonical term, longest phrase first."""

    def __init__(self, phrases: dict[tuple[str, ...], str]) -> None:
        self._phrases = dict(phrases)
        self._longest = max((len(key) for key in phrases), default=0)
        self._starts = frozenset(key[0] for key in phrases)

    @classmethod
    def from_groups(cls, groups: Iterable[Sequence[str]]) -> Synonyms:
        """Synonyms from groups of member texts; the first member names the group."""
        phrases: dict[tuple[str, ...], str] = {}
        for group in groups:
            keys = [tuple(terms(member)) for member in group]
            canonical = "_".join(keys[0])
            phrases.update({key: canonical for key in keys if key})
        return cls(phrases)

    def __len__(self) -> int:
        return len(self._phrases)

    def words(self) -> frozenset[str]:
        """Every term that occurs in some member (for spelling correction)."""
        return frozenset(word for key in self._phrases for word in key)

    def rewrite(self, words: Sequence[str]) -> list[str]:
        """`words` (normalised terms) with every known phrase replaced by its canonical term."""
        if self._starts.isdisjoint(words):
            return list(words)
        return [term for term, _, _ in self.spans(words)]

    def spans(self, words: Sequence[str]) -> list[tuple[str, int, int]]:
        """The rewritten terms, each with the `[start, end)` range of `words` it stands for."""
        if self._starts.isdisjoint(words):
            return [(word, index, index + 1) for index, word in enumerate(words)]
        out: list[tuple[str, int, int]] = []
        index = 0
        while index < len(words):
            size, term = self._longest_at(words, index)
            out.append((term, index, index + size))
            index += size
        return out

    def _longest_at(self, words: Sequence[str], index: int) -> tuple[int, str]:
        if words[index] not in self._starts:
            return 1, words[index]
        for size in range(min(self._longest, len(words) - index), 0, -1):
            canonical = self._phrases.get(tuple(words[index : index + size]))
            if canonical is not None:
                return size, canonical
        return 1, words[index]


def load_synonyms(path: Path) -> Synonyms:
    """Parse a synonyms file; errors name the file and line ("kb/synonyms.yaml:12: …")."""
    text = read_text(path)
    for line, problem in odd_spaces(text)[:1]:  # YAML would name a later line
        raise KnowledgeError(f"{path}:{line}: {problem}")
    try:
        root = yaml.compose(text)
    except YAML_MISTAKES as exc:
        line, problem = yaml_mistake(exc)
        raise KnowledgeError(f"{path}:{line}: not valid YAML: {problem}") from exc
    if root is None:
        return Synonyms({})
    return _parse(path, root)


def _fail(path: Path, node: yaml.Node, message: str) -> KnowledgeError:
    return KnowledgeError(f"{path}:{node.start_mark.line + 1}: {message}")


def _parse(path: Path, root: yaml.Node) -> Synonyms:
    if not isinstance(root, yaml.SequenceNode):
        raise _fail(path, root, "expected a list of groups, each a list like [vpn, впн]")
    phrases: dict[tuple[str, ...], str] = {}
    owners: dict[tuple[str, ...], int] = {}
    for group in root.value:
        keys = _group_keys(path, group)
        canonical = "_".join(keys[0][1])
        for node, key in keys:
            if key in owners and phrases[key] != canonical:
                other = owners[key]
                raise _fail(path, node, f"{node.value!r} is already in the group on line {other}")
            owners.setdefault(key, group.start_mark.line + 1)
            phrases[key] = canonical
    return Synonyms(phrases)


def _group_keys(path: Path, group: yaml.Node) -> list[tuple[yaml.Node, tuple[str, ...]]]:
    if not isinstance(group, yaml.SequenceNode) or len(group.value) < 2:
        raise _fail(path, group, "a group is a list of at least two words or phrases")
    keys: list[tuple[yaml.Node, tuple[str, ...]]] = []
    for member in group.value:
        if not isinstance(member, yaml.ScalarNode) or not str(member.value).strip():
            raise _fail(path, member, "a group member must be a non-empty word or phrase")
        key = tuple(terms(str(member.value)))
        if not key:
            raise _fail(path, member, f"{member.value!r} has only stop words or punctuation")
        keys.append((member, key))
    return keys
