from __future__ import annotations


def pytest_terminal_summary(terminalreporter) -> None:  # noqa: ANN001
    """The corpus round trip's per-format table, after the run (tests/corpus/test_roundtrip.py)."""
    from tests.corpus.test_roundtrip import SUMMARY

    for line in SUMMARY:
        terminalreporter.write_line(line)
