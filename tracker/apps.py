from django.apps import AppConfig


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = "Diary"

    def ready(self) -> None:
        from tracker import signals  # noqa: F401
