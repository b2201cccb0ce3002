"""Speaker attribution: name inventory, title stripping and mention resolution.

A mention (``Gen. Mark Milley``, ``Milley``, ``he``, ``the ministry``) resolves to the
fullest name the article gives for that speaker. Pronouns go to the most recent
compatible speaker or sentence-subject person; gender comes from honorifics and is
learnt from earlier unambiguous pronoun use.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any

PRONOUNS = {
    "he": "m", "him": "m", "she": "f", "her": "f", "they": "p", "them": "p",
    "it": "n", "we": "p", "i": "s",
}
DETERMINERS = {"the", "a", "an", "his", "her", "their", "its", "our", "this", "that", "these"}
HONORIFIC_GENDER = {
    "mr": "m", "mr.": "m", "mrs": "f", "mrs.": "f", "ms": "f", "ms.": "f", "miss": "f",
    "sir": "m", "lady": "f", "madam": "f", "king": "m", "queen": "f", "prince": "m",
    "princess": "f", "father": "m", "sister": "f", "brother": "m",
}
# Words that are part of a role or title, never of a personal name.
TITLE_WORDS = set(
    """mr mrs ms miss dr prof professor gen general lt lieutenant col colonel maj major capt
    captain cpl corporal sgt sergeant adm admiral cmdr commander gov governor sen senator rep
    representative rev reverend hon honourable honorable sir lady dame lord president
    vice premier prime minister secretary undersecretary under deputy assistant associate
    chairman chairwoman chair chairperson ceo cfo coo cto chief director executive head coach
    manager mayor councillor councilor commissioner superintendent inspector constable const
    officer detective det sheriff judge justice attorney prosecutor ambassador envoy
    spokesperson spokesman spokeswoman leader speaker mp mpp mla mna founder co-founder
    cofounder owner president-elect editor analyst economist pope bishop cardinal king queen
    prince princess pastor father sister brother coroner chancellor dean provost principal
    trustee treasurer auditor ombudsman registrar minister-designate general-designate
    interim acting former late defence defense state foreign finance justice interior
    health public safety affairs political economic military national federal provincial
    opposition house senate majority minority whip critic dr. mr. mrs. ms. gen. sen. rep.
    gov. lt. col. maj. capt. sgt. adm. rev. hon. prof. det. const. cpl. supt. insp. st.
    officials official staff board council""".split()
)
CONNECTORS = {"of", "for", "the", "and", "on", "at", "to"}
NAME_PARTICLES = {"de", "van", "von", "der", "den", "da", "di", "du", "la", "le", "bin", "al"}
_CAP_RUN = re.compile(
    r"(?:[A-Z][\w’'\-]*\.?|[A-Z]\.)(?:[ \t]+(?:(?:of|for|de|van|von|der|da|du|la|le|al)[ \t]+)?"
    r"(?:[A-Z][\w’'\-]*\.?|[A-Z]\.))*"
)
_POSSESSIVE = re.compile(r"[’']s?$")


def clean_name(mention: str) -> str:
    """Strip determiners, titles, roles and possessives: ``Gen. Mark Milley`` -> ``Mark Milley``."""
    tokens = mention.replace("\n", " ").split()
    if not tokens:
        return ""
    tokens[-1] = _POSSESSIVE.sub("", tokens[-1]) or tokens[-1]
    if tokens[0].lower() in DETERMINERS or not tokens[0][:1].isupper():
        return " ".join(tokens).strip(" ,.;:")
    cut = 0
    after_connector = False
    for k, tok in enumerate(tokens[:-1]):
        low = tok.lower().rstrip(",")
        if low in TITLE_WORDS or low.rstrip(".") in TITLE_WORDS:
            cut = k + 1
            after_connector = False
        elif low in CONNECTORS and k >= cut - 1 and cut > 0:
            cut = k + 1
            after_connector = True
        elif not tok[:1].isupper() and low not in NAME_PARTICLES:
            cut = k + 1
    rest = tokens[cut:]
    if after_connector and len(rest) > 2:
        keep = 3 if len(rest) >= 3 and re.fullmatch(r"[A-Z]\.", rest[-2]) else 2
        rest = rest[-keep:]
    name = " ".join(rest).strip(" ,.;:")
    return name or " ".join(tokens).strip(" ,.;:")


@dataclass
class Entity:
    name: str
    kind: str = "unknown"  # person, org, unknown
    gender: str | None = None


@dataclass
class SpeakerResolver:
    """Resolves mentions in document order; keeps the history needed for pronouns."""

    text: str
    names: list[tuple[int, str, str]] = field(default_factory=list)  # (pos, name, kind)
    entities: dict[str, Entity] = field(default_factory=dict)
    subjects: list[tuple[int, str]] = field(default_factory=list)  # (pos, name)
    last_speaker: str | None = None

    @classmethod
    def build(cls, text: str, doc: Any = None, sentences: list[tuple[int, int]] = ()) -> SpeakerResolver:
        res = cls(text)
        starts = sorted(s for s, _ in sentences)
        start_set = set(starts)

        def at_start(pos: int) -> bool:
            k = bisect.bisect_right(starts, pos) - 1
            if k < 0:
                return False
            prefix = text[starts[k]:pos].split()
            return len(prefix) <= 4 and all(t[:1].isupper() for t in prefix)

        if doc is not None:
            for ent in doc.ents:
                if ent.label_ in ("PERSON", "ORG", "NORP", "GPE"):
                    kind = "person" if ent.label_ == "PERSON" else "org"
                    res._add_name(ent.start_char, ent.text, kind, at_start(ent.start_char))
        else:
            for m in _CAP_RUN.finditer(text):
                run = m.group()
                if " " not in run and m.start() in start_set:
                    continue  # a lone capitalised sentence-initial word is rarely a name
                res._add_name(m.start(), run, "unknown", at_start(m.start()))
        res.names.sort()
        res.subjects.sort()
        return res

    def _add_name(self, pos: int, surface: str, kind: str, at_start: bool) -> None:
        name = clean_name(surface)
        if not name or not name[:1].isupper() or name.lower() in TITLE_WORDS:
            return
        self.names.append((pos, name, kind))
        ent = self.entities.setdefault(name, Entity(name, kind))
        if kind == "person":
            ent.kind = "person"
        first = surface.split()[0].lower().rstrip(".")
        for key in (first, first + "."):
            if key in HONORIFIC_GENDER and ent.gender is None:
                ent.gender = HONORIFIC_GENDER[key]
        before = self.text[max(0, pos - 5):pos].lower()
        for hon in ("mr. ", "mrs. ", "ms. "):
            if before.endswith(hon):
                ent.gender = HONORIFIC_GENDER[hon.strip()]
        if at_start and kind != "org":
            self.subjects.append((pos, name))

    def full_name(self, mention: str, pos: int) -> str:
        """The fullest name in the article that this (partial) name mention refers to."""
        base = clean_name(mention)
        if not base:
            return mention.strip()
        toks = base.split()
        if not toks[0][:1].isupper():
            return base
        last = toks[-1].lower()
        best_before: tuple[int, str] | None = None
        best_after: tuple[int, str] | None = None
        for p, name, _kind in self.names:
            ntoks = name.split()
            if len(ntoks) < len(toks):
                continue
            nlow = [t.lower() for t in ntoks]
            if len(toks) == 1:
                ok = nlow[-1] == last or (nlow[0] == last and len(ntoks) <= 3)
            else:
                ok = nlow[-1] == last and all(t.lower() in nlow for t in toks)
            if not ok:
                continue
            if p <= pos:
                if best_before is None or len(ntoks) >= len(best_before[1].split()):
                    best_before = (p, name)
            elif best_after is None or len(ntoks) > len(best_after[1].split()):
                best_after = (p, name)
        if best_before and len(best_before[1].split()) > 1:
            return best_before[1]
        if best_after:
            if not best_before or len(best_after[1].split()) > len(best_before[1].split()):
                return best_after[1]
        return best_before[1] if best_before else base

    def resolve(self, mention: str | None, pos: int) -> str | None:
        """Resolve one speaker mention at ``pos``; ``None`` mention means a floating quote."""
        if mention is None:
            return self.last_speaker
        low = mention.lower()
        if low in PRONOUNS:
            return self._pronoun(PRONOUNS[low], pos) or self.last_speaker
        toks = mention.split()
        if toks[0].lower() in DETERMINERS or not mention[:1].isupper():
            return self._nominal(mention, pos)
        return self.full_name(mention, pos)

    def _compatible(self, name: str, gender: str) -> bool:
        ent = self.entities.get(name)
        if gender in ("m", "f"):
            if ent is not None and ent.kind == "org":
                return False
            return ent is None or ent.gender in (None, gender)
        if gender == "n":
            return ent is None or ent.kind != "person"
        return True

    def _pronoun(self, gender: str, pos: int) -> str | None:
        if gender == "s":
            return None
        last = self.last_speaker
        last_pos = self._last_speaker_pos
        # a person introduced as a sentence subject after the last speaker takes precedence
        for p, name in reversed(self.subjects):
            if p >= pos:
                continue
            if last is not None and p <= last_pos:
                break
            full = self.full_name(name, p)
            if full != last and self._compatible(full, gender):
                self._learn(full, gender)
                return full
        if last is not None and self._compatible(last, gender):
            self._learn(last, gender)
            return last
        for p, name in reversed(self.subjects):
            if p < pos:
                full = self.full_name(name, p)
                if self._compatible(full, gender):
                    self._learn(full, gender)
                    return full
        return None

    _last_speaker_pos: int = -1

    def _learn(self, name: str, gender: str) -> None:
        if gender in ("m", "f"):
            ent = self.entities.setdefault(name, Entity(name))
            if ent.gender is None:
                ent.gender = gender

    def _nominal(self, mention: str, pos: int) -> str:
        return mention.strip()

    def note_speaker(self, name: str | None, pos: int) -> None:
        if name:
            self.last_speaker = name
            self._last_speaker_pos = pos
