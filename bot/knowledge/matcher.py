"""Rank KB articles for a user's question, with a confidence that means the same on any KB.

1. Readings: links, addresses and paths pasted into the text are cut down to the words of
   them that tell what they are about and the KB knows (`normalize.unpasted`; the KB's own
   examples are cut down the same way, but for knowing); then the text as typed, layout-swapped and
   transliterated (`layout.variants`) is each normalised (`normalize`), adjacent unknown
   words that spell one word of the KB are joined ("глобал протект"), unknown words are
   spell-corrected to the KB's vocabulary, and synonyms become their group's term
   (`question.Reader`).
2. Candidates: an inverted index over every example question and title (all languages) gives
   an IDF-weighted cosine per question. IDF counts articles, so words found everywhere ("не",
   "how") weigh little; words the KB has never seen still count in the question's length.
3. Score: the best candidate questions are re-scored with rapidfuzz; an article scores its
   best question (cosine + fuzzy) plus its coverage: the share of the question's weight found
   in the article, each word weighted by how many of the article's questions use it, plus
   0.3 × its centroid score (`linear.Centroids`: cosine with the Rocchio centroid of all its
   questions over terms and adjacent term pairs), evidence pooled over the whole article,
   plus 0.75 × the probability a softmax classifier gives it (`classifier.Classifier`, over the
   same terms and pairs and the terms' 4-character pieces: it learns which words tell an
   article from its neighbours).
4. Confidence: P(the top article is right), from its score, its margin over the runner-up and
   what the score rests on (`confidence.py` says what each input is for).

Curves and thresholds are fitted by `bench/fit.py` on validation data only; its docstring
has the rules, and how every fixed setting here was chosen without tuning to one data set. The
off-topic questions in `bench/unseen/` were written after those rules were set and are never
used to fit: they check that the rules did not learn the demo's off-topic set."""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from itertools import chain, islice

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz
from rapidfuzz.process import cdist

from bot.knowledge.article import Article, Match
from bot.knowledge.classifier import Classifier
from bot.knowledge.confidence import confidence
from bot.knowledge.index import InvertedIndex
from bot.knowledge.layout import variants
from bot.knowledge.linear import Centroids, Terms
from bot.knowledge.normalize import (
    MAX_INPUT_CHARS,
    STOP_WORDS,
    cyrillic_share,
    stem,
    unpasted,
    word_lists,
)
from bot.knowledge.question import Question, Reader
from bot.knowledge.speller import Speller
from bot.knowledge.synonyms import Synonyms

__all__ = [
    "DEFAULT_ANSWER_THRESHOLD",
    "DEFAULT_SUGGEST_THRESHOLD",
    "Evidence",
    "Matcher",
]

DEFAULT_ANSWER_THRESHOLD = 0.60
DEFAULT_SUGGEST_THRESHOLD = 0.15

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
# article indexes, best first, their scores, and the question's weight each covers
_Ranking = tuple[Ints, Floats, Floats]
# a ranking, the question's share the KB knows and the share of its words that are Russian
Evidence = tuple[Ints, Floats, Floats, float, float]

_CANDIDATES = 40  # questions re-scored with rapidfuzz per reading
_VARIANT_MARGIN = 0.1  # a layout/transliteration reading must beat the text as typed by this
_W_COSINE, _W_FUZZ, _W_COVER = 0.3, 0.2, 0.5  # an article's score: best question + coverage
_W_LINEAR = 0.3  # an article's centroid score, added to the above
_W_CLASSIFIER = 0.75  # the classifier's probability for the article, added to the above


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off while an index is built: the build makes millions of small
    objects and keeps them, so the collector's passes over them (a quarter of a second of a
    100,000-question build) find nothing to free."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class Matcher:
    """Matches questions against a fixed set of articles; build once, share freely."""

    @_collector_paused()
    def __init__(self, articles: Sequence[Article], synonyms: Synonyms | None = None) -> None:
        self.articles = tuple(articles)
        self._synonyms = synonyms or Synonyms({})
        texts = [[unpasted(text) for text in _texts(article)] for article in self.articles]
        lines = word_lists([text for group in texts for text in group])
        found = set(chain.from_iterable(lines)) - STOP_WORDS
        self._speller = Speller(found, self._synonyms.words())
        entries = self._entries([len(group) for group in texts], lines, found)
        self._entry_article = np.array([a for a, _ in entries], dtype=np.int64)
        self._entry_text = [" ".join(words) for _, words in entries]
        terms = [words for _, words in entries]
        self._sizes = np.bincount(self._entry_article, minlength=len(self.articles))
        self._density = np.log(np.maximum(self._sizes, 1))
        numbered = Terms.of(terms)
        self._index = InvertedIndex(numbered, self._entry_article, self._sizes)
        self._reader = Reader(self._speller, self._synonyms, self._index)
        self._centroids = Centroids(numbered, self._entry_article, len(self.articles))
        self._classifier = Classifier(terms, self._entry_article, len(self.articles))

    def _entries(
        self, counts: list[int], lines: list[list[str]], found: set[str]
    ) -> list[tuple[int, tuple[str, ...]]]:
        """(article, its terms) for each distinct text with content words, in that order:
        `counts[a]` of the `lines` (words of texts) are article a's."""
        stems = {word: stem(word) for word in found}
        rewrite, rest = self._synonyms.rewrite, iter(lines)
        entries: list[tuple[int, tuple[str, ...]]] = []
        for article, count in enumerate(counts):
            own = {
                tuple(rewrite([stems[w] for w in ws if w in stems])) for ws in islice(rest, count)
            }
            own.discard(())
            entries.extend((article, words) for words in sorted(own))
        return entries

    def examples(self, article: int) -> int:
        """How many example questions (and titles) the article at this index has."""
        return int(self._sizes[article])

    def match(self, text: str, limit: int = 5) -> list[Match]:
        """The best articles for `text`, most confident first; [] when nothing relates."""
        articles, scores, covered, known, russian = self.evidence(text)
        if not len(scores) or limit < 1:
            return []
        rivals = np.full(min(limit, len(scores)), scores[0])
        rivals[0] = scores[1] if len(scores) > 1 else 0.0
        top, n = articles[: len(rivals)], len(rivals)
        density = self._density[top]
        confidences = confidence(scores[:n], rivals, density, known, covered[:n], russian)
        return [
            Match(self.articles[a].id, c)
            for a, c in zip(articles.tolist(), confidences.tolist(), strict=False)
        ]

    def terms(self, text: str) -> frozenset[str]:
        """The terms `text` is read as (spelling corrected, synonyms as their group's term):
        "почта не работает" and "no e-mail" share "почт"."""
        query = self._reader.analyse(unpasted(text[:MAX_INPUT_CHARS], self._speller.knows))
        return frozenset(query.text.split()) if query else frozenset()

    def evidence(self, text: str) -> Evidence:
        """What the confidence is computed from (`bench/fit.py` fits the curves on it): the
        best reading's article indexes with evidence, best first, their scores, the weight of
        the question each covers, the share of the question the KB knows, and the share of
        the chosen reading's words that are Russian (`cyrillic_share`). An alternative
        reading must know more of the question than the text as typed and score clearly better
        to be chosen."""
        text = unpasted(text[:MAX_INPUT_CHARS], self._speller.knows)
        original = self._reader.analyse(text)
        known = chosen = original.known if original else 0.0
        best = self._rank(original) if original else _nothing()
        top = best[1][0] if len(best[1]) else 0.0
        chosen_text = text
        for reading in variants(text, self._speller.knows)[1:] if known < 1.0 else ():
            if not self._reader.may_know_more(reading, known):
                continue
            query = self._reader.analyse(reading)
            if query is None or query.known <= known:
                continue
            ranked = self._rank(query)
            if len(ranked[1]) and ranked[1][0] - _VARIANT_MARGIN > top:
                best, top, chosen = ranked, ranked[1][0] - _VARIANT_MARGIN, query.known
                chosen_text = reading
        return best[0], best[1], best[2], chosen, cyrillic_share(chosen_text)

    def _rank(self, query: Question) -> _Ranking:
        """Articles with any evidence, best first, their scores and the question's weight
        each covers."""
        if not len(query.ids):
            return _nothing()
        dots, cover = self._index.sums(query.ids, query.weights)
        scores = _W_COVER * cover / query.mass
        scores += _W_LINEAR * self._centroids.scores(query.text.split())
        scores += _W_CLASSIFIER * self._classifier.probabilities(query.text.split())
        negative = dots / (self._index.entry_norm * -query.norm)  # -cosine, to the last bit
        size = min(_CANDIDATES, len(negative))
        top = np.argpartition(negative, size - 1)[:size]
        top = top[negative[top] < 0]
        texts = [self._entry_text[entry] for entry in top.tolist()]
        fuzzy = cdist([query.text], texts, scorer=fuzz.ratio, dtype=np.float64)[0] / 100
        best: dict[int, float] = {}  # article → its best candidate question's score
        for article, cos, similar in zip(
            self._entry_article[top].tolist(),
            (-negative[top]).tolist(),
            fuzzy.tolist(),
            strict=True,
        ):
            best[article] = max(best.get(article, 0.0), _W_COSINE * cos + _W_FUZZ * similar)
        for article, value in best.items():
            scores[article] += value
        found = (scores > 0).nonzero()[0]
        order = found[(-scores[found]).argsort(kind="stable")]
        return order, scores[order], cover[order]


def _nothing() -> _Ranking:
    return np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0)


def _texts(article: Article) -> list[str]:
    texts = list(article.title.values())
    for questions in article.questions.values():
        texts.extend(questions)
    return texts
