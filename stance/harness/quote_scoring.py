"""Quote extraction scoring on the Gender Gap Tracker (GGT) set, PolNeAR dev and the project's
held-out annotations of FRANK CNN/DM articles (``eval/data/quotes-heldout/``).

Run ``python -m stance.harness.quote_scoring ggt`` (or ``polnear-dev``, ``frank-heldout``,
``frank-heldout-b`` … ``frank-heldout-e``, ``polnear-heldout``, ``polnear-heldout-f`` … ``-j``; add
``--no-nlp`` for the rule-only path, ``--half even|odd`` for one half of the articles,
``--out FILE`` to choose where the JSON goes).

Span normalisation (all datasets): the gold span is trimmed of whitespace, outer quotation
marks, a trailing comma and a leading ``that`` -- the project's format, which keeps the text
between the marks only. Predictions are scored as produced.

Matching: within one article, a gold span g and a predicted span p *can match* at threshold t
when their character overlap is at least t * len(g) AND at least t * len(p) (the GGT overlap
convention read in both directions, so a long prediction cannot swallow a short gold quote).
Pairs are then matched one-to-one greedily: all candidate pairs are sorted by
min(overlap/len(g), overlap/len(p)) descending (ties: earlier gold, then earlier prediction)
and taken while both sides are free. Precision = matches / predictions, recall = matches /
gold. Gold spans with several segments (PolNeAR) count the characters of all segments.

PolNeAR's unit is the attribution relation: a quote interrupted by its own attribution
(``"A," he said. "B."``) is one gold item with two content segments, where GGT has two quotes.
For PolNeAR, predicted parts that continue the part before them across its attribution are
merged into one prediction with several segments first (``as_relations``); the other
datasets score the extractor's records as they are.

Scores are given for all quotes and for quotes with quotation marks (gold: ``has_quote_marks``;
predictions: kind ``direct`` or ``mixed``), each at t = 0.3 and t = 0.8.

Speaker accuracy is computed on the pairs matched at t = 0.3 (for gold names also per type of
the gold mention: name, pronoun, description such as ``the minister``, or none -- floating):
- GGT and the held-out set: the predicted name agrees with the gold name under alias
  matching: both sides are lower-cased, accents, titles (``Gen.``, ``Dr.``), determiners,
  possessives and punctuation removed; they agree when equal, when one's tokens are a subset
  of the other's (``Milley`` ~ ``Mark Milley``), or when their last tokens (surnames) are
  equal. ``speaker_accuracy_strict`` also refuses two full names that share only the
  surname (``Frank Jordan`` for ``Louis Jordan``: a relative, not an alias).
- PolNeAR (no names, only mention spans): the predicted mention span overlaps the gold
  ``Source`` span by at least one character (``source_overlap``), and exactly
  (``source_exact``); pairs whose gold relation has no Source are left out.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stance.errors import DatasetError
from stance.harness.tasks import benchmarks_root
from stance.text.speakers import TITLE_WORDS
from stance.types import Article

# The project's own blind annotations (offsets only; texts are read from the benchmarks
# folder): FRANK CNN/DM articles labelled in turn (sets A to D have since been used to develop
# rules; set E is kept untouched), and PolNeAR dev articles labelled with speaker names (set P,
# tuned on since session 5; sets F and G, from all seven outlets, untouched).
_HELDOUT_DIR = Path(__file__).resolve().parents[2] / "eval" / "data" / "quotes-heldout"
HELDOUT_FILES = {
    "frank-heldout": _HELDOUT_DIR / "frank-quotes.jsonl",
    "frank-heldout-b": _HELDOUT_DIR / "frank-quotes-b.jsonl",
    "frank-heldout-c": _HELDOUT_DIR / "frank-quotes-c.jsonl",
    "frank-heldout-d": _HELDOUT_DIR / "frank-quotes-d.jsonl",
    "frank-heldout-e": _HELDOUT_DIR / "frank-quotes-e.jsonl",
    "polnear-heldout": _HELDOUT_DIR / "polnear-quotes.jsonl",
    "polnear-heldout-f": _HELDOUT_DIR / "polnear-quotes-f.jsonl",
    "polnear-heldout-g": _HELDOUT_DIR / "polnear-quotes-g.jsonl",
    "polnear-heldout-h": _HELDOUT_DIR / "polnear-quotes-h.jsonl",
    "polnear-heldout-i": _HELDOUT_DIR / "polnear-quotes-i.jsonl",
    "polnear-heldout-j": _HELDOUT_DIR / "polnear-quotes-j.jsonl",
    "polnear-heldout-k": _HELDOUT_DIR / "polnear-quotes-k.jsonl",
    "polnear-heldout-l": _HELDOUT_DIR / "polnear-quotes-l.jsonl",
    "polnear-heldout-m": _HELDOUT_DIR / "polnear-quotes-m.jsonl",
}
DATASETS = ("ggt", "polnear-dev", *HELDOUT_FILES)
THRESHOLDS = (0.3, 0.8)
_MARKS = "\"“”«»„'‘’"


@dataclass
class GoldQuote:
    segments: list[tuple[int, int]]
    has_marks: bool
    speaker: str | None = None
    source: tuple[int, int] | None = None
    mention: str | None = None  # GGT surface mention; None for a floating quote


@dataclass
class GoldDoc:
    doc: str
    text: str
    quotes: list[GoldQuote] = field(default_factory=list)
    # "relation" (PolNeAR): a quote interrupted by its attribution is one gold item
    unit: str = "quote"


@dataclass
class Relation:
    """Predicted quote parts that one attribution introduces, scored as one PolNeAR relation."""

    segments: list[tuple[int, int]]
    speaker: str | None
    mention_start: int | None
    mention_end: int | None
    kind: str


def as_relations(predicted: list[Any], text: str) -> list[Relation]:
    """Merge each quote part that continues the one before it across that one's attribution.

    ``"We will win," Lee said. "And soon."``: the second part has no attribution of its own,
    the same speaker, the first part's attribution lies between the two, and no paragraph
    break does. GGT counts such parts as two quotes; PolNeAR as one relation with a
    discontinuous content span.
    """
    relations: list[Relation] = []
    previous = None
    for p in sorted(predicted, key=lambda q: q.start):
        continues = (
            previous is not None and relations
            and p.kind == "direct" and previous.kind != "indirect"
            and p.speaker_mention is None and p.speaker is not None
            and p.speaker == previous.speaker
            and previous.mention_start is not None and previous.mention_end is not None
            and previous.end <= previous.mention_start and previous.mention_end <= p.start
            and "\n" not in text[previous.end:p.start]
        )
        if continues:
            relations[-1].segments.append((p.start, p.end))
        else:
            relations.append(Relation([(p.start, p.end)], p.speaker, p.mention_start,
                                      p.mention_end, p.kind))
            previous = p
    return relations


def normalise_span(text: str, s: int, e: int) -> tuple[int, int]:
    """Trim whitespace, outer quotation marks, a trailing comma and a leading ``that``."""
    for _ in range(3):
        while s < e and (text[s].isspace() or text[s] in _MARKS):
            s += 1
        while e > s and (text[e - 1].isspace() or text[e - 1] in _MARKS + ","):
            e -= 1
        if text[s:s + 5].lower() == "that " and e - s > 5:
            s += 5
    return s, e


def _ggt_dir(root: Path | None = None) -> Path:
    return benchmarks_root(root) / "quotes" / "gender-gap-tracker"


def _polnear_gold(root: Path | None = None, split: str = "dev") -> Path:
    return benchmarks_root(root) / "quotes" / "polnear" / "derived" / f"polnear_{split}.jsonl"


def _reads_polnear(annotations: Path) -> bool:
    """Whether a held-out label file labels PolNeAR dev texts (else FRANK's)."""
    return annotations.name.startswith("polnear")


def dataset_files(name: str, root: Path | None = None) -> list[Path]:
    """The files one of ``DATASETS`` is read from: its gold labels first, then the texts."""
    from stance.summarize.evaluate import FRANK_FILE

    if name == "ggt":
        base = _ggt_dir(root)
        return [base / "derived" / "ggt_quotes.jsonl",
                *sorted((base / "original" / "rawtext").glob("*.txt"))]
    if name == "polnear-dev":
        return [_polnear_gold(root), *sorted(polnear_text_dir(root).glob("*.txt"))]
    if name in HELDOUT_FILES:
        gold = HELDOUT_FILES[name]
        if _reads_polnear(gold):
            return [gold, *sorted(polnear_text_dir(root).glob("*.txt"))]
        return [gold, benchmarks_root(root) / FRANK_FILE]
    raise DatasetError(f"unknown quote dataset {name!r}; choose one of {DATASETS}")


def load_ggt(root: Path | None = None) -> list[GoldDoc]:
    base = _ggt_dir(root)
    path = base / "derived" / "ggt_quotes.jsonl"
    if not path.exists():
        raise DatasetError(f"GGT data not found at {path}; set STANCE_BENCHMARKS to its root")
    docs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        text = (base / "original" / row["text_file"]).read_text(encoding="utf-8")
        gold = GoldDoc(row["id"], text)
        for q in row["quotes"]:
            if not q.get("quote_span"):
                continue
            s, e = normalise_span(text, *q["quote_span"])
            if e > s:
                gold.quotes.append(
                    GoldQuote(
                        [(s, e)], bool(q["has_quote_marks"]), q["speaker_reference"],
                        mention=q.get("speaker_mention") or None,
                    )
                )
        docs.append(gold)
    return docs


def polnear_text_dir(root: Path | None = None, split: str = "dev") -> Path:
    """The folder of PolNeAR article texts of one split."""
    return benchmarks_root(root) / "quotes" / "polnear" / "data" / split / "text"


def load_polnear(root: Path | None = None, split: str = "dev") -> list[GoldDoc]:
    """PolNeAR relations, one annotator per article (the lexicographically smallest id)."""
    path = _polnear_gold(root, split)
    if not path.exists():
        raise DatasetError(f"PolNeAR data not found at {path}; set STANCE_BENCHMARKS to its root")
    rows = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    chosen: dict[str, str] = {}
    for r in rows:
        a = r["article"]
        chosen[a] = min(chosen.get(a, r["annotator"]), r["annotator"])
    docs: dict[str, GoldDoc] = {}
    for a in sorted(chosen):
        text = (polnear_text_dir(root, split) / f"{a}.txt").read_text(encoding="utf-8")
        docs[a] = GoldDoc(a, text, unit="relation")
    for r in rows:
        if r["annotator"] != chosen[r["article"]]:
            continue
        text = docs[r["article"]].text
        segs = [normalise_span(text, s, e) for s, e in r["content"]["segments"]]
        segs = [(s, e) for s, e in segs if e > s]
        if not segs:
            continue
        src = r.get("source")
        source = None
        if src:
            source = (src["segments"][0][0], src["segments"][-1][1])
        docs[r["article"]].quotes.append(GoldQuote(segs, bool(r["has_quote_marks"]), None, source))
    return list(docs.values())


def span_digest(span: str) -> str:
    """A short fingerprint of a labelled span: the held-out files check their offsets
    against the benchmark texts with it instead of storing the publisher's words."""
    return hashlib.sha1(span.encode("utf-8")).hexdigest()[:12]


def load_heldout(
    root: Path | None = None, annotations: Path = HELDOUT_FILES["frank-heldout"]
) -> list[GoldDoc]:
    """The project's held-out quote annotations (set A by default), in annotation order; the
    texts are FRANK's articles, or PolNeAR dev's for ``polnear-quotes*.jsonl``."""
    from stance.summarize.evaluate import load_frank

    if not annotations.exists():
        raise DatasetError(f"held-out annotations not found at {annotations}")
    if _reads_polnear(annotations):
        texts = {path.stem: path.read_text(encoding="utf-8")
                 for path in sorted(polnear_text_dir(root).glob("*.txt"))}
    else:
        texts = {row["id"]: row["article"] for row in load_frank(root)}
    docs: dict[str, GoldDoc] = {}
    for number, line in enumerate(annotations.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        text = texts.get(row["article_id"])
        if text is None or not 0 <= row["start"] < row["end"] <= len(text):
            raise DatasetError(f"{annotations}:{number}: no such article or span")
        if span_digest(text[row["start"]:row["end"]]) != row["span_sha1"]:
            raise DatasetError(
                f"{annotations}:{number}: the span no longer matches its label (span_sha1); "
                "the article text in the benchmarks folder differs from the one labelled")
        m_s, m_e = row["mention_start"], row["mention_end"]
        if m_s is not None and not 0 <= m_s < m_e <= len(text):
            raise DatasetError(f"{annotations}:{number}: mention outside its article")
        doc = docs.setdefault(row["article_id"], GoldDoc(row["article_id"], text))
        s, e = normalise_span(text, row["start"], row["end"])
        # the mention is stored as offsets and read from the article, like the span
        mention = text[m_s:m_e] if m_s is not None else None
        doc.quotes.append(GoldQuote([(s, e)], bool(row["has_marks"]), row["speaker"],
                                    mention=mention))
    return list(docs.values())


def load_dataset(name: str, root: Path | None = None) -> list[GoldDoc]:
    """The gold articles of one of ``DATASETS``."""
    if name == "ggt":
        return load_ggt(root)
    if name == "polnear-dev":
        return load_polnear(root, "dev")
    if name in HELDOUT_FILES:
        return load_heldout(root, HELDOUT_FILES[name])
    raise DatasetError(f"unknown quote dataset {name!r}; choose one of {DATASETS}")


def _overlap(segs: list[tuple[int, int]], s: int, e: int) -> int:
    return sum(max(0, min(b, e) - max(a, s)) for a, b in segs)


def segments_of(prediction: Any) -> list[tuple[int, int]]:
    """A prediction's character spans: a ``Relation``'s segments, else its one span."""
    segments = getattr(prediction, "segments", None)
    return segments if segments is not None else [(prediction.start, prediction.end)]


def match(gold: list[GoldQuote], pred: list[Any], t: float) -> list[tuple[int, int]]:
    """One-to-one greedy matching (see module docstring); returns (gold_i, pred_j) pairs."""
    pairs = []
    for i, g in enumerate(gold):
        glen = sum(b - a for a, b in g.segments)
        for j, p in enumerate(pred):
            ov = sum(_overlap(g.segments, s, e) for s, e in segments_of(p))
            plen = sum(e - s for s, e in segments_of(p))
            if ov and ov >= t * glen and ov >= t * plen:
                pairs.append((-min(ov / glen, ov / plen), i, j))
    pairs.sort()
    used_g: set[int] = set()
    used_p: set[int] = set()
    out = []
    for _, i, j in pairs:
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            out.append((i, j))
    return out


def _norm_name(name: str | None) -> list[str]:
    """Lower-cased, accent-free tokens without titles, determiners and possessives.

    A name made only of such words (``the officials``) keeps them, minus determiners.
    """
    if not name:
        return []
    name = unicodedata.normalize("NFKD", name)
    name = "".join(c for c in name if not unicodedata.combining(c)).lower()
    name = name.replace("’s", "").replace("'s", "")
    toks = ["".join(c for c in t if c.isalnum() or c == "-") for t in name.split()]
    dets = {"the", "a", "an", "his", "her", "their", "its"}
    toks = [t for t in toks if t and t not in dets]
    kept = [t for t in toks if t not in TITLE_WORDS and t + "." not in TITLE_WORDS]
    return kept or toks


def names_agree(pred: str | None, gold: str | None, strict: bool = False) -> bool:
    """Alias match: equal, token subset, or same last token after normalisation (the GGT
    README's "compare on surname"). ``strict`` refuses two full names that share only the
    surname ("Frank Jordan" for "Louis Jordan": a relative, not an alias)."""
    p, g = _norm_name(pred), _norm_name(gold)
    if not p or not g:
        return False
    if p == g or set(p) <= set(g) or set(g) <= set(p):
        return True
    return p[-1] == g[-1] and not (strict and len(p) > 1 and len(g) > 1)


_PRONOUNS = {"he", "him", "his", "she", "her", "they", "them", "it", "we", "i"}
_DETERMINERS = {"the", "a", "an", "his", "her", "their", "its", "my", "our", "this", "these"}


def mention_type(mention: str | None) -> str:
    """``floating`` (no mention), ``pronoun``, ``name`` or ``description`` (``the minister``)."""
    if not mention:
        return "floating"
    first = mention.split()[0].lower()
    if mention.lower() in _PRONOUNS:
        return "pronoun"
    if mention[:1].isupper() and first not in _DETERMINERS:
        return "name"
    return "description"


def _prf(matched: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = matched / n_pred if n_pred else 0.0
    r = matched / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(100 * p, 1), "recall": round(100 * r, 1), "f1": round(100 * f, 1)}


def evaluate_quotes(
    dataset: str, root: Path | None = None, use_nlp: bool = True, half: str | None = None
) -> dict:
    """Score ``extract_quotes`` on ``dataset`` (one of ``DATASETS``).

    ``half`` (``even`` or ``odd``) keeps only the articles at even or odd positions, for
    tuning on one half and checking the other.
    """
    from stance.text.quotes import extract_quotes

    docs = load_dataset(dataset, root)
    if half is not None:
        docs = docs[0 if half == "even" else 1::2]
    nlp = None
    if use_nlp:
        from stance.text.nlp import load_nlp

        nlp = load_nlp()
    counts: dict[str, dict[str, int]] = {}
    spk_ok = spk_n = exact_ok = strict_ok = 0
    by_type: dict[str, list[int]] = {}
    started = time.perf_counter()
    chars = 0
    for d in docs:
        chars += len(d.text)
        preds = extract_quotes(Article(d.doc, d.text), nlp=nlp, use_nlp=use_nlp)
        if d.unit == "relation":
            preds = as_relations(preds, d.text)
        for subset in ("all", "marked"):
            gold = d.quotes if subset == "all" else [g for g in d.quotes if g.has_marks]
            pred = preds if subset == "all" else [p for p in preds if p.kind != "indirect"]
            for t in THRESHOLDS:
                key = f"{subset}@{t}"
                c = counts.setdefault(key, {"matched": 0, "pred": 0, "gold": 0})
                pairs = match(gold, pred, t)
                c["matched"] += len(pairs)
                c["pred"] += len(pred)
                c["gold"] += len(gold)
                if subset != "all" or t != 0.3:
                    continue
                for i, j in pairs:
                    g, p = gold[i], pred[j]
                    if g.speaker is not None:  # GGT-style gold names
                        ok = names_agree(p.speaker, g.speaker)
                        spk_n += 1
                        spk_ok += ok
                        strict_ok += names_agree(p.speaker, g.speaker, strict=True)
                        tally = by_type.setdefault(mention_type(g.mention), [0, 0])
                        tally[0] += ok
                        tally[1] += 1
                    elif g.source is not None:
                        spk_n += 1
                        ms, me = p.mention_start, p.mention_end
                        if ms is not None and me is not None:
                            spk_ok += _overlap([g.source], ms, me) > 0
                            exact_ok += (ms, me) == g.source
    elapsed = time.perf_counter() - started
    result: dict[str, Any] = {
        "dataset": dataset,
        "command": f"python -m stance.harness.quote_scoring {dataset}"
        + ("" if use_nlp else " --no-nlp")
        + (f" --half {half}" if half else ""),
        "use_nlp": use_nlp,
        "articles": len(docs),
        "half": half,
        "matching": "one-to-one greedy; overlap >= t*len(gold) and >= t*len(pred)",
        "scores": {k: {**_prf(v["matched"], v["pred"], v["gold"]), **v} for k, v in counts.items()},
        "seconds": round(elapsed, 2),
        "chars_per_second": round(chars / elapsed) if elapsed else None,
    }
    acc = round(100 * spk_ok / spk_n, 1) if spk_n else 0.0
    if dataset != "polnear-dev":
        result["speaker_accuracy"] = {"accuracy": acc, "correct": spk_ok, "matched": spk_n}
        result["speaker_accuracy_strict"] = {
            "accuracy": round(100 * strict_ok / spk_n, 1) if spk_n else 0.0,
            "correct": strict_ok, "matched": spk_n,
            "rule": "as speaker_accuracy, but two full names sharing only the surname differ",
        }
        result["speaker_accuracy_by_gold_mention"] = {
            t: {"accuracy": round(100 * ok / n, 1), "correct": ok, "matched": n}
            for t, (ok, n) in sorted(by_type.items())
        }
    else:
        result["source_mention"] = {
            "overlap_accuracy": acc,
            "exact_accuracy": round(100 * exact_ok / spk_n, 1) if spk_n else 0.0,
            "matched_with_source": spk_n,
        }
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m stance.harness.quote_scoring")
    parser.add_argument("dataset", choices=DATASETS)
    parser.add_argument("--no-nlp", action="store_true", help="rule layer only (no spaCy)")
    parser.add_argument("--root", type=Path, default=None, help="benchmarks root")
    parser.add_argument(
        "--half", choices=("even", "odd"), default=None, help="only even/odd-indexed articles"
    )
    parser.add_argument("--out", type=Path, default=None, help="write the JSON here")
    args = parser.parse_args(argv)
    result = evaluate_quotes(args.dataset, args.root, use_nlp=not args.no_nlp, half=args.half)
    text = json.dumps(result, indent=2)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")
    sys.stdout.write(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
