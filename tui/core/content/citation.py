"""A citation of one place in the policy, for reports and e-mails."""

from __future__ import annotations

from tui.core.content.places import NOTICE, PREAMBLE, Place
from tui.core.content.policy import Policy


def citation(policy: Policy, place: Place) -> str:
    info = policy.info
    issued = f"{info.date_issued.day} {info.date_issued:%B %Y}"
    source = f"{info.title} ({info.issuer}, {issued})"
    if place == NOTICE:
        return f"Notice issuing {source}"
    if place == PREAMBLE:
        return f"Preamble, {source}"
    m = policy.measure(int(place))
    return f'Measure {m.number}, "{m.title}", {source}'
