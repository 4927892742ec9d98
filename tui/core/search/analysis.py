"""How search reads text: words with their places, their stems, and the words that carry no topic.

Core: no Textual import. Shared by the search index and the thesaurus, so that a phrase of the
thesaurus is found in the policy exactly as a query would find it.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

import snowballstemmer

# A word: letters/digits, keeping the symbols people search for inside it
# ("r&d", "60%", "10+3", "5g", "2030-major" is two words).
_WORD = re.compile(r"[^\W_]+(?:[&+%'][^\W_]*)*%?")

# Words that say what kind of sentence a query is ("how much", "can we", "is there"), not what it
# is about. They neither find nor score a passage, unless a query has no other word.
STOPWORDS = frozenset(
    """
a about after also am an and any are as at be been being but by can could did do does doing for from
get gets getting got had has have having he her here hers him his how i if in into is it its itself
me might must my of on onto or our ours shall she should so some than that the their theirs them then
there these they this those to too us very was we were what when where whether which while who whom
whose why will with would you your yours
""".split()
)

# A Snowball stemmer keeps the word it is working on in the object: one shared by two threads (the
# app's warm-up worker building the index while the first search stems the query) mixes the two
# words and fails inside snowballstemmer ("string index out of range"; issue 21). One stemmer per
# thread: measured at about 0.26 us a call against 0.53 us for a lock, and no thread waits for
# another (benchmarks/search.py stems a few thousand words per index; a stem is ~55 us).
_local = threading.local()


def _stemmer() -> snowballstemmer.stemmer:
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = snowballstemmer.stemmer("english")
    return stemmer


def normalise(text: str) -> str:
    """The case-insensitive form words are indexed and matched in."""
    return text.casefold()


def words_with_spans(text: str) -> list[tuple[str, int, int]]:
    """Every word of `text`, lower-cased, with where it stands in `text`."""
    lowered = normalise(text)
    if len(lowered) != len(text):  # casefold changed lengths (e.g. "ß"): fall back to lower()
        lowered = text.lower()
    return [(m.group(), m.start(), m.end()) for m in _WORD.finditer(lowered)]


# British spellings the Snowball stemmer keeps apart from the American ones. The policy mixes
# both ("Science Centre", "R&D centers"), and so do its readers. Applied to text and query
# alike, so a rule that also changes some other word changes it on both sides.
_BRITISH = [
    (re.compile(r"(?<=[a-z]{3})is(e|es|ed|ing|ation|ations)$"), r"iz\1"),  # organise, commercialisation
    (re.compile(r"(?<=[a-z]{2})ys(e|es|ed|ing)$"), r"yz\1"),  # analyse
    (re.compile(r"(?<=[a-z]{3})tre(s|d)?$"), r"ter\1"),  # centre, metre
    (re.compile(r"(?<=[a-z]{2}[bilnv])our(s|ed|ing|able|ably|ite|ites)?$"), r"or\1"),  # labour, favour, behaviour
    (re.compile(r"(?<=[a-z]{3})ogue(s)?$"), r"og\1"),  # catalogue, dialogue
]
_BRITISH_WORDS = {
    "licence": "license",
    "licences": "licenses",
    "defence": "defense",
    "offence": "offense",
    "programme": "program",
    "programmes": "programs",
    "enrolment": "enrollment",
    "enrol": "enroll",
    "enrols": "enrolls",
    "ageing": "aging",
    "judgement": "judgment",
}


# Words spelt -ise in American English too: "advises" must stay with "advisers" and "advisory",
# "enterprises" with "enterprise" as the stemmer sees it.
_ISE_WORDS = frozenset(
    """
advise revise supervise comprise enterprise exercise franchise expertise premise compromise
promise surprise merchandise televise improvise devise disguise despise excise chastise
""".split()
)
_ISE_FORM = re.compile(r"(?<=[a-z]{3})is(e|es|ed|ing)$")


def american(word: str) -> str:
    """`word` in American spelling, where a British one differs in a regular way."""
    known = _BRITISH_WORDS.get(word)
    if known:
        return known
    ise = _ISE_FORM.search(word)
    if ise and word[: ise.start()] + "ise" in _ISE_WORDS:
        return word
    for pattern, repl in _BRITISH:
        changed = pattern.sub(repl, word)
        if changed != word:
            return changed
    return word


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Snowball (Porter 2) stem of a lower-cased word: "patents" and "patent" share "patent",
    and so do British and American spellings ("centre" and "centers").

    Words holding digits or symbols ("r&d", "60%", "5g") are their own stem; a trailing
    apostrophe ("expats'") goes.
    """
    word = word.rstrip("'")
    if not word.isalpha():
        return word
    return str(_stemmer().stemWord(american(word)))


def content_stems(text: str) -> list[tuple[str, int, int]]:
    """The stems of the words of `text` that carry its topic, each with the span of its word."""
    return [(stem(w), s, e) for w, s, e in words_with_spans(text) if w not in STOPWORDS]
