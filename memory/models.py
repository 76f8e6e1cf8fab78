"""Per-user linguistic assets: a translation memory (segments translated before are reused and
not billed again) and glossaries (terms the engine must not translate on its own)."""
from __future__ import annotations

from django.conf import settings
from django.db import models


class MemoryEntry(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memory_entries")
    # The engine, plus the glossary when one was applied: a translation made under a glossary is
    # only reused under the same glossary.
    engine_key = models.CharField(max_length=64)
    source_lang = models.CharField(max_length=20)
    target_lang = models.CharField(max_length=20)
    source_hash = models.CharField(max_length=64, help_text="sha256 of the normalised source text")
    source_text = models.TextField()
    target_text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "memory entries"
        constraints = [models.UniqueConstraint(
            fields=["user", "engine_key", "source_lang", "target_lang", "source_hash"], name="one_memory_per_source")]


class Glossary(models.Model):
    """Immutable once uploaded: a changed glossary is a new one (so memory keyed on it stays right)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="glossaries")
    name = models.CharField(max_length=200)
    source_lang = models.CharField(max_length=20, blank=True)
    target_lang = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "glossaries"

    def __str__(self) -> str:
        return self.name


class GlossaryTerm(models.Model):
    glossary = models.ForeignKey(Glossary, on_delete=models.CASCADE, related_name="terms")
    source = models.CharField(max_length=300)
    target = models.CharField(max_length=300)

    class Meta:
        ordering = ["id"]
