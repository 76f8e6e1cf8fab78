"""Sign-up, rate-limited log-in, password change: Django's auth views with our templates."""
from __future__ import annotations

from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from accounts import ratelimit
from accounts.forms import SignUpForm
from credits.services import get_or_create_account


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboard")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        # The account (and its welcome grant) exists before the first page shows the balance.
        get_or_create_account(user_id=user.pk)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("dashboard")
    return render(request, "registration/signup.html", {"form": form})


class LoginView(auth_views.LoginView):
    """Django's login, refusing more than ratelimit.MAX_FAILURES failures per username + IP."""

    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:  # type: ignore[no-untyped-def]
        username = request.POST.get("username", "")
        ip = ratelimit.client_ip(request)
        if ratelimit.is_blocked(username=username, ip=ip):
            # An unbound form: a blocked attempt does not even check the password.
            form = self.get_form_class()(request, initial={"username": username})
            blocked = _("Too many failed attempts. Please wait %(minutes)d minutes and try again.") % {
                "minutes": max(1, ratelimit.WINDOW_S // 60)}
            return self.render_to_response(self.get_context_data(form=form, blocked=blocked), status=429)
        response = super().post(request, *args, **kwargs)
        if request.user.is_authenticated:
            ratelimit.reset(username=username, ip=ip)
        else:
            ratelimit.record_failure(username=username, ip=ip)
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    success_url = reverse_lazy("password-change-done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    pass
