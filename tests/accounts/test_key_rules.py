"""Key rules under pressure: racing creations cannot pass the per-account limit, racing
revocations revoke once, and the scope rule never lets a scoped key do more than an unscoped one."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accounts import keys
from accounts.models import ApiKey
from accounts.scopes import FULL, NO_API_KEYS, READ, SCOPES, key_allows
from tests.credits.test_concurrency import run_together


@pytest.mark.django_db(transaction=True)
def test_racing_creations_stop_at_the_limit(user, settings):
    settings.ZHIYI_API_KEYS_PER_USER = 3
    results = run_together([lambda n=n: keys.create_key(user_id=user.pk, name=f"k{n}") for n in range(8)])
    made = [r for r in results if isinstance(r, tuple)]
    refused = [r for r in results if isinstance(r, keys.KeyRefused)]
    assert len(made) == 3 and len(refused) == 5 and all(r.code == "too_many_keys" for r in refused)
    assert ApiKey.objects.filter(user=user).count() == 3


@pytest.mark.django_db(transaction=True)
def test_racing_revocations_revoke_once(user):
    key, _secret = keys.create_key(user_id=user.pk, name="shared")
    results = run_together([lambda: keys.revoke_key(user_id=user.pk, prefix=key.prefix) for _ in range(6)])
    assert sorted(results) == [False] * 5 + [True]


NEEDS = st.sampled_from([READ, FULL, NO_API_KEYS, *SCOPES])


@given(scopes=st.lists(st.sampled_from(list(SCOPES)), unique=True), needed=NEEDS)
def test_a_scoped_key_never_may_more_than_an_unscoped_one(scopes, needed):
    assert not key_allows(scopes, needed) or key_allows([], needed)
    assert key_allows(scopes, READ)  # every key reads
    assert not key_allows(scopes, NO_API_KEYS)  # no key manages keys
    if scopes:
        assert not key_allows(scopes, FULL)
        assert key_allows(scopes, needed) == (needed == READ or needed in scopes)


@given(smaller=st.lists(st.sampled_from(list(SCOPES)), unique=True, min_size=1), extra=st.sampled_from(list(SCOPES)),
       needed=NEEDS)
def test_adding_a_scope_never_takes_a_right_away(smaller, extra, needed):
    larger = sorted({*smaller, extra})
    assert not key_allows(smaller, needed) or key_allows(larger, needed)
