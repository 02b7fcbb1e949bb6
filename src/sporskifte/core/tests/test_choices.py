import pytest
from django.utils import translation

from sporskifte.accounts.models import Membership, Role
from sporskifte.core.choices import label


@pytest.mark.parametrize("language", ["da", "sv", "en"])
def test_every_role_label_is_djangos_in_each_language(language):
    with translation.override(language):
        for role in Role:
            membership = Membership(role=role)
            assert membership.role_label == membership.get_role_display()


def test_a_label_follows_the_language_switched_to_after_it_was_first_asked():
    with translation.override("da"):
        danish = label(Role, Role.OFFICER)
    with translation.override("sv"):
        swedish = label(Role, Role.OFFICER)
    assert danish != swedish
    with translation.override("da"):
        assert label(Role, Role.OFFICER) == danish


def test_an_unknown_value_is_shown_as_stored():
    assert label(Role, "retired") == "retired"
