"""The Markdown report, for management: open actions first, local times, plain words. Core: no Textual.

It renders on GitHub and with markdown-it-py, and its raw text is mailed as it is, so it must
read well both ways. Its order is what a manager reads first:

1. who and what: institution, checklists, when (local time with its offset) and against which
   text of the policy;
2. **Open actions**: every item still to do or in progress, by due date, overdue ones marked;
3. the summary, per role and in all;
4. items flagged for review;
5. per role, the items by part and measure as task lines (`- [x]` only for done), with status,
   owner, due date, note and quote; then the items that do not apply, with the reason;
6. an appendix with the last changes of each item, in words ("Wang Li marked uni-001 done");
   the JSON export keeps every change;
7. a sign-off block.

Everything a person typed goes through tui/core/export/markdown.py, which escapes only what would
otherwise become structure.
"""

from __future__ import annotations

import datetime as dt
from itertools import groupby

from tui import __version__
from tui.core.export.markdown import escape_block, escape_inline
from tui.core.export.rows import ExportInput, Section, item_facts, policy_fingerprint
from tui.core.progress.actions import in_app_order, open_actions
from tui.core.progress.changes import sentence
from tui.core.progress.evidence import Evidence
from tui.core.progress.state import Counts, ItemState
from tui.core.progress.status import STATUS_WORD
from tui.core.text.localtime import format_stamp, format_time, local, local_date, offset, parse

# The appendix keeps this many of each item's latest changes; the JSON export keeps them all.
HISTORY_PER_ITEM = 3
ACTION_TEXT_CHARS = 90
STATUS_SAID = {"todo": "To do", "doing": "In progress", "done": "Done", "na": "Not applicable"}


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def _dash(text: str) -> str:
    return escape_inline(text) if text.strip() else "—"


def _summary_row(label: str, counts: Counts) -> str:
    return (
        f"| {label} | {counts.done} of {counts.applicable} applicable | {counts.doing} | {counts.todo} | "
        f"{counts.na} | {counts.percent}% |"
    )


def _checklist_label(section: Section) -> str:
    c = section.checklist
    kind = "" if c.is_builtin else ", the institution's own checklist"
    return f"{escape_inline(c.title)} ({escape_inline(c.role)}{kind})"


def _header(data: ExportInput) -> list[str]:
    info, profile = data.policy.info, data.profile
    title = f"Compliance with {info.short_title}"
    if profile.institution:
        title = f"{profile.institution}: compliance with {info.short_title}"
    return [
        f"# {escape_inline(title)}",
        "",
        f"- **Institution:** {escape_inline(profile.label(', ')) if profile.institution else 'not set'}",
        f"- **{'Checklists' if len(data.sections) > 1 else 'Checklist'}:** "
        + "; ".join(_checklist_label(s) for s in data.sections),
        f"- **Exported:** {format_time(data.exported)} with bj30 {escape_inline(__version__)}",
        f"- **Policy:** {escape_inline(info.title)}, {escape_inline(info.issuer)}, {info.date_issued.isoformat()}",
        f"- **Policy text version:** {escape_inline(info.content_version)} (fingerprint "
        f"`{policy_fingerprint(data.policy)}`): the text these items were checked against",
        "",
    ]


def _open_actions(data: ExportInput, today: dt.date) -> list[str]:
    multi = len(data.sections) > 1
    actions = open_actions((s.state for s in data.sections), today)
    out = ["## Open actions", ""]
    if not actions:
        return out + ["No open actions: every applicable item is done.", ""]
    late = sum(a.overdue for a in actions)
    unowned = sum(not a.owner for a in actions)
    undated = sum(not a.due for a in actions)
    facts = [f"{late} overdue" if late else "none overdue"]
    if unowned:
        facts.append(f"{unowned} without an owner")
    if undated:
        facts.append(f"{undated} without a due date")
    out += [
        f"{len(actions)} open {'item' if len(actions) == 1 else 'items'} on {today.isoformat()}: "
        f"{', '.join(facts)}. By due date; undated last.",
        "",
    ]
    out += ["| Item | Owner | Due | Status |", "| --- | --- | --- | --- |"]
    for a in actions:
        it = a.state.item
        where = f" ({escape_inline(a.role)})" if multi else ""
        item = f"**{escape_inline(it.id)}**{where} {escape_inline(_clip(it.text, ACTION_TEXT_CHARS))}"
        due = _dash(a.due)
        if a.overdue:
            due = f"**{due}, overdue**"
        out.append(f"| {item} | {_dash(a.owner)} | {due} | {STATUS_WORD[a.status]} |")
    return out + [""]


def _summary(data: ExportInput) -> list[str]:
    out = [
        "## Summary",
        "",
        "| Checklist | Done | In progress | To do | Not applicable | Progress |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    out += [_summary_row(escape_inline(s.checklist.title), s.state.counts) for s in data.sections]
    if len(data.sections) > 1:
        out.append(_summary_row("**All**", data.counts))
    return out + [""]


def _review(data: ExportInput) -> list[str]:
    multi = len(data.sections) > 1
    flagged = [(s.checklist.role, st) for s in data.sections for st in s.state.needing_review]
    if not flagged:
        return []
    out = ["## Flagged for review", "", "The quote or the measure's text changed after these items were marked:", ""]
    out += [
        f"- **{escape_inline(st.item.id)}**" + (f" ({escape_inline(role)})" if multi else "") + f" {escape_inline(st.item.text)}"
        for role, st in flagged
    ]
    return out + [""]


def _status_line(s: ItemState, today: dt.date, by: str = "") -> str:
    from tui.core.progress.actions import is_overdue

    p = s.progress
    facts = [STATUS_SAID[p.status] + (f" on {local_date(p.completed)}" if p.status == "done" and p.completed else "")]
    if by and p.status == "done":
        facts[0] += f" by {escape_inline(by)}"
    elif by and p.status == "doing":
        facts[0] += f" (marked by {escape_inline(by)})"
    if p.owner:
        facts.append(f"Owner: {escape_inline(p.owner)}")
    if p.due:
        late = p.status in ("todo", "doing") and is_overdue(p.due, today)
        facts.append(f"Due: {escape_inline(p.due)}" + (" **(overdue)**" if late else ""))
    return "  - " + " · ".join(facts)


def _note_lines(label: str, note: str) -> list[str]:
    lines = [line for line in escape_block(note) if line]
    if not lines:
        return []
    # A trailing backslash is a hard line break: the note keeps its lines, and each line is
    # escaped, so none of them can start a list, heading or quote.
    return [f"  - {label}: " + "\\\n    ".join(lines)]


def _evidence_lines(attached: list[Evidence]) -> list[str]:
    if not attached:
        return []
    lines = ["  - Evidence attached:"]
    for e in attached:
        facts = f" ({escape_inline(e.facts())})" if e.kind == "file" else ""
        when = f", attached {format_stamp(e.added)}" if e.added else ""
        who = f" by {escape_inline(e.by)}" if e.by else ""
        note = f": {escape_inline(e.note)}" if e.note else ""
        lines.append(f"    - {escape_inline(e.kind)} {escape_inline(e.target)}{facts}{when}{who}{note}")
    return lines


def _task_line(section: Section, s: ItemState, today: dt.date) -> list[str]:
    it, p = s.item, s.progress
    box = "[x]" if p.status == "done" else "[ ]"
    doing = " *(in progress)*" if p.status == "doing" else ""
    review = " **(review)**" if s.needs_review else ""
    lines = [
        f"- {box} **{escape_inline(it.id)}**{doing}{review} {escape_inline(it.text)}",
        _status_line(s, today, section.by_of(it.id)),
    ]
    lines += _note_lines("Note", p.note)
    lines += _evidence_lines(section.evidence.get(it.id, []))
    lines += [f"  - {label}: {escape_inline(value)}" for label, value in item_facts(it)]
    cited = ", ".join(str(n) for n in it.measures)
    return lines + ["", f"  > “{escape_inline(it.quote)}” — Measure {cited}", ""]


def _not_applicable(section: Section) -> list[str]:
    na = [s for s in in_app_order(section.state) if s.status == "na"]
    if not na:
        return []
    out = [
        "### Not applicable",
        "",
        f"{len(na)} {'item does' if len(na) == 1 else 'items do'} not apply to the institution, "
        f"for the reasons given. They are left out of the counts of applicable items.",
        "",
    ]
    for s in na:
        it = s.item
        cited = ", ".join(str(n) for n in it.measures)
        out.append(f"- **{escape_inline(it.id)}** (measure {cited}) {escape_inline(it.text)}")
        out += _note_lines("Reason", s.progress.note)
        by = section.by_of(it.id)
        if by:
            out.append(f"  - Marked not applicable by {escape_inline(by)}")
        out += _evidence_lines(section.evidence.get(it.id, []))
    return out + [""]


def _items(data: ExportInput, section: Section, today: dt.date) -> list[str]:
    policy = data.policy
    counts = section.state.counts
    out = [
        f"## {escape_inline(section.checklist.title)}",
        "",
        f"{counts.done} of {counts.applicable} applicable items done ({counts.percent}%); {counts.doing} in "
        f"progress, {counts.todo} to do, {counts.na} not applicable.",
        "",
    ]
    last_part = None
    for number, states in section.state.by_measure().items():
        applicable = [s for s in states if s.status != "na"]
        if not applicable:
            continue
        m = policy.measure(number)
        if m.part != last_part:
            last_part = m.part
            out += [f"### Part {escape_inline(policy.part_of(m).label)}", ""]
        out += [f"#### Measure {m.number}. {escape_inline(m.title)}", ""]
        for s in applicable:
            out += _task_line(section, s, today)
    out += _not_applicable(section)
    if section.state.orphans:
        out += [
            "### Progress kept for retired items",
            "",
            "These ids are no longer in the checklist; their progress is kept, not dropped.",
            "",
        ]
        out += [
            f"- **{escape_inline(o.item_id)}**: {STATUS_WORD[o.status]}" + (f" · {escape_inline(o.note)}" if o.note else "")
            for o in section.state.orphans
        ]
        out.append("")
    return out


def _when(stamp: str, usual: str) -> str:
    """A change's local time; its offset only where it differs from the report's (summer time)."""
    when = parse(stamp)
    if when is None:
        return escape_inline(stamp)
    return format_time(when, with_offset=offset(when) != usual)


def _history(data: ExportInput) -> list[str]:
    usual = offset(data.exported)
    out = [
        "## Appendix: history of changes",
        "",
        f"Times are local ({usual}). For each item, its last {HISTORY_PER_ITEM} changes; the JSON export has every change.",
        "",
    ]
    any_change = False
    for section in data.sections:
        order = {s.item.id: i for i, s in enumerate(in_app_order(section.state))}
        entries = sorted(section.history, key=lambda h: order.get(h.item_id, len(order)))
        lines: list[str] = []
        for item_id, group in groupby(entries, key=lambda h: h.item_id):
            changes = list(group)
            older = len(changes) - HISTORY_PER_ITEM
            if older > 0:
                lines.append(
                    f"- {escape_inline(item_id)}: {older} earlier {'change' if older == 1 else 'changes'}, in the JSON export"
                )
            lines += [
                f"- {_when(h.at, usual)} — {escape_inline(sentence(h.field, h.old, h.new, h.item_id, h.by))}"
                for h in changes[-HISTORY_PER_ITEM:]
            ]
        if not lines:
            continue
        any_change = True
        if len(data.sections) > 1:
            out += [f"### {escape_inline(section.checklist.title)}", ""]
        out += lines + [""]
    if not any_change:
        out += ["No changes recorded.", ""]
    return out


def to_markdown(data: ExportInput) -> str:
    today = local(data.exported).date()
    out = _header(data)
    out += _open_actions(data, today)
    out += _summary(data)
    out += _review(data)
    for section in data.sections:
        out += _items(data, section, today)
    out += _history(data)
    out += ["## Sign-off", "", "| | |", "| --- | --- |", "| Name | |", "| Role | |", "| Date | |", "| Signature | |", ""]
    return "\n".join(out)
