"""Settings for mypy's Django plugin only: the real settings (config/settings.py) with DEBUG on, so type checking
needs no SECRET_KEY. Never used to serve."""

import os

os.environ.setdefault("DEBUG", "true")

from config.settings import *  # noqa: E402, F403
