"""Languages members speak or sign, by ISO 639 code, with translatable names.

English, Welsh and British Sign Language come first; the rest are the languages most spoken in UK
homes (2021 census), in alphabetical order of their English names. Add one here and in the Welsh
catalogue; codes are stored, so never change one.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

LANGUAGES = {
    "en": _l("English"),
    "cy": _l("Welsh"),
    "bfi": _l("British Sign Language"),
    "ar": _l("Arabic"),
    "bn": _l("Bengali"),
    "zh": _l("Chinese"),
    "fr": _l("French"),
    "de": _l("German"),
    "ga": _l("Irish"),
    "gd": _l("Scottish Gaelic"),
    "gu": _l("Gujarati"),
    "hi": _l("Hindi"),
    "it": _l("Italian"),
    "ku": _l("Kurdish"),
    "lt": _l("Lithuanian"),
    "fa": _l("Persian (Farsi)"),
    "pl": _l("Polish"),
    "pt": _l("Portuguese"),
    "pa": _l("Punjabi"),
    "ro": _l("Romanian"),
    "ru": _l("Russian"),
    "so": _l("Somali"),
    "es": _l("Spanish"),
    "ta": _l("Tamil"),
    "tr": _l("Turkish"),
    "uk": _l("Ukrainian"),
    "ur": _l("Urdu"),
}
