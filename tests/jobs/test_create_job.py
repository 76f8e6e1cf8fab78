"""create_job: every document priced first, one transaction for all, or nothing at all."""
from __future__ import annotations

import os

import pytest

from credits.models import LedgerEntry, Reservation
from credits.selectors import balance_of
from credits.services import InsufficientCredits, grant
from jobs import services
from jobs.errors import DocumentsRefused
from jobs.models import Job, JobTask
from tasks.models import ProcessingTask
from tests.jobs.helpers import SRT, TXT, file, three_documents, zipped

pytestmark = pytest.mark.django_db
TARGETS = ["zh-Hant", "zh-TW"]


def media_files(settings) -> list[str]:
    return [os.path.join(d, f) for d, _, files in os.walk(settings.MEDIA_ROOT) for f in files]


def create(user, uploads, targets=TARGETS, source_lang="zh-Hans", **extra):
    return services.create_job(user_id=user.pk, uploads=uploads, engine_name="opencc", source_lang=source_lang,
                               target_langs=targets, **extra)


def test_a_job_of_three_documents_into_two_languages_completes_and_charges_its_total(
        user, django_capture_on_commit_callbacks):
    before = balance_of(user_id=user.pk)
    with django_capture_on_commit_callbacks(execute=True):
        job = create(user, three_documents())
    tasks = list(ProcessingTask.objects.filter(job_link__job=job))
    assert len(tasks) == 6 and {t.status for t in tasks} == {"completed"}
    assert sorted((t.filename, t.target_lang) for t in tasks) == sorted(
        (name, target) for name in ("notes.txt", "manual.docx", "film.srt") for target in TARGETS)
    charged = sum(t.charged for t in tasks)
    assert charged > 0 and balance_of(user_id=user.pk) == before - charged


def test_a_job_the_user_cannot_afford_creates_nothing(user, settings):
    settings.ZHIYI_MIN_CHARGE = 400  # six tasks at 400 each: 2,400 against a balance of 1,000
    balance = balance_of(user_id=user.pk)
    entries = LedgerEntry.objects.count()
    with pytest.raises(InsufficientCredits) as refused:
        create(user, three_documents())
    assert refused.value.cost == 2400 and refused.value.balance == balance
    assert balance_of(user_id=user.pk) == balance
    assert (ProcessingTask.objects.count(), Job.objects.count(), Reservation.objects.count()) == (0, 0, 0)
    assert LedgerEntry.objects.count() == entries
    assert media_files(settings) == []


def test_each_refused_document_is_named_with_its_reason_and_nothing_is_created(user, settings):
    uploads = [file("ok.txt", TXT), file("empty.txt", b""), file("image.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 20),
               file("blank.txt", b"   \n")]
    with pytest.raises(DocumentsRefused) as refused:
        create(user, uploads)
    codes = {(r["name"], r["code"]) for r in refused.value.refused}
    assert ("empty.txt", "empty_file") in codes
    assert ("image.png", "corrupt_document") in codes
    assert ("blank.txt", "no_text") in codes
    assert not any(name == "ok.txt" for name, _ in codes)
    assert ProcessingTask.objects.count() == 0 and Job.objects.count() == 0
    assert media_files(settings) == []


def test_a_zip_becomes_documents_with_their_folders_as_paths(user):
    job = create(user, [zipped({"manuals/a.txt": TXT, "subs/film.srt": SRT, "top.txt": TXT,
                                "__MACOSX/._a.txt": b"x", "manuals/.DS_Store": b"x"})], targets=["zh-Hant"])
    links = {(link.path, link.task.filename) for link in JobTask.objects.filter(job=job).select_related("task")}
    assert links == {("manuals/", "a.txt"), ("subs/", "film.srt"), ("", "top.txt")}
    assert job.documents == 3


@pytest.mark.parametrize("entry", ["../evil.txt", "/etc/passwd", "a/../../evil.txt", "C:/evil.txt", "a\\..\\b.txt"])
def test_a_zip_with_a_name_outside_its_folder_is_refused_whole(user, settings, entry):
    with pytest.raises(DocumentsRefused) as refused:
        create(user, [zipped({"fine.txt": TXT, entry: TXT}), file("other.txt", TXT)])
    assert refused.value.refused[0]["code"] == "unsafe_archive"
    assert ProcessingTask.objects.count() == 0 and media_files(settings) == []


def test_a_zip_bomb_is_refused_whole(user, settings):
    settings.ZHIYI_ZIP_MAX_UNCOMPRESSED_MB = 5
    with pytest.raises(DocumentsRefused) as refused:
        create(user, [zipped({"fine.txt": TXT, "zeros.txt": b"0" * (8 * 1024 * 1024)})])
    assert refused.value.refused[0]["code"] == "zip_bomb"
    assert ProcessingTask.objects.count() == 0 and media_files(settings) == []


def test_an_encrypted_zip_is_refused_whole(user):
    from tests.documents.files import encrypted_zip

    data = zipped({"a.txt": TXT}).read()
    with pytest.raises(DocumentsRefused) as refused:
        create(user, [file("locked.zip", encrypted_zip(data))])
    assert refused.value.refused[0]["code"] == "encrypted_document"


def test_the_same_request_with_its_key_answers_the_first_job(user):
    grant(user_id=user.pk, amount=1000, reason="test")
    first = create(user, [file("a.txt", TXT)], idempotency_key="k1")
    again = create(user, [file("a.txt", TXT)], idempotency_key="k1")
    assert again.pk == first.pk and getattr(again, "replayed", False)
    assert Job.objects.count() == 1 and ProcessingTask.objects.count() == 2
    from tasks.errors import IdempotencyKeyReused

    with pytest.raises(IdempotencyKeyReused):
        create(user, [file("b.txt", TXT)], idempotency_key="k1")


def test_the_same_document_twice_into_one_language_is_priced_once(user, settings):
    from jobs.services import plan_job

    settings.ZHIYI_MIN_CHARGE = 0
    plan = plan_job(user_id=user.pk, uploads=[file("a.txt", TXT), file("b.txt", TXT)], engine_name="opencc",
                    source_lang="zh-Hans", target_langs=TARGETS, options={})
    by = {(t.upload.filename, t.target_lang): t.quote for t in plan.tasks}
    assert by[("a.txt", "zh-Hant")].cost == by[("a.txt", "zh-TW")].cost > 0  # languages share nothing
    repeat = by[("b.txt", "zh-Hant")]
    assert repeat.cost == 0 and repeat.memory_characters == by[("a.txt", "zh-Hant")].characters


def test_auto_detects_each_documents_language_and_refuses_what_it_cannot_tell(user, settings):
    from jobs.services import plan_job

    traditional = "漢字簡體轉換測試，這裡討論發展與聯繫。\n".encode()
    uploads = [file("simplified.txt", TXT), file("traditional.txt", traditional), file("digits.txt", b"12345 678\n")]
    plan = plan_job(user_id=user.pk, uploads=uploads, engine_name="opencc", source_lang="auto",
                    target_langs=["zh-TW"], options={})
    by = {t.upload.filename: t for t in plan.tasks}
    assert by["simplified.txt"].source_lang == "zh-Hans" and by["traditional.txt"].source_lang == "zh-Hant"
    assert 0.5 <= by["simplified.txt"].confidence <= 1
    assert [(r["name"], r["code"]) for r in plan.refused] == [("digits.txt", "language_not_detected")]


def test_auto_refuses_a_language_the_engine_does_not_translate(user, django_capture_on_commit_callbacks):
    english = file("letter.txt", b"This is a letter about the weather and the harvest this year.\n")
    with pytest.raises(DocumentsRefused) as refused:
        create(user, [english, file("a.txt", TXT)], source_lang="auto")
    assert [(r["name"], r["code"]) for r in refused.value.refused] == [("letter.txt", "unsupported_language_pair")] * 2
    with django_capture_on_commit_callbacks(execute=True):
        job = create(user, [file("a.txt", TXT)], source_lang="auto")
    assert {t.source_lang for t in ProcessingTask.objects.filter(job_link__job=job)} == {"zh-Hans"}
    assert job.source_lang == "auto"
