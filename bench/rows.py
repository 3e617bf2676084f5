"""Top-1 of our matcher and BM25 row by row, for trying a ranking change (`bench/fit.py` says
how choices are made: on the fit sets' rows, then the unseen ones read once, to report).

    .venv/bin/python bench/rows.py                 # the fit sets' 17 rows
    .venv/bin/python bench/rows.py --unseen        # bench/unseen/*/: whole, cut, 2 held out
    .venv/bin/python bench/rows.py --classifier 0.75,0.5,0.3   # ours at several weights

Rows of the fit sets: CLINC150 `queries_val.jsonl` against its KB and the KB cut to 10
examples per article, the demo KB's held-out and off-topic questions (IT articles only, as
`fit.py` reads it) and with 2 Russian, resp. English, examples per article held out, and each
domain of `bench/domains/` whole, cut (to 5, or 3 for a KB of 6 or fewer) and with its last 2
examples per article held out and asked. Top-1 counts the questions with an article only.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from run import BM25Baseline, SupportsMatch, bench_data, cut, hold_out  # noqa: E402

import bot.knowledge.matcher as matcher_module  # noqa: E402
from bot.knowledge.article import Article  # noqa: E402
from bot.knowledge.jsonl import LabelledQuery, load_kb_jsonl, load_queries  # noqa: E402
from bot.knowledge.loader import load_articles  # noqa: E402
from bot.knowledge.matcher import Matcher  # noqa: E402
from bot.knowledge.synonyms import Synonyms, load_synonyms  # noqa: E402

Row = tuple[str, list[Article], list[LabelledQuery], Synonyms | None]


def fit_rows() -> Iterator[Row]:
    clinc = bench_data() / "clinc150"
    kb, val = load_kb_jsonl(clinc / "kb.jsonl"), load_queries(clinc / "queries_val.jsonl")
    yield "clinc150 val", kb, val, None
    yield "clinc150 val, cut to 10", cut(kb, 10), val, None
    folder = ROOT / "bench/demo"
    demo = [q for path in sorted(folder.glob("*.jsonl")) for q in load_queries(path)]
    articles = [a for a in load_articles(ROOT / "kb") if not a.elsewhere]
    synonyms = load_synonyms(ROOT / "kb/synonyms.yaml")
    yield "demo held-out", articles, demo, synonyms
    offtopic = load_queries(folder / "offtopic.jsonl")
    for lang in ("ru", "en"):
        kept, held = hold_out(articles, lang)
        yield f"demo, 2 {lang} held out", kept, held + offtopic, synonyms
    yield from domain_rows(ROOT / "bench/domains")


def domain_rows(folder: Path) -> Iterator[Row]:
    for domain in sorted(path for path in folder.iterdir() if path.is_dir()):
        kb, queries = load_kb_jsonl(domain / "kb.jsonl"), load_queries(domain / "queries.jsonl")
        examples = sorted(len(q) for a in kb for q in a.questions.values())
        keep = 5 if examples[len(examples) // 2] > 6 else 3
        yield domain.name, kb, queries, None
        yield f"{domain.name}, cut to {keep}", cut(kb, keep), queries, None
        kept, held = hold_out(kb, next(iter(kb[0].questions)))
        yield f"{domain.name}, 2 held out", kept, held, None


def top1(matcher: SupportsMatch, queries: list[LabelledQuery]) -> float:
    asked = [q for q in queries if q.expected]
    hits = []
    for query in asked:
        found = matcher.match(query.text, limit=1)
        hits.append(bool(found) and found[0].article_id in query.expected)
    return float(np.mean(hits))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--unseen", action="store_true", help="bench/unseen/*/ instead")
    parser.add_argument("--classifier", default="", help="weights to try, comma-separated")
    args = parser.parse_args()
    weights = [float(w) for w in args.classifier.split(",") if w]
    shipped = matcher_module._W_CLASSIFIER
    rows = domain_rows(ROOT / "bench/unseen") if args.unseen else fit_rows()
    table = []
    for name, kb, queries, synonyms in rows:
        ours, matcher = [], Matcher(kb, synonyms=synonyms)  # the weight is read when ranking
        for weight in weights or [shipped]:
            matcher_module._W_CLASSIFIER = weight
            ours.append(top1(matcher, queries))
        matcher_module._W_CLASSIFIER = shipped
        figures = [*ours, top1(BM25Baseline(kb), queries)]
        table.append(figures)
        print(f"{name:28s}" + " ".join(f"{x:.3f}" for x in figures), flush=True)
    means = np.mean(np.array(table), axis=0)
    print(f"{'mean (ours…, BM25)':28s}" + " ".join(f"{x:.4f}" for x in means))


if __name__ == "__main__":
    main()
