"""The languages search stems: PostgreSQL's snowball stemmers by ISO 639-1 code (migration 0004
made a configuration of each the server has). Other languages are searched as written."""

STEMMED_LANGUAGES = {
    "ar": "arabic",
    "ca": "catalan",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "eu": "basque",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hi": "hindi",
    "hu": "hungarian",
    "hy": "armenian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "nb": "norwegian",
    "ne": "nepali",
    "nl": "dutch",
    "nn": "norwegian",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
    "yi": "yiddish",
}


def language_choices():
    """[(code, name)] a reader may say their words are in, by name (one code per stemmer)."""
    seen, choices = set(), []
    for code, stemmer in STEMMED_LANGUAGES.items():
        if stemmer not in seen:
            seen.add(stemmer)
            choices.append((code, stemmer.capitalize()))
    return sorted(choices, key=lambda choice: choice[1])
