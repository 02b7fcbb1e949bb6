"""Messages of Django REST framework that its own Danish and Swedish catalogues lack.

The API answers bad input in the caller's language (Danish by default), but Django REST
framework 3.16 ships these field and throttling messages untranslated in Danish and Swedish.
They are listed here only so that makemessages copies them into this project's catalogues,
which come before an installed app's own (LOCALE_PATHS). Nothing imports this module.

The texts must stay exactly as Django REST framework writes them (rest_framework/fields.py,
serializers.py, validators.py, exceptions.py); a test checks that they still do.
"""

from django.utils.translation import gettext_noop

MESSAGES = (
    gettext_noop("Must be a valid boolean."),
    gettext_noop("Not a valid string."),
    gettext_noop("Must be a valid UUID."),
    gettext_noop("Invalid input."),
    gettext_noop("Datetime value out of range."),
    gettext_noop('Invalid datetime for the timezone "{timezone}".'),
    gettext_noop("Ensure this field has at least {min_length} elements."),
    gettext_noop("Ensure this field has no more than {max_length} elements."),
    gettext_noop("This dictionary may not be empty."),
    gettext_noop("Surrogate characters are not allowed: U+{code_point:X}."),
    gettext_noop("Expected available in {wait} second."),
    gettext_noop("Expected available in {wait} seconds."),
)
