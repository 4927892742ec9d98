"""Is this a correctly spelt English word? Asked before a query word is taken for a typo.

"patient" is not a typo of "patents", nor "refund" of "fund": a word that English knows is
meant as typed. The word list is pyspellchecker's English dictionary (MIT; about 160,000 words
with their frequencies, built from OpenSubtitles and cleaned by its maintainers), read from the
installed package, not copied into ours.

Loaded lazily, on the first question, and off the start-up path (the app asks for it in the
worker that builds the search index). The file is JSON of `"word": count` pairs, one per line
and sorted; rather than parse 160,000 entries into a set (about 140 ms and 18 MB), the
decompressed text (2.7 MB) is kept and searched by bisection over its lines (about 20 ms to
load, microseconds per word). tests/test_search_words.py checks the file is still laid out so.
"""

from __future__ import annotations

import gzip
import threading
from functools import lru_cache

_lock = threading.Lock()
_text: str | None = None


def _load() -> str:
    global _text
    with _lock:
        if _text is None:
            try:
                from importlib import resources

                data = resources.files("spellchecker").joinpath("resources", "en.json.gz").read_bytes()
                _text = gzip.decompress(data).decode("utf-8")
            except (ImportError, OSError, ValueError, EOFError):
                # Without the list every unknown word may be a typo, as before: worse ranking, no failure.
                _text = ""
        return _text


def preload() -> None:
    """Read the word list now (from a worker thread), so that no keystroke waits for it."""
    _load()


def _key_at(text: str, pos: int) -> tuple[str, int, int]:
    """The word of the line holding `pos`, and where that line starts and ends."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    if end < 0:
        end = len(text)
    line = text[start:end].strip()
    if line.startswith('"'):
        close = line.find('":', 1)
        if close > 0:
            return line[1:close], start, end
    return "", start, end  # "{" or "}"


@lru_cache(maxsize=4096)
def is_english_word(word: str) -> bool:
    """True when `word` (lower-case) is in the English dictionary."""
    text = _text if _text is not None else _load()
    if not text or not word:
        return False
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi) // 2
        key, start, end = _key_at(text, mid)
        if not key:  # the opening "{" line: everything after it is greater
            if start == 0:
                lo = end + 1
                continue
            hi = start  # the closing "}" line
            continue
        if key == word:
            return True
        if key < word:
            lo = end + 1
        else:
            hi = start
    return False
