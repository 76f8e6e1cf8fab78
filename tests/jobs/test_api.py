"""The jobs API: create, read, cancel, retry, delete, the result zip, and the quote of a job."""
from __future__ import annotations

import io
import json
import zipfile

import pytest

from credits.selectors import balance_of
from jobs.models import Job
from tasks.models import ProcessingTask
from tests.jobs.helpers import SRT, TXT, file, three_documents, zipped

pytestmark = pytest.mark.django_db
FORM = {"engine": "opencc", "source_lang": "zh-Hans", "target_langs": ["zh-Hant", "zh-TW"]}


def post_job(api, files, **extra):
    return api.post("/api/v1/jobs/", {**FORM, "files": files, **extra}, format="multipart")


def result_zip(api, job_id) -> zipfile.ZipFile:
    response = api.get(f"/api/v1/jobs/{job_id}/result/")
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_a_job_of_three_documents_into_two_languages_through_the_api(api, user, django_capture_on_commit_callbacks):
    before = balance_of(user_id=user.pk)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_job(api, three_documents())
    assert response.status_code == 201, response.json()
    body = response.json()
    assert response["Location"] == f"/api/v1/jobs/{body['id']}/"
    assert len(body["tasks"]) == 6 and body["stream_url"] == f"/sse/jobs/{body['id']}/"
    assert {t["stream_url"] for t in body["tasks"]} == {f"/sse/tasks/{t['id']}/" for t in body["tasks"]}
    detail = api.get(body["url"]).json()
    assert detail["status"] == "completed" and detail["progress"] == 100
    assert detail["counts"]["completed"] == 6 and detail["reserved"] == 0
    assert detail["charged"] > 0 and balance_of(user_id=user.pk) == before - detail["charged"]
    assert detail["charged"] + detail["refunded"] == detail["cost"]
    archive = result_zip(api, body["id"])
    names = sorted(archive.namelist())
    assert names == sorted(["manifest.json"] + [f"{stem}.{t}.{ext}" for stem, ext in
                                                (("notes", "txt"), ("manual", "docx"), ("film", "srt"))
                                                for t in ("zh-Hant", "zh-TW")])
    assert "漢字" in archive.read("notes.zh-Hant.txt").decode()
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["complete"] is True and len(manifest["files"]) == 6 and manifest["failed"] == []
    listed = api.get("/api/v1/jobs/").json()
    assert listed["count"] == 1 and listed["results"][0]["id"] == body["id"]


def test_a_zip_keeps_its_folders_in_the_result_and_a_partial_zip_says_so(api, user,
                                                                        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        body = post_job(api, [zipped({"docs/a.txt": TXT, "docs/subs/b.srt": SRT})], target_langs=["zh-Hant"]).json()
    task = ProcessingTask.objects.get(pk=body["tasks"][1]["id"])
    ProcessingTask.objects.filter(pk=task.pk).update(status="failed", error="engine said no")
    archive = result_zip(api, body["id"])
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["complete"] is False
    assert [f["name"] for f in manifest["files"]] == ["docs/a.zh-Hant.txt"]
    assert manifest["failed"][0]["source"] == "docs/subs/b.srt" and manifest["failed"][0]["error"] == "engine said no"


def test_a_job_the_user_cannot_afford_is_402_with_the_total_and_creates_nothing(api, user, settings):
    settings.ZHIYI_MIN_CHARGE = 400
    response = post_job(api, three_documents())
    assert response.status_code == 402
    assert response.json()["code"] == "insufficient_credits" and response.json()["cost"] == 2400
    assert ProcessingTask.objects.count() == 0 and Job.objects.count() == 0


def test_refused_documents_are_a_400_naming_each(api):
    response = post_job(api, [file("a.txt", TXT), file("empty.txt", b""), file("x.exe", b"MZ\0\0")])
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "documents_refused"
    assert {d["name"] for d in body["documents"]} == {"empty.txt", "x.exe"}
    assert ProcessingTask.objects.count() == 0


def test_a_zip_with_a_traversal_name_is_refused_whole(api):
    response = post_job(api, [zipped({"a.txt": TXT, "../../b.txt": TXT})])
    assert response.status_code == 400 and response.json()["documents"][0]["code"] == "unsafe_archive"
    assert ProcessingTask.objects.count() == 0


def test_cancel_refunds_every_unfinished_task_then_retry_and_delete(api, user, real_queue):
    before = balance_of(user_id=user.pk)
    body = post_job(api, three_documents()).json()
    assert balance_of(user_id=user.pk) < before
    cancelled = api.post(f"/api/v1/jobs/{body['id']}/cancel/").json()
    assert len(cancelled["done"]) == 6 and cancelled["job"]["status"] == "cancelled"
    assert balance_of(user_id=user.pk) == before
    assert api.get(f"/api/v1/jobs/{body['id']}/result/").status_code == 409
    assert api.post(f"/api/v1/jobs/{body['id']}/retry/").json()["done"] == []  # none failed
    ProcessingTask.objects.filter(pk=body["tasks"][0]["id"]).update(status="failed")
    retried = api.post(f"/api/v1/jobs/{body['id']}/retry/").json()
    assert retried["done"] == [body["tasks"][0]["id"]]
    assert api.delete(f"/api/v1/jobs/{body['id']}/").status_code == 409  # one is queued again
    api.post(f"/api/v1/jobs/{body['id']}/cancel/")
    assert api.delete(f"/api/v1/jobs/{body['id']}/").status_code == 204
    assert ProcessingTask.objects.count() == 0 and Job.objects.count() == 0


def test_someone_elses_job_is_not_found(api, other_user, real_queue):
    from rest_framework.test import APIClient

    job_id = post_job(api, [file("a.txt", TXT)]).json()["id"]
    other = APIClient()
    other.force_authenticate(other_user)
    assert other.get(f"/api/v1/jobs/{job_id}/").status_code == 404
    assert other.get(f"/api/v1/jobs/{job_id}/result/").status_code == 404
    assert other.post(f"/api/v1/jobs/{job_id}/cancel/").status_code == 404


def test_the_single_quote_keeps_its_shape(api):
    response = api.post("/api/v1/quote/", {"engine": "opencc", "source_lang": "zh-Hans", "target_lang": "zh-Hant",
                                           "file": file("a.txt", TXT)}, format="multipart")
    assert response.status_code == 200
    # The fields it always had, and only the two added since (the price and what memory saves).
    assert set(response.json()) == {"format", "characters", "segments", "memory_characters", "billed_characters",
                                    "cost", "balance", "balance_after", "layout_note", "output_format",
                                    "rate_per_1000", "memory_points"}


def test_a_job_quote_has_a_line_per_document_and_language_refusals_and_the_total(api, settings):
    settings.ZHIYI_MIN_CHARGE = 0
    response = api.post("/api/v1/quote/", {**FORM, "files": [file("a.txt", TXT), file("b.txt", TXT),
                                                             file("film.srt", SRT), file("empty.txt", b"")]},
                        format="multipart")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert len(body["documents"]) == 6 and body["total"] == body["cost"] == sum(d["cost"] for d in body["documents"])
    assert body["format"] == "mixed"
    assert [r["name"] for r in body["refused"]] == ["empty.txt"]
    lines = {(d["name"], d["target_lang"]): d for d in body["documents"]}
    assert lines[("b.txt", "zh-Hant")]["memory_characters"] == lines[("a.txt", "zh-Hant")]["characters"]
    assert lines[("a.txt", "zh-TW")]["memory_characters"] == 0  # another language shares nothing
    # The second copy is priced as found in memory: it saves what the first costs.
    assert lines[("b.txt", "zh-Hant")]["memory_points"] == lines[("a.txt", "zh-Hant")]["cost"] > 0
    assert lines[("a.txt", "zh-TW")]["memory_points"] == 0
    assert body["memory_points"] == sum(d["memory_points"] for d in body["documents"])
    assert body["rate_per_1000"] == settings.ZHIYI_RATES.get("opencc", 10) == body["documents"][0]["rate_per_1000"]
    assert body["balance_after"] == body["balance"] - body["total"]


def test_target_languages_may_be_one_comma_separated_field(api, real_queue):
    response = post_job(api, [file("a.txt", TXT)], target_langs="zh-Hant, zh-HK")
    assert response.status_code == 201
    assert sorted(t["target_lang"] for t in response.json()["tasks"]) == ["zh-HK", "zh-Hant"]


def test_a_quote_with_auto_shows_each_detected_language_and_its_confidence(api):
    traditional = "漢字簡體轉換測試，這裡討論發展與聯繫。\n".encode()
    response = api.post("/api/v1/quote/", {"engine": "opencc", "source_lang": "auto", "target_langs": ["zh-TW"],
                                           "files": [file("s.txt", TXT), file("t.txt", traditional),
                                                     file("n.txt", b"42 17 99\n")]}, format="multipart")
    assert response.status_code == 200, response.json()
    lines = {d["name"]: d for d in response.json()["documents"]}
    assert (lines["s.txt"]["source_lang"], lines["t.txt"]["source_lang"]) == ("zh-Hans", "zh-Hant")
    assert 0.5 <= lines["s.txt"]["confidence"] <= 1
    assert [(r["name"], r["code"]) for r in response.json()["refused"]] == [("n.txt", "language_not_detected")]


def test_the_paths_of_a_dropped_folder_keep_its_folders(api, real_queue):
    response = post_job(api, [file("a.txt", TXT), file("b.srt", SRT)], target_langs=["zh-Hant"],
                        paths=["release/docs/a.txt", "release/subs/b.srt"])
    assert response.status_code == 201, response.json()
    assert sorted(t["path"] + t["filename"] for t in response.json()["tasks"]) == [
        "release/docs/a.txt", "release/subs/b.srt"]
    refused = post_job(api, [file("a.txt", TXT)], paths=["../../a.txt"])
    assert refused.status_code == 400 and refused.json()["documents"][0]["code"] == "unsafe_archive"
