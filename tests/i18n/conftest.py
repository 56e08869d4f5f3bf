"""The pseudo-language fixture (tests/i18n/pseudo.py) for every test here."""

from tests.i18n.pseudo import pseudo  # noqa: F401
