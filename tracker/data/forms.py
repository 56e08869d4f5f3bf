from django import forms


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Export file (.json)",
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
        error_messages={"required": "Choose the .json file an export made."},
    )
