"""A job through the pages in a real browser: three documents (txt, docx, srt) into two
languages, quoted line by line, started, followed live on one stream, downloaded as one zip."""
from __future__ import annotations

import io
import zipfile

import pytest
from django.contrib.auth import get_user_model

from credits.selectors import balance_of
from credits.services import get_or_create_account
from jobs.models import Job
from tasks.models import ProcessingTask
from tests.documents.files import make_docx
from tests.e2e.support import log_in
from tests.jobs.helpers import SRT, TXT

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def test_a_job_of_three_documents_into_two_languages_through_the_pages(page, stack, tmp_path, real_queue):
    user = get_user_model().objects.create_user("lan", password="pw-Secret-123")
    get_or_create_account(user_id=user.pk)
    before = balance_of(user_id=user.pk)
    files = {"notes.txt": TXT, "manual.docx": make_docx(), "film.srt": SRT}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    stack["start_worker"]()
    base = stack["start_web"]()
    log_in(page, base, "lan")

    page.get_by_label("Document").set_input_files([str(tmp_path / name) for name in files])
    page.locator("#also-targets-field").wait_for(state="visible")
    page.get_by_label("Chinese (Taiwan)").check()
    page.locator("#quote-lines tbody tr").nth(5).wait_for()
    assert page.locator("#quote-lines tbody tr").count() == 6
    total = int(page.locator("#quote-total").inner_text())
    assert ProcessingTask.objects.count() == 0  # a quote creates nothing

    page.get_by_role("button", name="Start translation").click()
    page.wait_for_url(f"{base}/jobs/*/")
    page.locator("#job-status").filter(has_text="Completed").wait_for(timeout=60000)
    streams = page.evaluate("window.__streams")
    assert [s for s in streams if "/sse/jobs/" in s] and not [s for s in streams if "/sse/tasks/" in s]
    assert page.locator("#job-tasks tr[data-status=completed]").count() == 6

    with page.expect_download() as download:
        page.get_by_role("link", name="Download all").click()
    archive = zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes()))
    assert len([n for n in archive.namelist() if n != "manifest.json"]) == 6
    assert "漢字" in archive.read("notes.zh-TW.txt").decode()
    job = Job.objects.get()
    charged = sum(ProcessingTask.objects.filter(job_link__job=job).values_list("charged", flat=True))
    assert charged <= total and balance_of(user_id=user.pk) == before - charged
    assert page.locator("#money-charged").inner_text() == str(charged)
