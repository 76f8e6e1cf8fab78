"""A one-line progress bar on stderr (on a terminal; elsewhere one line per change)."""
from __future__ import annotations

import sys
from typing import TextIO


class ProgressBar:
    def __init__(self, label: str, stream: TextIO | None = None, width: int = 30) -> None:
        self.label, self.stream, self.width = label, stream or sys.stderr, width
        self.tty = self.stream.isatty()
        self.last = ""

    def update(self, progress: int, status: str, message: str = "") -> None:
        progress = max(0, min(100, int(progress)))
        filled = self.width * progress // 100
        text = f"{self.label} [{'#' * filled}{'.' * (self.width - filled)}] {progress:3d}% {message or status}"
        if self.tty:
            self.stream.write("\r" + text[:200].ljust(len(self.last)))
        elif text != self.last:
            self.stream.write(text + "\n")
        self.stream.flush()
        self.last = text

    def close(self) -> None:
        if self.tty and self.last:
            self.stream.write("\n")
            self.stream.flush()
