"""Matching benchmark (`make bench`): our matcher against two baselines, on every data set.

Data sets: shared/bench-data/clinc150 (validation and test; the folder is a sibling of the
repository, or wherever HELPDESK_BENCH_DATA points) and the demo KB in kb/ with its held-out
questions (bench/demo/heldout-*.jsonl, off-topic questions in bench/demo/offtopic.jsonl) and
more questions in bench/unseen/, written after the fitting rules were set and never used by
bench/fit.py (its README says who wrote them, and how); and KBs of other domains, each a
folder with kb.jsonl and queries.jsonl, whole and cut to 5 example questions per article (to 3
for a KB of 6 or fewer):
bench/domains/ (fitted on) and bench/unseen/<domain>/ (never).

`--only PART` (again for more) runs one part alone: clinc, scale, demo, domains (`--help`).

Baselines: rapidfuzz brute force (token_set_ratio, default processor, nearest example
question) and BM25 over whole articles (bm25s on PyStemmer stems). On CLINC150 test their
answer thresholds are tuned on validation; on every set with both kinds of question, BM25 is
also shown at its best threshold for that set at our out-of-scope recall (`at_equal`).
"""

from __future__ import annotations

import os

# One core, as the targets are stated: cap numpy's BLAS threads before numpy is imported.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse
import asyncio
import multiprocessing
import re
import resource
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import bm25s
import numpy as np
import numpy.typing as npt
import Stemmer
from rapidfuzz import fuzz, process

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.knowledge.article import Article, Match  # noqa: E402
from bot.knowledge.eval_report import format_report  # noqa: E402
from bot.knowledge.evaluate import SupportsMatch, evaluate  # noqa: E402
from bot.knowledge.jsonl import LabelledQuery, load_kb_jsonl, load_queries  # noqa: E402
from bot.knowledge.loader import load_articles  # noqa: E402
from bot.knowledge.matcher import (  # noqa: E402
    DEFAULT_ANSWER_THRESHOLD,
    DEFAULT_SUGGEST_THRESHOLD,
    Matcher,
)
from bot.knowledge.normalize import MAX_INPUT_CHARS  # noqa: E402
from bot.knowledge.synonyms import Synonyms, load_synonyms  # noqa: E402
from bot.offload import Offload, prefer_the_loop  # noqa: E402

_WORD = re.compile(r"[^\W_]+")


def bench_data() -> Path:
    """Where the shared benchmark data sets live."""
    override = os.environ.get("HELPDESK_BENCH_DATA")
    return Path(override) if override else Path(__file__).resolve().parents[2] / "shared/bench-data"


def _texts(article: Article) -> Iterator[str]:
    yield from article.title.values()
    for questions in article.questions.values():
        yield from questions


class FuzzBaseline:
    """Nearest example question by rapidfuzz token_set_ratio."""

    def __init__(self, articles: list[Article]) -> None:
        self._ids = [a.id for a in articles]
        pairs = [(i, text) for i, a in enumerate(articles) for text in _texts(a)]
        self._owner = np.array([i for i, _ in pairs])
        self._choices = [text for _, text in pairs]

    def match(self, text: str, limit: int = 5) -> list[Match]:
        scores = process.cdist([text], self._choices, scorer=fuzz.token_set_ratio)[0]
        best = np.zeros(len(self._ids))
        np.maximum.at(best, self._owner, scores)
        order = np.argsort(-best, kind="stable")[:limit]
        return [Match(self._ids[i], float(best[i]) / 100) for i in order if best[i] > 0]


class BM25Baseline:
    """BM25 over articles (title and questions concatenated), stems by script."""

    def __init__(self, articles: list[Article]) -> None:
        self._ids = [a.id for a in articles]
        self._ru, self._en = Stemmer.Stemmer("russian"), Stemmer.Stemmer("english")
        self._bm25 = bm25s.BM25()
        corpus = [self._tokens(" ".join(_texts(a))) for a in articles]
        self._bm25.index(corpus, show_progress=False)

    def _tokens(self, text: str) -> list[str]:
        words = _WORD.findall(text.lower().replace("ё", "е"))
        return [(self._ru if re.search("[а-я]", w) else self._en).stemWord(w) for w in words]

    def match(self, text: str, limit: int = 5) -> list[Match]:
        tokens = self._tokens(text)
        if not tokens:
            return []
        scores = self._bm25.get_scores(tokens)
        order = np.argsort(-scores, kind="stable")[:limit]
        # Raw BM25 squashed into 0..1 (monotone, so a tuned threshold means the same).
        return [
            Match(self._ids[i], float(scores[i] / (scores[i] + 10))) for i in order if scores[i] > 0
        ]


_KEYS = (
    ("top1", "top1"),
    ("MRR", "mrr"),
    ("in-scope", "inscope_accuracy"),
    ("OOS", "oos_recall"),
    ("p50", "p50_ms"),
    ("p99", "p99_ms"),
)
_AT_THRESHOLD = ("inscope_accuracy", "oos_recall")
TARGETS = (0.82, 0.85)  # in-scope accuracy, out-of-scope recall (issue #3)


def _row(name: str, result: dict[str, Any], *, tuned: bool = True) -> str:
    """One method's figures; in-scope and out-of-scope only at a threshold tuned for it."""

    def show(key: str) -> str:
        value = result[key]
        return f"{value:.3f}" if isinstance(value, float) else "n/a"

    keys = _KEYS if tuned else tuple(k for k in _KEYS if k[1] not in _AT_THRESHOLD)
    figures = "  ".join(f"{label} {show(key)}" for label, key in keys)
    threshold = f"  (answer ≥ {result['answer_threshold']:.3f})" if tuned else ""
    return f"  {name:<10} {figures}{threshold}"


def _ratios(name: str, ours: dict[str, Any], other: dict[str, Any], *, tuned: bool) -> str:
    def ratio(key: str) -> str:
        a, b = ours[key], other[key]
        if key in _AT_THRESHOLD and not tuned:
            return "n/a"
        return f"{a / b:.2f}" if isinstance(a, float) and isinstance(b, float) and b else "n/a"

    return f"  ours/{name:<5} " + "  ".join(f"{label} ×{ratio(key)}" for label, key in _KEYS)


Bools = npt.NDArray[np.bool_]
Floats = npt.NDArray[np.float64]


def answer_rates(answered: Bools, right: Bools, answerable: Bools) -> tuple[float, float]:
    """In-scope accuracy and out-of-scope recall of these answer decisions (an out-of-scope
    question is right only when sent elsewhere, which is not answering it)."""
    inscope = float(np.mean((answered & right)[answerable]))
    declined = ~answered | right
    oos = float(np.mean(declined[~answerable])) if (~answerable).any() else inscope
    return inscope, oos


def room(inscope: float, oos: float) -> float:
    """How far both figures are above their targets (the worse of the two ratios): the
    objective answer thresholds are chosen by, ours (bench/fit.py) and the baselines'."""
    return min(inscope / TARGETS[0], oos / TARGETS[1])


def decisions(
    matcher: SupportsMatch, queries: list[LabelledQuery], elsewhere: frozenset[str] = frozenset()
) -> tuple[Floats, Bools, Bools]:
    """Per question: the top article's confidence, whether it is right (for a question with
    no article: one of `elsewhere`), whether the question has an article at all."""
    rows = []
    for query in queries:
        found = matcher.match(query.text, limit=1)
        top = found[0].confidence if found else 0.0
        hit = bool(found) and found[0].article_id in (query.expected or elsewhere)
        rows.append((top, hit, bool(query.expected)))
    confidence, right, answerable = (np.array(c) for c in zip(*rows, strict=True))
    return confidence, right, answerable


def tune(matcher: SupportsMatch, queries: list[LabelledQuery]) -> float:
    """A baseline's answer threshold: the one with the most `room` on the validation
    questions."""
    confidence, right, answerable = decisions(matcher, queries)
    best, chosen = -1.0, 1.0
    for threshold in np.unique(confidence):
        value = room(*answer_rates(confidence >= threshold, right, answerable))
        if value > best:
            best, chosen = value, float(threshold)
    return chosen


def at_equal(
    baseline: SupportsMatch,
    queries: list[LabelledQuery],
    ours: dict[str, Any],
    elsewhere: frozenset[str] = frozenset(),
) -> str:
    """The baseline at its best threshold for each of our two figures, on these very questions
    (an oracle, so generous to it): its in-scope accuracy where its out-of-scope recall is at
    least ours, and its out-of-scope recall where its in-scope accuracy is at least ours."""
    confidence, right, answerable = decisions(baseline, queries, elsewhere)
    pairs = [
        answer_rates(confidence >= t, right, answerable)
        for t in np.append(np.unique(confidence), np.inf)
    ]
    inscope, oos = ours["inscope_accuracy"], ours["oos_recall"]
    theirs_in = max(i for i, o in pairs if o >= oos)
    theirs_oos = max((o for i, o in pairs if i >= inscope), default=None)
    shown = "never" if theirs_oos is None else f"{theirs_oos:.3f}"
    return (
        f"at our out-of-scope recall {oos:.3f}: its in-scope accuracy {theirs_in:.3f} "
        f"(ours {inscope:.3f}); at our in-scope accuracy: its out-of-scope recall {shown}"
    )


Baselines = dict[str, tuple[SupportsMatch, float | None]]


def run(
    name: str,
    articles: list[Article],
    queries: list[LabelledQuery],
    syn: Synonyms,
    *,
    baselines: Baselines | None = None,
) -> None:
    """Print our matcher's full report, then one row per method and ours/theirs ratios.
    Baselines come with their index and the answer threshold tuned for them (None: BM25 on
    the same KB, top-1, MRR and time only: no validation set to tune a threshold on)."""
    print(f"== {name}: {len(articles)} articles, {len(queries)} questions")
    elsewhere = frozenset(a.id for a in articles if a.elsewhere)
    ours = evaluate(
        Matcher(articles, synonyms=syn),
        queries,
        answer_threshold=DEFAULT_ANSWER_THRESHOLD,
        suggest_threshold=DEFAULT_SUGGEST_THRESHOLD,
        elsewhere=elsewhere,
    )
    print("\n".join("  " + line for line in format_report(ours, verbose=False).splitlines()))
    print(_row("matcher", ours))
    others: Baselines = baselines or {"bm25": (BM25Baseline(articles), None)}
    results = {}
    for label, (baseline, threshold) in others.items():
        at = 1.0 if threshold is None else threshold
        results[label] = evaluate(
            baseline, queries, answer_threshold=at, suggest_threshold=at, elsewhere=elsewhere
        )
        print(_row(label, results[label], tuned=threshold is not None))
    for label, result in results.items():
        print(_ratios(label, ours, result, tuned=others[label][1] is not None))
    bm25 = others.get("bm25")
    if bm25 and any(q.expected for q in queries) and not all(q.expected for q in queries):
        print(f"  bm25 {at_equal(bm25[0], queries, ours, elsewhere)}")
    print()


def _copy(article: Article, number: int) -> Article:
    """A renamed copy whose texts differ from the original's (so no text repeats)."""
    tag = f" copy{number}" if number else ""
    return Article(
        id=f"{article.id}~{number}",
        title={lang: text + tag for lang, text in article.title.items()},
        questions={lang: tuple(q + tag for q in qs) for lang, qs in article.questions.items()},
    )


def cut(articles: list[Article], keep: int) -> list[Article]:
    """The KB with only the first `keep` example questions of each article and language."""
    return [replace(a, questions={k: q[:keep] for k, q in a.questions.items()}) for a in articles]


def hold_out(articles: list[Article], lang: str) -> tuple[list[Article], list[LabelledQuery]]:
    """The KB without the last two `lang` example questions of each article, and those."""
    kept = [replace(a, questions=a.questions | {lang: a.questions[lang][:-2]}) for a in articles]
    held = [LabelledQuery(q, frozenset([a.id])) for a in articles for q in a.questions[lang][-2:]]
    return kept, held


def scale(articles: list[Article], queries: list[LabelledQuery], copies: int) -> None:
    """Build time, latency and memory on `copies` renamed copies of a KB (speed only, not
    quality), in a fresh process so its peak resident memory is the matcher's alone."""
    context = multiprocessing.get_context("spawn")
    child = context.Process(target=_scale, args=(articles, queries, copies))
    child.start()
    child.join()


def _scale(articles: list[Article], queries: list[LabelledQuery], copies: int) -> None:
    one_core()
    before = _resident_mb()
    big = [_copy(a, n) for n in range(copies) for a in articles]
    count = sum(len(q) for a in big for q in a.questions.values())
    started = time.perf_counter()
    matcher = Matcher(big)
    built = time.perf_counter() - started
    times = []
    for query in queries:
        started = time.perf_counter()
        matcher.match(query.text)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p50, p99 = times[len(times) // 2], times[int(len(times) * 0.99)]
    longest = LabelledQuery(" ".join(q.text for q in queries)[:MAX_INPUT_CHARS], frozenset())
    started = time.perf_counter()
    matcher.match(longest.text)
    long_ms = (time.perf_counter() - started) * 1000
    stall = asyncio.run(_loop_stall(matcher, [*queries, *[longest] * 20]))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # ru_maxrss survives exec, so the peak may be the parent's at fork: an upper bound.
    print(
        f"  scale: {len(big)} articles, {count} questions: build {built:.2f} s, "
        f"match p50 {p50:.2f} ms, p99 {p99:.2f} ms ({len(times)} questions, limit 5), "
        f"RSS {_resident_mb():.0f} MB after ({before:.0f} MB before the KB), peak ≤ {peak:.0f} MB; "
        f"a {len(longest.text)}-character question {long_ms:.1f} ms; the event loop's longest "
        f"stall while they (and it, 20 times) were matched in the background thread as the bot "
        f"does: {stall:.1f} ms",
        flush=True,
    )


async def _loop_stall(matcher: Matcher, queries: list[LabelledQuery]) -> float:
    """The longest the event loop waited beyond a 1 ms sleep while every question was matched
    in the background thread, one after another, on the same core, as the bot does (engine.py,
    offload.py)."""
    worst = 0.0

    async def ticker() -> None:
        nonlocal worst
        while True:
            started = time.perf_counter()
            await asyncio.sleep(0.001)
            worst = max(worst, (time.perf_counter() - started) * 1000 - 1)

    prefer_the_loop()
    offload = Offload()
    ticking = asyncio.create_task(ticker())
    for query in queries:
        await offload.run(matcher.match, query.text)
    ticking.cancel()
    offload.close()
    return worst


def _resident_mb() -> float:
    """This process's resident memory now (Linux), in MB."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def one_core() -> None:
    """Measure on one core, as the targets are stated (numpy's BLAS is capped in the
    environment before numpy loads, see the top of this file)."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def clinc150(kb: list[Article], folder: Path) -> None:
    """Quality on CLINC150: validation, test against the baselines tuned on validation, and
    validation on the KB cut to 10 and to 5 examples per article."""
    no_synonyms = Synonyms({})
    val, test = (load_queries(folder / f"{split}.jsonl") for split in ("queries_val", "queries"))
    run("clinc150 queries_val", kb, val, no_synonyms)
    # Baselines get their answer threshold tuned on validation, by the rule ours uses.
    fuzzy, bm25 = FuzzBaseline(kb), BM25Baseline(kb)
    tuned = {"rapidfuzz": (fuzzy, tune(fuzzy, val)), "bm25": (bm25, tune(bm25, val))}
    run("clinc150 queries (test)", kb, test, no_synonyms, baselines=tuned)
    for keep in (10, 5):  # hand-written KBs have few examples per article
        name = f"clinc150 queries_val, KB cut to {keep} per article"
        run(name, cut(kb, keep), val, no_synonyms)


def at_scale(kb: list[Article], folder: Path) -> None:
    """Speed and memory on CLINC150 copied once and 7 times, each in a fresh process."""
    sample = load_queries(folder / "queries_val.jsonl")[::3]
    print("== speed at scale (CLINC150 questions, copied)")
    for copies in (1, 7):
        scale(kb, sample, copies)
    print()


def demo() -> None:
    """The demo KB: its held-out, off-topic and unseen questions, and 2 examples per article
    held out."""
    folder = ROOT / "bench/demo"
    articles = load_articles(ROOT / "kb")
    synonyms = load_synonyms(ROOT / "kb/synonyms.yaml")
    for path in sorted(folder.glob("heldout-*.jsonl")):
        run(f"demo {path.stem}", articles, load_queries(path), synonyms)
    heldout = [q for path in sorted(folder.glob("*.jsonl")) for q in load_queries(path)]
    if heldout:
        run("demo all (held-out + off-topic)", articles, heldout, synonyms)
    for unseen in sorted((ROOT / "bench/unseen").glob("*.jsonl")):
        name = f"demo KB, unseen {unseen.stem} (never used to fit)"
        run(name, articles, load_queries(unseen), synonyms)
    offtopic = load_queries(folder / "offtopic.jsonl")
    for lang in ("ru", "en"):
        kept, held = hold_out(articles, lang)
        run(
            f"demo KB, 2 {lang} questions per article held out + off-topic",
            kept,
            held + offtopic,
            synonyms,
        )


def domains() -> None:
    """KBs of other domains, whole and cut: bench/domains/ (fitted on), bench/unseen/*/
    (never)."""
    no_synonyms = Synonyms({})
    for folder in ("domains", "unseen"):
        for domain in sorted(path for path in (ROOT / "bench" / folder).iterdir() if path.is_dir()):
            domain_kb = load_kb_jsonl(domain / "kb.jsonl")
            queries = load_queries(domain / "queries.jsonl")
            examples = sorted(len(q) for a in domain_kb for q in a.questions.values())
            # cut to 5 per article; a KB of 6 or fewer to 3, so the cut still takes half away
            for keep in (0, 5 if examples[len(examples) // 2] > 6 else 3):
                size = f", KB cut to {keep} per article" if keep else ""
                name = f"{folder}/{domain.name}{size}"
                run(name, cut(domain_kb, keep) if keep else domain_kb, queries, no_synonyms)


# The parts `--only` picks, in the order a whole run takes them; the first two need CLINC150.
PARTS = {
    "clinc": "CLINC150 validation and test, the baselines, the KB cut to 10 and 5",
    "scale": "speed and memory at scale: CLINC150 copied 1 and 7 times, in a fresh process",
    "demo": "the demo KB: held-out, off-topic and unseen questions, examples held out",
    "domains": "KBs of other domains (bench/domains/, bench/unseen/*/), whole and cut",
}


def _parser() -> argparse.ArgumentParser:
    parts = "\n".join(f"  {name:<8} {what}" for name, what in PARTS.items())
    parser = argparse.ArgumentParser(
        description="Matching quality and speed on every data set that is present.",
        epilog=f"parts:\n{parts}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--only",
        action="append",
        choices=PARTS,
        metavar="PART",
        help="run this part alone (again for more: --only clinc --only scale); default: all",
    )
    return parser


def main(argv: list[str] | None = None) -> None:
    """Run the parts asked for (all by default) on every data set that is present."""
    parts = _parser().parse_args(argv).only or list(PARTS)
    one_core()
    clinc = bench_data() / "clinc150"
    if "clinc" in parts or "scale" in parts:
        if clinc.is_dir():
            kb = load_kb_jsonl(clinc / "kb.jsonl")
            if "clinc" in parts:
                clinc150(kb, clinc)
            if "scale" in parts:
                at_scale(kb, clinc)
        else:
            print(f"no CLINC150 data at {clinc} (set HELPDESK_BENCH_DATA)")
    if "demo" in parts:
        demo()
    if "domains" in parts:
        domains()


if __name__ == "__main__":
    main()
