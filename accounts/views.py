"""Sign-up, log-in, password change and reset, address verification: Django's auth views with our
templates. Log-in guessing is stopped by django-axes inside authenticate() (see lockout.py)."""
from __future__ import annotations

import logging

from axes.utils import reset as reset_lockout
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import services
from accounts.forms import SignUpForm, ZhiyiPasswordResetForm
from accounts.mail import send_verification
from credits.services import get_or_create_account

logger = logging.getLogger(__name__)


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboard")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        # The account (and its welcome grant) exists before the first page shows the balance.
        get_or_create_account(user_id=user.pk)
        profile = services.profile_of(user_id=user.pk)
        profile.language = get_language() or settings.LANGUAGE_CODE
        profile.save(update_fields=["language"])
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        send_verification_to(request, user)
        return redirect("dashboard")
    return render(request, "registration/signup.html", {"form": form})


def send_verification_to(request: HttpRequest, user) -> None:  # type: ignore[no-untyped-def]
    try:
        send_verification(user, base_url=request.build_absolute_uri("/").rstrip("/"),
                          language=get_language() or settings.LANGUAGE_CODE)
    except OSError:  # SMTP errors included. The account works without it; settings can send it again.
        logger.warning("verification mail failed", exc_info=True, extra={"user_id": user.pk})
        messages.warning(request, _("We could not send the confirmation mail just now; send it again from "
                                    "your account settings."))
    else:
        messages.info(request, _("We sent a link to %(email)s: follow it to confirm your address.")
                      % {"email": user.email})


def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    read = services.read_verification_token(token, max_age=settings.PASSWORD_RESET_TIMEOUT)
    verified = read is not None and services.mark_email_verified(user_id=read[0], email=read[1])
    return render(request, "registration/email_verified.html", {"verified": verified},
                  status=200 if verified else 400)


@login_required
@require_POST
def resend_verification(request: HttpRequest) -> HttpResponse:
    confirmed = services.profile_of(user_id=request.user.pk).email_is_verified(request.user.email)
    if request.user.email and not confirmed:
        send_verification_to(request, request.user)
    return redirect("account-settings")


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        """Signed in on a new browser, the pages speak the language the account last chose."""
        response = super().form_valid(form)
        chosen = services.profile_of(user_id=form.get_user().pk).language
        if chosen in dict(settings.LANGUAGES):
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, chosen, samesite="Lax",
                                max_age=settings.LANGUAGE_COOKIE_AGE, secure=settings.SESSION_COOKIE_SECURE)
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    success_url = reverse_lazy("password-change-done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    pass


class PasswordResetView(auth_views.PasswordResetView):
    form_class = ZhiyiPasswordResetForm
    email_template_name = "registration/mail/password_reset.txt"
    subject_template_name = "registration/mail/password_reset_subject.txt"
    success_url = reverse_lazy("password-reset-done")

    @property
    def extra_email_context(self) -> dict:  # type: ignore[override]
        return {"hours": settings.PASSWORD_RESET_TIMEOUT // 3600}


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    pass


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("password-reset-complete")

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        response = super().form_valid(form)
        user = form.user
        # The link reached the owner: that confirms the address, and lifts a sign-in lockout.
        services.mark_email_verified(user_id=user.pk, email=user.email)
        reset_lockout(username=user.get_username())
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    pass
