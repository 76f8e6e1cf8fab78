"""The suite's run always ends: a thread a test leaves running (a stream reader's event loop
after a failure, say) is named and cannot keep pytest from exiting (tests/conftest.py)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_a_thread_left_running_is_named_and_the_run_still_exits(tmp_path):
    (tmp_path / "test_leaves_a_thread.py").write_text(
        "import threading\n\n\ndef test_leaves_a_thread():\n"
        "    threading.Thread(target=threading.Event().wait, name='stuck-reader').start()\n")
    done = subprocess.run([sys.executable, "-m", "pytest", "-c", str(ROOT / "pytest.ini"), "--rootdir", str(ROOT),
                           "-p", "tests.conftest", "-q", "-o", "addopts=", "-p", "no:cacheprovider",
                           str(tmp_path / "test_leaves_a_thread.py")],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout
    assert "threads left running after the suite: stuck-reader" in done.stderr
