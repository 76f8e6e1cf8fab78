from __future__ import annotations

from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _


class SignUpForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = ("username",)
        help_texts = {"username": _("Letters, digits and @/./+/-/_ only.")}
