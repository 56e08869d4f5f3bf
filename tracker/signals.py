"""What happens after a write that the writer need not know about: every diary write reaches
tracker/entries/changes.py, which recounts the day totals and renews the cached pages."""

from django.conf import settings
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from knowledge.models import Food
from tracker.entries.changes import diary_changed, everyones_diary_changed
from tracker.models import (
    CrampEpisode,
    Drink,
    Exercise,
    Meal,
    Medication,
    NightCheckIn,
    Profile,
    PromptAcknowledgement,
)

COUNTED = (CrampEpisode, NightCheckIn, Drink, Exercise, Meal)  # what the day totals count


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def create_profile(sender, instance, created, raw=False, **kwargs):
    """Every person has a profile, however the account was made (sign-up, admin, createsuperuser)."""
    if created and not raw:
        Profile.objects.get_or_create(user=instance)


def entry_saved(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata: recount everything on the next read
        diary_changed(instance.user_id, whole_diary=True)
    else:
        diary_changed(instance.user_id, entry=instance)


def entry_deleted(sender, instance, origin=None, **kwargs):
    """One entry deleted on its own is recounted. A queryset delete must call diary_changed itself (one query,
    not one per row); a person's own deletion takes their totals with it."""
    if origin is instance:
        diary_changed(instance.user_id, entry=instance)


model: type[Model]
for model in COUNTED:
    post_save.connect(entry_saved, sender=model, dispatch_uid=f"diary-save-{model.__name__}")
    post_delete.connect(entry_deleted, sender=model, dispatch_uid=f"diary-delete-{model.__name__}")


@receiver(m2m_changed, sender=Meal.foods.through)
def meal_foods_changed(sender, instance, action, **kwargs):
    # Only from the meal's side: Meal.foods has no reverse accessor (related_name="+").
    if action in ("post_add", "post_remove", "post_clear"):
        diary_changed(instance.user_id, entry=instance)


def shown_saved(sender, instance, raw=False, **kwargs):
    """Not counted by day, but Today shows what follows from it (a medicine's prompt, an acknowledged prompt)."""
    diary_changed(instance.user_id)


def shown_deleted(sender, instance, origin=None, **kwargs):
    if origin is instance:  # a queryset delete calls diary_changed itself
        diary_changed(instance.user_id)


for model in (Medication, PromptAcknowledgement):
    post_save.connect(shown_saved, sender=model, dispatch_uid=f"pages-save-{model.__name__}")
    post_delete.connect(shown_deleted, sender=model, dispatch_uid=f"pages-delete-{model.__name__}")


@receiver(post_save, sender=Food)
@receiver(post_delete, sender=Food)
def food_changed(sender, **kwargs):
    """Meals show their foods' names and tips read their nutrients: everyone's cached pages may be out of date."""
    everyones_diary_changed()
