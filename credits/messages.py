"""What a ledger entry says to the account's owner (LedgerEntry.note_code + note_params),
rendered when read. An entry without a code (a staff grant or adjustment) says its `reason`, the
free text staff typed."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from lib.messages import Catalogue

WELCOME = "welcome"
TASK_FAILED = "task_failed"
TASK_CANCELLED = "task_cancelled"
TASK_STOPPED_BY_STAFF = "task_stopped_by_staff"
UNUSED_RESERVATION = "unused_reservation"
EXPIRED = "expired"

LEDGER_NOTES = Catalogue({
    WELCOME: _("Welcome credits"),
    TASK_FAILED: _("Translation failed; the reserved points were refunded"),
    TASK_CANCELLED: _("Translation cancelled"),
    TASK_STOPPED_BY_STAFF: _("Translation stopped by staff"),
    UNUSED_RESERVATION: ngettext_lazy("Unused part of the reservation (%(charged)s of %(amount)s point charged)",
                                      "Unused part of the reservation (%(charged)s of %(amount)s points charged)",
                                      "amount"),
    EXPIRED: ngettext_lazy("Expired on %(expires_at)s (%(amount)s point granted)",
                           "Expired on %(expires_at)s (%(amount)s points granted)", "amount"),
}, dates=("expires_at",))


def note_of(code: str, params: dict, reason: str) -> str:
    if not code:
        return reason
    return LEDGER_NOTES.render(code, {"text": reason, **params})
