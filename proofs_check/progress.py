"""A one-line progress bar on stderr for long runs (off with ``--quiet`` or when stderr is not a terminal).

``step(label)`` starts the next (claim, instance) check and counts the previous one as checked;
``note(text)`` shows what the current check is doing (a tier's long steps call it through
``Context.progress``). A background ticker redraws the line a few times a second, so the clock and the
spinner move during one long claim too. The line reads ``[###.....] 3/8 checked  12.4s ⠹ thm-2.1 on
pts: ball tier …`` and is erased by ``close()``.

>>> import io
>>> out = io.StringIO()
>>> bar = ProgressBar(2, enabled=True, stream=out, width=60)
>>> bar.step("thm-2.1 on square"); bar.close()
>>> "0/2 checked" in out.getvalue(), "1/2 checked" in out.getvalue()
(True, True)
"""

from __future__ import annotations

import shutil
import sys
import threading
import time

__all__ = ["ProgressBar"]

_SPIN = "|/-\\"
TICK = 0.25  # seconds between redraws by the ticker


class ProgressBar:
    def __init__(self, total: int, *, enabled: bool, stream=None, width: int | None = None):
        self.total = max(total, 1)
        self.enabled = enabled
        self.stream = stream or sys.stderr
        self.width = width or max(40, min(120, shutil.get_terminal_size((100, 24)).columns - 1))
        self.done = 0  # checks finished
        self.label = ""
        self.text = ""
        self.start = time.perf_counter()
        self._drawn = False
        self._ticks = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None

    @classmethod
    def for_run(cls, instances, claims, *, enabled: bool) -> ProgressBar:
        from proofs_check.claims import resolve

        total = sum(len(resolve(claims or inst.claims)) for inst in instances)
        return cls(total, enabled=enabled)

    def step(self, label: str) -> None:
        if self.label:
            self.done += 1
        self.label = label
        self._draw(label)

    def note(self, text: str) -> None:
        self._draw(f"{self.label}: {text}" if self.label else text)

    def _draw(self, text: str | None = None) -> None:
        if not self.enabled:
            return
        with self._lock:
            if text is not None:
                self.text = text
            self._ticks += 1
            cells = 20
            filled = min(cells, int(cells * self.done / self.total))
            head = (f"[{'#' * filled}{'.' * (cells - filled)}] {self.done}/{self.total} checked "
                    f"{time.perf_counter() - self.start:5.1f}s {_SPIN[self._ticks % len(_SPIN)]} ")
            room = max(self.width - len(head), 0)
            body = self.text if len(self.text) <= room else self.text[: max(room - 1, 0)] + "…"
            self.stream.write("\r" + head + body.ljust(room))
            self.stream.flush()
            self._drawn = True
        if self._ticker is None:
            self._ticker = threading.Thread(target=self._tick, name="symland-progress", daemon=True)
            self._ticker.start()

    def _tick(self) -> None:
        while not self._stop.wait(TICK):
            self._draw()

    def close(self) -> None:
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join()
        if self.label:
            self.done += 1
            self.label = ""
        if self.enabled and self._drawn:
            self._draw()
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
