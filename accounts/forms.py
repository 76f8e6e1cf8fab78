from __future__ import annotations

import uuid
from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm, UserCreationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Profile
from accounts.scopes import SCOPES


class SignUpForm(UserCreationForm):
    email = forms.EmailField(label=_("Email"), max_length=254,
                             help_text=_("We send a link to confirm it; it is where password resets go."))

    class Meta(UserCreationForm.Meta):
        fields = ("username", "email")
        help_texts = {"username": _("Letters, digits and @/./+/-/_ only.")}


class LanguageSelect(forms.Select):
    """Each language named in itself, and marked so (screen readers pronounce it right)."""

    def create_option(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        option = super().create_option(*args, **kwargs)
        option["attrs"]["lang"] = option["value"]
        return option


class AccountForm(forms.ModelForm):
    email = forms.EmailField(label=_("Email"), max_length=254)
    language = forms.ChoiceField(label=_("Language of mails and notifications"), choices=settings.LANGUAGES,
                                 widget=LanguageSelect)

    class Meta:
        model = Profile
        fields = ("mail_task_outcomes", "language")
        labels = {"mail_task_outcomes": _("Email me when a translation finishes or fails")}


class ZhiyiPasswordResetForm(PasswordResetForm):
    """Django's reset form; the mail goes out in the reader's language through Django's mail
    framework. The address is matched against every active account that has it."""

    email = forms.EmailField(label=_("Email"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"}))


EXPIRY_CHOICES = [("", _("Never")), ("7", _("In 7 days")), ("30", _("In 30 days")), ("90", _("In 90 days")),
                  ("365", _("In a year"))]


class ApiKeyForm(forms.Form):
    # One id per rendered form: a resubmission (reload, back button) makes no second key.
    form_id = forms.CharField(widget=forms.HiddenInput, max_length=64)
    name = forms.CharField(label=_("Name"), max_length=50,
                           help_text=_("What uses this key, e.g. “CI pipeline” or “laptop script”."))
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"), required=False, widget=forms.CheckboxSelectMultiple, choices=list(SCOPES.items()),
        help_text=_("None ticked: everything your account may do, except managing keys."))
    expires = forms.ChoiceField(label=_("Expires"), required=False, choices=EXPIRY_CHOICES)

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["form_id"].initial = uuid.uuid4().hex

    def expires_at(self):  # type: ignore[no-untyped-def]
        days = self.cleaned_data.get("expires")
        return timezone.now() + timedelta(days=int(days)) if days else None
