"""Learning curve of the default stance head (MiniLM quote + framed text, C=0.1).

The 5-fold GroupKFold cross-validation of ``stance.classify.evaluate`` on train+dev (the test
split is not read), with each fold's training part cut to a fraction of its articles (5 random
draws per fraction, seed 0). Prints mean ± std of fold macro-F1 per fraction; whether more
labelled quotes could carry the head to the issue's target is read off the slope.

    python scripts/stance_learning_curve.py
"""

from __future__ import annotations

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.preprocessing import StandardScaler

from stance.classify import load_labelset
from stance.classify.embed import encode, get_embedder
from stance.classify.evaluate import group_folds, load_labelled
from stance.classify.head import framed_text

FRACTIONS = (0.25, 0.5, 0.75, 1.0)
DRAWS = 5


def main() -> None:
    labels = load_labelset(None).names
    rows = [r for r in load_labelled() if r["split"] in ("train", "dev")]
    y = np.array([labels.index(r["label"]) for r in rows])
    docs = np.array([r["doc"] for r in rows])
    folds = [np.array(held) for held in group_folds(rows, 5)]
    embedder = get_embedder()
    x = np.hstack([
        encode([r["text"] for r in rows], embedder),
        encode([framed_text(r) for r in rows], embedder),
    ])
    rng = np.random.default_rng(0)
    for fraction in FRACTIONS:
        scores = []
        for _ in range(DRAWS if fraction < 1 else 1):
            for held in folds:
                train = np.setdiff1d(np.arange(len(rows)), held)
                articles = np.unique(docs[train])
                kept = rng.choice(articles, max(2, round(fraction * len(articles))), replace=False)
                train = train[np.isin(docs[train], kept)]
                scaler = StandardScaler().fit(x[train])
                model = LogisticRegression(C=0.1, class_weight="balanced", max_iter=5000)
                model.fit(scaler.transform(x[train]), y[train])
                predicted = model.predict(scaler.transform(x[held]))
                scores.append(f1_score(y[held], predicted, average="macro"))
        quotes = round(fraction * len(rows) * 0.8)
        print(f"{fraction:.2f} of training articles (~{quotes} quotes): "
              f"{np.mean(scores):.3f} ± {np.std(scores):.3f}", flush=True)


if __name__ == "__main__":
    main()
