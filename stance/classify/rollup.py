"""Per-speaker roll-up of quote stances."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from stance.types import Quote, SpeakerStance

NEUTRAL_LABELS = ("neutral", "none")


def rollup_speakers(
    quotes: Sequence[Quote], neutral: Iterable[str] = NEUTRAL_LABELS
) -> list[SpeakerStance]:
    """One entry per speaker with at least one classified quote, most quotes first.

    A neutral quote states no stance, so when a speaker has any stance-bearing quote the
    overall label is the confidence-weighted vote among those quotes, and its confidence is
    the mean over them of the confidence given to that label (0 for quotes with another
    label). A speaker with only neutral quotes is neutral with their mean confidence.
    Evidence is the most confident quote carrying the overall label, so the quote shown
    always supports the verdict beside it.
    Quotes without a speaker or a stance are skipped.
    """
    neutral = set(neutral)
    by_speaker: dict[str, list[Quote]] = {}
    for quote in quotes:
        speaker = quote.speaker or quote.speaker_mention
        if speaker and quote.stance is not None:
            by_speaker.setdefault(speaker, []).append(quote)
    result = []
    for speaker, own in by_speaker.items():
        counts = Counter(q.stance.label for q in own)
        stanced = [q for q in own if q.stance.label not in neutral]
        pool = stanced or own
        weights: dict[str, float] = {}
        for q in pool:
            weights[q.stance.label] = weights.get(q.stance.label, 0.0) + q.stance.confidence
        label = max(weights, key=lambda name: (weights[name], counts[name]))
        evidence = max(
            (q for q in pool if q.stance.label == label), key=lambda q: q.stance.confidence
        )
        result.append(
            SpeakerStance(
                speaker=speaker,
                stance=label,
                confidence=weights[label] / len(pool),
                quotes=len(own),
                label_counts=dict(counts),
                evidence=evidence.text,
            )
        )
    result.sort(key=lambda s: -s.quotes)
    return result
