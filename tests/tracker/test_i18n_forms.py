"""The entry forms in another language: a decimal typed the German way is read, a whole number still is, the browser's
own inputs keep the values they can read, and every word is looked up in the language of the request that shows it
(not the one the module was loaded in)."""

import uuid
from datetime import date
from unittest import mock

import pytest
from django.utils import translation
from django.utils.functional import Promise

from tracker.diary.forms import CrampForm, DrinkForm, ExerciseForm, MedicationForm, QuickDrinkForm
from tracker.entries.limits import TOO_LONG
from tracker.models import Medication, Profile, Side, VolumeUnit


def marked(message: str) -> str:
    """What the stand-in catalogue below makes of a message: it shows the message went through gettext."""
    return f"«{message}»"


@pytest.fixture
def catalogue():
    """A catalogue that marks every message it is asked for. gettext_lazy strings ask it each time they are shown."""
    with mock.patch.object(translation._trans, "gettext", marked):  # type: ignore[attr-defined]
        yield


def drink_form(amount: str, unit: str = VolumeUnit.FL_OZ) -> DrinkForm:
    data = {"uuid": str(uuid.uuid4()), "amount": amount, "kind": "water"}
    return DrinkForm(data, profile=Profile(volume_unit=unit))


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["de", "es"])
@pytest.mark.parametrize("typed", ["1,5", "1.5"])
def test_it_reads_a_decimal_typed_with_a_comma_or_a_point(language, typed):
    with translation.override(language):
        form = drink_form(typed)
        assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == 44  # 1.5 fl oz in ml


@pytest.mark.django_db
def test_it_reads_a_cramps_length_typed_the_german_way():
    with translation.override("de"):
        form = CrampForm({"uuid": str(uuid.uuid4()), "duration_minutes": "2,5"})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["duration_minutes"] == 2.5


@pytest.mark.django_db
def test_english_still_refuses_a_comma_as_before():
    with translation.override("en"):
        form = drink_form("1,5")
        assert not form.is_valid()
        assert form.errors["amount"] == ["Enter an amount as a number."]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "de", "es"])
def test_whole_numbers_are_read_in_every_language(language):
    with translation.override(language):
        water = QuickDrinkForm({"uuid": str(uuid.uuid4()), "amount_ml": "250"})
        walk = ExerciseForm(
            {"uuid": str(uuid.uuid4()), "activity": "walking", "minutes": "250", "effort": "light"}
        )
        assert water.is_valid(), water.errors
        assert walk.is_valid(), walk.errors
    assert water.cleaned_data["amount_ml"] == 250
    assert walk.cleaned_data["minutes"] == 250


@pytest.mark.django_db
def test_the_browsers_inputs_are_given_values_they_can_read_in_german():
    """A number input reads only "8.5", a date input only "2026-03-01"; the browser shows them the German way."""
    with translation.override("de"):
        drink = DrinkForm(profile=Profile(volume_unit=VolumeUnit.FL_OZ))
        medicine = MedicationForm(instance=Medication(name="Magnesium", started=date(2026, 3, 1)))
        assert 'value="8.5"' in str(drink["amount"])
        assert 'value="2026-03-01"' in str(medicine["started"])


def test_the_forms_words_are_lazy():
    """Read when shown, never when the module is loaded: else every page would speak the first request's language."""
    cramp = CrampForm.base_fields
    assert isinstance(cramp["intensity"].error_messages["min_value"], Promise)
    assert isinstance(cramp["sleep_disturbance"].label, Promise)
    assert isinstance(cramp["at"].label, Promise)
    assert isinstance(cramp["at"].help_text, Promise)
    assert isinstance(cramp["notes"].error_messages["max_length"], Promise)
    assert isinstance(TOO_LONG, Promise)
    assert isinstance(Side.LEFT.label, Promise)


@pytest.mark.django_db
def test_the_forms_words_are_looked_up_when_shown(catalogue):
    form = CrampForm({"uuid": str(uuid.uuid4()), "intensity": "11", "notes": "x" * 2001})
    assert not form.is_valid()
    assert form.errors["intensity"] == [
        marked("Intensity goes from %(low)s to %(high)s.") % {"low": 0, "high": 10}
    ]
    assert str(form["at"].label) == marked("When")
    assert drink_form("0").errors["amount"] == [marked("Enter an amount greater than 0.")]


@pytest.mark.django_db
def test_the_english_words_are_unchanged():
    with translation.override("en"):
        form = CrampForm({"uuid": str(uuid.uuid4()), "intensity": "11", "notes": "x" * 2001})
        walk = ExerciseForm({"uuid": str(uuid.uuid4()), "activity": "x", "minutes": "0", "effort": "light"})
        assert not form.is_valid() and not walk.is_valid()
        assert form.errors["intensity"] == ["Intensity goes from 0 to 10."]
        assert form.errors["notes"] == ["Keep this under 2000 characters."]
        assert walk.errors["minutes"] == ["Enter at least 1 minute."]
        assert str(form["sleep_disturbance"].label) == "How much it disturbed your sleep (0-10, optional)"
