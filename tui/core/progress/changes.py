"""Changes in words: "Wang Li marked uni-001 done", not "status: todo -> done". Core: no Textual.

The store records each change as (field, old, new, when, who); people read a sentence. The
report's appendix, the item history in the app and `bj30 history` all say it the same way.
"""

from __future__ import annotations

STATUS_PHRASE = {"todo": "to do", "doing": "in progress", "done": "done", "na": "not applicable"}


def _clip(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def what_changed(field: str, old: str, new: str, item_id: str) -> str:
    """The change as a verb phrase about `item_id`: "marked uni-001 done"."""
    if field == "status":
        return f"marked {item_id} {STATUS_PHRASE.get(new, new)}"
    if field == "note":
        if not old:
            return f"added a note to {item_id}"
        return f"cleared the note of {item_id}" if not new else f"edited the note of {item_id}"
    if field == "owner":
        return f"made {_clip(new)} the owner of {item_id}" if new else f"cleared the owner of {item_id}"
    if field == "due":
        return f"set {item_id} due {new}" if new else f"cleared the due date of {item_id}"
    if field == "reviewed":
        return f"reviewed {item_id} against the changed text and marked it again"
    if field == "evidence+":
        return f"attached {_clip(new, 300)} to {item_id}"
    if field == "evidence-":
        return f"removed {_clip(old, 300)} from {item_id}"
    return f"changed {field} of {item_id}"


def sentence(field: str, old: str, new: str, item_id: str, by: str = "") -> str:
    """Who did what: "Wang Li marked uni-001 done"; without a name (changes made before bj30
    recorded who), "Marked uni-001 done"."""
    phrase = what_changed(field, old, new, item_id)
    who = " ".join(by.split())
    return f"{who} {phrase}" if who else phrase[:1].upper() + phrase[1:]
