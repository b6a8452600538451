"""The search form: words, and optional section, source and date limits."""

from django import forms

from broadsheet.core.text import clean_text

from .languages import language_choices

MAX_SHOWN_QUERY = 1000


class SearchForm(forms.Form):
    q = forms.CharField(label="Search for", required=False, max_length=10_000, strip=True)
    language = forms.ChoiceField(
        label="Words in",
        required=False,
        help_text="Word forms of this language match too (“seçimler” finds “seçimlerde”).",
    )
    section = forms.ChoiceField(label="Section", required=False)
    source = forms.ChoiceField(label="Source", required=False)
    date_from = forms.DateField(
        label="From",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter a date like 2024-05-31."},
    )
    date_to = forms.DateField(
        label="To",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter a date like 2024-05-31."},
    )

    def __init__(self, data=None, *, sections=(), sources=()):
        if data is not None:
            data = data.copy()
            # Whatever arrived, keep it printable: no NUL bytes or broken surrogates.
            for key in list(data.keys()):
                data.setlist(key, [clean_text(v)[:MAX_SHOWN_QUERY] for v in data.getlist(key)])
        super().__init__(data)
        self.fields["language"].choices = [("", "Any language")] + language_choices()
        self.fields["section"].choices = [("", "All sections")] + [(s.slug, s.name) for s in sections]
        self.fields["source"].choices = [("", "All sources")] + [(s.slug, s.name) for s in sources]
        self._sections = {s.slug: s for s in sections}
        self._sources = {s.slug: s for s in sources}
        self.fields["q"].widget.attrs.update({"type": "search", "id": "search-q"})

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date is before the start date.")
        return data

    def chosen_section(self):
        return self._sections.get(self.cleaned_data.get("section") or "")

    def chosen_source(self):
        return self._sources.get(self.cleaned_data.get("source") or "")
