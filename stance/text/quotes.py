"""Direct, indirect and mixed quote extraction with speaker attribution, no LLM.

Pipeline per article (all offsets index ``article.text`` exactly as read):

1. paragraphs, then quotation-mark spans per paragraph (``marks``), leaving out quoted
   titles; a paragraph signed with a name alone (an embedded post, a pull quote) is that
   person's quote;
2. sentences, never split inside a quotation, but cut after a quotation that ends its own
   sentence;
3. per sentence: attribution after a quotation (``"…," he said`` / ``said Smith``), before
   it (``Smith said: "…"``), mixed (``Smith said the plan was "silly"``), reported speech
   without marks (``Smith said (that) …``, ``…, Smith said.``, ``…, according to Smith``),
   and floating quotations (no attribution: inherit the current speaker);
4. speakers resolved in document order (``speakers.SpeakerResolver``).

spaCy (``use_nlp=True``) supplies named entities for the name inventory and, through the
dependency parse (``parse``), reported speech in cue sentences where the rules found none;
``use_nlp=False`` keeps the rule layer alone.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from stance.text.marks import ALL_MARKS, DOUBLE_MARKS, MarkSpan, paragraphs, scan_paragraph
from stance.text.nlp import entities, load_nlp, split_sentences
from stance.text.parse import parsed_reports
from stance.text.speakers import (
    DETERMINERS,
    DOCUMENT_HEADS,
    ORG_HEADS,
    ORG_WORDS,
    PERSON_SUFFIXES,
    PRONOUNS,
    QUANTIFIERS,
    SENTENCE_WORDS,
    TITLE_WORDS,
    SpeakerResolver,
    _person_head,
)
from stance.types import Article, Quote

# Cues that introduce reported speech directly (``X said the plan …``).
STRONG_CUES = {"said", "says", "say", "told", "tells", "tell", "saying"}
# Cues that introduce reported speech only with ``that`` (``X warned that …``).
THAT_CUES = set(
    """noted notes warned warns explained explains stated states argued argues claimed claims
    insisted insists acknowledged acknowledges admitted admits announced announces suggested
    suggests stressed stresses emphasized emphasised emphasizes emphasises conceded concedes
    recalled recalls observed observes commented comments remarked maintained maintains
    predicted predicts cautioned cautions confirmed confirms reported reports testified
    tweeted wrote writes write alleged alleges believes believe believed thinks think thought
    agreed agrees concluded concludes contended contends countered counters replied replies
    responded responds asserted asserts declared declares vowed vows promised promises
    complained complains indicated indicates revealed reveals disclosed explain note warn
    argue claim insist acknowledge admit suggest agree contend allege predict
    reiterated reiterates feels felt estimated estimates hopes hoped worries worried
    pointed points continued continues added adds report lamented laments confessed
    confesses boasted boasts bragged brags hinted hints speculated speculates pledged
    pledges""".split()
)
# Cues of belief rather than speech: the parse layer does not report them on its own.
COGNITION_CUES = set(
    """believes believe believed thinks think thought feels felt hopes hoped worries worried
    estimated estimates""".split()
)
# Further cues accepted only next to a quotation (``"…," she asked``).
QUOTE_CUES = set(
    """asked asks answered answers joked jokes laughed shouted yelled whispered mused
    quipped exclaimed sighed began begins offered offers posted recounted described
    describes texted emailed wondered wonders chimed moaned moans grumbled screamed
    screams pleaded gushed raved fumed reads""".split()
)
# Cues that, with a document as subject (``the study estimated``), report a finding.
INFERENCE_CUES = {
    "suggests", "suggested", "suggest", "estimated", "estimates", "concluded", "concludes",
    "indicated", "indicates",
}
# Participles that, after a comma, give the sentence subject's words with "that" ("X
# criticised the plan, adding that …"); "saying" needs no "that".
PARTICIPLE_CUES = {"adding", "noting", "arguing", "explaining", "insisting", "warning", "joking",
                   "admitting", "claiming", "conceding", "revealing", "confirming"}
ALL_CUES = STRONG_CUES | THAT_CUES | QUOTE_CUES | PARTICIPLE_CUES
_CUE_RE = re.compile(r"\b(?:" + "|".join(sorted(ALL_CUES, key=len, reverse=True)) + r")\b")
_ACCORDING_RE = re.compile(r"\b[Aa]ccording to\b")
_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|\w+(?:[’'\-\.&]\w+)*(?:[’']s?)?|[^\w\s\u200b-\u200d\ufeff]")
WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday".split()
MONTHS = (
    "january february march april may june july august september october november december"
).split()
TIME_WORDS = set(WEEKDAYS + MONTHS + "today yesterday tonight earlier later".split())
PERIOD_WORDS = {"week", "month", "year", "morning", "afternoon", "evening", "weekend"}
ADVERBS = set(
    """also has have had would will could may might later then previously earlier recently
    further once again repeatedly reportedly simply just has've first last finally often
    already since quickly flatly publicly privately bluntly candidly frankly openly
    even still initially originally subsequently separately has'd did does do is was were
    are be been being not never""".split()
)
BARE_SPEAKERS = set(
    """police officials authorities experts critics researchers scientists analysts
    investigators prosecutors residents doctors organizers organisers advocates economists
    lawyers sources witnesses parents protesters officers spokesperson spokesman spokeswoman
    students teachers observers neighbours neighbors supporters opponents democrats
    republicans conservatives liberals members leaders voters workers people staff""".split()
)
STOP_BEFORE = set(
    """who which that and but or when while because as if after before is was were are
    be been in on at of for to with by from into than so what where how why not""".split()
)
# Words after which a bare plural (``but forecasters say``) starts a clause.
CLAUSE_OPENERS = {
    "but", "and", ",", "while", "yet", ":", "although", "though", "whereas", "because", "as",
    "when", "if", "since",
}
_POSSESSIVE_END = re.compile(r"(?:[’']s|s[’'])$")  # "Trudeau's", "Barrientos'"
# A capitalised word, or a name with a lowercase particle: "al-Jabouri", "el-Sisi", "bin-Ali".
_CAP = re.compile(r"[A-Z]|(?:al|el|ad|as|ash|at|bin|ibn|abu|ben)-[A-Z]")
_ADVERB_LY = re.compile(r"[a-z]{3,}ly|sometimes|often|always|never|usually")
NAME_JOINERS = {"of", "for", "de", "van", "von", "al", "la", "le", "and"}
TITLE_ABBR = set(
    """mr mrs ms dr gen lt col maj capt cpl sgt adm cmdr gov sen rep del rev hon prof det const
    supt insp st jr sr co inc corp ltd""".split()
)


# Related-content boxes ("READ MORE: …", "WATCH: …") are headlines, not reporting.
_LINK_PARAGRAPH = re.compile(r"(?:READ MORE|WATCH|RELATED|MORE|LISTEN|SEE ALSO)\b[^:\n]{0,20}:")


def _is_heading(text: str, lo: int, hi: int) -> bool:
    """A short line without sentence-final punctuation (a subhead, often a quoted phrase,
    which may run a little longer: ``'Hard to share such a small room every night'``)."""
    body = text[lo:hi].rstrip(" \t\"'”’»")
    quoted = text[lo] in "\"'“‘«" and len(body) < hi - lo
    limit = 20 if quoted else 10
    return len(body.split()) <= limit and not body.endswith((".", "!", "?", ":", ",", "…"))


_HEADLINE_SAYS = re.compile(r"\b(?:says|say)\b")
# An embedded post: "… https://t.co/x — Jane Doe (@janedoe) May 2, 2019".
_POST_SIGNATURE = re.compile(
    r"\s*—\s*(?P<name>[^—()\n]{2,60}?)\s*\(@\w{1,30}\)\s*[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4}$"
)
_POST_LINK = re.compile(r"(?:https?://|pic\.twitter\.com/)\S*")
_TRAILING_TAGS = re.compile(r"(?:\s*#\w+)+$")
# A pull quote: sentences, then the speaker's name alone ("… an emergency. Jane Doe").
_PULL_SIGNATURE = re.compile(
    r"(?<=[a-z0-9)’'][.!?])\s+"
    r"(?P<name>[A-Z][\w’'\-]+(?:\s+(?:[A-Z]\.|[A-Z][\w’'\-]+)){0,2}\s+[A-Z][\w’'\-]+)$"
)
_PHOTO = re.compile(r"\bphoto\b", re.IGNORECASE)


def _signed_paragraph(text: str, lo: int, hi: int) -> _Cand | None:
    """A paragraph of someone's own words signed with the name alone: an embedded social
    media post or a pull quote. There is no cue verb; the signature is the attribution."""
    window = max(lo, hi - 160)
    post = _POST_SIGNATURE.search(text, window, hi) if text.find("(@", window, hi) >= 0 else None
    if post is not None:
        link = _POST_LINK.search(text, lo, post.start())
        end = _trim(text, lo, link.start() if link else post.start())[1]
        tags = _TRAILING_TAGS.search(text, max(lo, end - 200), end)
        end = tags.start() if tags else end
        s, e = _trim(text, lo, end)
        if len(text[s:e].split()) >= 3:
            return _Cand(s, e, "indirect", post.span("name"), None)
        return None
    pull = _PULL_SIGNATURE.search(text, max(lo, hi - 80), hi)
    if pull is None or pull.group("name").split()[0] in SENTENCE_WORDS:
        return None
    s, e = _trim(text, lo, pull.start())
    if len(text[s:e].split()) < 5 or _PHOTO.search(text, s, e) or any(
        c in DOUBLE_MARKS for c in text[s:e]
    ):
        return None
    return _Cand(s, e, "indirect", pull.span("name"), None)


# Lower-case words a title may contain ("Collapse of the Old Order").
_TITLE_SMALL = {
    "a", "an", "the", "of", "and", "or", "in", "on", "at", "to", "for", "by", "with", "from",
}


def _is_title(text: str, q: MarkSpan) -> bool:
    """A quoted title in title case (``“The Kid Who Would Be King”``), not speech: two
    words or more, each capitalised or a short function word, no closing punctuation."""
    words = text[q.inner[0]:q.inner[1]].split()
    if len(words) < 2 or not words[0][:1].isupper() or words[-1][-1] in ".!?,;:…":
        return False
    return all(w[:1].isupper() or w in _TITLE_SMALL or not w[:1].isalpha() for w in words)


@dataclass
class _Cand:
    start: int
    end: int
    kind: str
    mention: tuple[int, int] | None
    cue: tuple[int, int] | None


def extract_quotes(article: Article, nlp: Any = None, use_nlp: bool = True) -> list[Quote]:
    """Quotes in ``article`` ordered by start offset, non-overlapping, with speakers.

    ``nlp`` is an optional preloaded spaCy pipeline (its entities feed name resolution);
    without one the default pipeline is loaded once per process, unless ``use_nlp`` is
    false, in which case names come from capitalisation rules alone.
    """
    text = article.text
    if not text or not text.strip():
        return []
    cands: list[_Cand] = []
    all_sents: list[tuple[int, int]] = []
    paras = paragraphs(text)
    for lo, hi in paras:
        if _LINK_PARAGRAPH.match(text, lo, hi):
            continue
        signed = _signed_paragraph(text, lo, hi)
        if signed is not None:
            cands.append(signed)
        if _is_heading(text, lo, hi):
            # a subhead is reporting only when it attributes ("Witness says water surged …")
            if _HEADLINE_SAYS.search(text, lo, hi):
                cands.extend(_reported_all(text, lo, hi))
            continue
        spans = [q for q in scan_paragraph(text, lo, hi) if not _is_title(text, q)]
        sents = split_sentences(text, lo, hi, protected=[s.outer for s in spans])
        sents = _split_after_closed_quotes(text, sents, spans)
        all_sents.extend(sents)
        para_first = True
        for s_lo, s_hi in sents:
            inside = [q for q in spans if s_lo <= q.open < s_hi or s_lo <= q.outer[1] - 1 < s_hi]
            if inside:
                found = _quoted_sentence(text, s_lo, s_hi, inside, para_first, lo)
            else:
                found = _reported_all(text, s_lo, s_hi)
            relayed = _quoted_as_saying(text, s_lo, s_hi)
            if relayed is not None:
                found = [c for c in found if c.end <= relayed.mention[0] or c.start >= relayed.end]
                found.append(relayed)
            cands.extend(found)
            para_first = False
    cands = [c for c in cands if not (c.mention and text[c.mention[0]:c.mention[1]] == "I")]
    cands = _non_overlapping(cands)
    ents, ner_end = None, None
    if use_nlp:
        nlp = nlp if nlp is not None else load_nlp()
        ents, ner_end = entities(text, nlp, paras)
        cands = _non_overlapping(cands + _parsed_cands(text, nlp, all_sents, cands))
    _attribute_block_quotes(text, paras, all_sents, cands)
    quoted = [(c.start, c.end) for c in cands if c.kind == "direct"]
    resolver = SpeakerResolver.build(
        text, None, all_sents, paras, quoted, ents=ents, ner_end=ner_end
    )
    quotes = []
    for c in cands:
        mention = text[c.mention[0]:c.mention[1]] if c.mention else None
        pos = c.mention[0] if c.mention else c.start
        speaker = resolver.resolve(mention, pos)
        if c.cue is not None or c.mention is None:  # a signed post does not take the floor
            resolver.note_speaker(speaker, max(pos, c.start), c.mention[0] if c.mention else None)
        quotes.append(
            Quote(
                doc=article.doc,
                text=text[c.start:c.end],
                start=c.start,
                end=c.end,
                speaker=speaker,
                speaker_mention=mention,
                mention_start=c.mention[0] if c.mention else None,
                mention_end=c.mention[1] if c.mention else None,
                cue=text[c.cue[0]:c.cue[1]] if c.cue else None,
                kind=c.kind,
            )
        )
    _attribute_runs_from_their_end(text, quotes)
    return quotes


def _attribute_runs_from_their_end(text: str, quotes: list[Quote]) -> None:
    """A quotation over several paragraphs attributed only in its last one (``“A.`` /
    ``“B,” said X``): its unattributed opening paragraphs take the closing one's speaker."""
    for k in range(len(quotes) - 2, -1, -1):
        q, nxt = quotes[k], quotes[k + 1]
        between = text[q.end:nxt.start]
        mark = between.strip()
        if (q.speaker is None and q.speaker_mention is None and nxt.speaker is not None
                and "\n" in between and len(mark) == 1 and mark in ALL_MARKS):
            q.speaker = nxt.speaker


def _attribute_block_quotes(
    text: str, paras: list[tuple[int, int]], sents: list[tuple[int, int]], cands: list[_Cand]
) -> None:
    """A quotation opening a paragraph right after one that ends in an attribution and a
    colon ("The New York Times reports:") takes that attribution."""
    para_starts = [lo for lo, _ in paras]
    sent_starts = sorted(lo for lo, _ in sents)
    for c in cands:
        if c.mention is not None or c.kind != "direct":
            continue
        k = bisect.bisect_right(para_starts, c.start) - 1
        if k < 1 or text[paras[k][0]:c.start].strip(ALL_MARKS + " \t"):
            continue
        p_lo, p_hi = paras[k - 1]
        body = text[p_lo:p_hi].rstrip()
        if not body.endswith(":"):
            continue
        end = p_lo + len(body)
        s_lo = sent_starts[max(0, bisect.bisect_right(sent_starts, end - 1) - 1)]
        pre = _pre_attribution(text, max(p_lo, s_lo), end)
        if pre is not None and pre[2] is None and (
            pre[1] is None or text[pre[1][0]:pre[1][1]].lower() not in _THAT_ONLY
        ):  # not a heading such as "Key points:"
            c.mention, c.cue = pre[0], pre[1]


# Words that open what a cue reports: after '….” Jones writes' they start new content.
_COMPLEMENTIZERS = {"that", "how", "why", "whether", "what", "if"}


def _split_after_closed_quotes(
    text: str, sents: list[tuple[int, int]], spans: list[MarkSpan]
) -> list[tuple[int, int]]:
    """Cut a sentence after a quotation that ends its own sentence (``….” Jones writes
    that …``) unless only an attribution of that quotation follows (``….” Jones said.``).

    The sentence splitter never cuts inside a quotation, so it keeps such pairs together.
    """
    if not spans:
        return sents
    out: list[tuple[int, int]] = []
    k = 0
    for s_lo, s_hi in sents:
        while k < len(spans) and spans[k].outer[1] <= s_lo:
            k += 1
        lo = s_lo
        j = k
        while j < len(spans) and spans[j].open < s_hi:
            q = spans[j]
            j += 1
            end = q.outer[1]
            if not q.closed or end >= s_hi or end <= lo:
                continue
            if text[q.inner[0]:q.inner[1]].rstrip()[-1:] not in (".", "!", "?"):
                continue
            nxt = end
            while nxt < s_hi and text[nxt].isspace():
                nxt += 1
            # a new quotation may open the next sentence: '… were “possible.” “We will see,”'
            first = nxt + 1 if nxt < s_hi and text[nxt] in ALL_MARKS else nxt
            if nxt == end or first >= s_hi or not text[first].isupper():
                continue
            limit = spans[j].open if j < len(spans) and spans[j].open < s_hi else s_hi
            post = _post_attribution(text, end, limit)
            rest = text[post[2]:limit].split()[:1] if post is not None else []
            if post is not None and (not rest or rest[0] not in _COMPLEMENTIZERS):
                continue  # '“Why me?” Smith asked.', '…?” Lin asked before teeing off.'
            out.append((lo, end))
            lo = nxt
        out.append((lo, s_hi))
    return out


# --------------------------------------------------------------------------- helpers


def _tokens(text: str, lo: int, hi: int) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text, lo, hi)]


def _trim(text: str, s: int, e: int, strip: str = " \t,;:—–-") -> tuple[int, int]:
    while s < e and (text[s].isspace() or text[s] in strip):
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in strip):
        e -= 1
    return s, e


def _inner(text: str, q: MarkSpan) -> tuple[int, int]:
    s, e = q.inner
    while s < e and text[s].isspace():
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] == ","):
        e -= 1
    return s, e


def _is_cap(tok: str) -> bool:
    return bool(_CAP.match(tok))


def _abbr(toks: list[tuple[int, int, str]], k: int) -> bool:
    """Whether the period token ``toks[k]`` closes an initial or a title abbreviation."""
    if k == 0:
        return False
    word = toks[k - 1][2]
    return (len(word) == 1 and word.isupper()) or word.lower() in TITLE_ABBR


# An age and home town set off by commas after a name: ", 32, of Upminster, east London, ".
_AGE_HOME_TAIL = re.compile(
    r",\s+\d{1,3},\s+(?:of|from)\s+[A-Z][^,;.“”\"]{0,40}(?:,\s+[a-z]*\s*[A-Z][\w\-]+)?,?\s*$"
)


# A relative clause set off by commas right before a cue: ", who also included …, China, ".
_RELATIVE_TAIL = re.compile(r",\s+who\s+[^;:.“”\"]*,\s*$")
# A sentence-opening preposition before a noun phrase: "In a message posted …" is no subject.
_PREPOSITION_BEFORE = re.compile(r"\b(?:in|on|at|from|into|under|during)\s+$", re.IGNORECASE)
# A US legislator's party and state after the name: "Rep. John Mica (R-Fla.)".
_PARTY_STATE_TAIL = re.compile(r"\s*\((?:[RDI]|Ind)\s*[-–]\s*[A-Z][A-Za-z. ]{0,20}\)\s*$")


def _np_before(text: str, end: int, lo: int, allow_appos: bool = True) -> tuple[int, int] | None:
    """Speaker noun phrase ending right before ``end`` (skipping adverbs and auxiliaries)."""
    tail = _AGE_HOME_TAIL.search(text, max(lo, end - 90), end)
    if tail is not None and tail.start() > lo:
        end = tail.start()  # "His mother Lucy, 32, of Upminster, east London, said"
    party = _PARTY_STATE_TAIL.search(text, max(lo, end - 40), end)
    if party is not None and party.start() > lo:
        end = party.start()  # "Rep. John Mica (R-Fla.) said"
    relative = _RELATIVE_TAIL.search(text, max(lo, end - 240), end)
    if relative is not None and allow_appos:
        # "the researchers, who included Ann Roe from a university in Kunming, China, warned"
        inner = _np_before(text, relative.start(), lo, allow_appos=False)
        if inner is not None:
            return inner
    toks = _tokens(text, max(lo, end - 140), end)
    k = len(toks) - 1
    while k >= 0 and (toks[k][2].lower() in ADVERBS or _ADVERB_LY.fullmatch(toks[k][2])):
        if k >= 2 and toks[k - 1][2] == "." and _abbr(toks, k - 1) and _is_cap(toks[k][2]):
            break  # "Ms. May said": a name, not the modal
        k -= 1
    # "Smith on Wednesday said", "Smith Tuesday said"
    title_before = k >= 2 and toks[k - 1][2] == "." and _abbr(toks, k - 1)
    if k >= 0 and toks[k][2].lower() in TIME_WORDS and not title_before:  # not "Ms. May"
        k -= 1
        if k >= 0 and toks[k][2].lower() == "on":
            k -= 1
    elif k >= 1 and toks[k][2].lower() in PERIOD_WORDS and toks[k - 1][2].lower() in (
        "this", "last", "next", "earlier", "later"
    ):
        k -= 2  # "Trump this week also said", "Lee earlier this month told"
        if k >= 0 and toks[k][2].lower() in ("earlier", "later"):
            k -= 1
    if k < 0:
        return None
    end_k = k
    if toks[k][2] == "." and _abbr(toks, k):
        k -= 1  # "Acme Corp. said"
    tok = toks[k][2]
    low = tok.lower()
    if low in PRONOUNS and low not in ("him", "them", "her"):
        if k > 0 and toks[k - 1][2].lower() in ("as", "than", "that", "which"):
            return None
        return toks[k][0], toks[k][1]
    if tok == "," and allow_appos:
        # "Tareq Hadad, the co-founder …, a company based in Antigonish, N.S., says"
        subj = _sentence_subject(_tokens(text, lo, min(end, lo + 80)), lo)
        if subj is not None and text[subj[1]] == "," and text[subj[0]:subj[1]] not in (
            SENTENCE_WORDS
        ) and not _CUE_RE.search(text, subj[1], toks[k][0]):
            return subj
        j = k - 1
        while j >= 0 and toks[j][2] not in (",", "(", "—", "–") and k - j <= 25:
            if toks[j][2] in ('"', "“", "”", ";") or (toks[j][2] == "." and not _abbr(toks, j)):
                return None
            j -= 1
        if j >= 0 and toks[j][2] in (",", "—", "–") and k - j > 1:
            appos = toks[j + 1:k]
            if appos[0][2] in ("and", "but", "or"):
                return None  # "— and many fail, said Dr. X": a clause, not an apposition
            head = _np_before(text, toks[j][0], lo, allow_appos=False)
            head_nominal = head is not None and text[head[0]:head[1]].split()[0].lower() in (
                DETERMINERS
            )
            name_like = appos and all(_is_cap(t[2]) or t[2] in (".", "and") for t in appos)
            if name_like and (
                head is None or not _is_cap(text[head[0]]) or head_nominal
                or (len(appos) >= 2 and appos[-1][2] != "." and _is_cap(appos[-2][2]))
            ):
                return appos[0][0], appos[-1][1]  # "His lawyer, Zhang Dongshuo, said"
            if head is not None and _is_cap(text[head[0]]):
                return head
            first = _sentence_subject(toks, lo)
            return first if first is not None else head
        return None
    if low in ("having", "being"):
        return None  # "Having said that, …": a participle, not a name
    if _is_cap(tok) and not (k > 0 and toks[k - 1][2] == "." and not _abbr(toks, k - 1)):
        j = k
        while j - 1 >= 0:
            prev = toks[j - 1][2]
            joins = prev.lower() in NAME_JOINERS and j - 2 >= 0 and _is_cap(toks[j - 2][2])
            if _is_cap(prev) or (prev == "." and _abbr(toks, j - 1)) or joins:
                j -= 1
            else:
                break
        while j <= k and toks[j][2].lower() in ("of", "for", "and", "."):
            j += 1
        if j > k:
            return None
        while j <= k and toks[j][2] in SENTENCE_WORDS and toks[j][2] not in ("The", "A", "An"):
            j += 1
        if j > k:
            opens = k == 0 or toks[k - 1][2] == "," or toks[k - 1][2].lower() in CLAUSE_OPENERS
            if tok.lower() in _GROUP_PRONOUNS and opens:
                return toks[k][0], toks[k][1]  # "Some complained that …"
            return None
        if j > 0 and toks[j - 1][2].lower() in ("as", "than"):
            return None
        k = end_k
        # "Tim Guest with the Nova Scotia Health Authority says": the person, not the org
        p = j - 1
        if p >= 0 and toks[p][2].lower() == "the":
            p -= 1
        if p >= 1 and toks[p][2].lower() in ("with", "at", "of", "from") and _is_cap(
            toks[p - 1][2]
        ):
            person = _np_before(text, toks[p][0], lo, allow_appos=False)
            if person is not None and _is_cap(text[person[0]]):
                return person
        if p >= 2 and toks[p][2].lower() in ("of", "for", "at", "with"):
            # "the former chair of the Senate committee said": the chair speaks
            head = _head_before_pp(text, lo, toks[p + 1][0])
            if head is not None:
                return head, toks[k][1]
        return toks[j][0], toks[k][1]
    if tok.isalpha() and tok.islower():
        if low in STOP_BEFORE or low in TIME_WORDS:
            return None
        j = k
        while j - 1 >= 0 and k - j < 6:
            prev = toks[j - 1][2]
            if (prev.lower() in DETERMINERS or prev.lower() in QUANTIFIERS
                    or prev.lower() == "one") and prev.lower() != "that":  # "one fan wrote"
                if j - 2 >= 0 and toks[j - 2][2].lower() in ("as", "than"):
                    return None
                if j - 3 >= 0 and toks[j - 2][2].endswith("ing") and toks[j - 3][2].isalpha():
                    # "The parole board decision allowing his release said": the object of
                    # a participle does not speak; the noun it modifies does
                    outer = _np_before(text, toks[j - 2][0], lo, allow_appos=False)
                    if outer is not None:
                        return outer[0], toks[j - 3][1]
                # "another member of the public said": the head before the phrase speaks
                head = _head_before_pp(text, lo, toks[j - 1][0])
                return (toks[j - 1][0] if head is None else head), toks[k][1]
            if prev.lower() in STOP_BEFORE or not (prev[0].isalnum()):
                break
            if prev.lower() in PRONOUNS:
                return None  # "the distrust she sometimes feels": a clause, not a speaker
            j -= 1
        role = low in ORG_HEADS or low in TITLE_WORDS or low.rstrip("s").endswith(PERSON_SUFFIXES)
        role = role or low in ORG_WORDS or low in DOCUMENT_HEADS  # "Lee's Facebook profile"
        owner = k - 1
        while owner > 0 and k - owner < 4 and toks[owner][2].isalpha() and (
            not _POSSESSIVE_END.search(toks[owner][2])
        ):
            owner -= 1  # "Cisco's Talos security unit said": the owner is further back
        if role and owner >= 0 and _is_cap(toks[owner][2]) and _POSSESSIVE_END.search(
            toks[owner][2]
        ):
            # "Trudeau's office said", "Apple's chief executive said"
            j = owner
            while j - 1 >= 0 and _is_cap(toks[j - 1][2]) and toks[j - 1][2] not in SENTENCE_WORDS:
                j -= 1
            if toks[j][2] not in SENTENCE_WORDS:
                return toks[j][0], toks[k][1]
        plural = low.endswith("s") and not low.endswith("ss") and len(low) > 3
        if low in BARE_SPEAKERS or plural:
            j = k
            while j - 1 >= 0 and k - j < 3:
                prev = toks[j - 1][2]
                if prev in SENTENCE_WORDS or not (
                    _is_cap(prev) or (prev.isalpha() and prev.lower() not in STOP_BEFORE)
                ):
                    break
                j -= 1
            if j == 0 or toks[j - 1][2].lower() in CLAUSE_OPENERS:
                people = low[:-1].endswith(PERSON_SUFFIXES)  # "forecasters", "analysts"
                if low in BARE_SPEAKERS or j < k or people:
                    return toks[j][0], toks[k][1]
                if j == 0 and toks[0][0] == lo:
                    return toks[j][0], toks[k][1]
    return None


# Quantifiers that speak for a group on their own ("Some complained that …").
_GROUP_PRONOUNS = {"some", "many", "several", "most", "few", "both"}  # not "All told,"


def _sentence_subject(toks: list[tuple[int, int, str]], lo: int) -> tuple[int, int] | None:
    """A name run opening the window and followed by a comma (``Sarah Buckley, who …``), or
    the pronoun after an opening adverb (``Nonetheless, she …``)."""
    if not toks or toks[0][0] != lo:
        return None
    if toks[0][2] in SENTENCE_WORDS and len(toks) > 2 and toks[1][2] == ",":
        pronoun = toks[2][2].lower() in PRONOUNS  # an opening adverb, not a name
        return (toks[2][0], toks[2][1]) if pronoun else None
    j = 0
    while j < len(toks) and (_is_cap(toks[j][2]) or (toks[j][2] == "." and _abbr(toks, j))):
        j += 1
    if 0 < j < len(toks) and toks[j][2] == "," and toks[0][2] not in ("The", "A", "An", "In"):
        return toks[0][0], toks[j - 1][1]
    return None


def _np_after(text: str, start: int, hi: int) -> tuple[int, int] | None:
    """Speaker noun phrase right after an inverted cue (``said Oilers coach Ken Hitchcock``)."""
    toks = _tokens(text, start, min(hi, start + 200))
    k = 0
    while k < len(toks) and toks[k][2].lower() in TIME_WORDS | {"on", "last", "this"}:
        k += 1
    if k + 1 < len(toks) and toks[k][2] in ("out", "up") and toks[k + 1][2][:1].isalpha():
        k += 1  # "points out the Cambridge resident", "speaks up Mayor Ann Roe"
    if k >= len(toks):
        return None
    first = toks[k][2]
    if first.lower() in PRONOUNS and first.lower() not in ("him", "them", "her", "it"):
        return toks[k][0], toks[k][1]
    j = k
    stops = {"who", "which", "that", "in", "on", "at", "during", "after", "before", "when",
             "while", "as", "because", "adding", "noting", "saying", "according", "about",
             "of", "to", "is", "are", "was", "were", "has", "have", "had", "will", "would",
             "with", "from"}
    # "wrote one fan", "said one official"
    nominal = first.lower() in DETERMINERS or (
        first.lower() == "one" and k + 1 < len(toks) and toks[k + 1][2].isalpha())
    while j < len(toks) and j - k < 10:
        t = toks[j][2]
        if t in (",", ";", ":", "“", "”", '"', "(", "—", "–", "!", "?"):
            break
        if t == "." and not (j > k and (len(toks[j - 1][2]) <= 3 and _is_cap(toks[j - 1][2]))):
            break
        cap_next = j + 1 < len(toks) and _is_cap(toks[j + 1][2])
        if t.lower() in stops and not (
            (nominal and t.lower() in ("of", "for")) or (t == "of" and cap_next)
            # "the latest numbers from Statistics …", "a statement from the RCMP"
            or (nominal and t == "from" and (cap_next or (
                j + 2 < len(toks) and toks[j + 1][2] == "the" and _is_cap(toks[j + 2][2]))))
            # "the Alliance to Reclaim Our Schools": a named organisation goes on
            or (t == "to" and cap_next and j > k and toks[j - 1][2].lower() in ORG_WORDS
                and _is_cap(toks[j - 1][2]))
        ):
            break
        if t.lower() in ("for",) and not nominal:
            break
        if t.lower() == "and" and j + 1 < len(toks) and not _is_cap(toks[j + 1][2]):
            # "oil and gas worker Mike Wipf": a compound role before a name goes on
            n = j + 1
            while n < len(toks) and n - j <= 4 and toks[n][2].isalpha() and toks[n][2].islower():
                n += 1
            if nominal or n >= len(toks) or not _is_cap(toks[n][2]) or n - j > 4:
                break
        j += 1
    if j == k:
        return None
    span = toks[k:j]
    named = _appositive_name(toks, j)
    if named is not None and span[-1][2].islower():
        return named  # "says the group's president, Ann Roe", "says Campbell's partner, Jo Li"
    if nominal:
        return span[0][0], span[-1][1]
    # the trailing capitalised run is the name: "MaRS director Adam Jagelewski"
    e = len(span) - 1
    while e >= 0 and not _is_cap(span[e][2]):
        e -= 1
    if e < 0:
        # "sources familiar with the talks", "administration officials unauthorized to …"
        for _, tok_end, tok in span:
            low = tok.lower()
            if low in BARE_SPEAKERS or (low[:-1].endswith(PERSON_SUFFIXES) and low[-1] == "s"):
                return span[0][0], tok_end
        return None
    s = e
    while s - 1 >= 0 and (
        _is_cap(span[s - 1][2])
        or span[s - 1][2] == "."
        or (span[s - 1][2] == "of" and s - 2 >= 0 and _is_cap(span[s - 2][2]))
    ):
        s -= 1
    while s <= e and span[s][2] == ".":
        s += 1
    return span[s][0], span[e][1]


def _appositive_name(toks: list[tuple[int, int, str]], j: int) -> tuple[int, int] | None:
    """A name of up to three words set off by a comma at ``toks[j]`` and ending its clause
    (``, Ann Roe.``; a single word only when the sentence ends with it: ``, Darrin.``)."""
    if j >= len(toks) or toks[j][2] != ",":
        return None
    n = j + 1
    while n < len(toks) and n - j <= 3 and _is_cap(toks[n][2]) and toks[n][2].isalpha():
        n += 1
    words = n - j - 1
    after = toks[n][2] if n < len(toks) else "."
    if words == 0 or after not in (".", ",", ";", "”", '"') or (words == 1 and after != "."):
        return None
    return toks[j + 1][0], toks[n - 1][1]


_LOWER_WORD = re.compile(r"\b[a-z]{3,14}\b")


@lru_cache(maxsize=8)
def _cue_index(text: str) -> tuple[list[int], list[tuple[int, int]]]:
    """All cue-word spans of one article, found once and shared by every sentence."""
    spans = [(m.start(), m.end()) for m in _LOWER_WORD.finditer(text) if m.group() in ALL_CUES]
    return [a for a, _ in spans], spans


def _cues(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    starts, spans = _cue_index(text)
    i = bisect.bisect_left(starts, lo)
    j = bisect.bisect_left(starts, hi, i)
    return [sp for sp in spans[i:j] if sp[1] <= hi]


def _post_attribution(
    text: str, pos: int, hi: int
) -> tuple[tuple[int, int], tuple[int, int] | None, int] | None:
    """``," he said`` / ``," said Smith`` right after a quotation: (mention, cue, end)."""
    signed = _DASH_SIGNATURE.match(text, pos, hi)
    if signed:  # '“…” ― Ana Ruiz': a signature, as in a gallery of readers' comments
        return signed.span("name"), None, signed.end("name")
    p = pos
    while p < hi and (text[p].isspace() or text[p] in ",—–-"):
        p += 1
    if p >= hi:
        return None
    last = text[max(0, pos - 4):pos].rstrip(ALL_MARKS)[-1:]  # the quotation's last character
    closed_sentence = last == "." and _NEW_SENTENCE.match(text, p)
    window = min(hi, p + 160)
    acc = _ACCORDING_RE.match(text, p, window)
    if acc:
        np = _np_after(text, acc.end(), hi)  # '…," according to Dr. Keith Ahamad'
        if np is not None:
            return np, (acc.start(), acc.end()), np[1]
    for cs, ce in _cues(text, p, window):
        if cs == p:
            np = _np_after(text, ce, hi)
            if np is not None:
                return np, (cs, ce), max(np[1], ce)
            return None
        quoted_as = _QUOTED_AS.search(text, p, cs)
        np = _np_before(text, quoted_as.start() if quoted_as else cs, p)
        if np is not None and (
            _only_space(text, p, np[0]) or (_descriptor(text, p, np[0]) and not closed_sentence)
        ):
            if last in (".", "!", "?"):
                c_start, saw_that = _content_start(text, (cs, ce), hi)
                if saw_that or _clause_ahead(text, c_start, hi):
                    return None  # "'… on time.' Sources claimed the plan was …": a new report
            return np, (cs, ce), ce
        return None
    m = _ED_POST.match(text, p, window)
    if m:
        if m.group("v1"):
            np = _np_after(text, m.end("v1"), hi)
            if np is not None:
                return np, (m.start("v1"), m.end("v1")), np[1]
        else:
            np = _np_before(text, m.start("v2"), p)
            if np is not None and _only_space(text, p, np[0]):
                return np, (m.start("v2"), m.end("v2")), m.end("v2")
    return None


# A name signed after a quotation with a dash, then nothing or the next quotation.
_SIGNED_WORD = r"(?:[A-Z][\w’'\-]+|[A-Z]\.?|de|del|da|van|von|la|le|y)"
_DASH_SIGNATURE = re.compile(
    r"[^\S\n]*(?:—|―|--)[^\S\n]*(?P<name>[A-Z][\w’'\-]+(?:[^\S\n]+" + _SIGNED_WORD + r"){1,4})"
    r"(?=[^\S\n]*[.,]?[^\S\n]*(?:$|[“”\"|]|\n))"
)
# '“…,” he was quoted as saying', '“…,” Lee can be heard saying': the subject before the frame
# speaks.
_QUOTED_AS = re.compile(
    r"\s+(?:(?:was|were|is|are|has\s+been)\s+quoted\s+as|(?:can|could)\s+be\s+heard|"
    r"(?:was|were|is|are)\s+heard)\s+$"
)
# A quotation ending in a period followed by one of these words: a new sentence starts.
_NEW_SENTENCE = re.compile(
    r"(?:While|But|And|When|Although|Though|If|As|In|On|At|After|Before|Since|Yet|Still)\b"
)
_ED_POST = re.compile(
    r"(?P<v1>[a-z]{3,}ed)\s+(?=[A-Z]|the\b|an?\b)|"
    r"(?:[A-Z][\w’'\-]*(?:\s+[A-Z][\w’'\-]*){0,3}|he|she|they|it|we|I)\s+(?P<v2>[a-z]{3,}ed)\b"
    r"(?=(?:\s+(?:out|up|back|in|on|again))?\s*[.,;!?]|\s*$)"
)


def _descriptor(text: str, a: int, b: int) -> bool:
    """A short role phrase before a name: ``Carolina coach`` in ``," Carolina coach X said``."""
    words = text[a:b].split()
    if any(w.lower() in _CLAUSE_WORDS for w in words):
        return False  # '“renoviction” is when a landlord tells': a clause, not a role
    plain = _ABBREVIATION.sub("", text[a:b])  # "U.K. managing director", "Lt. Gov."
    return 0 < len(words) <= 8 and not any(c in plain for c in ".,;:“”\"!?()")


_CLAUSE_WORDS = {"is", "was", "are", "were", "when", "while", "if", "because", "where", "who"}
_ABBREVIATION = re.compile(r"\b(?:[A-Z]\.){2,}|\b[A-Z][a-z]{0,3}\.(?=\s+[A-Za-z])")


def _only_space(text: str, a: int, b: int) -> bool:
    return not text[a:b].strip(" \t,—–-")


_THAT_AHEAD = re.compile(
    r"\s*(?:(?:at|in|on|during|to|with|after|before|last|this|earlier|later|from|about|"
    r"under|via|through|over|by|for)\s+[^,.;:“”\"!?]{1,45}?\s+|(?:"
    + "|".join(WEEKDAYS + MONTHS + ["today", "yesterday", "tonight", "also", "again"])
    + r")\s+(?:\w+\s+)?|(?:several|many|multiple|a\s+few)\s+times\s+|however,?\s+|"
    r"[a-z]{3,}ly\s+)?that\b\s*",
    re.IGNORECASE,
)
_PAREN_THAT = re.compile(r"\s*,[^,]{1,40},\s*that\b\s*")
_TIME_AHEAD = re.compile(
    r"\s*(?:on\s+|last\s+|this\s+)?(?:" + "|".join(WEEKDAYS + ["today", "yesterday", "tonight"])
    + r")\b",
    re.IGNORECASE,
)
_TOLD_OBJ = re.compile(
    r"\s*(?:him|her|them|us|me|reporters|journalists|the\s+media|police|officers|"
    r"investigators|detectives|court|jurors|lawmakers|supporters|students|staff|"
    r"(?:[Tt]he\s+)?[A-Z][\w’'\.\-&]*(?:\s+(?:of\s+|and\s+)?[A-Z][\w’'\.\-&]*)*|"
    r"(?:the|a|an|his|her|their)\s+[\w’'\-]+(?:\s+[\w’'\-]+)?)\b"
)


def _content_start(text: str, cue: tuple[int, int], hi: int) -> tuple[int, bool]:
    """Where reported content starts after a cue; also whether ``that`` was seen."""
    word = text[cue[0]:cue[1]].lower()
    p = cue[1]
    if word in ("told", "tells", "tell"):
        m = _TOLD_OBJ.match(text, p, hi)
        if m:
            p = m.end()
    m = _PAREN_THAT.match(text, p, hi)
    if m:
        return m.end(), True
    m = _THAT_AHEAD.match(text, p, hi)
    if m and not _CUE_RE.search(text, p, m.start() + len(m.group())):
        return m.end(), True
    m = _TIME_AHEAD.match(text, p, hi) or _ADJUNCT_THEN_SUBJECT.match(text, p, hi)
    if m:
        p = m.end()
    while p < hi and (text[p].isspace() or text[p] in ",:"):
        p += 1
    return p, False


# 'stated in July it opposed …': a short adverbial, then the clause's subject pronoun
_ADJUNCT_THEN_SUBJECT = re.compile(
    r"\s*(?:in|on|at|during|last|this|earlier|later)\s+[^,.;:“”\"!?]{1,30}?,?\s+"
    r"(?=(?:he|she|it|they|we|I|there)\s)"
)


_ED_VERB = re.compile(r"\b([a-z]{3,}ed)\s*[,:]$")
_CALLED = re.compile(
    r"\b(call(?:s|ed|ing)?|dubb(?:ed|ing)|term(?:s|ed)|describ(?:es|ed|ing))\b"
    r"(?:\s+[\w’'\-]+){0,4}?(?:\s+as)?[\s,]*$"
)
_ED_PHRASE = re.compile(r"\b([a-z]{3,}ed)\b[^,.;:“”\"]{1,60}[,:]$")
_SUBJECT_AHEAD = re.compile(
    r"(?:he|she|it|they|we|I|you|there|his|her|their|its|this|these)\b", re.IGNORECASE
)
_NEXT_CLAUSE = re.compile(
    r",?\s+(?:and\s+(?:(?:he|she|they|it)\s+)?(?:also\s+)?(?:"
    + "|".join(sorted(STRONG_CUES | THAT_CUES, key=len, reverse=True))
    + r")|(?:adding|saying|noting|explaining|arguing|insisting|warning))\b"
)
_FINITE = re.compile(
    r"\b(?:is|are|was|were|has|had|have|will|would|could|should|can|may|might|must|did|does|"
    r"do|isn’t|wasn’t|won’t|can’t|didn’t|doesn’t|isn't|wasn't|won't|can't|didn't|doesn't|"
    r"need|needs|needed|remains|remain)\b"
)
_TAIL = re.compile(
    r",?\s*(?:according to\b[^,]*|(?:he|she|they|it|we)\s+(?:said|says|added|told\b[^,]*)"
    r"(?:\s+\w+)?)\s*[.!?]*$"
)


def _content_end(text: str, s: int, e: int) -> int:
    """Trim final punctuation, a trailing ``, according to X`` / ``, he said``, and stop
    before a second reported clause (``…, and added he …`` / ``…, saying …``)."""
    s2, e2 = _trim(text, s, e, " \t,;:—–-.")
    m = _NEXT_CLAUSE.search(text, s2, e2)
    if m and m.start() > s2 + 10:
        e2 = m.start()
    m = _TAIL.search(text, s2, e2)
    if m and m.start() > s2 + 10:
        e2 = m.start()
    for m in _CLAUSE_BREAK.finditer(text, s2 + 10, e2):
        # "… on the coast — but the hereditary leaders say …", "…: she notes that …":
        # a new attribution
        if _CUE_RE.search(" ".join(text[m.end():e2].split()[:6])):
            e2 = m.start()
            break
    return _trim(text, s2, e2, " \t,;:—–-.")[1]


# An adverbial between a cue and its quotation: 'joked in his turn to answer, “…”'.
_ADJUNCT_BEFORE_QUOTE = re.compile(
    r"(?:in|on|at|during|after|before|to|with|from|via|through|over|while|when|last|this|"
    r"earlier|later|again|also|then|as|of|about|" + "|".join(WEEKDAYS + MONTHS) + r")\b"
    r"[^“”\"«».;!?]{0,90}[,:]\s*",
    re.IGNORECASE,
)
_AS_PUT_IT = re.compile(
    r"(?P<as>\b[Aa]s)\s+[^“”\"]{2,160}?\s(?:[a-z]+ly\s+)?(?P<cue>put\s+it)\s*[,:]?\s*$")
_CLAUSE_BREAK = re.compile(
    r"\s*(?:(?:[,;]|\s[—–])\s*(?:but|while|whereas|and|though|although)\s|[:;]\s)"
)


def _pre_attribution(
    text: str, lo: int, qopen: int
) -> tuple[tuple[int, int] | None, tuple[int, int] | None, int | None] | None:
    """Attribution before a quotation: (mention, cue, mixed_content_start or None)."""
    s, e = _trim(text, lo, qopen, " \t")
    if e <= s:
        return None
    cues = [(cs, ce) for cs, ce in _cues(text, s, e)
            if not _NOUN_CUE.search(text, max(s, cs - 12), cs)]
    if not cues and text[e - 1] in ",:":
        m = _ED_VERB.search(text, s, e) or _ED_PHRASE.search(text, s, e)
        if m and _np_before(text, m.start(), s) is not None:
            cues = [(m.start(), m.start() + len(m.group(1)))]
    if not cues:
        if text[e - 1] == ":":
            np = _np_before(text, e - 1, s, allow_appos=False)
            if np is not None and _only_space(text, s, np[0]) and _only_space(text, np[1], e - 1):
                return np, None, None
        m = _ACCORDING_RE.search(text, s, e)
        if m and text[e - 1] == ",":
            np = _np_after(text, m.end(), e)
            if np is not None:
                return np, (m.start(), m.end()), None
        m = _AS_PUT_IT.search(text, s, e)
        if m:  # 'As Ann Roe, a tax lawyer, recently put it, “…”'
            np = _np_after(text, m.end("as"), m.start("cue"))
            if np is not None:
                return np, m.span("cue"), None
        return None
    found = None
    for cs, ce in cues:
        if text[cs:ce] == "saying" and text[s:cs].rstrip().endswith(","):
            # "The diocese issued a statement, saying “…”": the clause subject speaks
            np = _subject_np(text, s, cs)
            if np is not None:
                found = (cs, ce, np)
                break
            continue
        np = _np_before(text, cs, s)
        opener = np and _PREPOSITION_BEFORE.search(text, max(s, np[0] - 8), np[0])
        if opener and _only_space(text, s, opener.start()):
            continue  # "In a Facebook message posted Friday, Cruz said": not the subject
        if np is None and text[s:cs].endswith((" who ", " which ")):
            # "a singer who claims the actress '…'": the quotation is what the singer claims
            np = _relative_subject(text, s, cs)
        if np is None:
            np = _np_after(text, ce, e)
            if np is not None and text[np[1]:e].strip(" \t,:"):
                np = None
        if np is not None:
            found = (cs, ce, np)
            break
    if found is None:
        return None
    cs, ce, np = found
    word = text[cs:ce].lower()
    c_start, saw_that = _content_start(text, (cs, ce), e)
    if c_start >= e or (np[0] > ce and _only_space(text, np[1], e)):
        return np, (cs, ce), None
    if _only_space(text, c_start, e) or text[c_start:e].strip() in (":",):
        return np, (cs, ce), None
    if _ADJUNCT_BEFORE_QUOTE.fullmatch(text, c_start, e) and not _FINITE.search(
        text, c_start, e
    ):
        # 'Smith said in a statement on Monday, “…”', not 'said after the vote the plan was …'
        return np, (cs, ce), None

    if word not in STRONG_CUES and not saw_that and not _clause_ahead(text, c_start, e):
        return (np, (cs, ce), None) if np[1] < cs and text[np[1]:cs].strip() in (
            "who", "which") else None
    return np, (cs, ce), c_start


def _quoted_sentence(
    text: str, s_lo: int, s_hi: int, inside: list[MarkSpan], para_first: bool, p_lo: int
) -> list[_Cand]:
    out: list[_Cand] = []
    prev_end = s_lo
    k = 0
    while k < len(inside):
        q = inside[k]
        i_s, i_e = _inner(text, q)
        nxt_open = inside[k + 1].open if k + 1 < len(inside) else s_hi
        o_e = q.outer[1]
        post = _post_attribution(text, o_e, min(nxt_open, s_hi)) if q.closed else None
        pre = _pre_attribution(text, max(prev_end, s_lo), q.open)
        if pre is not None and pre[2] is not None:
            # mixed: reported content that contains quotations, up to the sentence end
            c_s = pre[2]
            limit = _closing_quote_end(text, inside, k, s_hi)
            main = None
            if _SUBORDINATE_OPEN.match(text, s_lo) and "," not in text[s_lo:pre[1][0]]:
                # 'While critics say it is a "middle man", Ode says …': up to the main clause
                main = _MAIN_CLAUSE.search(text, max(c_s, inside[k].outer[1]), limit)
                limit = main.start() if main else limit
            c_e = _content_end(text, c_s, limit)
            while k + 1 < len(inside) and inside[k + 1].open < c_e:
                k += 1
            c_e = max(c_e, _inner(text, inside[k])[1])
            out.append(_Cand(c_s, c_e, "mixed", pre[0], pre[1]))
            prev_end = c_e
            after = inside[k].outer[1] if c_e == _inner(text, inside[k])[1] else c_e
            follow = _follow_clause(text, after, s_hi, pre[0], inside, k) if main is None else None
            if follow is not None:
                # 'Smith said it was “a long shot,” noting that …': same speaker
                out.append(follow[0])
                prev_end, k = follow[0].end, follow[1]
            k += 1
            if main is not None and k == len(inside):
                out.extend(_reported_all(text, main.end(), s_hi))
                prev_end = s_hi
            continue
        if post is not None:
            lead_s, lead_e = _trim(text, prev_end, q.open)
            words = len(text[lead_s:lead_e].split())
            if words >= 3 and pre is None and not _cues(text, lead_s, lead_e):
                # "The plan is "silly," he said." -> mixed from the sentence start
                out.append(_Cand(lead_s, i_e, "mixed", post[0], post[1]))
            else:
                out.append(_Cand(i_s, i_e, "direct", post[0], post[1]))
            prev_end = post[2]
            follow = _follow_clause(text, prev_end, s_hi, post[0], inside, k)
            if follow is not None:
                # '“…,” says Campbell, noting that his disability …': same speaker
                out.append(follow[0])
                prev_end, k = follow[0].end, follow[1]
        elif pre is not None:
            out.append(_Cand(i_s, i_e, "direct", pre[0], pre[1]))
            prev_end = o_e
        elif (called := _CALLED.search(text, max(prev_end, s_lo), q.open)) and q.closed:
            # "Pilon called the conclusion “bold”": the namer speaks
            np = _np_before(text, called.start(), s_lo) or _subject_np(text, s_lo, called.start())
            if np is not None:
                out.append(_Cand(i_s, i_e, "direct", np, (called.start(), called.end(1))))
            prev_end = o_e
        else:
            n_words = len(text[i_s:i_e].split())
            gap = text[max(prev_end, s_lo):q.open]
            # not after an unattributed quotation and a comma: an item of a quoted list
            prev_q = inside[k - 1] if k else None
            listed = prev_q is not None and prev_end == prev_q.outer[1] and (
                "," in gap or text[prev_q.inner[1] - 1] == ","
            )
            starts_sent = _only_space(text, max(prev_end, s_lo), q.open) and not listed
            if (starts_sent and n_words >= 2) or n_words >= 8 or not q.closed:
                out.append(_Cand(i_s, i_e, "direct", None, None))
                prev_end = o_e
            # else a scare quote or title ("the theft of 'Doggie' has …"): the attribution
            # of the next quotation may start before it
        k += 1
    # a quotation closing its own sentence ('….” He added that …'): the rest is a sentence
    rest = prev_end
    while rest < s_hi and (text[rest].isspace() or text[rest] in "\"”’'"):
        rest += 1
    closed = text[max(s_lo, prev_end - 3):prev_end].rstrip("\"”’' ")[-1:] in (".", "!", "?")
    if closed and rest < s_hi and text[rest].isupper():
        out.extend(_reported_all(text, rest, s_hi))
    if not out:
        # 'The plan drew “deep concern” from insurers, Smith said.' / 'According to Smith,
        # the plan drew “deep concern” …': with no quotation taken on its own, reported
        # content around the quotations is mixed speech
        whole = _reported(text, s_lo, s_hi)
        if whole is not None and whole.start <= inside[0].open and whole.end > inside[-1].open:
            return [_Cand(whole.start, whole.end, "mixed", whole.mention, whole.cue)]
    return out


_FINAL_PLURAL = re.compile(r",\s+([a-z]{3,}[^s\W]s)\s+$")
_WHO = re.compile(r"\s(?:who|which)\s")


def _relative_subject(text: str, lo: int, cue: int) -> tuple[int, int] | None:
    """The noun phrase a relative clause ending in the cue hangs on: 'An official with the
    agency who was in court told reporters …' -> 'An official with the agency'."""
    found = None
    for m in _WHO.finditer(text, lo, cue):
        found = m
    if found is None or _CUE_RE.search(text, found.end(), cue) or "," in text[found.end():cue]:
        return None
    np = _np_before(text, found.start(), lo, allow_appos=False)
    if np is None or text[np[0]:np[1]].lower() in PRONOUNS:
        return None
    head = _head_before_pp(text, lo, np[0])
    return np if head is None else (head, np[1])


# "An inspector with " before "the port authority": the head of the whole phrase
_HEAD_BEFORE_PP = re.compile(
    r"\b(?P<det>[Aa]n?|[Tt]he|[Oo]ne|[Aa]nother)\s+(?P<words>(?:[a-z][\w\-]*\s+){1,3}?)?"
    r"(?:with|of|for|at|from)\s+$"
)


def _head_before_pp(text: str, lo: int, at: int) -> int | None:
    """Start of ``an inspector with `` ending at ``at`` when its head is a person or an
    organisation (``one of``, ``the chair of``), not ``a meeting with``."""
    m = _HEAD_BEFORE_PP.search(text, max(lo, at - 60), at)
    if m is None:
        return None
    if m.group("det").lower() in ("one", "another") or m.group("words") is None:
        return m.start()  # "one veteran of", "another member of": a person
    for word in m.group("words").split():
        single = word[:-1] if word.endswith("s") and not word.endswith("ss") else word
        if any(_person_head(w) or w in ORG_HEADS or w in ORG_WORDS for w in (word, single)):
            return m.start()  # "a person familiar with", "an inspector with"
    return None


def _closing_quote_end(text: str, inside: list[MarkSpan], k: int, s_hi: int) -> int:
    """The end of the first quotation from ``inside[k]`` on that closes its sentence
    ('… is "in the process." The company noted …'), else ``s_hi``."""
    for q in inside[k:]:
        end = q.outer[1]
        if not q.closed or end >= s_hi:
            continue
        last = text[q.inner[0]:q.inner[1]].rstrip()[-1:]
        nxt = text[end:s_hi].lstrip()[:1]
        if last in (".", "!", "?") and nxt.isupper():
            return end
    return s_hi


def _same_speaker_clause(
    text: str, follow: re.Match[str], s_hi: int, mention: tuple[int, int] | None
) -> _Cand | None:
    """The clause a ``_NEXT_CLAUSE`` match introduces (``…, adding that …``), by the same
    speaker, if it has at least three words."""
    cue = (follow.end() - len(follow.group().split()[-1]), follow.end())
    start = _content_start(text, cue, s_hi)[0]
    end = _content_end(text, start, s_hi)
    if len(text[start:end].split()) < 3:
        return None
    return _Cand(start, end, "indirect", mention, cue)


def _follow_clause(
    text: str, pos: int, s_hi: int, mention: tuple[int, int] | None, inside: list[MarkSpan],
    k: int,
) -> tuple[_Cand, int] | None:
    """The same speaker's clause right after quotation ``inside[k]`` and its attribution
    (``…,” she said, noting that …``), and the index of the last quotation it contains
    (a clause that quotes again is mixed)."""
    m = _NEXT_CLAUSE.match(text, pos, s_hi)
    follow = _same_speaker_clause(text, m, s_hi, mention) if m else None
    if follow is None:
        return None
    while k + 1 < len(inside) and inside[k + 1].open < follow.end:
        k += 1
        follow.kind = "mixed"
        follow.end = max(follow.end, _inner(text, inside[k])[1])
    return follow, k


# "A weekly quoted Finance Minister Jan Peeters as saying that …": the one quoted speaks.
_QUOTED_AS_SAYING = re.compile(
    r"\bquot(?:ed|es|ing)\s+(?P<who>[^,;:“”\"]{2,120}?)\s+as\s+(?P<cue>saying|stating)"
    r"(?:\s+that\b)?[\s,:]*"
)


def _quoted_as_saying(text: str, s_lo: int, s_hi: int) -> _Cand | None:
    """The relayed statement of ``… quoted X as saying (that) …`` up to the sentence end."""
    m = _QUOTED_AS_SAYING.search(text, s_lo, s_hi)
    if m is None:
        return None
    mention = _np_after(text, m.start("who"), m.end("who"))
    c_s, c_e = m.end(), _content_end(text, m.end(), s_hi)
    if mention is None or len(text[c_s:c_e].split()) < 2:
        return None
    marked = any(c in DOUBLE_MARKS for c in text[c_s:c_e])
    return _Cand(c_s, c_e, "mixed" if marked else "indirect", mention, m.span("cue"))


def _reported_all(text: str, s_lo: int, s_hi: int) -> list[_Cand]:
    """All reported-speech clauses of a sentence without quotation marks: the first one
    found, a continuation after a mid-sentence attribution (``A, he says, B``), a second
    clause with the same speaker (``…, and added …`` / ``…, saying …``), then further
    attributions later in the sentence."""
    out: list[_Cand] = []
    lo = s_lo
    while lo < s_hi:
        c = _reported(text, lo, s_hi, lo == s_lo)
        if c is None:
            break
        lead = _parenthetical_lead(text, lo, c) if lo == s_lo else None
        if lead is not None:
            out.append(lead)
        out.append(c)
        nxt = max(c.end, c.cue[1] if c.cue else c.end, c.mention[1] if c.mention else c.end)
        if c.end < c.cue[0]:
            # content before the attribution: what follows its comma continues it
            tail = _MID_TAIL.match(text, nxt, s_hi)
            m = _NEXT_CLAUSE.match(text, nxt, s_hi)
            if m:  # "…, Lohmar said, adding that …"
                follow = _same_speaker_clause(text, m, s_hi, c.mention)
                if follow is not None:
                    out.append(follow)
                    nxt = follow.end
            elif tail and not (c.mention and c.mention[0] > c.cue[0] and _apposition(
                text, tail.end(), _content_end(text, tail.end(), s_hi)
            )):
                b_s = tail.end()
                b_e = _content_end(text, b_s, s_hi)
                if len(text[b_s:b_e].split()) >= 2:
                    out.append(_Cand(b_s, b_e, "indirect", c.mention, c.cue))
                    nxt = b_e
        else:
            m = _NEXT_CLAUSE.match(text, c.end, s_hi)
            follow = _same_speaker_clause(text, m, s_hi, c.mention) if m else None
            if follow is not None:
                out.append(follow)
                nxt = follow.end
        lo = nxt + 1
    return out


# Sentence openers that are no part of the reported content ("Still, he said, …").
_CONNECTIVES = {
    "still", "however", "but", "and", "yet", "so", "now", "meanwhile", "instead", "also",
    "then", "indeed", "thus", "moreover", "otherwise", "rather", "besides", "again", "today",
    "overall", "ultimately", "finally", "first", "second", "third", "or", "of", "course",
}


def _parenthetical_lead(text: str, lo: int, c: _Cand) -> _Cand | None:
    """The sentence opening before an attribution set off by commas, when the content
    continues after it: ``Too often``, ``Police`` in ``Too often, he says, they …`` /
    ``Police, according to the report, have …``. The opening is reported speech too."""
    if c.cue is None:
        return None
    attr_s = min(c.cue[0], c.mention[0]) if c.mention else c.cue[0]
    attr_e = max(c.cue[1], c.mention[1]) if c.mention else c.cue[1]
    if c.start < attr_e or "," not in text[attr_e:c.start] or not _only_space(
        text, attr_e, c.start
    ):
        return None
    before = text[lo:attr_s].rstrip()
    if not before.endswith(","):
        return None
    s, e = _trim(text, lo, lo + len(before))
    words = text[s:e].lower().split()
    if not words or all(w.strip(",") in _CONNECTIVES or w.endswith("ly") for w in words):
        return None
    # a longer opening before a cue verb was taken as the content already; one before
    # "according to" is content whatever its length
    according = text[c.cue[0]:c.cue[1]].lower() == "according to"
    if not according and (len(words) > 8 or "," in text[s:e]):
        return None
    if any(ch in text[s:e] for ch in ";:()") or _CUE_RE.search(text, s, e):
        return None
    return _Cand(s, e, "indirect", c.mention, c.cue)


# "with Smith admitting he …": a name after "with", right before a participle cue
_WITH_NAME = re.compile(r"\bwith\s+((?:[A-Z][\w’'\-]+\s+){0,2}[A-Z][\w’'\-]+)\s+$")
# after ``A, he says`` : a comma and a continuation that is not a participle clause
_MID_TAIL = re.compile(
    r"\s*[,;]\s*(?=(?:and|but|that|because|while|as|so)\b|"
    r"(?!(?:[a-z]+ing|a|an|the|who|which|whose|where|when|including|after|before)\b)[a-z])"
)


def _apposition(text: str, s: int, e: int) -> bool:
    """Whether what follows an inverted attribution describes the speaker rather than
    continuing the content: a verbless phrase that opens with a role (``executive director
    of …`` in ``…, said Mark Garth, executive director of …``), not ``unless the city finds
    …`` or ``in seeing …``."""
    opening = [w.lower().strip(",.") for w in text[s:e].split()[:3]]
    role = any(w in TITLE_WORDS or _person_head(w) for w in opening)
    return role and not _FINITE.search(text, s, e)


def _reported(text: str, s_lo: int, s_hi: int, sentence_start: bool = True) -> _Cand | None:
    """Reported speech in a sentence without quotation marks."""
    cues = _cues(text, s_lo, s_hi)
    if sentence_start and len(cues) > 1 and text.rfind(",", cues[-2][1], cues[-1][0]) >= 0:
        # "Clinton had told police that …, the source added.": an attribution that closes
        # the sentence reports all of it, the reports inside included
        last = _reported_with_cue(text, s_lo, s_hi, cues[-1], sentence_start)
        closing = last is not None and last.end <= last.cue[0]
        pronoun = closing and last.mention is not None and text[
            last.mention[0]:last.mention[1]].lower() in PRONOUNS
        if closing and not pronoun and last.start == _trim(text, s_lo, s_hi)[0]:
            # not "The minister said the talks would resume, he added.": the same person
            return last
    for cue in cues:
        found = _reported_with_cue(text, s_lo, s_hi, cue, sentence_start)
        if found is not None:
            return found
    # "Police urged drivers to stay home": the advice is the reported content
    for m in _URGED.finditer(text, s_lo, s_hi):
        np = _np_before(text, m.start(), s_lo)
        if np is None or text[np[0]:np[1]].lower() in ("which", "who", "that"):
            continue
        c_s = m.start(2)
        c_e = _content_end(text, c_s, s_hi)
        if len(text[c_s:c_e].split()) >= 3:
            return _Cand(c_s, c_e, "indirect", np, (m.start(), m.end(1)))
    # "They called it a bandage solution", "what he calls the state's overreach"
    naming = _NAMING.finditer(text, s_lo, s_hi) if text.find("call", s_lo, s_hi) >= 0 else ()
    for m in naming:
        cue = m.span(1) if m.group(1) else m.span(2)
        np = _np_before(text, cue[0], s_lo)
        if np is None or text[np[0]:np[1]].lower() in ("which", "who", "that", "it"):
            continue
        c_s = m.end()
        c_e = _content_end(text, c_s, s_hi)
        if len(text[c_s:c_e].split()) >= 2:
            return _Cand(c_s, c_e, "indirect", np, cue)
    # "…, according to X." / "According to X, …"
    for m in _ACCORDING_RE.finditer(text, s_lo, s_hi):
        np = _np_after(text, m.end(), s_hi)
        if np is None:
            continue
        after_np = text[np[1]:s_hi].lstrip(" \t")
        comma = text.find(",", np[1], s_hi)
        relative = comma >= 0 and _RELATIVE_OPEN.match(text, comma + 1)
        if (m.start() == s_lo and sentence_start) or (after_np.startswith(",") and not (
            relative and m.start() > s_lo  # "…, according to X, which tracks them"
        )):
            if comma < 0:
                continue
            if relative:  # "According to X, which tracks them, prices fell"
                comma = text.find(",", comma + 1, s_hi)
                if comma < 0:
                    continue
            c_s, c_e = comma + 1, _content_end(text, comma + 1, s_hi)
        elif sentence_start:
            c_s, c_e = s_lo, _content_end(text, s_lo, m.start())
        else:
            continue
        c_s, c_e = _trim(text, c_s, c_e)
        if len(text[c_s:c_e].split()) >= 3:
            return _Cand(c_s, c_e, "indirect", np, (m.start(), m.end()))
    return None


def _reported_with_cue(
    text: str, s_lo: int, s_hi: int, cue: tuple[int, int], sentence_start: bool
) -> _Cand | None:
    """The reported clause that cue ``cue`` attributes in a sentence without quotation
    marks, if any."""
    cs, ce = cue
    word = text[cs:ce].lower()
    if word in QUOTE_CUES or _not_speech(text, s_lo, cs, ce):
        return None
    if word == "saying" or word in PARTICIPLE_CUES:
        # "X chastised Y on Friday, saying …": the sentence subject speaks
        after_comma = text[cs - 2:cs].strip() == ","
        with_np = False
        if after_comma:
            np = _subject_np(text, s_lo, cs)
        else:
            # "reports by two outlets saying …", "a statement saying …", "with Smith
            # admitting he …": the phrase right before speaks
            named = _WITH_NAME.search(text, max(s_lo, cs - 60), cs)
            with_np = named is not None
            if named is not None:
                np = named.span(1)
            else:
                np = _np_before(text, cs, s_lo, allow_appos=False) if word == "saying" else None
            after_comma = np is not None and _only_space(text, np[1], cs)
        c_s, saw_that = _content_start(text, (cs, ce), s_hi)
        c_e = _content_end(text, c_s, s_hi)
        said = word == "saying" or saw_that or (with_np and _clause_ahead(text, c_s, s_hi))
        if np is not None and after_comma and said and len(text[c_s:c_e].split()) >= 3:
            return _Cand(c_s, c_e, "indirect", np, (cs, ce))
        return None
    np = None
    inverted = False
    after_comma = text[s_lo:cs].rstrip().endswith(",")
    subject_first = after_comma and _np_before(text, cs, s_lo)
    closing = _np_after(text, ce, s_hi) if after_comma else None
    if closing and text[closing[0]].isupper() and not text[closing[1]:s_hi].strip(" \t.!?"):
        np, inverted = closing, True  # "Somehow, it will work, adds Smith."
    elif subject_first and subject_first[0] == s_lo:
        np = subject_first  # "Tareq Hadad, the co-founder of …, N.S., says …"
    elif after_comma:
        np = closing  # "…, said one official, who …"
        if np is not None and not _only_space(text, np[1], s_hi):
            rest = text[np[1]:s_hi].strip(" \t.!?")
            if rest and not rest.startswith(","):
                np = None
        inverted = np is not None
    if np is None:
        np = _relative_subject(text, s_lo, cs) or _np_before(text, cs, s_lo)
    if np is None and not text[ce:s_hi].strip(" \t.!?"):
        final = _FINAL_PLURAL.search(text, s_lo, cs)  # "…, aides said."
        np = final.span(1) if final else None
    if np is None:
        np = _np_after(text, ce, s_hi)
        inverted = np is not None
        if np is None:
            return None
    if word in INFERENCE_CUES and _is_document(text, np):
        return None  # "The data suggests …": a finding, not a statement
    # "…, Smith said." / "…, said Smith." : content before the attribution
    head_end = np[0] if not inverted else cs
    comma = text.rfind(",", s_lo, head_end)
    tail_s = max(ce, np[1])
    tail = text[tail_s:s_hi]
    clause_after = _SUBJECT_AHEAD.match(text, _content_start(text, (cs, ce), s_hi)[0])
    if (
        sentence_start
        and comma > s_lo
        and text[comma + 1:head_end].strip() in ("", "the", "The", "a", "an")
        and _short_tail(tail)
        and not (clause_after and tail.strip(" .!?"))
        and not (_LEADING_ADVERBIAL.match(text, s_lo) and _short_tail(text[s_lo:comma]))
    ):
        c_s, c_e = _trim(text, s_lo, comma)
        if len(text[c_s:c_e].split()) >= 3 and not _role_phrase(text[c_s:c_e]):
            return _Cand(c_s, c_e, "indirect", np, (cs, ce))
        if inverted or not _short_tail(text[s_lo:comma]):
            return None
        # "Still, McNeely said disease …": an opener, not content; read on
    if inverted:
        return None
    c_s, saw_that = _content_start(text, (cs, ce), s_hi)
    if word in _THAT_ONLY:
        # "pointed out that …", not "points to the clinic as a model that …"
        out_that = _OUT_THAT.match(text, ce, s_hi)
        if out_that is None:
            return None
        c_s, saw_that = out_that.end(), True
    if word not in STRONG_CUES and not saw_that and not _clause_ahead(text, c_s, s_hi):
        return None
    c_e = _content_end(text, c_s, s_hi)
    if _TOPIC.match(text, c_s) and not _FINITE.search(text, c_s, c_e):
        return None  # "tells us about a growing worry", not "said about half were empty"
    if sentence_start and _SUBORDINATE_OPEN.match(text, s_lo) and "," not in text[s_lo:cs]:
        # "While critics say the plan costs too much, Smith says …": the reported
        # clause ends where the main clause begins
        main = _MAIN_CLAUSE.search(text, c_s, c_e)
        if main is not None:
            c_e = _content_end(text, c_s, main.start())
    if len(text[c_s:c_e].split()) >= 3:
        return _Cand(c_s, c_e, "indirect", np, (cs, ce))
    return None


def _role_phrase(phrase: str) -> bool:
    """``The union's president`` or ``The head of the agency`` before ``, Mike Hill, said``:
    a role in apposition to the speaker, not what was said."""
    words = phrase.split()
    if len(words) > 8 or _FINITE.search(phrase) or _CUE_RE.search(phrase):
        return False
    cut = next((k for k, w in enumerate(words) if k and w in ("of", "for", "at", "with")),
               len(words))
    return _person_head(_POSSESSIVE_END.sub("", words[cut - 1]).lower().strip(".,"))


_RELATIVE_OPEN = re.compile(r"\s*(?:which|who|whose|whom|where)\b")
# Content that names a topic ("told us about the risks"), not what was said ("said about
# 1,300 people came", "about a third of …").
_TOPIC = re.compile(
    r"about\s+(?=(?:the|an?|his|her|their|its|this|these|those)\s|[A-Z])"
    r"(?!an?\s+(?:third|quarter|dozen|half|fifth|tenth)\b)"
)
# Cue words that report speech only with "(out) that" right after them ("pointed out that
# …", "continued that …"), not in "points to the clinic as a model that …" or "the longer
# the shutdown continues, the bigger …".
_THAT_ONLY = {"points", "pointed", "continues", "continued"}
_OUT_THAT = re.compile(r"\s+(?:out\s+)?that\b\s*")
_SUBORDINATE_OPEN = re.compile(
    r"(?:While|Although|Though|Even though|Whereas|Because|If|Since|When)\s"
)
_MAIN_CLAUSE = re.compile(
    r",\s+(?=(?:he|she|they|it|we|I|the|a|an|[A-Z][\w’'\-]*)\s+(?!(?:and|or|of)\b)\w|"
    r"[a-z]+\s+(?:" + "|".join(sorted(STRONG_CUES | THAT_CUES, key=len, reverse=True))
    + r")\b)"
)
_URGED = re.compile(
    r"\b(urged|urges|urging|advised|advises|advising|encouraged|encourages|implored|"
    r"called on|calls on)\s+(?:[\w’'\-]+\s+){1,6}?((?:not\s+|never\s+)?to\s+[a-z]+)"
)
# Naming without quotation marks: "called the plan a failure" (the name opens with a
# determiner, so "called the police" is no naming; nor is "called it a day") or "what she
# calls the real problem".
_NAMING = re.compile(
    r"\b(call(?:s|ed))\s+(?:it|them|him|her|this|that|(?:the|this|that|his|her|their|its)"
    r"\s+[a-z]+(?:\s+[a-z]+)?)\s+(?=(?:a|an|the|one)\s)(?!a\s+day\b)|"
    r"\b(?:what|whom?)\s+(?:he|she|they|we|[A-Z][\w’'\-]+)\s+(?:now\s+|also\s+)?"
    r"(call(?:s|ed))\s+(?=[a-z])"
)
_LEADING_ADVERBIAL = re.compile(
    r"(?:In|On|At|To|After|Before|During|For|With|From|Since|Despite|Following|Asked|When|"
    r"While|Speaking|Under|Over|Like|Unlike|As)\b"
)


# "did not say", "declined to say", "refused to comment": no speech is reported.
_NEGATED_CUE = re.compile(
    r"(?:\bnot|n[’']t|\bnever|\bdeclined\s+to|\brefused\s+to)\s+$"
)
# "the final say", "a say": the noun, not the verb.
_NOUN_SAY = re.compile(
    r"\b(?:final|last|real|greater|bigger|no|any|more|little|equal)\s+$", re.IGNORECASE
)
# "A claim the debt …", "his comments", "amid reports": after a determiner or a preposition a
# cue word is a noun.
_NOUN_CUE = re.compile(
    r"\b(?:the|a|an|his|its|their|our|my|your|this|these|those|amid|despite|following|"
    r"among|of)\s+$", re.I)
# "when the tax was announced", "he was told": a passive participle, no speech by the subject.
_PASSIVE_BEFORE = re.compile(r"\b(?:is|are|was|were|be|been|being)\s+(?:[a-z]+ly\s+)?$")
_PARTICIPLES = {"said", "told", "thought", "felt", "written"}


def _is_document(text: str, mention: tuple[int, int]) -> bool:
    """Whether a mention's head word names a document or data (``the PBO report``)."""
    words = text[mention[0]:mention[1]].lower().split()
    head = words[-1] if words else ""
    return head in DOCUMENT_HEADS or (head.endswith("s") and head[:-1] in DOCUMENT_HEADS)


def _not_speech(text: str, lo: int, cs: int, ce: int) -> bool:
    """A cue that reports no speech: negated, a noun (``the final say``, ``a claim``) or a
    passive (``Rogers is said to have two bidders``, ``when the tax was announced``)."""
    before = text[max(lo, cs - 20):cs]
    word = text[cs:ce].lower()
    if _NEGATED_CUE.search(before) or _NOUN_CUE.search(before):
        return True
    if word in ("say", "says") and _NOUN_SAY.search(before):
        return True
    participle = word.endswith("ed") or word in _PARTICIPLES
    return participle and bool(_PASSIVE_BEFORE.search(before))


def _clause_ahead(text: str, s: int, e: int) -> bool:
    """Whether reported content starting at ``s`` reads as a clause: it opens with a
    subject pronoun, or with a noun phrase followed soon by a finite verb."""
    head = text[s:min(e, s + 90)]
    if _POSSESSIVE_START.match(head):
        return bool(_FINITE.search(head))  # "announced their plans" is no clause
    subject = _SUBJECT_AHEAD.match(text, s)
    if subject and subject.group().lower() in ("it", "this", "these", "there", "you"):
        # not the object in "confirmed it on Friday"
        return bool(_VERB_NEXT.match(text, subject.end()) or _FINITE.search(head, 0, 40))
    if subject:
        return True
    if not head[:1].isupper() and not re.match(r"(?:the|a|an)\b", head):
        return False
    return bool(_FINITE.search(head))


_VERB_NEXT = re.compile(r"(?:\s+(?:[a-z]+ly|also|still|never|not))?\s+[a-z]{2,}(?:ed|s)\b")
_POSSESSIVE_START = re.compile(r"(?:his|her|their|its|our|my|your)\s", re.IGNORECASE)


def _subject_np(text: str, lo: int, hi: int) -> tuple[int, int] | None:
    """The subject opening a sentence: a name run, a pronoun or a short ``the …`` phrase."""
    toks = _tokens(text, lo, hi)
    if not toks:
        return None
    first = toks[0][2]
    comma = next((k for k, t in enumerate(toks[:3]) if t[2] == ","), None)
    if comma and (first in SENTENCE_WORDS or _ADVERB_LY.fullmatch(first.lower())):
        return _subject_np(text, toks[comma][1], hi)  # "Interestingly enough, Lee's bio …"
    if first.lower() in ("he", "she", "they", "it", "we"):
        return toks[0][0], toks[0][1]
    j = 0
    while j < len(toks) and (_is_cap(toks[j][2]) or (toks[j][2] == "." and _abbr(toks, j))):
        j += 1
    if j and first not in SENTENCE_WORDS:
        # "Chinese foreign ministry spokeswoman Hua Chunying shot back": through the role
        k = j
        while k < len(toks) and k - j < 4 and toks[k][2].isalpha() and toks[k][2].islower():
            k += 1
        role = toks[k - 1][2]
        # not across a verb: "Trump attacked senator Warren" keeps Trump
        verb = any(_VERB_AFTER_SUBJECT.fullmatch(t[2]) for t in toks[j:k])
        if j < k < len(toks) and _is_cap(toks[k][2]) and not verb and (
            role in TITLE_WORDS or role.endswith(PERSON_SUFFIXES)
        ):
            while k < len(toks) and _is_cap(toks[k][2]):
                k += 1
            j = k
        return toks[0][0], toks[j - 1][1]
    if first == "The":
        # "The diocese issued …", "The provincial health ministry said …"
        for k in range(1, min(4, len(toks) - 1)):
            word = toks[k][2]
            if not (word.isalpha() and word.islower()):
                break
            if _VERB_AFTER_SUBJECT.fullmatch(toks[k + 1][2]):
                return toks[0][0], toks[k][1]
    return None


_VERB_AFTER_SUBJECT = re.compile(
    r"[a-z]{2,}ed|is|was|has|had|will|would|says|said|told|issues|releases|posts|writes|wrote"
)


def _short_tail(tail: str) -> bool:
    t = tail.strip(" \t.!?")
    if not t or t.startswith((",", ";")):
        return True
    return len(t.split()) <= 7 and "that" not in t.split() and not _CUE_RE.search(t)


def _parsed_cands(
    text: str, nlp: Any, sents: list[tuple[int, int]], cands: list[_Cand]
) -> list[_Cand]:
    """Reported speech the dependency parse finds in cue clauses the rules left empty.

    Where the rules found the same cue, a description they took from inside the parsed
    subject's modifiers (``residents of the town said``: ``the town``) is replaced by the
    subject itself.
    """
    starts = [c.start for c in cands]
    cue_sents = [(lo, hi) for lo, hi in sents if _CUE_RE.search(text, lo, hi)]
    by_cue = {c.cue[0]: c for c in cands if c.cue and c.mention}
    found = []
    for r in parsed_reports(text, nlp, cue_sents, (STRONG_CUES | THAT_CUES) - COGNITION_CUES):
        if not _speaker_like(r.subject_head, r.subject_tag):
            continue
        rule = by_cue.get(r.cue[0])
        if rule is not None:
            m_lo, m_hi = rule.mention
            head_lo = r.subject[1] - len(r.subject_head)
            in_tree = r.subject_tree[0] <= m_lo and m_hi <= r.subject_tree[1]
            words = text[m_lo:m_hi].lower().split()
            described = bool(words) and words[0] in DETERMINERS
            if in_tree and r.subject_name is not None and m_hi <= r.subject_name[0]:
                rule.mention = r.subject_name
            elif in_tree and described and (m_hi <= head_lo or r.subject[1] <= m_lo):
                rule.mention = r.subject
            continue
        k = bisect.bisect_left(starts, max(r.end, r.cue[1]))
        if k and cands[k - 1].end > min(r.start, r.cue[0]):
            continue  # the rules found reported speech in this clause already
        found.append(_Cand(r.start, r.end, "indirect", r.subject_name or r.subject, r.cue))
    return found


def _speaker_like(head: str, tag: str) -> bool:
    """A subject head that can be a source: a name, a personal pronoun, or a noun for a
    person or organisation (not a document such as ``the report``, nor ``records``)."""
    if tag in ("NNP", "NNPS"):
        return True
    word = head.lower()
    if tag == "PRP":
        return word in ("he", "she", "they")
    singular = word[:-1] if word.endswith("s") and not word.endswith("ss") else word
    return singular not in DOCUMENT_HEADS and (
        word in BARE_SPEAKERS
        or singular in ORG_HEADS
        or singular in TITLE_WORDS
        or singular.endswith(PERSON_SUFFIXES)
    )


def _non_overlapping(cands: list[_Cand]) -> list[_Cand]:
    kept: list[_Cand] = []
    for c in sorted(cands, key=lambda c: (c.start, -(c.end - c.start))):
        if c.end <= c.start:
            continue
        if kept and c.start < kept[-1].end:
            continue
        kept.append(c)
    return kept
