"""Who is signed in, read with their profile: every page needs both (the time zone, the units, the fluid target),
so one query reads them instead of two."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class UserWithProfileBackend(ModelBackend):
    """Django's ModelBackend, except that the person of a session comes with their profile (a LEFT JOIN: a person
    without one yet is still found, and UserTimeZoneMiddleware makes it)."""

    def get_user(self, user_id):
        users = get_user_model()._default_manager.select_related("profile")
        try:
            user = users.get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
