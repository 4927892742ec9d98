"""The role lens drawn from the provision register: which clauses of a measure concern a role,
marked by kind and by whether the role's checklist covers them, with the items' status below.
The words saying who a clause is for or when it applies (its scope) are marked bold wherever they
stand in the measure."""

from __future__ import annotations

from textual.content import Content

from tui.core.content.coverage import ProvisionCoverage
from tui.core.content.policy import Span
from tui.core.content.provisions import KIND_WORD, STATUS_WORD
from tui.core.progress.state import ItemState
from tui.widgets.literal import literal
from tui.widgets.measure_view import Lens
from tui.widgets.progress_text import item_line, status_box

# A colour per kind; underlined when an item covers the clause, not underlined when excluded.
KIND_STYLE = {"duty": "$error", "permission": "$success", "limit": "$warning", "support": "$accent"}


def mark_style(cover: ProvisionCoverage) -> str:
    colour = KIND_STYLE.get(cover.provision.kind, "$warning")
    return f"underline {colour}" if cover.items else f"italic {colour}"


def marks(covers: list[ProvisionCoverage]) -> list[tuple[Span, str]]:
    """Each clause's words in its style, then its scope's words bold: layered over the clause's
    colour where they stand inside a clause, so the kind still shows."""
    out = [(c.provision.span, mark_style(c)) for c in covers]
    out += [(span, "bold") for c in covers for span in c.provision.scope_spans]
    return out


def legend() -> Content:
    words = [Content(KIND_WORD[k]).stylize(f"underline {s}") for k, s in KIND_STYLE.items()]
    return Content.assemble(
        Content("Marked: ").stylize("dim"),
        Content(" · ").join(words),
        Content("  (underlined: covered by an item; italic: excluded; bold: who or when it applies)").stylize("dim"),
    )


def build_lens(role_title: str, covers: list[ProvisionCoverage], items: list[ItemState]) -> Lens:
    status = {s.item.id: s.status for s in items}
    lines: list[Content] = [
        literal(f"{role_title}: {len(covers)} provision{'s' if len(covers) != 1 else ''} of this measure concern you").stylize(
            "bold"
        )
    ]
    if covers:
        lines.append(legend())
    for c in covers:
        p = c.provision
        head = Content.assemble(
            Content(f"{KIND_WORD[p.kind]:<8}").stylize(KIND_STYLE.get(p.kind, "")),
            " ",
            Content(p.id).stylize("bold"),
            Content(f" · {STATUS_WORD[p.status]}" if p.status != "in-force" else "").stylize("dim"),
        )
        if c.items:
            cover = Content(", ").join(Content.assemble(status_box(status.get(i, "todo")), " ", i) for i in c.items)
        else:
            cover = literal(f"excluded: {c.excluded}").stylize("dim italic")
        lines.append(Content.assemble(head, "  ", cover))
    if items:
        lines += [Content("Items citing this measure").stylize("bold"), *[item_line(s) for s in items]]
    return Lens(marks(covers), lines)
