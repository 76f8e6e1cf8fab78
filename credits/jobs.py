"""Scheduled upkeep of the credits app (django-q2 schedule "zhiyi: expire credit grants", and
`manage.py expire_credits`). Safe to run twice or on two workers at once."""
from __future__ import annotations

import logging

from credits.services import expire_grants

logger = logging.getLogger("zhiyi.upkeep")


def expire_credits() -> str:
    points = expire_grants()
    summary = f"expired {points} point(s) of grants past their expiry"
    logger.info("expire_credits: %s", summary, extra={"points": points})
    return summary
