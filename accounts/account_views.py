"""The account settings page (address, mail opt-in, mail language) and the API keys page."""
from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import keys, services
from accounts.forms import AccountForm, ApiKeyForm
from accounts.scopes import SCOPES
from accounts.views import send_verification_to

MADE_FORMS = "accounts.made-key-forms"  # ids of key forms already used (never the secrets)


@login_required
def account_settings(request: HttpRequest) -> HttpResponse:
    profile = services.profile_of(user_id=request.user.pk)
    initial = {"email": request.user.email, "language": profile.language or get_language() or settings.LANGUAGE_CODE}
    form = AccountForm(request.POST or None, instance=profile, initial=initial)
    if request.method == "POST" and form.is_valid():
        changed = services.update_account(user_id=request.user.pk, email=form.cleaned_data["email"],
                                          mail_task_outcomes=form.cleaned_data["mail_task_outcomes"],
                                          language=form.cleaned_data["language"])
        request.user.refresh_from_db(fields=["email"])
        messages.success(request, _("Your settings were saved."))
        if changed:
            send_verification_to(request, request.user)
        return redirect("account-settings")
    return render(request, "registration/account_settings.html", {
        "form": form, "verified": profile.email_is_verified(request.user.email)})


def _keys_page(request: HttpRequest, form: ApiKeyForm, *, new_key=None, secret: str = "",  # type: ignore[no-untyped-def]
               status: int = 200) -> HttpResponse:
    response = render(request, "registration/api_keys.html", {
        "form": form, "keys": keys.keys_of(user_id=request.user.pk), "scopes": SCOPES,
        "legacy_token": keys.legacy_token_of(user_id=request.user.pk), "new_key": new_key, "secret": secret,
    }, status=status)
    response["Cache-Control"] = "no-store"  # the page may show a secret, once
    return response


@login_required
def api_keys(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _keys_page(request, ApiKeyForm())
    form = ApiKeyForm(request.POST)
    if not form.is_valid():
        return _keys_page(request, form, status=400)
    made = request.session.get(MADE_FORMS, [])
    if form.cleaned_data["form_id"] in made:
        messages.info(request, _("That key was already made, and its secret shown once. If you did not copy it, "
                                 "revoke it and make a new one."))
        return redirect("api-keys")
    try:
        key, secret = keys.create_key(user_id=request.user.pk, name=form.cleaned_data["name"],
                                      scopes=form.cleaned_data["scopes"], expires_at=form.expires_at())
    except keys.KeyRefused as exc:
        form.add_error(None, str(exc))
        return _keys_page(request, form, status=400)
    request.session[MADE_FORMS] = [*made, form.cleaned_data["form_id"]][-20:]
    return _keys_page(request, ApiKeyForm(), new_key=key, secret=secret)


@login_required
@require_POST
def revoke_api_key(request: HttpRequest, prefix: str) -> HttpResponse:
    if keys.revoke_key(user_id=request.user.pk, prefix=prefix):
        messages.success(request, _("The key %(prefix)s… was revoked; it no longer works anywhere.") % {"prefix": prefix})
    return redirect("api-keys")


@login_required
@require_POST
def revoke_legacy_token(request: HttpRequest) -> HttpResponse:
    if keys.revoke_legacy_token(user_id=request.user.pk):
        messages.success(request, _("Your old API token was revoked; it no longer works anywhere."))
    return redirect("api-keys")
