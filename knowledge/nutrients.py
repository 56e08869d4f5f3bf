"""The nutrients the source documents link with muscle and nerve function (see shared/seeds/README.md)."""

from django.db import models


class Nutrient(models.TextChoices):
    MAGNESIUM = "magnesium", "Magnesium"
    POTASSIUM = "potassium", "Potassium"
    CALCIUM = "calcium", "Calcium"
    VITAMIN_D = "vitamin_d", "Vitamin D"
    VITAMIN_B1 = "vitamin_b1", "Vitamin B1"
    VITAMIN_B6 = "vitamin_b6", "Vitamin B6"
    VITAMIN_B12 = "vitamin_b12", "Vitamin B12"
    IRON = "iron", "Iron"
    VITAMIN_K2 = "vitamin_k2", "Vitamin K2"
