"""Keys handled one at a time, in the order typed: none lost when a key opens a screen or moves the focus.

Textual's App forwards each key to the focused widget the moment it reads it; what the key does
happens later, in the widget's own task, and a key's bindings are checked only when it has
bubbled back up to the App. Typed in one burst (as a fast typist, a paste into the terminal or
tmux send-keys does), `g 2 4 enter` was forwarded to the reader before `g` had opened "Go to":
the 2 and the 4 reached the reader, not the dialog, and were lost; `/` and a query lost the
query; in "New profile" text typed right after tab went into the field tab had left.

Here the App forwards a key only once everything the keys before it set off is done: every
widget's queue is empty and every widget mounted (a screen just pushed has composed and taken
its focus), and the App has nothing else to do first. Until then keys wait here, in order.
Typing at a human pace never waits: the previous key is long done when the next arrives.

A safety net: should the app never settle (something posting messages without end), a key
waits at most MAX_WAITS polls and is then forwarded as Textual would have: late, never lost.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from textual import events, messages
from textual.app import App, ReturnType
from textual.timer import Timer

# Keys and pastes keep their order; the mouse is not held (a click is aimed at what is shown).
HELD = (events.Key, events.Paste)
# What may sit in the App's own queue without meaning unfinished work.
HARMLESS = (messages.Prompt, events.Idle, events.MouseEvent, events.Key, events.Paste)
POLL_S = 0.004
MAX_WAITS = 250  # about a second of polls (more on a busy machine): then the key goes anyway
MAX_HOLD_WAITS = 7500  # about 30 s, while the screen holds the keys (holds_keys: loading or saving)


def _busy(node: Any) -> bool:
    """True while `node` has messages to handle or is still composing and mounting."""
    if getattr(node, "_closed", False) or getattr(node, "_closing", False):
        return False
    if not getattr(node, "_is_mounted", True):
        return True
    queue = node._message_queue
    # Counts messages queued, peeked and being handled (task_done comes after the handler).
    return bool(getattr(queue, "_unfinished_tasks", queue.qsize()))


class KeysInOrderApp(App[ReturnType]):
    """An App that forwards a key only when the keys before it have done all they set off."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._held_input: deque[events.Event] = deque()
        self._input_timer: Timer | None = None
        self._waits = 0

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, HELD) and not event.is_forwarded and self._running:
            self._held_input.append(event)
            await self._send_held_input()
            return
        await super().on_event(event)

    async def _send_held_input(self) -> None:
        while self._held_input and (self.input_settled() or self._waits >= self._max_waits()):
            self._waits = 0
            await super().on_event(self._held_input.popleft())
        if self._held_input and self._input_timer is None:
            self._input_timer = self.set_timer(POLL_S, self._poll_held_input, name="keys-in-order")

    async def _poll_held_input(self) -> None:
        self._input_timer = None
        self._waits += 1
        await self._send_held_input()

    def _max_waits(self) -> int:
        # A screen reading what it shows, or a dialog saving, may take as long as the store does (a
        # team store away: seconds); a key waits for it, within reason. Otherwise about a second.
        return MAX_HOLD_WAITS if getattr(self.screen, "holds_keys", False) else MAX_WAITS

    def input_settled(self) -> bool:
        """Nothing left to do from the keys already forwarded: the next one can go."""
        if self._next_callbacks:  # e.g. a screen just pushed, awaiting its mount
            return False
        if getattr(self.screen, "holds_keys", False):
            # A dialog saving what was typed: the keys after its enter are meant for what comes once
            # it has closed, not for its fields (a cursor move elsewhere never waits on a save).
            return False
        pending = list(getattr(self._message_queue, "_queue", ()))
        if self._pending_message is not None:
            pending.append(self._pending_message)
        for message in pending:
            # A key already forwarded is on its way back up (its bindings are checked here):
            # unfinished. One not yet forwarded waits its turn behind those held.
            if not isinstance(message, HARMLESS) or (isinstance(message, HELD) and message.is_forwarded):
                return False
        return not any(_busy(node) for node in list(self._registry))

    @property
    def keys_waiting(self) -> int:
        """How many typed keys wait for the ones before them (0 when the app keeps up)."""
        return len(self._held_input)
