"""The web process's garbage-collection policy: survivors frozen out of the collector's walks,
frozen cycles reclaimed by the periodic full collection, every pause timed."""
from __future__ import annotations

import gc
import weakref

import pytest

from streams import gcpolicy


class Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the cyclic collector can free it


@pytest.fixture
def policy(monkeypatch, settings):
    settings.ZHIYI_GC_FREEZE_S = 10
    settings.ZHIYI_GC_COLLECT_S = 100
    monkeypatch.setattr(gcpolicy, "pauses", gcpolicy.Pauses())
    monkeypatch.setattr(gcpolicy, "_installed", False)
    gcpolicy.install()
    yield gcpolicy
    gc.callbacks.remove(gcpolicy._timer)
    gc.unfreeze()


def test_survivors_are_frozen_and_their_cycles_wait_for_the_periodic_collection(policy):
    start = policy._last_freeze
    garbage = Node()
    gone = weakref.ref(garbage)
    policy.tick(start + 5)
    assert policy.pauses.freezes == 1  # only the start-up freeze so far
    policy.tick(start + 11)
    assert policy.pauses.freezes == 2 and gc.get_freeze_count() > 0
    del garbage
    gc.collect()
    assert gone() is not None  # frozen: a full collection no longer walks it
    policy.tick(start + 101)
    assert gone() is None and policy.pauses.full_collections == 1
    assert policy.pauses.freezes == 3  # what is left is frozen again at once


def test_every_collection_is_timed_per_generation(policy):
    before = list(policy.pauses.count)
    gc.collect(0)
    gc.collect()
    assert policy.pauses.count[0] == before[0] + 1 and policy.pauses.count[2] == before[2] + 1
    assert 0 < policy.pauses.max_s[2] <= policy.pauses.total_s[2]


def test_zero_leaves_the_collector_as_python_has_it(policy, settings):
    settings.ZHIYI_GC_FREEZE_S = 0
    frozen, freezes = gc.get_freeze_count(), policy.pauses.freezes
    policy.tick(policy._last_freeze + 10_000)
    assert policy.pauses.freezes == freezes and gc.get_freeze_count() == frozen
