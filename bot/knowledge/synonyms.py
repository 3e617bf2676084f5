"""Synonym groups from `kb/synonyms.yaml`: slang, abbreviations and spellings of one meaning.

Each member of a group (a word or a phrase) is normalised like any other text; wherever its
terms occur in a question or an example, they are replaced by one canonical term for the
group (built from the group's first member). This runs both at index and at query time, so
"впн не пашет" and "VPN не работает" reach the matcher as the same terms.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import yaml

from bot.errors import KnowledgeError
from bot.knowledge.files import YAML_MISTAKES, odd_spaces, read_text, yaml_mistake
from bot.knowledge.normalize import terms
from bot.knowledge.problems import Problems

__all__ = ["Synonyms", "check_synonyms", "load_synonyms"]


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
    """Parse a synonyms file; KnowledgeError naming the file and line of every mistake
    ("kb/synonyms.yaml:12: …")."""
    problems = Problems()
    synonyms = check_synonyms(path, problems)
    if synonyms is None:
        raise KnowledgeError("\n".join(problems.in_file_order()))
    return synonyms


def check_synonyms(path: Path, problems: Problems) -> Synonyms | None:
    """The synonyms of a file, or None with each of its mistakes added to `problems` at its
    line: every group's, as `kb check` names every article's (a YAML error: the first)."""
    try:
        text = read_text(path)
    except KnowledgeError as exc:
        problems.worded(path, 0, str(exc))
        return None
    odd = odd_spaces(text)  # YAML would name a later line
    for line, problem in odd:
        problems.add(path, line, problem)
    if odd:
        return None
    try:
        root = yaml.compose(text)
    except YAML_MISTAKES as exc:
        line, problem = yaml_mistake(exc)
        problems.add(path, line, f"not valid YAML: {problem}")
        return None
    before = len(problems.items)
    synonyms = Synonyms({}) if root is None else _parse(path, root, problems)
    return synonyms if len(problems.items) == before else None


def _fail(path: Path, node: yaml.Node, message: str, problems: Problems) -> None:
    problems.add(path, node.start_mark.line + 1, message)


def _parse(path: Path, root: yaml.Node, problems: Problems) -> Synonyms:
    if not isinstance(root, yaml.SequenceNode):
        _fail(path, root, "expected a list of groups, each a list like [vpn, впн]", problems)
        return Synonyms({})
    phrases: dict[tuple[str, ...], str] = {}
    owners: dict[tuple[str, ...], int] = {}
    for group in root.value:
        keys = _group_keys(path, group, problems)
        canonical = "_".join(keys[0][1]) if keys else ""
        if keys and keys[0][1] in owners and phrases[keys[0][1]] == canonical:
            _repeated(path, keys[0][0], owners[keys[0][1]], problems)  # merged otherwise
        for node, key in keys:
            if key in owners and phrases[key] != canonical:
                other = f"{node.value!r} is already in the group on line {owners[key]}"
                _fail(path, node, other, problems)
                continue
            owners.setdefault(key, group.start_mark.line + 1)
            phrases[key] = canonical
    return Synonyms(phrases)


def _repeated(path: Path, first: yaml.Node, line: int, problems: Problems) -> None:
    """A group starting as the one on `line` does is merged into it (a warning: nothing lost)."""
    problems.warn(
        path,
        first.start_mark.line + 1,
        f"{first.value!r} starts the group on line {line} too: the two are one group"
        " (a word or phrase belongs to one group only); move this line's members there",
    )


def _group_keys(
    path: Path, group: yaml.Node, problems: Problems
) -> list[tuple[yaml.Node, tuple[str, ...]]]:
    """The group's members with their terms; none when the group or a member is wrong (each
    named)."""
    if not isinstance(group, yaml.SequenceNode) or len(group.value) < 2:
        _fail(path, group, _not_a_group(group), problems)
        return []
    keys: list[tuple[yaml.Node, tuple[str, ...]]] = []
    wrong = False
    for member in group.value:
        if not isinstance(member, yaml.ScalarNode) or not str(member.value).strip():
            _fail(path, member, _not_a_member(member), problems)
            wrong = True
            continue
        key = tuple(terms(str(member.value)))
        if not key:
            _fail(path, member, f"{member.value!r} has only stop words or punctuation", problems)
            wrong = True
        keys.append((member, key))
    return [] if wrong else keys


def _not_a_group(group: yaml.Node) -> str:
    """What is wrong with a group that is no list of two or more: with the brackets forgotten
    (`- тонер, toner`, one text to YAML), members set apart by ';' or in braces, the group as
    it is written."""
    if isinstance(group, yaml.ScalarNode):
        texts = [str(group.value)]
    else:  # a list of one, or a mapping (braces): its members, or its keys
        items = [item[0] if isinstance(item, tuple) else item for item in group.value]
        texts = [str(item.value) for item in items if isinstance(item, yaml.ScalarNode)]
    members = [member.strip() for text in texts for member in re.split(r"[,;]", text)]
    members = [member for member in members if member]
    told = "a group is a list of at least two words or phrases"
    if len(members) < 2:
        return told
    return f"{told}: write it in brackets, members apart by commas: - [{', '.join(members)}]"


def _not_a_member(member: yaml.Node) -> str:
    """What is wrong with a member that is no word or phrase: a ': ' in it (YAML's key and
    value), a list inside the group, or nothing."""
    pairs = member.value if isinstance(member, yaml.MappingNode) else []
    if len(pairs) == 1 and all(isinstance(node, yaml.ScalarNode) for node in pairs[0]):
        written = f"{pairs[0][0].value}: {pairs[0][1].value}"
        return (
            f"{written!r} is read as a key and a value (a ': ' in it): put a ',' for the ':',"
            " or the member in quotes"
        )
    if isinstance(member, yaml.SequenceNode):
        return (
            "a group member is a word or phrase, not a list: write the group as one list,"
            " - [vpn, впн]"
        )
    return "a group member must be a non-empty word or phrase"
