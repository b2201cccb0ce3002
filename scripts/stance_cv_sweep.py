"""Cross-validated sweep of cheap stance classifiers on train+dev (the test split is not read).

5-fold GroupKFold by article, the folds of ``stance.classify.evaluate``. Each line is the
mean ± std of fold macro-F1. Covers the MiniLM-embedding heads (feature blocks x C), TF-IDF
word / char n-grams, their probability average, and smoothing a quote's scores with its
speaker's other quotes in the same article. Results: eval/results/stance-notes.md.

    python scripts/stance_cv_sweep.py
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.preprocessing import StandardScaler

from stance.classify import load_labelset
from stance.classify.embed import encode, get_embedder
from stance.classify.evaluate import group_folds, load_labelled
from stance.classify.head import framed_text, label_prototypes

Fit = Callable[[np.ndarray, np.ndarray], np.ndarray]  # (train rows, held rows) -> probabilities


def main() -> None:
    labels = load_labelset(None).names
    rows = [r for r in load_labelled() if r["split"] in ("train", "dev")]
    y = np.array([labels.index(r["label"]) for r in rows])
    folds = [np.array(held) for held in group_folds(rows, 5)]

    def out_of_fold(fit: Fit) -> np.ndarray:
        probs = np.zeros((len(rows), len(labels)))
        for held in folds:
            train = np.setdiff1d(np.arange(len(rows)), held)
            probs[held] = fit(train, held)
        return probs

    def report(name: str, probs: np.ndarray) -> None:
        scores = [f1_score(y[h], probs[h].argmax(1), average="macro") for h in folds]
        print(f"{name:<48} {np.mean(scores):.3f} ± {np.std(scores):.3f}", flush=True)

    def logistic(x: np.ndarray, c: float) -> Fit:
        def fit(train: np.ndarray, held: np.ndarray) -> np.ndarray:
            scaler = StandardScaler().fit(x[train])
            model = LogisticRegression(C=c, class_weight="balanced", max_iter=5000)
            model.fit(scaler.transform(x[train]), y[train])
            return model.predict_proba(scaler.transform(x[held]))
        return fit

    def tfidf(analyzer: str, ngrams: tuple[int, int], c: float) -> Fit:
        texts = [r["text"] for r in rows]

        def fit(train: np.ndarray, held: np.ndarray) -> np.ndarray:
            vectorizer = TfidfVectorizer(analyzer=analyzer, ngram_range=ngrams, min_df=2,
                                         sublinear_tf=True)
            x_train = vectorizer.fit_transform([texts[i] for i in train])
            model = LogisticRegression(C=c, class_weight="balanced", max_iter=5000)
            model.fit(x_train, y[train])
            return model.predict_proba(vectorizer.transform([texts[i] for i in held]))
        return fit

    def speaker_smoothed(probs: np.ndarray, weight: float) -> np.ndarray:
        """Mix each quote's scores with the mean of its speaker's other quotes in the article."""
        by_speaker = defaultdict(list)
        for i, r in enumerate(rows):
            by_speaker[(r["doc"], r["speaker"])].append(i)
        smoothed = probs.copy()
        for members in by_speaker.values():
            if len(members) > 1:
                total = probs[members].sum(axis=0)
                for i in members:
                    others = (total - probs[i]) / (len(members) - 1)
                    smoothed[i] = (probs[i] + weight * others) / (1 + weight)
        return smoothed

    embedder = get_embedder()
    quote = encode([r["text"] for r in rows], embedder)
    framed = encode([framed_text(r) for r in rows], embedder)
    context = encode([r["context"] or r["text"] for r in rows], embedder)
    similarities = quote @ label_prototypes(load_labelset(None), embedder).T
    blocks = {
        "quote": quote,
        "quote+labels": np.hstack([quote, similarities]),
        "framed": framed,
        "quote+framed": np.hstack([quote, framed]),
        "framed+context": np.hstack([framed, context]),
    }
    for name, x in blocks.items():
        for c in (0.01, 0.03, 0.1, 0.3):
            report(f"head {name} C={c}", out_of_fold(logistic(x, c)))
    best = out_of_fold(logistic(blocks["quote+framed"], 0.1))
    for weight in (0.5, 1.0, 2.0):
        report(f"head quote+framed C=0.1, speaker smoothing w={weight}",
               speaker_smoothed(best, weight))
    for analyzer, ngrams in (("word", (1, 2)), ("char_wb", (2, 5))):
        for c in (1.0, 10.0):
            lexical = out_of_fold(tfidf(analyzer, ngrams, c))
            report(f"tfidf {analyzer} {ngrams} C={c}", lexical)
            report("  averaged 1:3 with head quote+framed C=0.1", (lexical + 3 * best) / 4)


if __name__ == "__main__":
    main()
