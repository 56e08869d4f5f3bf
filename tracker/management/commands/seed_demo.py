from datetime import timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils import timezone

from tracker.data.demo import build_diary
from tracker.models import Profile

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "cramp-diary-demo"  # noqa: S105 - a published demo login for the local demo only
DEMO_ZONE = "Europe/London"
DEMO_WEEKS = 12


class Command(BaseCommand):
    help = (
        "Create or refresh the demo diary: a demo person with 12 weeks of entries of every kind up to today."
    )

    def handle(self, *args, **options):
        User = get_user_model()
        user, created = User.objects.get_or_create(username=DEMO_USERNAME)
        if created or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save()
        Profile.objects.update_or_create(
            user=user,
            defaults={
                "display_name": "Demo",
                "time_zone": DEMO_ZONE,
                "fluid_target_ml": 2000,
            },
        )
        zone = ZoneInfo(DEMO_ZONE)
        now = timezone.now()
        today = now.astimezone(zone).date()
        counts = build_diary(user, zone, today - timedelta(weeks=DEMO_WEEKS), today, now)
        summary = ", ".join(f"{n} {kind}" for kind, n in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demo diary ready ({summary})."))
        self.stdout.write(f"Log in as '{DEMO_USERNAME}' with password '{DEMO_PASSWORD}'.")
