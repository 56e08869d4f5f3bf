from django.db import models
from django.utils.translation import gettext

from knowledge.nutrients import Nutrient


class Food(models.Model):
    """A food named by the source documents, with the nutrients they credit it with.

    Meals link to these rows; the rows themselves are kept in step with the documents by data migrations.
    """

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=80)
    nutrients = models.JSONField(
        default=list, help_text="Nutrient codes the documents credit this food with."
    )
    source = models.CharField(max_length=200, help_text="Source document file name(s).")
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.translated_name

    @property
    def translated_name(self) -> str:
        """The name in the active language: the row keeps the English name, which is the catalogue's key
        (knowledge/foods.py marks every name)."""
        return gettext(self.name) if self.name else ""  # gettext("") is the catalogue's header

    @property
    def translated_note(self) -> str:
        return gettext(self.note) if self.note else ""

    @property
    def sources(self) -> list[str]:
        return [name.strip() for name in self.source.split(",") if name.strip()]

    @property
    def nutrient_labels(self) -> list[str]:
        labels = dict(Nutrient.choices)
        return [str(labels[code]) for code in self.nutrients if code in labels]
