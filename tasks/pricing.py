from __future__ import annotations

import math

from django.conf import settings


def rate_for(engine_name: str) -> int:
    """Points per 1,000 billed characters for an engine (ZHIYI_RATES; 10 if unlisted)."""
    return settings.ZHIYI_RATES.get(engine_name, 10)


def price(*, rate_per_1000: int, characters: int) -> int:
    """Points for `characters` billed characters: rounded up, never below the minimum charge."""
    return max(settings.ZHIYI_MIN_CHARGE, math.ceil(characters * rate_per_1000 / 1000))
