"""Loaded at start-up by the e2e worker subprocess (its PYTHONPATH points here): makes OpenCC
sleep before each segment so a translation runs long enough for a browser to watch it.
Touches only the third-party `opencc` package, never our code."""
import os

_delay = float(os.environ.get("ZHIYI_E2E_SEGMENT_DELAY_S", "0") or 0)
if _delay > 0:
    import time

    import opencc

    _convert = opencc.OpenCC.convert

    def _slow_convert(self, text):  # type: ignore[no-untyped-def]
        time.sleep(_delay)
        return _convert(self, text)

    opencc.OpenCC.convert = _slow_convert
