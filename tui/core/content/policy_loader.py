"""Load the policy from TOML, validating it into the immutable model."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from importlib.resources.abc import Traversable
from pathlib import Path

from tui.core.content.fields import Fields
from tui.core.content.policy import DocumentInfo, Measure, Notice, Part, Policy
from tui.core.errors import ContentError
from tui.core.files.read import FileProblem, parse_toml, read_text


def parse_policy(text: str, source: str) -> Policy:
    try:
        data = parse_toml(text)
    except ValueError as exc:
        raise ContentError(source, "", str(exc)) from None
    root = Fields(source, "", data)

    doc = root.sub("document")
    info = DocumentInfo(
        short_title=doc.get("short_title", str),
        title=doc.get("title", str),
        issuer=doc.get("issuer", str),
        date_issued=_date(doc, "date_issued"),
        date_published_en=_date(doc, "date_published_en"),
        source_url=doc.get("source_url", str),
        content_version=doc.get("content_version", str),
        portal_timestamp=doc.get("portal_timestamp", str, required=False, default=""),
    )
    n = root.sub("notice")
    notice = Notice(n.get("addressees", str), n.get("text", str), n.get("issuer", str), n.get("date", str))
    preamble = root.sub("preamble").get("text", str)

    part_order: list[tuple[str, str]] = []
    for p in root.tables("parts"):
        p.reject_unknown({"numeral", "title"})
        numeral = p.get("numeral", str)
        if any(numeral == seen for seen, _ in part_order):
            p.fail("numeral", f"duplicate part {numeral!r}")
        part_order.append((numeral, p.get("title", str)))
    if not part_order:
        raise ContentError(source, "parts", "no parts")

    by_part: dict[str, list[Measure]] = {numeral: [] for numeral, _ in part_order}
    numbers: set[int] = set()
    for m in root.tables("measures"):
        m.reject_unknown({"number", "part", "title", "text", "errata", "sentence_ends"})
        number = m.get("number", int)
        if number in numbers:
            m.fail("number", f"duplicate measure number {number}")
        numbers.add(number)
        part = m.get("part", str)
        if part not in by_part:
            m.fail("part", f"measure {number} is in unknown part {part!r}; parts are {', '.join(by_part)}")
        text = m.get("text", str)
        ends = tuple(_sentence_end(m, text, words) for words in m.strings("sentence_ends", required=False))
        by_part[part].append(
            Measure(number, part, m.get("title", str), text, m.strings("errata", required=False), tuple(sorted(ends)))
        )
    if not numbers:
        raise ContentError(source, "measures", "no measures")
    expected = set(range(1, max(numbers) + 1))
    if numbers != expected:
        missing = ", ".join(str(x) for x in sorted(expected - numbers))
        raise ContentError(source, "measures", f"missing measure number(s) {missing}")

    parts = tuple(Part(numeral, title, tuple(by_part[numeral])) for numeral, title in part_order)
    flat = [m.number for each in parts for m in each.measures]
    if flat != sorted(flat):
        raise ContentError(source, "measures", "measures are not in order part by part")
    for each in parts:
        if not each.measures:
            raise ContentError(source, "parts", f"part {each.numeral} has no measures")
    return Policy(info, notice, preamble, parts)


def _sentence_end(fields: Fields, text: str, words: str) -> int:
    """The offset just after `words`, which must stand once in `text` and be followed by a space."""
    at = text.find(words)
    if at < 0 or text.find(words, at + 1) >= 0:
        fields.fail("sentence_ends", f"{words[:60]!r} must stand exactly once in the text")
    end = at + len(words)
    if end >= len(text) or not text[end].isspace():
        fields.fail("sentence_ends", f"{words[:60]!r} must be followed by a space where the sentence ends")
    return end


def _date(fields: Fields, name: str) -> dt.date:
    value = fields.table.get(name)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if value is None:
        raise fields.error(name, "missing field")
    raise fields.error(name, "expected a date such as 2019-10-16")


def load_policy_from(path: Traversable | Path) -> Policy:
    try:
        text = read_text(path)
    except FileProblem as exc:
        raise ContentError(str(path), "", exc.problem) from None
    return parse_policy(text, str(path))


@lru_cache(maxsize=1)
def load_policy() -> Policy:
    """The shipped policy, parsed once per process."""
    from tui.core import locations

    return load_policy_from(locations.content_file())
