"""Pages every role meets (issue 9): one widget path draws design-system checkboxes, the only
choice of a select is chosen, every menu item answers the role that sees it, each start page
shows the role's work, and error pages wear the design system in the user's language."""

import re

import pytest
from django import forms
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views.defaults import bad_request, server_error

from sporskifte.accounts.models import Role
from sporskifte.core.forms import DesignSystemFormRenderer
from sporskifte.core.templatetags.sporskifte import phone
from sporskifte.fora import services
from sporskifte.fora.frame import ForumKind
from sporskifte.organisations.models import Organisation
from sporskifte.testing.factories import district, member, municipality


class _Widgets(forms.Form):
    default_renderer = DesignSystemFormRenderer
    attended = forms.BooleanField(label="The young person attended", required=False)
    present = forms.MultipleChoiceField(
        label="Present", choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple
    )
    kind = forms.ChoiceField(
        label="Kind", choices=[("", "---"), ("x", "X")], widget=forms.RadioSelect
    )
    forum = forms.ChoiceField(label="Forum", choices=[("", "---"), ("7", "SSP Viborg")])


def test_a_single_checkbox_comes_before_its_label_with_the_design_systems_class():
    html = str(_Widgets()["attended"].as_field_group())

    box, label = (
        html.index('type="checkbox"'),
        html.index('<label class="form-label" for="id_attended"'),
    )
    assert box < label
    assert 'class="form-checkbox"' in html and "form-group-checkbox" in html
    assert "(optional)" not in html  # a checkbox left empty is an answer, not an omission


def test_a_multiple_choice_is_a_group_of_checkboxes_not_radios():
    html = str(_Widgets()["present"].as_field_group())

    assert html.count('class="form-checkbox"') == 2 and "form-radio" not in html
    assert "<fieldset" in html and "form-group-checkbox" in html


def test_a_required_radio_choice_offers_no_empty_option():
    html = str(_Widgets()["kind"].as_field_group())

    assert 'value=""' not in html and 'value="x"' in html


def test_the_only_choice_of_a_required_select_is_chosen():
    html = str(_Widgets()["forum"].as_field_group())

    assert '<option value="7" selected>' in html
    bound = str(_Widgets(data={"forum": ""})["forum"].as_field_group())
    assert "selected>SSP" not in bound  # what the user sent back is shown as sent


def test_phone_numbers_are_grouped_as_read():
    assert phone("+4520304050") == "+45 20 30 40 50"
    assert phone("+46701234567") == "+46 70 123 45 67"
    assert phone("not a number") == "not a number"


@pytest.mark.django_db
def test_a_missing_page_is_the_design_systems_page_in_the_users_language(client, settings):
    settings.DEBUG = False

    response = client.get("/findes-ikke/", HTTP_ACCEPT_LANGUAGE="sv")

    assert response.status_code == 404
    html = response.content.decode()
    assert "Sidan finns inte" in html and "dkfds.min.css" in html and 'lang="sv"' in html


def test_server_and_request_errors_need_no_context_and_speak_danish():
    request = RequestFactory().get("/")
    with translation.override("da"):
        failed = server_error(request)
        unreadable = bad_request(request, exception=None)

    assert failed.status_code == 500 and "Noget gik galt" in failed.content.decode()
    assert "dkfds.min.css" in failed.content.decode()
    assert "Forespørgslen kunne ikke læses" in unreadable.content.decode()


@pytest.fixture
def forum_member(personas):
    kommune = Organisation.objects.get(slug="kommune-dk-0791")
    school = member("school", kommune, Role.COUNSELLOR)
    forum = services.forum_create(
        actor=personas.admin_a,
        name="SSP Viborg",
        kind=ForumKind.SSP,
        municipality=municipality("Viborg"),
        organisations=[district("midt-vestjylland"), kommune],
    )
    services.forum_member_add(actor=personas.admin_a, forum=forum, user=school)
    return school


@pytest.mark.django_db
def test_every_menu_item_answers_the_role_that_sees_it(personas, forum_member, as_user):
    for user in [*personas.all().values(), forum_member]:
        client = as_user(user)
        html = client.get(reverse("core:home"), follow=True).content.decode()
        nav = html.split('class="mainmenu"')[1].split("</ul>")[0]
        for href in set(re.findall(r'href="([^"]+)"', nav)):
            status = client.get(href).status_code
            assert status == 200, (user.username, href, status)


@pytest.mark.django_db
def test_each_role_starts_where_its_work_is(personas, forum_member, as_user):
    starts = {
        personas.officer_a: reverse("referrals:overview"),
        personas.counsellor_a: reverse("referrals:inbox"),
        personas.researcher: reverse("research:project_list"),
        personas.council_member: reverse("insights:report"),
        personas.sysadmin: reverse("audit:search"),
        forum_member: reverse("fora:forum_list"),
    }
    for user, where in starts.items():
        response = as_user(user).get(reverse("core:home"))
        assert (user.username, response.status_code, response["Location"]) == (
            user.username,
            302,
            where,
        )


@pytest.mark.django_db
def test_the_public_figures_are_linked_from_the_log_in_page_and_every_footer(client):
    html = client.get(reverse("accounts:login")).content.decode()
    index = reverse("insights:public_index")

    assert html.count(f'href="{index}"') == 2  # the log-in text and the footer
    assert client.get(index).status_code == 200
