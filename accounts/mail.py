"""Mails to people, through Django's mail framework (settings.EMAIL_*), in the reader's language.

Account mails (address verification; password reset is Django's own form) go out in the request
that asks for them: the person is waiting. Task outcome mails go out from the worker (jobs.py)."""
from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.services import verification_token


def public_url(path: str) -> str:
    """A link for mails sent without a request (from the worker)."""
    return settings.ZHIYI_PUBLIC_URL.rstrip("/") + path


def render_mail(template: str, context: dict, *, to: str, language: str) -> EmailMessage:
    """`<template>_subject.txt` and `<template>.txt`, rendered in `language`."""
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = "".join(render_to_string(f"{template}_subject.txt", context).splitlines())
        body = render_to_string(f"{template}.txt", context)
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [to])


def send_verification(user: AbstractBaseUser, *, base_url: str, language: str) -> None:
    """The link to confirm the account's address, on the site the person is using (`base_url`)."""
    token = verification_token(user_id=user.pk, email=user.email)
    link = base_url + reverse("verify-email", args=[token])
    hours = settings.PASSWORD_RESET_TIMEOUT // 3600
    message = render_mail("registration/mail/verify_email", {"user": user, "link": link, "hours": hours},
                          to=user.email, language=language)
    message.send()
