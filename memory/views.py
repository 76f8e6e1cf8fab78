"""The glossary upload of the dashboard (the API has the same in memory/api.py)."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from memory.services import GlossaryError, check_glossary_size, create_glossary


@login_required
@require_POST
def glossary_upload(request: HttpRequest) -> HttpResponse:
    """Store a glossary (CSV: source term, target term) for later tasks."""
    upload = request.FILES.get("glossary_file")
    try:
        if upload is None:
            raise GlossaryError(_("Choose a CSV file with two columns: source term, target term."))
        check_glossary_size(upload.size)  # its message is translated (lib/messages.py)
        glossary = create_glossary(user_id=request.user.pk, name=request.POST.get("name") or upload.name,
                                   data=upload.read())
    except GlossaryError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Glossary “%(name)s” saved with %(count)d terms.")
                         % {"name": glossary.name, "count": glossary.terms.count()})
    return redirect("dashboard")
