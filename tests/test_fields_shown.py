"""Every field of every dialog shows what is typed into it (issue 21, 1 and 7): read back from what the
field draws on the screen, not only from its value, at 120x40, 80x24 and 60x20.

The note dialog's owner and due date once held what was typed but drew it in one cell: the value
was right and nothing could be seen.
"""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from textual.widgets import Input, Label, TextArea

from tests.helpers import burst, settle
from tui.app import Bj30App

SIZES = [(120, 40), (80, 24), (60, 20)]
SIZE_IDS = ["120x40", "80x24", "60x20"]


def drawn(widget) -> str:
    """The text a widget draws on its lines, as on the screen."""
    return "\n".join("".join(segment.text for segment in widget.render_line(y)) for y in range(widget.size.height))


def label_of(field: Input) -> str:
    row = field.parent
    labels = [w for w in row.children if isinstance(w, Label) and "field-label" in w.classes] if row is not None else []
    return str(labels[0].render()).strip() if labels else ""


# (keys that open the dialog, then for each field in tab order: what to type)
DIALOGS = {
    "note": (("l", "<enter>", "e"), ("Ask 财务处 first", "财务处 孙磊", "2026-12-31")),
    "profile": (("l", "P", "<end>", "<enter>"), ("pku-third", "北京大学第三医院", "财务处")),
    "evidence": (("l", "<enter>", "v"), ("ref: Minute 2026-14", "signed by 孙磊")),
    "reason": (("l", "<enter>", "a"), ("人事处: no foreign staff",)),
    "goto": (("g",), ("measure 17",)),
    "find": (("f",), ("indirect",)),
    "name": (("l", "P", "<end>", "<up>", "<up>", "<enter>"), ("孙磊",)),
}


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("dialog", list(DIALOGS))
async def test_every_field_shows_what_is_typed(make_app, dialog: str, size: tuple[int, int]) -> None:
    opening, values = DIALOGS[dialog]
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        burst(app, *opening)
        await settle(pilot)
        for i, value in enumerate(values):
            if i:
                burst(app, "<tab>")
            burst(app, value)
        await settle(pilot)
        fields = [w for w in app.screen.query("Input, TextArea") if not w.disabled]
        typed = [f for f in fields if (f.text if isinstance(f, TextArea) else f.value)]
        assert [f.text if isinstance(f, TextArea) else f.value for f in typed] == list(values)
        for field in typed:
            shown = drawn(field)
            value = field.text if isinstance(field, TextArea) else field.value
            assert value in shown, f"{dialog}: {field.id} holds {value!r} and shows {shown!r}"
            assert field.size.width >= cell_len(value) + 1
            if isinstance(field, Input) and field.has_class("-textual-compact"):
                assert label_of(field), f"{dialog}: {field.id} has no label beside it"


async def test_the_report_dialog_ticks_read_without_colour(make_app) -> None:
    app: Bj30App = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        burst(app, "l", "x", "<down>", "<space>")
        await settle(pilot)
        roles = drawn(app.screen.query_one("#report-roles"))
        ticked = [line for line in roles.splitlines() if "[x]" in line]
        unticked = [line for line in roles.splitlines() if "[ ]" in line]
        assert len(ticked) == 2 and len(unticked) == 3, roles
        assert "▐X▌" not in roles
