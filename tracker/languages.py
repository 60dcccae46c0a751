"""The languages Revloop speaks: one list for the pages, the e-mails, the
retrospective and the command line. A language is added here, with its
catalogue under tracker/translations (README, Languages)."""

from __future__ import annotations

# those with a complete catalogue, by code, each named in its own language (as a
# language menu shows them)
LANGUAGES: dict[str, str] = {"en": "English", "ar": "العربية"}
RTL_LANGUAGES = frozenset({"ar", "arc", "ckb", "dv", "fa", "he", "ps", "sd", "ug", "ur", "yi"})
