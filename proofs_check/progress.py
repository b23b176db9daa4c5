"""A one-line progress bar on stderr for long runs (off with ``--quiet`` or when stderr is not a terminal).

``step(label)`` starts the next (claim, instance) check; ``note(text)`` shows what the current check is
doing (a tier's long steps call it through ``Context.progress``). The line is redrawn in place and
erased by ``close()``.

>>> import io
>>> out = io.StringIO()
>>> bar = ProgressBar(2, enabled=True, stream=out, width=60)
>>> bar.step("thm-2.1 on square"); bar.close()
>>> "1/2" in out.getvalue()
True
"""

from __future__ import annotations

import shutil
import sys
import time

__all__ = ["ProgressBar"]


class ProgressBar:
    def __init__(self, total: int, *, enabled: bool, stream=None, width: int | None = None):
        self.total = max(total, 1)
        self.enabled = enabled
        self.stream = stream or sys.stderr
        self.width = width or max(40, min(120, shutil.get_terminal_size((100, 24)).columns - 1))
        self.done = 0
        self.label = ""
        self.start = time.perf_counter()
        self._drawn = False

    @classmethod
    def for_run(cls, instances, claims, *, enabled: bool) -> ProgressBar:
        from proofs_check.claims import resolve

        total = sum(len(resolve(claims or inst.claims)) for inst in instances)
        return cls(total, enabled=enabled)

    def step(self, label: str) -> None:
        self.done += 1
        self.label = label
        self._draw(label)

    def note(self, text: str) -> None:
        self._draw(f"{self.label}: {text}" if self.label else text)

    def _draw(self, text: str) -> None:
        if not self.enabled:
            return
        cells = 20
        filled = int(cells * (self.done - 1) / self.total) if self.done else 0
        head = f"[{'#' * filled}{'.' * (cells - filled)}] {self.done}/{self.total} {time.perf_counter() - self.start:5.1f}s "
        room = self.width - len(head)
        body = text if len(text) <= room else text[: max(room - 1, 0)] + "…"
        self.stream.write("\r" + head + body.ljust(room))
        self.stream.flush()
        self._drawn = True

    def close(self) -> None:
        if self.enabled and self._drawn:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
