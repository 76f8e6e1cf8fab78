"""Signals other apps may react to, so the credits core imports none of them."""
from __future__ import annotations

from django.dispatch import Signal

# A change took the balance from at-or-above ZHIYI_LOW_BALANCE_THRESHOLD to below it (once per
# crossing). Sent after the commit that made the change, never inside its locked transaction.
# Arguments: user_id, balance, threshold.
balance_low = Signal()
