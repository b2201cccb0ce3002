"""Speaker attribution: name inventory, title stripping and mention resolution.

A mention (``Gen. Mark Milley``, ``Milley``, ``he``, ``the ministry``) resolves to the
fullest name the article gives for that speaker. Pronouns go to a person introduced as
a subject since the last speaker, else the last speaker, when gender and number fit.
Gender comes from the article -- honorifics (``Ms.``) and the pronouns that follow a
person's mentions -- and, for a person tagged by spaCy, from a list of common first names
that nearly all their bearers share; the list gives way to two or more pronoun votes.
Role descriptions (``the minister``) go to the person the article names with that role
(``Education Minister Rob Fleming``, ``Jones, the rookie defenceman``), else to the most
recent person.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from stance.text.marks import DOUBLE_MARKS

PRONOUNS = {
    "he": "m", "him": "m", "she": "f", "her": "f", "they": "p", "them": "p",
    "it": "n", "we": "p", "i": "s",
}
DETERMINERS = {
    "the", "a", "an", "another", "his", "her", "their", "its", "our", "this", "that", "these",
}
HONORIFIC_GENDER = {
    "mr": "m", "mr.": "m", "mrs": "f", "mrs.": "f", "ms": "f", "ms.": "f", "miss": "f",
    "sir": "m", "lady": "f", "madam": "f", "king": "m", "queen": "f", "prince": "m",
    "princess": "f", "father": "m", "sister": "f", "brother": "m",
}
# Words that are part of a role or title, never of a personal name.
TITLE_WORDS = set(
    """mr mrs ms miss dr prof professor gen general lt lieutenant col colonel maj major capt
    captain cpl corporal sgt sergeant adm admiral cmdr commander gov governor sen senator rep
    representative del delegate rev reverend hon honourable honorable sir lady dame lord president
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
    gov. lt. col. maj. capt. sgt. adm. del. rev. hon. prof. det. const. cpl. supt. insp. st.
    officials official staff board council""".split()
)
ORG_WORDS = set(
    """authority department ministry board association union council committee company inc
    corp corporation ltd bank university college service services agency office party
    government police commission court society institute foundation network group news
    press times post globe star journal centre center hospital school league club team
    federation alliance coalition organization organisation tribunal secretariat
    administration bureau house senate parliament assembly unit force forces""".split()
)
# Capitalised only because they open a sentence: never the start of a name.
SENTENCE_WORDS = set(
    """The A An Then Later But And So Also In On At After Before When While This That These
    Those It He She They We I His Her Their Its Our My As If For From With By Meanwhile
    However Still Yet Now Earlier Last Next According Despite Since Although Though Because
    Even Only Some Many Most All Both Each Every Other Another More Several Once What Who
    Why How Where There Here Today Yesterday Instead Indeed Asked Speaking Under Like Unlike
    Over Among During Following Without Within Until Unless Whether Perhaps Still Just
    Meanwhile Overall Finally First Second Third Tonight Sometimes Often Or Nor Not No Yes
    Outside Inside Across Between Through About Around Against Beyond Toward Towards
    Nonetheless Nevertheless Former Late Furthermore Moreover Besides Although Whereas
    Thus Hence Later Regardless Sure Well Oh""".split()
)
CONNECTORS = {"of", "for", "the", "and", "on", "at", "to"}
NAME_PARTICLES = {"de", "van", "von", "der", "den", "da", "di", "du", "la", "le", "bin", "al"}
_CAP_TOKEN = (
    r"(?:(?:Mr|Mrs|Ms|Dr|Gen|Sen|Gov|Rep|Lt|Col|Capt|Sgt|Rev|Prof|St|Jr)\.|[A-Z]\.|"
    r"[A-Z][\w’'\-]*)"
)
_CAP_RUN = re.compile(
    _CAP_TOKEN + r"(?:[ \t]+(?:(?:of|for|de|van|von|der|da|du|la|le|al)[ \t]+)?" + _CAP_TOKEN + ")*"
)
_NAME = r"(?-i:[A-Z][\w’'\-]+(?:[^\S\n]+[A-Z][\w’'\-]+){0,2})"
_HEADLINE_VERBS = {"Says", "Said", "Tells", "Told", "Warns", "Claims"}
_POSSESSIVE = re.compile(r"[’']s?$")
_ENTITY_PIECE = re.compile(r"(?:[^\n’']|(?<=s)[’'](?=\s)|[’'](?=\w))+")
_APPOSITIVE_PERSON = re.compile(
    r"\b(?P<name>[A-Z][a-z][\w’'\-]*(?:\s+[A-Z][a-z][\w’'\-]*){0,2}),\s+"
    r"(?:\d{1,3},|an?\s+(?:[\w\-]+\s+){0,3}?(?P<head>[a-z\-]+)\s+(?:of|for|at|with|in|who)\b)"
)
# "the couple said": the pair of people the article last named together.
PAIR_WORDS = {"couple", "pair", "duo", "twins"}
_NAMED_PAIR = re.compile(
    r"(?-i:[A-Z][a-z][\w’'\-]*(?:\s+[A-Z][a-z][\w’'\-]*)?\s+and\s+[A-Z][a-z][\w’'\-]*"
    r"(?:\s+[A-Z][a-z][\w’'\-]*)?)"
)
# A photo or video caption: a gallery prompt, an uppercase PHOTO tag, a photographer's credit
# ("Jo Roe / The Canadian Press", "(Luis Tato/AFP/Getty Images)") or a running time ("… 10:43").
_AGENCIES = (
    r"(?:The\s+Canadian\s+Press|Canadian\s+Press|Reuters|REUTERS|AP|AFP|Getty\s+Images|"
    r"Bloomberg)"
)
_CAPTION = re.compile(
    r"^Open this photo in gallery|\bPHOTO\b|\(\s*[^()\n]{2,60}/\s*" + _AGENCIES
    + r"\b[^()\n]{0,40}\)|^[A-Z][\w.\-]+(?:\s+[A-Z][\w.\-]+){0,3}\s*/\s*" + _AGENCIES
    + r"\b|[A-Z][a-z]+\s+[A-Z][\w\-]+\s*/\s*" + _AGENCIES + r"\.?\s*$"
    + r"|[.!?]\s+\d{1,2}:\d{2}\s*$",  # a video blurb ending with its running time
    re.MULTILINE,
)
# An all-capital acronym standing alone: "EDC", "SMMT".
_ACRONYM = re.compile(r"(?<![\w.’'\-])[A-Z]{2,6}(?![\w.’'\-]|\s+[A-Z]{2,})")
# Capitals that are emphasis or labels, not organisations.
SHOUTED_WORDS = {
    "PHOTO", "VIDEO", "READ", "MORE", "WATCH", "UPDATE", "NOTE", "OK", "TV", "AM", "PM",
}
_INNER_POSSESSIVE = re.compile(r"\w[’']s\s")
# A full name right after a lower-case role noun: "spokesperson Lu Kang", "defenceman Ivy Roe".
_ROLE_BEFORE_PERSON = re.compile(
    r"\b(?P<head>[a-z][a-z\-]+)\s+(?P<name>[A-Z][a-z][\w’'\-]*(?:\s+[A-Z][a-z][\w’'\-]*){1,2})\b"
)


@lru_cache(maxsize=8192)
def clean_name(mention: str) -> str:
    """Strip determiners, titles, roles and possessives: ``Gen. Mark Milley`` -> ``Mark Milley``."""
    tokens = mention.replace("\n", " ").split()
    if len(tokens) > 1 and tokens[-1] in _HEADLINE_VERBS:
        tokens.pop()  # "… Former City Engineer Says": a headline's verb ends no name
    if not tokens:
        return ""
    tokens[-1] = _POSSESSIVE.sub("", tokens[-1]) or tokens[-1]
    # the last possessive, so that a chain of them ("A's B's Ann Roe") is one step
    owner = max((k for k, t in enumerate(tokens[:-2]) if _POSSESSIVE.search(t)), default=None)
    if owner is not None and all(t[:1].isupper() for t in tokens[owner + 1:]):
        # "The CBC's Richard Cuthbertson", "Vancouver's Bo Horvat": the person after
        rest = clean_name(" ".join(tokens[owner + 1:]))
        if len(rest.split()) >= 2 and rest.split()[-1].lower() not in ORG_WORDS:
            return rest
    if tokens[0].lower() in DETERMINERS or not tokens[0][:1].isupper():
        return " ".join(tokens).strip(" ,.;:")
    if tokens[-1].lower().rstrip(".") in ORG_WORDS:
        return " ".join(tokens).strip(" ,.;:")  # an organisation keeps its whole name
    if "of" in tokens[1:-1]:
        k = tokens.index("of")
        if tokens[k - 1].lower() in ORG_WORDS and len(tokens) - k <= 3:
            return " ".join(tokens).strip(" ,.;:")  # "Parole Board of Canada"
    for joiner in ("of", "with", "at", "from"):
        if joiner in tokens[1:-1]:
            # "Jingyi Pan of IG", "Sen. Richard Shelby of Alabama": the person before "of"
            head = clean_name(" ".join(tokens[: tokens.index(joiner)]))
            words = head.lower().split()
            if len(words) >= 2 and words[0] not in TITLE_WORDS and words[-1] not in TITLE_WORDS:
                return head  # not "U.S. Secretary" of "U.S. Secretary of State Mike Pompeo"
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
        elif not tok[:1].isupper() and low not in NAME_PARTICLES and not (
            low in ("to", "for") and k and tokens[k - 1].lower() in ORG_WORDS
        ):  # "Alliance to Reclaim Our Schools" is one name
            cut = k + 1
    rest = tokens[cut:]
    if len(rest) == 1 and not any(
        t.lower().rstrip(".,") in TITLE_WORDS - _OFFICE_WORDS for t in tokens[:cut]
    ):
        return " ".join(tokens).strip(" ,.;:")  # "Health Canada", "Global Affairs Canada"
    if after_connector and len(rest) > 2:
        keep = 3 if len(rest) >= 3 and re.fullmatch(r"[A-Z]\.", rest[-2]) else 2
        rest = rest[-keep:]
    name = " ".join(rest).strip(" ,.;:")
    return name or " ".join(tokens).strip(" ,.;:")


# Title words that name an office's field, not a person's rank: before a single name they
# belong to an organisation's name ("Health Canada", "Public Safety Canada").
_OFFICE_WORDS = set(
    """health finance affairs public defence defense foreign interior economic national
    federal provincial safety state house senate council board staff military political
    majority minority opposition""".split()
)


@dataclass
class Entity:
    name: str
    kind: str = "unknown"  # person, org, place, unknown
    gender: str | None = None


ORG_HEADS = set(
    """company firm group government ministry department union board agency organization
    organisation party league team report study statement police city province court
    commission association council bank club committee office service network station
    newspaper paper magazine site website survey poll school university college hospital
    authority corporation business store chain airline army military prosecution family
    campaign coalition foundation institute lab laboratory federation opposition utility
    railway railroad charity nonprofit watchdog regulator broadcaster retailer insurer lender
    carrier automaker carmaker manufacturer""".split()
)
DOCUMENT_HEADS = set(
    """statement release report study notice document letter memo filing ruling decision
    lawsuit suit claim website tweet post paper survey poll analysis data assessment
    findings email profile bio biography blog page account complaint indictment affidavit
    book column editorial""".split()
)
_DOC_OF = re.compile(r"(.+?)(?:[’']s|(?<=s)[’'])\s+(.+)$")  # "Acme's report", "Jones' bio"
# A document or figures named with their issuer: "the latest figures from Statistics Canada".
_ISSUED_BY = re.compile(
    r"(?i:the|a|an|its)\s+(?:[\w\-]+\s+){0,3}?(?i:" + "|".join(sorted(DOCUMENT_HEADS))
    + r"|numbers|figures|statistics|estimates)\s+(?:[a-z]+ed\s+|(?:put|sent)\s+out\s+)?"
    r"(?:by|from)\s+(?:the\s+)?"
    r"(?P<owner>[A-Z][^,;]*)$"
)
# Who issued a document: "Acme's report", "the Acme study", "a report by the University of
# Calgary's School of Public Policy", "Acme released a statement".
_ISSUER = r"(?-i:[A-Z][\w’'\-]+(?:\s+(?:of\s+|for\s+|and\s+|&\s+)?[A-Z][\w’'\-]+){0,5})"
_DOC_HEAD = r"(?:" + "|".join(sorted(DOCUMENT_HEADS)) + r")"
# A document's issuer in apposition right after it: "The report, released by the X, says".
_ISSUED_AFTER = re.compile(
    r",\s+(?:released|published|issued|prepared|written|commissioned|compiled|produced|"
    r"authored|filed|conducted|put\s+out|sent\s+out)\s+by\s+(?:the\s+)?(?P<owner>" + _ISSUER
    + ")"
)
_DOCUMENT_OWNER = re.compile(
    r"(?P<n1>" + _NAME + r")[’']s\s+(?:[\w\-]+\s+){0,3}?(?P<h1>" + _DOC_HEAD + r")\b"
    r"|\b(?:the|an?)\s+(?P<n2>" + _NAME + r")\s+(?:[a-z\-]+\s+){0,2}?(?P<h2>" + _DOC_HEAD + r")\b"
    r"|\b(?P<h3>" + _DOC_HEAD + r")\s+(?:by|from)\s+(?:the\s+)?(?P<n3>" + _ISSUER + r")"
    r"|(?P<n4>" + _ISSUER
    + r")\s+(?:released|published|issued|posted|sent|wrote|put\s+out|filed)\s+"
    r"(?:a|an|its|the)\s+(?:[\w\-]+\s+){0,3}?(?P<h4>" + _DOC_HEAD + r")\b"
    # "In a memo sent to staff, the Department of Homeland Security warned …"
    r"|\bIn\s+(?:a|an|its|his|her|their)\s+(?:[\w\-]+\s+){0,3}?(?P<h5>" + _DOC_HEAD
    + r")\b[^.;,]{0,60},\s+(?:the\s+)?(?P<n5>" + _ISSUER + r")",
    re.IGNORECASE,
)
# Roles a story may name one way and refer back to another ("Justice X … the judge said").
ROLE_SYNONYMS = {
    "judge": ("justice",), "justice": ("judge",), "lawyer": ("attorney",),
    "attorney": ("lawyer",), "spokesman": ("spokesperson",), "spokeswoman": ("spokesperson",),
    "spokesperson": ("spokesman", "spokeswoman"),
    # the abbreviated titles that name a person the description refers back to
    "senator": ("sen.",), "governor": ("gov.",), "general": ("gen.",),
    "representative": ("rep.",), "congressman": ("rep.",), "congresswoman": ("rep.",),
    "lawmaker": ("sen.", "rep.", "senator", "congressman", "congresswoman"),
    "sergeant": ("sgt.",), "lieutenant": ("lt.",), "professor": ("prof.",),
    "doctor": ("dr.", "physician"), "physician": ("dr.", "doctor"),
}
PERSON_SUFFIXES = ("er", "or", "ist", "man", "woman", "person", "ian")
# People named by kin or kind rather than by an agent noun ("a merry widow from Leeds").
PERSON_NOUNS = set(
    """widow wife husband son mum mom dad aunt uncle niece nephew cousin grandson boy girl
    teen child pensioner victim witness student pupil fan bride groom friend neighbour
    neighbor colleague guest actress star expert official source undergraduate graduate
    resident patient passenger migrant refugee veteran inmate nurse parent baby local
    rookie goalie forward quarterback""".split()
)
# Further endings of role nouns, safe only right before a name ("Toronto retiree X").
ROLE_SUFFIXES = ("ee", "ant", "ent")
_GENDERED = re.compile(r"\b(he|him|his|himself|she|her|hers|herself)\b", re.IGNORECASE)
_LOWER_AFTER = re.compile(r"\s+(?!(?:and|or|of|in|on|at|to|for|with|the|a|an)\b)[a-z]+\b")
# Openers of a subordinate clause: a name right after one is not the sentence's subject.
_SUBORDINATORS = {
    "Although", "Though", "While", "When", "If", "Because", "As", "Since", "After", "Before",
    "Unless", "Whether", "Once", "Until",
}
# A mention followed by a speech verb, maybe after a relative clause, is the subject of
# its clause ("…, Jagelewski says …", "Purdy, who lost 16 lbs. this year, says …").
_SPEECH_AFTER = re.compile(
    r"(?:,\s+(?:who|whose)\b[^\n]{1,160}?,)?\s+(?:[a-z]+ly\s+)?(?:said|says|told|tells|added|adds|noted|notes|explained|argued|"
    r"wrote|writes|insisted|warned|stated)\b"
)
_FINITE_VERB = r"[a-z]{3,}ed|has|had|is|was|will|would"
_VERB_AFTER = re.compile(r"\s+(?:[a-z]+ly\s+)?(?:" + _FINITE_VERB + r")\b")
# Words that end the modifiers of a head noun: a preposition or a conjunction.
_PHRASE_JOINERS = r"(?:of|with|for|at|from|in|on|by|to|and|or)\b"
# "the event organizer Alliance to Reclaim Our Schools": lower-case words, none a
# preposition ("a spokeswoman for Trudeau" is not Trudeau), then a capitalised name
_NAME_AFTER_DESCRIPTION = re.compile(
    r"(?:[Tt]he|[Aa]n?)\s+(?:(?!" + _PHRASE_JOINERS + r")[a-z][\w\-]*\s+){1,4}"
    r"(?P<name>[A-Z][\w’'\-]*(?:\s+(?:(?:of|for|to|and|the)\s+)?[A-Z][\w’'\-]*)*)$"
)
_ADDRESSEE = re.compile(r"\b(?:to|with|told|tells)\s+(?:the\s+)?$")
_OPENING_PREPOSITION = re.compile(
    r"\b(?:in|at|on|during|from|after|before|since|near|outside|inside|to|for|with|by|of)\s+$",
    re.IGNORECASE,
)
_CLAUSE_VERB = re.compile(
    r"\s+(?:[a-z]+ly\s+|also\s+|then\s+)?(?:said|says|told|tells|" + _FINITE_VERB + r")\b"
)
_MALE = {"he", "him", "his", "himself"}
_QUOTE_MARK = re.compile("[" + re.escape(DOUBLE_MARKS) + "]")
_NARRATED_PRONOUN = {
    "m": re.compile(r"(?:(?:But|And|Then|Still)\s+he|He)\b"),
    "f": re.compile(r"(?:(?:But|And|Then|Still)\s+she|She)\b"),
}


@dataclass
class _Mention:
    pos: int
    end: int
    name: str
    kind: str
    sent: int
    para: int
    subject: bool
    low: list[str] = field(default_factory=list)


@dataclass
class SpeakerResolver:
    """Resolves mentions in document order; keeps the history needed for pronouns.

    Pronouns (``he said``) take the most recent gender-compatible person mentioned outside
    quotations, skipping people mentioned only as objects in an earlier attribution
    sentence (``"…," Smith said of Jones``), then the current speaker. Floating quotations
    take the current speaker, unless a new person is the subject of a sentence earlier in
    the same paragraph.
    """

    text: str
    mentions: list[_Mention] = field(default_factory=list)
    entities: dict[str, Entity] = field(default_factory=dict)
    sent_starts: list[int] = field(default_factory=list)
    para_starts: list[int] = field(default_factory=list)
    speaker_sents: set[int] = field(default_factory=set)
    last_speaker: str | None = None
    last_pos: int = -1
    _positions: list[int] = field(default_factory=list)
    # last (first) name word -> distinct full name -> sorted offsets of its mentions
    _by_last: dict[str, dict[str, list[int]]] = field(default_factory=dict)
    _by_first: dict[str, dict[str, list[int]]] = field(default_factory=dict)
    _acronym_map: dict[str, str] | None = None
    _unspelled: set[str] = field(default_factory=set)
    _full_cache: dict[tuple[str, int], str] = field(default_factory=dict)
    _first_names_of: dict[str, set[str]] | None = None  # surname -> first names before it
    _after_title: set[str] | None = None  # words the article puts right after a title
    _lower_words: set[str] | None = None  # words the article writes in lower case
    _tagged: bool = False  # names come from a tagger (else from capitalisation alone)
    _roles: dict[str, str] = field(default_factory=dict)  # role word -> speaker it named
    _first_pos: dict[str, int] | None = None  # full name -> offset of its first mention
    _kind_votes: dict[str, dict[str, int]] = field(default_factory=dict)
    _document_speaker: str | None = None  # whom the last document mention stood for
    # a person the story introduces without a name ("A university undergraduate has
    # claimed …") and where: later descriptions and pronouns may still mean them
    _unnamed: tuple[str, int] | None = None
    _first_named: int | None = None  # offset of the article's first named person
    caption_paras: set[int] = field(default_factory=set)  # photo captions: no antecedents

    @classmethod
    def build(
        cls,
        text: str,
        doc: Any = None,
        sentences: list[tuple[int, int]] = (),
        paragraphs: list[tuple[int, int]] = (),
        quoted: list[tuple[int, int]] = (),
        ents: Any = None,
        ner_end: int | None = None,
    ) -> SpeakerResolver:
        """``doc`` (a spaCy Doc) or ``ents`` (spans with ``start_char``, ``end_char``,
        ``label_``) supply named entities up to offset ``ner_end`` (default: all of the
        text); without either, and past ``ner_end``, names come from capitalisation."""
        res = cls(text)
        res.sent_starts = sorted(s for s, _ in sentences)
        res.para_starts = sorted(s for s, _ in paragraphs)
        start_set = set(res.sent_starts)
        q_starts = sorted(quoted)
        spans: list[tuple[int, int, str]] = []
        if ents is None and doc is not None:
            ents = doc.ents
        rule_from = 0 if ents is None else len(text) if ner_end is None else ner_end
        res._tagged = ents is not None
        for ent in ents or ():
            if ent.label_ in ("PERSON", "ORG", "NORP", "GPE"):
                kind = {"PERSON": "person", "ORG": "org"}.get(ent.label_, "place")
                # an entity the tagger ran across a paragraph break or a closing quotation
                # mark ("reads 'Peter Pan' Wil floats") is one name per piece
                for piece in _ENTITY_PIECE.finditer(text, ent.start_char, ent.end_char):
                    lead = len(piece.group()) - len(piece.group().lstrip())
                    if piece.group().strip():
                        start, end = piece.start() + lead, piece.end()
                        if kind == "person":
                            start = _with_first_name(text, start, res._lowercase_words())
                            end = _past_title(text, start, end)
                        spans.append((start, end, kind))
        if rule_from < len(text):
            runs = [(m.start(), m.end(), m.group()) for m in _CAP_RUN.finditer(text, rule_from)]
            # a lone capitalised word only matters as part of a longer name in the article
            parts = {w for _, _, r in runs if " " in r for w in r.split()}
            for s, e, run in runs:
                if " " in run or (s not in start_set and _POSSESSIVE.sub("", run) in parts):
                    spans.append((s, e, "unknown"))
        for s, e, kind in spans:
            if _inside(q_starts, s):
                continue
            while True:  # "Then Karlsson" -> "Karlsson"
                sp = text.find(" ", s, e)
                if sp < 0 or text[s:sp] not in SENTENCE_WORDS:
                    break
                s = sp + 1
            if text[s:e] in SENTENCE_WORDS:
                continue
            res._add(s, e, kind)
        if ents is not None:
            # surname-only mentions spaCy missed ("Durning did not …") join their person
            surnames = {
                m.name.split()[-1]: m.name
                for m in res.mentions
                if m.kind == "person" and len(m.name.split()) > 1
            }
            seen = {m.pos for m in res.mentions}
            for m in _CAP_RUN.finditer(text):
                word = _POSSESSIVE.sub("", m.group()).split()[-1]  # "Ms. May" -> "May"
                start = m.start() + m.group().rfind(word)
                if word in surnames and start not in seen and not _inside(q_starts, start):
                    res._add(start, start + len(word), "person")
        res._add_appositive_people(q_starts)
        if ents is not None:
            res._add_untagged_acronyms(q_starts)
        res.caption_paras = {
            k for k, (lo, hi) in enumerate(paragraphs) if _CAPTION.search(text, lo, hi)
        }
        res.mentions.sort(key=lambda m: m.pos)
        res._positions = [m.pos for m in res.mentions]
        for m in res.mentions:  # in document order, so each position list is sorted
            toks = m.low
            res._by_last.setdefault(toks[-1], {}).setdefault(m.name, []).append(m.pos)
            if 1 < len(toks) <= 3:
                res._by_first.setdefault(toks[0], {}).setdefault(m.name, []).append(m.pos)
        res._learn_gender_from_text(q_starts)
        return res

    def _add_untagged_acronyms(self, quoted: list[tuple[int, int]]) -> None:
        """Acronyms the tagger missed (``EDC declined to answer``) are organisations when
        the article uses them more than once."""
        covered = sorted((m.pos, m.end) for m in self.mentions)
        found = [(m.start(), m.end(), m.group()) for m in _ACRONYM.finditer(self.text)]
        counts = Counter(word for _, _, word in found)
        for s, e, word in found:
            if counts[word] < 2 or word.lower() in TITLE_WORDS or word in SHOUTED_WORDS:
                continue
            if not _inside(covered, s) and not _inside(quoted, s):
                self._add(s, e, "org")

    def _add_appositive_people(self, quoted: list[tuple[int, int]]) -> None:
        """Names no tagger found, known as people by an age or a role in apposition:
        ``Yuni, a resident of Lampung``, ``Purdy, 73,``."""
        covered = sorted((m.pos, m.end) for m in self.mentions)
        for m in _APPOSITIVE_PERSON.finditer(self.text):
            head = m.group("head")
            if head and not _role_noun(head):
                continue
            s, e = m.span("name")
            first = self.text[s:e].split()[0]
            if first in SENTENCE_WORDS or first.lower() in _CALENDAR_WORDS:
                continue  # "On Tuesday, a number of residents …"
            if _inside(covered, s) or _inside(quoted, s):
                continue
            self._add(s, e, "person")
        for m in _ROLE_BEFORE_PERSON.finditer(self.text):
            s, e = m.span("name")
            if not _role_noun(m.group("head")) or self.text[s:e].split()[0] in SENTENCE_WORDS:
                continue
            if _inside(covered, s) or _inside(covered, e - 1) or _inside(quoted, s):
                continue
            self._add(s, e, "person")

    def _index(self, starts: list[int], pos: int) -> int:
        return bisect.bisect_right(starts, pos) - 1

    def _add(self, s: int, e: int, kind: str) -> None:
        surface = self.text[s:e]
        if "/" in self.text[max(0, s - 1):e + 1]:
            return  # a photo credit ("Luis Tato/AFP/Getty Images", "Mark Duffy/The …")
        name = clean_name(surface)
        if not name or not name[:1].isupper() or name.lower() in TITLE_WORDS:
            return
        if _INNER_POSSESSIVE.search(name):
            return  # "Vauxhall’s U.K": an owner and what it owns, nobody's name
        sent = self._index(self.sent_starts, s)
        start = self.sent_starts[sent] if sent >= 0 else 0
        # a clause opens after a quotation that ends its own sentence ('…deeper.” Durning')
        closed = max(self.text.rfind('.”', start, s), self.text.rfind('."', start, s))
        start = max(start, closed + 2) if closed >= 0 else start
        prefix = self.text[start:s].split() if s - start < 120 else ["x"] * 30
        subordinate = bool(prefix) and prefix[0] in _SUBORDINATORS
        # "Chinese Foreign Ministry spokesperson Lu Kang …", "On Monday, U.S. Secretary of
        # State Mike Pompeo …": only title words between the clause start and the name
        cut = max((i + 1 for i, t in enumerate(prefix) if t.endswith(",")), default=0)
        head, tail = prefix[:cut], prefix[cut:]
        titled = (
            0 < len(tail) <= 6
            and all(
                t[:1].isupper() or t.lower().rstrip(".") in TITLE_WORDS or t in ("of", "the")
                for t in tail
            )
            and any(t.lower().rstrip(".") in TITLE_WORDS for t in tail)
            and (bool(head) or not subordinate)
            and len(head) <= 14
            and "," not in " ".join(head[:-1])
        )
        subject = (
            titled
            or (len(prefix) <= 4 and all(t[:1].isupper() for t in prefix) and not subordinate)
            or (
                len(prefix) <= 14
                and prefix[-1].endswith(",")
                and "," not in " ".join(prefix[:-1])
            )
            or bool(_SPEECH_AFTER.match(self.text, e))
            # "A press release, issued on Nov. 27, McCallum expressed concern": a clause
            # after a comma that opens with the name and a verb
            or (bool(prefix) and prefix[-1].endswith(",") and bool(_VERB_AFTER.match(self.text, e)))
            or (
                # "former train porter Harold Adams, 76, recalls": a descriptor before it
                0 < len(tail) <= 4
                and (tail[0][:1].isupper() or tail[0].lower() in TITLE_WORDS)
                and all(t.isalpha() and t.lower() not in DETERMINERS for t in tail)
                and tail[-1].islower()
                and (_person_head(tail[-1]) or tail[-1].endswith(ROLE_SUFFIXES))
                and not subordinate
            )
            or (
                # "It's a comment that Scheer found concerning": a clause's subject
                bool(prefix) and prefix[-1] in ("that", "whom")
                and bool(_LOWER_AFTER.match(self.text, e))
            )
        )
        self.mentions.append(
            _Mention(
                s, e, name, kind, sent, self._index(self.para_starts, s), subject,
                name.lower().split(),
            )
        )
        ent = self.entities.setdefault(name, Entity(name, kind))
        votes = self._kind_votes.setdefault(name, {})
        votes[kind] = votes.get(kind, 0) + 1
        # the tagger's majority label wins, a person on a tie ("Facebook" is tagged ORG
        # ten times and PERSON once)
        ent.kind = max(votes, key=lambda k: (votes[k], k == "person", k != "unknown"))
        words = [w.lower().rstrip(".") for w in prefix[-1:]]
        for w in [*words, surface.split()[0].lower().rstrip(".")]:
            if w in HONORIFIC_GENDER and ent.gender is None:
                ent.gender = HONORIFIC_GENDER[w]

    def _learn_gender_from_text(self, quoted: list[tuple[int, int]]) -> None:
        """Gender from the article’s own pronouns: each sentence-subject mention votes
        with the first he/she/his/her that follows it (outside quotations) before another
        entity is named, within the next sentence; the majority over all mentions of a
        person wins. Honorifics (``Ms.``) already set are kept."""
        ms = self.mentions
        votes: dict[str, list[int]] = {}
        for k, m in enumerate(ms):
            # spaCy tags some unusual first names as ORG: a single title-case word may vote
            mistagged = m.kind == "org" and len(m.low) == 1 and not m.name.isupper()
            if not m.subject or (m.kind in ("org", "place") and not mistagged):
                continue
            if m.name.split()[-1].lower() in ORG_WORDS:
                continue
            full = self.full_name(m.name, m.pos)
            nxt = self._index(self.sent_starts, m.pos) + 2
            limit = self.sent_starts[nxt] if nxt < len(self.sent_starts) else len(self.text)
            for n in range(k + 1, len(ms)):
                if ms[n].pos >= limit:
                    break
                other = ms[n]
                if other.kind == "place" or (other.kind == "org" and len(other.low) > 1):
                    continue  # places and named organisations are not he or she
                if self.full_name(other.name, other.pos) != full:
                    limit = other.pos  # another possible antecedent
                    break
            for g in _GENDERED.finditer(self.text, m.end, limit):
                if _inside(quoted, g.start()) or _object_pronoun(self.text, g):
                    continue
                v = votes.setdefault(full, [0, 0])
                v[0 if g.group(1).lower() in _MALE else 1] += 1
                break
        for full, ent in self.entities.items():
            if ent.gender is not None:
                continue
            male, female = votes.get(full, (0, 0))
            prior = self._first_name_gender(full) if ent.kind == "person" else None
            if prior is not None and abs(male - female) < 2:
                # one stray pronoun ("the rise of Donald Trump, who … she had come to
                # believe") does not outweigh a name nearly always borne by one gender
                ent.gender = prior
            elif male != female:
                ent.gender = "m" if male > female else "f"

    def _first_name_gender(self, name: str) -> str | None:
        words = name.split()
        if len(words) == 1 and (
            any(len(other.split()) > 1 for other in self._by_last.get(name.lower(), ()))
            or name in self._titled_words()
        ):
            return None  # a surname here: "Warren" for Elizabeth Warren, "Councillor Jackson"
        return first_name_genders().get(words[0].lower())

    def _lowercase_words(self) -> set[str]:
        """Words the article writes in lower case ("will" beside "Will Young")."""
        if self._lower_words is None:
            self._lower_words = set(_LOWERCASE_WORD.findall(self.text))
        return self._lower_words

    def _titled_words(self) -> set[str]:
        """Capitalised words the article puts right after a title ("Councillor Jackson")."""
        if self._after_title is None:
            self._after_title = {
                _POSSESSIVE.sub("", m.group(2)) or m.group(2)
                for m in _TITLE_THEN_WORD.finditer(self.text)
                if m.group(1).lower().rstrip(".") in TITLE_WORDS
            }
        return self._after_title

    def full_name(self, mention: str, pos: int) -> str:
        """The fullest name in the article that this (partial) name mention refers to."""
        key = (mention, pos)
        if key not in self._full_cache:
            self._full_cache[key] = self._full_name(mention, pos)
        return self._full_cache[key]

    def _full_name(self, mention: str, pos: int) -> str:
        base = clean_name(mention)
        if not base:
            return mention.strip()
        if base.isupper() and 2 <= len(base) <= 6 and base.isalpha():
            # "IRCC" -> its spelled-out name
            return self._acronyms().get(base) or self._spelled_out(base) or base
        toks = base.split()
        if not toks[0][:1].isupper():
            return base
        last = toks[-1].lower()
        low = [t.lower() for t in toks]
        pool = [
            (name, spots)
            for name, spots in self._by_last.get(last, {}).items()
            if len(name.split()) >= len(toks)
            and (len(low) == 1 or all(t in name.lower().split() for t in low))
        ]
        if not pool and len(toks) == 1:
            pool = list(self._by_first.get(last, {}).items())
        if self._tagged and len(toks) == 1 and all(len(n.split()) == 1 for n, _ in pool):
            # "Ian Poulter’s punishment …" the tagger did not read as a name (without a
            # tagger, capitalised runs already hold it)
            return self._named_in_text(base)
        if not pool:
            return base
        # per distinct name: its last mention at or before pos, its first one after
        before, after = [], []
        for name, spots in pool:
            k = bisect.bisect_right(spots, pos)
            if k:
                before.append((spots[k - 1], name))
            if k < len(spots):
                after.append((spots[k], name))
        # the most recent fullest mention before, else the fullest one after
        if before:
            longest = max(len(n.split()) for _, n in before)
            best = max(c for c in before if len(c[1].split()) == longest)
            if longest > 1 or not after:
                return best[1]
        return max(after, key=lambda c: (len(c[1].split()), -c[0]))[1]

    def _named_in_text(self, surname: str) -> str:
        """``surname`` with the first name the article gives it anywhere, from the
        first-name list ("Ian Poulter" for "Poulter"), if there is exactly one."""
        if self._first_names_of is None:
            self._first_names_of = {}
            lower_words = self._lowercase_words()
            prev = None
            for m in _CAP_WORD.finditer(self.text):
                first = prev.group().lower() if prev is not None else ""
                # "Will Jackson run?": a sentence's first word may be capitalised for that
                # alone, so there it must not also be a word of the article in lower case
                before = self.text[max(0, prev.start() - 4):prev.start()] if prev else ""
                opening = prev is not None and before.rstrip()[-1:] in _SENTENCE_END
                if (first in first_name_genders() and first not in TITLE_WORDS
                        and not (opening and first in lower_words)
                        and self.text[prev.end():m.start()].isspace()):
                    last = _POSSESSIVE.sub("", m.group()) or m.group()
                    self._first_names_of.setdefault(last, set()).add(prev.group())
                prev = m
        firsts = self._first_names_of.get(surname, set())
        return f"{next(iter(firsts))} {surname}" if len(firsts) == 1 else surname

    def _acronyms(self) -> dict[str, str]:
        if self._acronym_map is None:
            self._acronym_map = {}
            for m in self.mentions:
                words = [w for w in m.name.replace(",", " ").split() if w[:1].isupper()]
                if len(words) >= 2:
                    self._acronym_map.setdefault("".join(w[0] for w in words), m.name)
        return self._acronym_map

    def _spelled_out(self, acronym: str) -> str | None:
        """The first capitalised word run in the text whose initials spell ``acronym``
        (``Immigration, Refugees and Citizenship Canada``; joiners like ``of`` skipped)."""
        sep = r",?\s+(?:(?:and|of|for|to|the|on|in|&)\s+)?"
        pattern = r"\b" + sep.join(c + r"[a-z][\w’'\-]*" for c in acronym) + r"\b"
        if acronym in self._unspelled:
            return None
        m = re.search(pattern, self.text)
        if m is None:
            self._unspelled.add(acronym)  # one scan of the text per acronym, not per mention
            return None
        name = m.group()
        self._acronyms()[acronym] = name
        return name

    def resolve(self, mention: str | None, pos: int) -> str | None:
        """Resolve one speaker mention at ``pos``; ``None`` mention means a floating quote."""
        if mention is None:
            return self._floating(pos)
        low = mention.lower()
        toks_low = low.split()
        if low == "it" and self.last_speaker and self._document_speaker == self.last_speaker:
            return self.last_speaker  # "Lee's profile says …. It also says …"
        if low in PRONOUNS:
            if PRONOUNS[low] in ("m", "f") and self._only_unnamed(pos):
                return self._unnamed[0]
            return self._pronoun(PRONOUNS[low], pos) or self.last_speaker
        if toks_low[0] in ("his", "her", "their") and toks_low[-1] in DOCUMENT_HEADS:
            # "Her Facebook page" speaks for whoever "her" is
            owner = {"his": "he", "her": "she", "their": "they"}[toks_low[0]]
            self._document_speaker = self.resolve(owner, pos) or mention.strip()
            return self._document_speaker
        poss = _DOC_OF.match(mention)
        if poss and poss.group(2).lower().split()[-1] in DOCUMENT_HEADS:
            # "the union's Friday release" -> union
            self._document_speaker = self.resolve(poss.group(1), pos)
            return self._document_speaker
        toks = mention.split()
        if self._capitalised_description(toks, pos):
            return self._recent_person(pos) or mention.strip()  # "the Kentucky Republican"
        if len(toks) == 2 and toks[0] in ("The", "the") and toks[1].endswith("s"):
            # "The Smiths" after "Brian and Charlotte Smith"
            pairs = [m.group() for m in _NAMED_PAIR.finditer(self.text, max(0, pos - 3000), pos)
                     if m.group().split()[-1] == toks[1][:-1]]
            if pairs:
                return pairs[-1]
        if toks[0] in ("The", "the") and len(toks) > 1 and all(t[:1].isupper() for t in toks[1:]):
            return self.full_name(" ".join(toks[1:]), pos)  # "The Transportation Safety Board"
        first_sentence = self._index(self.sent_starts, pos) <= 0
        lede = toks[0] in ("A", "An", "One") or (toks[0] in ("a", "an") and first_sentence)
        # the head noun comes before a prepositional phrase: "A widow from Leeds"
        head = next((toks[k - 1] for k, t in enumerate(toks) if k > 1 and t in _HEAD_PREPOSITIONS),
                    toks[-1])
        if lede and _person_head(head.lower()):
            named = self._named_next(pos)
            if named is not None:
                return named  # "A Vancouver hockey coach says …. Stephen Gillis said …"
            if self._unnamed is None and first_sentence:
                self._unnamed = mention.strip(), pos
        described = _NAME_AFTER_DESCRIPTION.match(mention.strip())
        if described:  # "the security firm Talos": the name, not the description
            return self.full_name(described.group("name"), pos)
        if toks[0].lower() in DETERMINERS or not mention[:1].isupper():
            return self._nominal(mention, pos)
        full = self.full_name(mention, pos)
        for tok in toks[:-1]:
            # "Education Minister Rob Fleming said": a later "the minister" is Fleming
            role = tok.lower().strip(".,")
            if role in TITLE_WORDS and role.isalpha() and full != mention.strip():
                self._roles[role] = full
        return full

    def _compatible(self, name: str, gender: str) -> bool:
        ent = self.entities.get(name)
        if gender in ("m", "f"):
            if ent is not None and ent.kind in ("org", "place") and ent.gender is None:
                # spaCy often tags unusual personal names as ORG; a single title-case word
                # that was just quoted as a speaker is still a person
                single = len(name.split()) == 1 and not name.isupper()
                quoted_single = single and name == self.last_speaker and ent.kind == "org"
                # a full name the tagger also read as a person ("Ed Miliband") is one
                tagged_person = len(name.split()) > 1 and self._kind_votes.get(name, {}).get(
                    "person", 0) > 0
                if not (quoted_single or tagged_person):
                    return False
            last = name.split()[-1].lower().rstrip(".")
            if last in ORG_WORDS or last in ORG_HEADS or last in DOCUMENT_HEADS:
                return False
            first = name.split()[0].lower()
            if first in ORG_WORDS and " of " in name:
                return False  # "Society of Motor Manufacturers and Traders"
            if first in DETERMINERS and not last.endswith(PERSON_SUFFIXES):
                return False
            if not name[:1].isupper() and (first in QUANTIFIERS or _plural(last)):
                return False  # "some critics", "officials"
            return ent is None or ent.gender in (None, gender)
        if gender == "n":
            return ent is not None and ent.kind == "org"
        return True

    def _candidates(self, pos: int, window: int = 2500):
        """Person mentions before ``pos``, most recent first."""
        k = bisect.bisect_left(self._positions, pos) - 1
        while k >= 0 and pos - self.mentions[k].pos < window:
            yield self.mentions[k]
            k -= 1

    def _personlike(self, m: _Mention) -> bool:
        if m.kind == "person":
            return True
        if m.name.split()[0].lower() in DETERMINERS:
            return False
        full = self.full_name(m.name, m.pos)
        ent = self.entities.get(full)
        if ent is not None and ent.kind == "person" and full != m.name:
            return True  # "Myers" tagged ORG, but the article's "Ben Myers" is a person
        if ent is not None and ent.kind == "org" and ent.gender and len(full.split()) > 1:
            return True  # tagged ORG, but the story calls them he or she
        if m.kind != "unknown":
            return False
        words = [w.lower().strip("’'") for w in full.split()]
        return len(words) >= 2 and not any(w in ORG_WORDS for w in (words[0], words[-1]))

    def _only_unnamed(self, pos: int) -> bool:
        """Whether the story opened with an unnamed person and has named nobody since."""
        if self._unnamed is None:
            return False
        if self._first_named is None:
            self._first_named = next(
                (m.pos for m in self.mentions if self._personlike(m)), len(self.text))
        return pos <= self._first_named

    def _pronoun(self, gender: str, pos: int) -> str | None:
        if gender == "s":
            return None
        if gender == "p":
            # "they": the last speaker when plural (``officials``, ``X and Y``) or an
            # organisation; else an organisation named as a subject since then
            last = self.last_speaker
            ent = self.entities.get(last or "")
            if last and (
                " and " in last
                or (not last[:1].isupper() and _plural(last.split()[-1]))
                or (ent is not None and ent.kind == "org")
            ):
                return last
            for m in self._candidates(pos, 1500):
                if m.pos <= self.last_pos:
                    break
                if m.kind == "org" and m.subject:
                    return self.full_name(m.name, m.pos)
            return self._plural_subject(pos) or last
        if gender == "n":
            # "it": an organisation introduced as a subject since the last speaker, else
            # the last speaker when it is an organisation, else the most recent one
            orgs = [m for m in self._candidates(pos, 1500) if m.kind == "org"]
            for m in orgs:
                if m.pos <= self.last_pos:
                    break
                if m.subject:
                    return self.full_name(m.name, m.pos)
            last = self.entities.get(self.last_speaker or "")
            if last is not None and last.kind == "org":
                return last.name
            return self.full_name(orgs[0].name, orgs[0].pos) if orgs else None
        # ranks: a fresh sentence subject (named since the last speaker), known gender
        # first; the last speaker; the most recent person of known matching gender
        # a person the previous sentence introduces, or names in full when the gender is
        # known (``… results for accountant Ann Poe, 50. "…," she says``), is as salient
        # as a subject
        here = self._index(self.sent_starts, pos)
        fresh_known, fresh_unknown, later, later_objects = [], [], [], []
        # people only introduced (not subjects) rank after the fresh subjects
        intro_known, intro_unknown = [], []
        sent_of: dict[str, int] = {}  # a fresh subject's latest sentence
        for m in self._candidates(pos):
            if not self._personlike(m) or m.para in self.caption_paras:
                continue
            full = self.full_name(m.name, m.pos)
            ent = self.entities.get(full)
            known = ent is not None and ent.gender == gender
            if not known and len(full.split()) < 2:
                continue  # a stray single word (``Ont``, ``Brexit``) is no antecedent
            if not self._compatible(full, gender):
                continue
            if self.text[m.end:pos].strip(" ’'s") == ",":
                continue  # "Schumer, he said, “knows …”": the name is what is said
            if m.sent == here and known and not fresh_known and not _QUOTE_MARK.search(
                self.text, m.end, pos
            ):
                # "… and Morneau erred when he said …", but not a name in what is quoted
                # ("Porters like Grizzle had to fight “…,” he writes")
                fresh_known.append(full)
                sent_of[full] = m.sent
                continue
            introduced = (m.sent >= here - 1 and known and len(m.low) > 1) or (
                m.sent >= here - 2 and self._first_mention(full, m.pos)
            )
            if m.pos > self.last_pos and m.sent not in self.speaker_sents and m.subject:
                (fresh_known if known else fresh_unknown).append(full)
                sent_of.setdefault(full, m.sent)
            elif m.pos > self.last_pos and m.sent not in self.speaker_sents and introduced:
                (intro_known if known else intro_unknown).append(full)
            elif known:
                # an earlier subject outranks a nearer object ("Patterson told
                # investigators he shot James Closs …. …, he said")
                (later if m.subject else later_objects).append(full)
        last = self.last_speaker
        last_ok = last is not None and self._compatible(last, gender)
        subjects = fresh_known[:1] + fresh_unknown[:1]
        if len(subjects) == 2 and sent_of[subjects[1]] - sent_of[subjects[0]] >= 2:
            subjects.reverse()  # a subject of unknown gender much closer than the known one
        fresh = subjects + intro_known[:1] + intro_unknown[:1]
        role = self._role_subject(pos)
        if role is not None and self._compatible(role[1], gender):
            # "On Dec. 13, the mayor brought up …. “…,” he said": the role subject if it
            # came after every fresh named subject
            first_pos = max(
                (m.pos for m in self._candidates(pos)
                 if m.pos > self.last_pos and self.full_name(m.name, m.pos) in fresh),
                default=-1,
            )
            if role[0] > first_pos:
                fresh = [role[1]]
        ranked = fresh
        later += later_objects
        last_unsure = last_ok and self.entities.get(last or "", Entity("")).gender is None
        if last_unsure and later and self._narrated_since(gender, pos):
            # "But she persisted. …, she says": the story kept talking about a woman
            # while the last speaker's gender is unknown -- the known one is meant
            ranked += later[:1]
        ranked += [last] if last_ok else []
        ranked += later[:1]
        if ranked:
            self._learn(ranked[0], gender)
            return ranked[0]
        for m in self._candidates(pos):
            if self._personlike(m):
                full = self.full_name(m.name, m.pos)
                if self._compatible(full, gender):
                    self._learn(full, gender)
                    return full
        return None

    def _narrated_since(self, gender: str, pos: int) -> bool:
        """Whether a sentence since the last speaker opens with a pronoun of ``gender``
        outside any attribution (``But she persisted.``)."""
        pronoun = _NARRATED_PRONOUN[gender]
        for k in range(self._index(self.sent_starts, self.last_pos) + 1,
                       self._index(self.sent_starts, pos)):
            if k not in self.speaker_sents and pronoun.match(self.text, self.sent_starts[k]):
                return True
        return False

    def _named_next(self, pos: int) -> str | None:
        """The person named in full as the subject of the sentence after ``pos``'s: a
        lead that opens with a description names its speaker next."""
        nxt = self._index(self.sent_starts, pos) + 1
        k = bisect.bisect_left(self._positions, pos)
        for m in self.mentions[k:]:
            if m.sent > nxt:
                break
            if m.sent == nxt and m.subject and len(m.low) > 1 and self._personlike(m):
                return self.full_name(m.name, m.pos)
        return None

    def _plural_subject(self, pos: int) -> str | None:
        """A plural noun phrase opening a clause in the previous sentence or this one, since
        the last speaker (``Republican senators are eager …, and they say …``)."""
        here = self._index(self.sent_starts, pos)
        lo = max(self.last_pos + 1, self.sent_starts[max(here - 1, 0)] if here >= 0 else 0)
        found = None
        for m in _PLURAL_SUBJECT.finditer(self.text, lo, pos):
            if _plural(m.group(2)) and m.group(2) not in _NOT_PLURAL_NOUNS:
                words = m.group(1).split()
                found = " ".join(words[1:] if words[0] in SENTENCE_WORDS else words)
        return found

    def _first_mention(self, full: str, pos: int) -> bool:
        """Whether no earlier mention resolves to ``full``."""
        if self._first_pos is None:
            self._first_pos = {}
            for m in self.mentions:
                self._first_pos.setdefault(self.full_name(m.name, m.pos), m.pos)
        return self._first_pos.get(full, pos) >= pos

    def _role_subject(self, pos: int) -> tuple[int, str] | None:
        """The last clause subject ``the <role word>`` since the last speaker, resolved to
        the person it describes: (offset, name)."""
        lo = max(self.last_pos, pos - 1500, 0)
        found = None
        for m in _ROLE_SUBJECT.finditer(self.text, lo, pos):
            head = m.group(1).lower()
            if _person_head(head) and not _plural(head):
                found = m
        if found is None:
            return None
        name = self._nominal("the " + found.group(1).lower(), found.start())
        ent = self.entities.get(name)
        unresolved = name.split()[0].lower() in DETERMINERS  # "the mayor"
        if unresolved or (len(name.split()) < 2 and (ent is None or ent.kind != "person")):
            return None  # unresolved or a stray word ("General")
        return found.start(), name

    def _floating(self, pos: int) -> str | None:
        para = self._index(self.para_starts, pos)
        for m in self._candidates(pos, 600):
            if m.pos <= self.last_pos or m.para != para:
                break
            if m.subject and self._personlike(m) and m.para not in self.caption_paras:
                return self.full_name(m.name, m.pos)
        return self._narrated_subject(pos) or self.last_speaker or self._introducing_subject(pos)

    def _introducing_subject(self, pos: int) -> str | None:
        """Before anyone has spoken, the person the previous paragraph opened with
        (``Trevor Nicholson, a senior analyst, outlined …`` then a floating quote)."""
        para = self._index(self.para_starts, pos)
        if para - 1 in self.caption_paras:
            return None
        found = None
        for m in self._candidates(pos, 1500):
            if m.para < para - 1:
                break
            if m.para == para - 1 and m.subject and self._personlike(m):
                found = m  # candidates run backwards: the last one kept opens the paragraph
        return self.full_name(found.name, found.pos) if found else None

    def _narrated_subject(self, pos: int) -> str | None:
        """A person introduced as a subject since the last speaker whom the story then
        kept talking about (``Wendy Golden now lives …. She used to …``)."""
        here = self._index(self.sent_starts, pos)
        for m in self._candidates(pos, 2500):
            if m.pos <= self.last_pos:
                return None
            if not (m.subject and self._personlike(m)) or m.para in self.caption_paras:
                continue
            full = self.full_name(m.name, m.pos)
            ent = self.entities.get(full)
            if ent is None or ent.gender not in _NARRATED_PRONOUN:
                return None
            pronoun = _NARRATED_PRONOUN[ent.gender]
            for k in range(m.sent + 1, here):
                if k not in self.speaker_sents and pronoun.match(self.text, self.sent_starts[k]):
                    return full
            return None
        return None

    def _learn(self, name: str, gender: str) -> None:
        if gender in ("m", "f"):
            ent = self.entities.setdefault(name, Entity(name))
            if ent.gender is None:
                ent.gender = gender

    def _nominal(self, mention: str, pos: int) -> str:
        """``the rookie defenceman`` -> the person named with that role, else the most
        recent person; ``the company`` -> an organisation; ``the report`` -> its author."""
        issued = _ISSUED_BY.match(mention)
        if issued:  # "the most recent numbers from Statistics Canada": whoever issued them
            return self.full_name(issued.group("owner"), pos)
        words = mention.lower().split()
        # "the lawyer for the union", "the former sergeant-at-arms of the House": the head
        # noun comes before the prepositional phrase
        cut = next((k for k, w in enumerate(words) if k and w in _HEAD_PREPOSITIONS), len(words))
        words = words[:cut]
        if len(words) > 6:
            return mention.strip()
        head = words[-1].strip(".,")
        if head in DOCUMENT_HEADS and len(words) <= 4:
            issued = _ISSUED_AFTER.match(self.text, pos + len(mention))
            if issued:  # "The report, released by the Fraser Institute on Tuesday, says"
                return self.full_name(issued.group("owner"), pos)
            named = [t for t in mention.split()[1:len(words) - 1]
                     if t[:1].isupper() and t.lower() not in _CALENDAR_WORDS]
            if named and words[0] in ("the", "a", "an"):
                # "the RCMP statement", "the Globe report", "an Associated Press report"
                return self.full_name(" ".join(named), pos)
            if words[0] == "the" and len(words) > 2 and words[-2] in ORG_HEADS:
                # "the parole board decision": whoever "the parole board" is
                return self._nominal(" ".join(words[:-1]), pos)
            owner = self._document_owner(head, pos, any_kind=words[0] == "the")
            if owner is not None:
                return owner
            last = self.entities.get(self.last_speaker or "")
            if last is not None and last.kind != "person" and words[0] == "the":
                return last.name  # "the club has written to fans … The letter reads"
            for m in self._candidates(pos, 800):
                if m.kind == "org":
                    return self.full_name(m.name, m.pos)
            return mention.strip()
        if words[0] == "the" and len(words) == 2 and head.isalpha() and (
            head not in TITLE_WORDS and self._naming(head, pos) is None
        ):
            # "the examiner": the Washington Examiner the story named
            pattern = re.compile(
                r"(?<=\b[Tt]he )(?:[A-Z][\w’'\-]+\s+){1,3}" + head.capitalize() + r"\b")
            named = {m.group() for m in pattern.finditer(self.text, max(0, pos - 5000), pos)}
            if len(named) == 1:
                return named.pop()
        if words[0] in ("the", "its") and head in ORG_HEADS and len(words) <= 3:
            return self._organisation(head, len(words), pos) or mention.strip()
        if head in PAIR_WORDS and words[0] == "the":
            return self._named_pair(pos) or mention.strip()
        if words[0] == "the" and len(words) == 2 and _plural(head) and _role_noun(head[:-1]):
            return self._group_named_before(head, pos) or mention.strip()
        if words[0] != "the" or _plural(head):
            return mention.strip()
        if _role_noun(head) or "-old" in mention:
            # "the former prime minister": a naming as "prime minister X" before one as
            # "minister X" (who may be another minister)
            role = [w for w in words[1:] if w not in _TIME_ADJECTIVES][-2:]
            # a two-word role is specific enough to be looked for further ahead
            named = (self._naming(" ".join(role), pos, 10_000) if len(role) == 2 else None) or (
                self._naming(head, pos))
            for synonym in ROLE_SYNONYMS.get(head, ()):
                named = named or self._naming(synonym, pos)  # "Justice X … the judge said"
            if self._introduced_unnamed(head, pos, named[0] if named else -1):
                # "a justice official … the official said"; the story's unnamed subject if
                # it has named nobody else
                return self._unnamed[0] if self._only_unnamed(pos) else mention.strip()
            described = named[1] if named else self._roles.get(head)
            if described is not None:
                self._roles[head] = described
                return described
            if head in TITLE_WORDS:
                return mention.strip()  # "the judge" the article never names
            if self._only_unnamed(pos):
                return self._unnamed[0]  # "A student has claimed … The young woman said"
            return self._recent_person(pos) or mention.strip()
        if words[0] == "the" and head in PERSON_NOUNS:
            # "Ann Cole, a nurse at St. Paul's, … the nurse said": only a naming decides;
            # "the victim" or "the boy" is too often not the person named last
            named = self._naming(head, pos)
            return named[1] if named else mention.strip()
        return mention.strip()

    def _group_named_before(self, head: str, pos: int) -> str | None:
        """``the officials`` -> the group the article introduced with that noun
        (``administration officials unauthorized to speak``)."""
        if not head.isalpha():
            return None
        found = None
        for m in re.finditer(r"\b([\w’'\-]+)\s+" + head + r"\b", self.text[max(0, pos - 3000):pos]):
            modifier = m.group(1)
            if modifier.lower() not in _NOT_GROUP_MODIFIERS and not modifier.isdigit():
                found = m.group()
        return found

    def _named_pair(self, pos: int) -> str | None:
        """The last two people named together (``Kim and Clark Moran``) before ``pos``."""
        found = None
        for m in _NAMED_PAIR.finditer(self.text, max(0, pos - 2000), pos):
            second = m.group().split(" and ")[-1]
            ent = self.entities.get(self.full_name(second, m.end()))
            if m.group().split()[0] not in SENTENCE_WORDS and ent and ent.kind == "person":
                found = m.group()
        return found

    def _recent_person(self, pos: int) -> str | None:
        for m in self._candidates(pos, 1500):
            full = self.full_name(m.name, m.pos)
            ent = self.entities.get(full)
            if self._personlike(m) and (
                len(full.split()) > 1 or (ent is not None and ent.gender is not None)
            ):
                return full
        return None

    def _capitalised_description(self, toks: list[str], pos: int) -> bool:
        """``the Kentucky Republican``, ``the Liberal``: capitalised words after ``the``
        that name nobody in the article -- a description of a person, not a name."""
        words = toks[1:] if toks[0] in ("The", "the") else toks
        after_the = len(words) < len(toks) or self.text[max(0, pos - 4):pos].lower() == "the "
        if not after_the or not words or not all(w[:1].isupper() for w in words):
            return False
        last = _POSSESSIVE.sub("", words[-1]).lower()
        if _plural(last):
            return False  # "the Conservatives", "the United Nations": a group
        if last in ORG_WORDS or last in ORG_HEADS or last in TITLE_WORDS or words[-1].isupper():
            return False
        if not (last.endswith(("an", "ist", "ese")) or last in _PARTY_WORDS):
            return False  # "the Pentagon", "the Kremlin": an institution, not a person
        named = self._by_last.get(last, {})
        return not any(self.entities[n].kind in ("person", "org") for n in named)

    def _organisation(self, head: str, words: int, pos: int) -> str | None:
        """``the commission`` -> the last organisation whose name holds the word
        (``Commission of Inquiry``) or that the article calls so (``Acme, a tech firm``);
        else, for a bare ``the <head>``, the last organisation named nearby."""
        for m in self._candidates(pos, 4000):
            if m.kind != "place" and head in m.low:
                return self.full_name(m.name, m.pos)
        named = self._naming(head, pos)
        if named is not None and named[0] < pos and self._names_organisation(named, pos):
            return named[1]
        if words > 2:
            return None  # "the Canadian government": too specific for the last organisation
        last = self.entities.get(self.last_speaker or "")
        if last is not None and last.kind == "org" and 0 <= pos - self.last_pos < 400 and (
            head not in PLACE_HEADS
        ) and not any(m.kind == "org" and self.full_name(m.name, m.pos) != last.name
                      for m in self._candidates(pos, pos - self.last_pos)):
            # 'In a statement, Acme said "…". The company noted …': the organisation that
            # just spoke, when no other one has been named since
            return last.name
        if head in PLACE_HEADS:
            for m in self._candidates(pos, 1500):
                if m.kind == "place":
                    return self.full_name(m.name, m.pos)
            return None
        # a club or team may be named after its town, which the tagger reads as a place
        kinds = ("org", "unknown", "place") if head in _TEAM_HEADS else ("org", "unknown")
        for m in self._candidates(pos, 1500):
            if m.kind in kinds and (m.kind == "org" or len(m.name.split()) > 1) and not (
                _ADDRESSEE.search(self.text, max(0, m.pos - 12), m.pos)
            ):  # "In an email to CBC News, the ministry said": CBC is spoken to, not for
                return self.full_name(m.name, m.pos)
        return None

    def _names_organisation(self, named: tuple[int, str], pos: int) -> bool:
        """Whether a naming (``media company GroupM``, a name the tagger may miss) still
        holds at ``pos``: it names an organisation, not a person, and no other
        organisation has been a sentence subject since."""
        end, name = named
        ent = self.entities.get(name)
        if ent is None:
            last = name.split()[-1].lower()
            if any(self.entities[n].kind == "person" for n in self._by_last.get(last, {})):
                return False
        elif ent.kind not in ("org", "unknown"):
            return False
        rivals = {
            self.full_name(m.name, m.pos)
            for m in self._candidates(pos, pos - end)
            if m.subject and (m.kind == "org" or m.low[-1].rstrip(".") in ORG_WORDS)
        }
        return rivals <= {name}

    def _document_owner(self, head: str, pos: int, any_kind: bool) -> str | None:
        """Who issued ``the report``: the last ``Acme's annual report``, ``the Acme study``,
        ``a report by Acme`` or ``Acme released a report`` before ``pos``; a document of
        the same kind first, else of any kind (``a study by X`` … ``the report said``)."""
        same = other = None
        for m in _DOCUMENT_OWNER.finditer(self.text, max(0, pos - 3000), pos):
            name = next(g for g in m.group("n1", "n2", "n3", "n4", "n5") if g)
            kind = next(g for g in m.group("h1", "h2", "h3", "h4", "h5") if g).lower()
            # "The Securities and Exchange Commission filed …", "In Washington Senator X …"
            words = name.split()
            while words and words[0] in SENTENCE_WORDS:
                words = words[1:]
            if not words:
                continue
            name = " ".join(words)
            # "the University of Calgary’s School of Public Policy" is kept whole
            name = name if m.group("n3") else self.full_name(name, m.start())
            if kind == head:
                same = name
            else:
                other = name
        return same or (other if any_kind else None)

    def _introduced_unnamed(self, head: str, pos: int, named_at: int) -> bool:
        """Whether the article introduced a ``head`` as an unnamed person (``a senior
        official``, ``one official``) after ``named_at``, where it last named someone with
        that role, and names nobody so soon after that it reads as a lead-in."""
        if not head.isalpha():
            return False
        pattern = re.compile(
            r"\b(?:a|an|one)\s+(?:[a-z\-]+\s+){0,3}?" + head + r"\b(?![’'])(?!\s*,?\s*" + _NAME
            + r")",
            re.IGNORECASE,
        )
        last = None
        for m in pattern.finditer(self.text, max(0, pos - 4000), pos):
            last = m.start()
        if last is None:
            return False
        return named_at < last if named_at < pos else named_at - last > 600

    def _naming(self, head: str, pos: int, ahead: int = 1500) -> tuple[int, str] | None:
        """Where (the naming's end) and whom the article last named with this role word
        before ``pos`` (else first within ``ahead`` characters after): a title before a name
        (``defenceman Caleb Jones``, ``security firm Talos``) or an apposition (``Jones, the
        defenceman``, ``Lee's lawyer, Jim Berry,``)."""
        if not head.replace(" ", "").removesuffix(".").isalpha():
            return None
        head = r"\s+".join(map(re.escape, head.split()))
        pattern = re.compile(
            r"\b" + head + r"(?:[^\S\n]+|,\s+(?=" + _NAME + r"\s*[,.]))(" + _NAME + r")|(" + _NAME
            + r"),\s+(?:the|a|an)\s+" + _MODIFIERS + head + r"\b(?![’'])",
            re.IGNORECASE,
        )
        found = None
        for m in pattern.finditer(self.text, max(0, pos - 4000), pos + ahead):
            name = m.group(1) or m.group(2)
            if name.endswith(("'", "’")):
                continue  # "the Collective of Prostitutes', the woman …": no apposition
            if m.group(2) and _CLAUSE_VERB.match(self.text, m.end()) and (
                name.lower() in _CALENDAR_WORDS
                or _OPENING_PREPOSITION.search(self.text, max(0, m.start() - 12), m.start())
            ):
                # "At a press conference in Chelsea, the mayor said", "During the rally
                # Monday, the former president said": the subject after an opening phrase
                continue
            first = name.split()[0] if name else ""
            if first[:1].isupper() and first not in SENTENCE_WORDS | _HEADLINE_VERBS:
                found = m.end(), name
                if m.start() > pos:
                    break  # none before: the first naming after (``… WHL commissioner X``)
        return (found[0], self.full_name(found[1], pos)) if found else None

    def note_speaker(self, name: str | None, pos: int, mention_pos: int | None) -> None:
        if name:
            self.last_speaker = name
            self.last_pos = pos
            if mention_pos is not None:
                self.speaker_sents.add(self._index(self.sent_starts, mention_pos))


# A sentence or clause opening with "the <role>" and a verb: "On Dec. 13, the mayor brought".
_ROLE_SUBJECT = re.compile(
    r"(?:(?<=[.!?”\"]\s)|(?<=\n)|(?<=,\s)|^)[Tt]he\s+(?:[\w\-]+\s+){0,2}?([a-z\-]+)\s+"
    r"(?!(?:of|for|and|or|to|in|on|at|by|with|who|whose|that|which|from|as)\b)[a-z]+\b",
    re.MULTILINE,
)
# Up to five words before an apposition's head noun, none of them a preposition: in
# "X, a joint venture with the national oil company" the head is "venture".
_MODIFIERS = r"(?:(?!" + _PHRASE_JOINERS + r")[^\s,.;:“”\"]+\s+){0,5}?"
# Organisations named after their home town, which the tagger reads as places.
_TEAM_HEADS = {"club", "team", "side", "franchise"}
# Adjectives of time before a role ("the former prime minister") that no naming repeats.
_TIME_ADJECTIVES = {"former", "new", "current", "then", "acting", "interim", "outgoing",
                    "incoming", "late", "longtime", "long-time"}
# Prepositions that end the head of a description: "the lawyer for the union".
_HEAD_PREPOSITIONS = {"of", "for", "with", "at", "from", "in", "on"}
# Organisation heads that name a place's government: "the city said" -> the city named.
PLACE_HEADS = {"city", "town", "province", "state", "country", "municipality", "village"}
# A clause opening with a plural noun phrase and a verb: "Republican senators are eager".
_PLURAL_SUBJECT = re.compile(
    r"(?:(?<=[.!?]\s)|(?<=\n)|(?<=,\s)|(?<=\b[Aa]nd\s)|(?<=\b[Bb]ut\s)|^)"
    r"((?:(?:[A-Z][\w’'\-]+|many|some|most|several|other)\s+)?(?:[a-z\-]+\s+)?([a-z]{3,}))\s+"
    r"(?:are|were|have|had|say|will|would|want|argue|warn|believe|[a-z]{3,}ed)\b",
    re.MULTILINE,
)
_NOT_PLURAL_NOUNS = {"this", "his", "has", "was", "its", "thus", "news", "always", "perhaps"}
QUANTIFIERS = {
    "some", "several", "many", "most", "all", "both", "few", "other", "another", "two", "three",
}


# Words before a plural noun that do not name a group ("the officials", "two officials").
_NOT_GROUP_MODIFIERS = DETERMINERS | QUANTIFIERS | {
    "of", "for", "to", "and", "or", "by", "with", "from", "in", "on", "at", "said", "say",
    "says", "told", "are", "were", "many", "other", "those", "such", "these", "all",
}
_PREPOSITION_COMPOUND = re.compile(r"(\w+)-(?:at|in|of)-")


_CAPITAL_WORD_BEFORE = re.compile(r"\b([A-Z][a-z]+) $")
_CAP_WORD = re.compile(r"\b[A-Z][\w’'\-]*")
_SENTENCE_END = ("", ".", "!", "?", "\"", "“", "”")  # what may come before a sentence
_TITLE_THEN_WORD = re.compile(r"\b(?=([A-Z][a-z]*\.?)[ \t]+([A-Z][\w’'\-]+))")  # overlapping
_LOWERCASE_WORD = re.compile(r"\b[a-z]+\b")


def _with_first_name(text: str, start: int, lower_words: set[str]) -> int:
    """Move a tagged name's start back over a first name the tagger left out
    ("Mamadou Dia" tagged as "Dia"), unless the word is a title or the article also uses it
    in lower case ("Will Dia …" beside "will")."""
    m = _CAPITAL_WORD_BEFORE.search(text, max(0, start - 30), start)
    if m is None:
        return start
    word = m.group(1)
    low = word.lower()
    if (low not in first_name_genders() or word in SENTENCE_WORDS or low in TITLE_WORDS
            or low in lower_words):
        return start
    return m.start()


_NAME_AFTER = re.compile(r"[ \t]+([A-Z][\w’'\-]+(?:[ \t]+[A-Z][\w’'\-]+){0,2})")


def _past_title(text: str, start: int, end: int) -> int:
    """The end of a tagged "person" that is only a title ("Councillor" in "Councillor Ana
    Bailão"), moved over the name that follows it."""
    if not all(w.lower().rstrip(".") in TITLE_WORDS for w in text[start:end].split()):
        return end
    m = _NAME_AFTER.match(text, end)
    return m.end() if m else end


@cache
def first_name_genders() -> dict[str, str]:
    """Lower-case first name -> ``m`` or ``f`` (see ``scripts/build_first_names.py``)."""
    path = Path(__file__).with_name("data") / "first_names.tsv"
    rows = (line.split("\t") for line in path.read_text("utf-8").splitlines())
    return {row[0]: row[1] for row in rows if len(row) == 2 and not row[0].startswith("#")}


def _object_pronoun(text: str, g: re.Match[str]) -> bool:
    """``him``, or ``her`` not followed by the noun it possesses (``Rojo invited her to``):
    most often another person than the sentence subject."""
    word = g.group(1).lower()
    if word != "her":
        return word == "him"
    after = _NEXT_WORD.match(text, g.end())
    return after is None or after.group(1) in _OBJECT_HER_NEXT


_NEXT_WORD = re.compile(r"\s+([a-z]+)\b")
# Words after "her" that show it is an object, not a possessive ("told her that", "her to").
_OBJECT_HER_NEXT = {"to", "that", "and", "or", "but", "in", "on", "at", "for", "with", "from",
                    "by", "as", "the", "a", "an", "if", "when", "about", "into", "out", "up",
                    "down", "off", "back", "over", "again", "not", "how", "what", "why"}


def _person_head(word: str) -> bool:
    """A noun for a person: a title or role (``sergeant-at-arms``), an agent noun or a
    word for kin or kind (``widow``, ``son``)."""
    return (word.endswith(PERSON_SUFFIXES) or word in PERSON_NOUNS
            or any(w in TITLE_WORDS for w in word.split("-")))


_CALENDAR_WORDS = set(
    """monday tuesday wednesday thursday friday saturday sunday january february march
    april june july august september october november december""".split()
)
# Nouns with a role noun's ending that never name a person ("a number of residents").
_THING_NOUNS = set(
    """number matter quarter order letter paper water power corner border center centre
    chapter cluster layer disaster river winter summer weather theater theatre shelter
    amount percent event moment element content agreement settlement statement government
    department parliament document""".split()
)


# Party members and other people named by a capitalised word ("the Liberal").
_PARTY_WORDS = set(
    """democrat conservative liberal tory labourite independent progressive green
    libertarian moderate""".split()
)


def _role_noun(word: str) -> bool:
    """A person's role in apposition: a title word or an agent noun, not ``number``."""
    if any(w in TITLE_WORDS for w in word.split("-")):
        return True
    if word in _THING_NOUNS or word in ORG_HEADS or word in DOCUMENT_HEADS:
        return False
    return word.endswith(PERSON_SUFFIXES + ROLE_SUFFIXES) and not word.endswith("ment")


def _plural(word: str) -> bool:
    compound = _PREPOSITION_COMPOUND.match(word)
    if compound:  # "sergeant-at-arms", "mothers-in-law": the first noun carries the number
        word = compound.group(1)
    return word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3


def _inside(starts: list[tuple[int, int]], pos: int) -> bool:
    k = bisect.bisect_right(starts, (pos, len(starts) + 10**12)) - 1
    return k >= 0 and starts[k][0] <= pos < starts[k][1]
