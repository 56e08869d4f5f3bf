from django import forms
from django.utils.translation import gettext_lazy


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Export file (.json)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
        error_messages={"required": gettext_lazy("Choose the .json file an export made.")},
    )
