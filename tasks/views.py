"""Server-rendered task pages. They parse input, call the same services as the API, respond.
Every page works without JavaScript (plain form posts, meta refresh while a task runs);
static/zhiyi/*.js adds the quote, live progress and drag-and-drop on top."""
from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from credits.selectors import balance_of
from credits.services import InsufficientCredits
from lib.languages import language_name, language_names
from memory.models import Glossary
from tasks import documents, engines, services
from tasks.errors import InvalidInput, TaskError
from tasks.models import ACTIVE_STATUSES, ProcessingTask, Status
from tasks.preview import preview_of
from tasks.serializers import TaskOptionsSerializer

# Which form field an error code belongs next to.
FILE_CODES = {"no_file", "empty_file", "file_too_large", "unsupported_format", "invalid_document",
              "undecodable_text", "no_text"}
ENGINE_CODES = {"unknown_engine", "engine_unavailable"}
PAIR_CODES = {"unsupported_language_pair"}
TASKS_PER_PAGE = 20


def error_messages() -> dict[str, str]:
    """Plain-words messages per API error code, in the page's language (also given to the JS)."""
    return {
        "no_file": _("Choose a file to translate."),
        "empty_file": _("The file is empty."),
        "file_too_large": _("The file is larger than the %(limit)d MB limit.") % {"limit": settings.ZHIYI_MAX_UPLOAD_MB},
        "unsupported_format": _("This type of file is not supported. Supported: %(types)s.")
        % {"types": ", ".join("." + e for e in documents.supported_extensions())},
        "invalid_document": _("The file could not be read. Is it damaged?"),
        "undecodable_text": _("The text could not be decoded (tried UTF-8, UTF-16, GB18030 and Big5)."),
        "no_text": _("The document contains no text to translate."),
        "unknown_engine": _("Choose an engine."),
        "engine_unavailable": _("This engine is not available right now."),
        "unsupported_language_pair": _("This engine does not translate between these languages."),
        "insufficient_credits": _("Not enough credits: this needs %(cost)s points and your balance is %(balance)s."),
        "idempotency_key_reused": _("This form was already sent with another document; send it again to start a "
                                    "new translation."),
        "network": _("The server could not be reached. Check your connection and try again."),
        "unknown": _("Something went wrong. Please try again."),
    }


def pairs_summary(engine_list: list[dict]) -> list[dict]:
    """What each working engine translates, in words: its pairs, or its languages when it takes
    every pair among them (the HTTP engines)."""
    out = []
    comma, semicolon = pgettext("between list items", ", "), pgettext("between groups of a list", "; ")
    for engine in engine_list:
        if not engine["available"]:
            continue
        pairs = {tuple(p) for p in engine["pairs"]}
        codes = sorted({c for pair in pairs for c in pair}, key=language_name)
        if len(codes) > 2 and len(pairs) == len(codes) * (len(codes) - 1):  # every pair among its languages
            words = _("between any two of: %(languages)s") % {"languages": comma.join(language_name(c) for c in codes)}
        else:  # grouped by source: "Chinese (Simplified) → Chinese (Traditional), Chinese (Taiwan)"
            targets: dict[str, list[str]] = {}
            for source, target in sorted(pairs):
                targets.setdefault(source, []).append(language_name(target))
            words = semicolon.join(f"{language_name(source)} → {comma.join(names)}" for source, names in targets.items())
        out.append({"label": engine["label"], "pairs": words})
    return out


def _languages(engine_list: list[dict]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    sources = sorted({p[0] for e in engine_list for p in e["pairs"]})
    targets = sorted({p[1] for e in engine_list for p in e["pairs"]})
    return [(c, language_name(c)) for c in sources], [(c, language_name(c)) for c in targets]


def _field_errors(exc: Exception) -> dict[str, str]:
    texts = error_messages()
    if isinstance(exc, InsufficientCredits):
        return {"form": texts["insufficient_credits"] % {"cost": exc.cost, "balance": exc.balance}}
    code = getattr(exc, "code", "unknown")
    text = texts.get(code, str(exc))
    if code in FILE_CODES:
        return {"file": text}
    if code in ENGINE_CODES:
        return {"engine": text}
    if code in PAIR_CODES:
        return {"target_lang": text}
    return {"form": text}


def _form_options(request: HttpRequest) -> dict:
    """The per-task choices of the plain form, read exactly as the API reads them."""
    options = TaskOptionsSerializer(data=request.POST)
    if not options.is_valid():
        raise InvalidInput(_("Some options of the form are not valid."), code="invalid_options")
    return options.task_options()


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Balance, the new-translation form (its no-JS fallback posts here), recent tasks."""
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        try:
            task = services.create_task(
                user_id=request.user.pk, upload=request.FILES.get("file"),
                engine_name=request.POST.get("engine", ""), source_lang=request.POST.get("source_lang", ""),
                target_lang=request.POST.get("target_lang", ""),
                options=_form_options(request),
                idempotency_key=request.POST.get("idempotency_key") or None,
            )
        except (TaskError, InsufficientCredits) as exc:
            errors = _field_errors(exc)
            status = 402 if isinstance(exc, InsufficientCredits) else getattr(exc, "http_status", 400)
        else:
            messages.success(request, _("Translation started."))
            return redirect("task-detail", task_id=task.pk)
    engine_list = engines.catalogue()
    sources, targets = _languages(engine_list)
    return render(request, "tasks/dashboard.html", {
        "balance": balance_of(user_id=request.user.pk),
        "engines": engine_list,
        "pairs_summary": pairs_summary(engine_list),
        "unavailable": [e for e in engine_list if not e["available"]],
        "sources": sources,
        "targets": targets,
        "selected": {k: request.POST.get(k, default) for k, default in
                     (("engine", ""), ("source_lang", "zh-Hans"), ("target_lang", "zh-Hant"), ("bilingual", ""),
                      ("glossary", ""))},
        "glossaries": Glossary.objects.filter(user=request.user).only("id", "name"),
        "errors": errors,
        "error_texts": error_messages(),
        "language_names": language_names(),
        # A fresh key per rendered form: submitting the same form twice creates one task.
        "idempotency_key": uuid.uuid4().hex,
        "accept": ",".join("." + e for e in documents.supported_extensions()),
        "types": ", ".join("." + e for e in documents.supported_extensions()),
        "max_upload_mb": settings.ZHIYI_MAX_UPLOAD_MB,
        "tasks": ProcessingTask.objects.filter(user=request.user)[:10],
        "has_active": ProcessingTask.objects.filter(user=request.user, status__in=ACTIVE_STATUSES).exists(),
    }, status=status)


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    queryset = ProcessingTask.objects.filter(user=request.user)
    wanted = request.GET.get("status", "")
    if wanted in Status.values:
        queryset = queryset.filter(status=wanted)
    query = request.GET.get("q", "").strip()
    if query:
        queryset = queryset.filter(filename__icontains=query)
    page = Paginator(queryset, TASKS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "tasks/list.html", {
        "page": page, "tasks": page.object_list, "status": wanted, "q": query, "statuses": Status.values,
        "has_active": any(t.status in ACTIVE_STATUSES for t in page.object_list),
        # The unfiltered first page shows new tasks as they are created (live.js fetches their rows).
        "live_rows_url": reverse("task-rows") if page.number == 1 and not wanted and not query else "",
    })


@login_required
def task_rows(request: HttpRequest) -> HttpResponse:
    """The rows of the user's tasks newer than `?after=<task id>`, newest first, at most a page
    of them: what the live list inserts when its stream tells of a task it does not show."""
    try:
        after = max(0, int(request.GET.get("after", "0")))
    except ValueError:
        after = 0
    tasks = ProcessingTask.objects.filter(user=request.user, pk__gt=after)[:TASKS_PER_PAGE]
    return render(request, "tasks/_new_rows.html", {"tasks": tasks})


def _money(task: ProcessingTask) -> dict[str, int]:
    """Reserved / charged / refunded for the current round (a retry opens a new one)."""
    reservation = services.current_reservation(task.pk)
    if reservation is None:
        return {"reserved": task.cost, "charged": task.charged, "refunded": 0}
    ended = reservation.state != reservation.State.RESERVED
    return {"reserved": reservation.amount, "charged": reservation.charged,
            "refunded": reservation.amount - reservation.charged if ended else 0}


@login_required
def task_detail(request: HttpRequest, task_id: int) -> HttpResponse:
    task = get_object_or_404(ProcessingTask, pk=task_id, user=request.user)
    return render(request, "tasks/detail.html", {
        "task": task, "money": _money(task), "source_name": language_name(task.source_lang),
        "target_name": language_name(task.target_lang),
        "preview": preview_of(task, page=request.GET.get("page")),
    })


@login_required
@require_POST
def task_cancel(request: HttpRequest, task_id: int) -> HttpResponse:
    task = get_object_or_404(ProcessingTask, pk=task_id, user=request.user)
    try:
        services.cancel_task(task_id=task.pk, actor=f"user:{request.user.pk}")
    except TaskError:
        messages.error(request, _("This task has already ended; it cannot be cancelled."))
    else:
        messages.success(request, _("The task was cancelled and its points refunded."))
    return redirect("task-detail", task_id=task.pk)


@login_required
@require_POST
def task_retry(request: HttpRequest, task_id: int) -> HttpResponse:
    task = get_object_or_404(ProcessingTask, pk=task_id, user=request.user)
    try:
        services.retry_task(task_id=task.pk, actor=f"user:{request.user.pk}")
    except InsufficientCredits as exc:
        messages.error(request, error_messages()["insufficient_credits"] % {"cost": exc.cost, "balance": exc.balance})
    except TaskError:
        messages.error(request, _("Only a failed or cancelled task can be retried."))
    else:
        messages.success(request, _("The task was queued again."))
    return redirect("task-detail", task_id=task.pk)


@login_required
def task_delete(request: HttpRequest, task_id: int) -> HttpResponse:
    """A page that asks first (it works without JavaScript); the POST deletes the task and its files."""
    task = get_object_or_404(ProcessingTask, pk=task_id, user=request.user)
    if request.method == "POST":
        try:
            services.delete_task(task_id=task.pk)
        except TaskError:
            messages.error(request, _("This translation is still running; cancel it before deleting it."))
            return redirect("task-detail", task_id=task.pk)
        messages.success(request, _("The translation and its files were deleted."))
        return redirect("task-list")
    return render(request, "tasks/confirm_delete.html", {"task": task})
