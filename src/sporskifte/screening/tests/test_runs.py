import pytest

from sporskifte.organisations.models import Organisation
from sporskifte.screening import services
from sporskifte.screening.models import Hit, ScreeningRun
from sporskifte.screening.tests.conftest import household, incident

pytestmark = pytest.mark.django_db
ADULT, CHILD = "0101809001", "0101159002"


def run(personas, district, mode=ScreeningRun.Mode.FULL):
    return services.screening_run(actor=personas.screening_a, district=district, mode=mode)


def test_repeat_adult_with_a_child_raises_one_hit_with_its_incidents(personas, district_a, rule):
    first, second = incident(district_a, ADULT, days_ago=40), incident(district_a, ADULT)
    household(district_a, ADULT, CHILD)
    result = run(personas, district_a)
    hit = Hit.objects.get()
    assert (result.hits_new, hit.child_id_number, hit.rule_version) == (1, CHILD, rule)
    assert set(hit.incidents.all()) == {first, second}
    assert hit.child_municipality.name == "Holstebro"  # the child's municipality, not Viborg's


def test_below_threshold_outside_window_or_other_code_raises_nothing(personas, district_a, rule):
    incident(district_a, ADULT)
    incident(district_a, ADULT, days_ago=400)
    incident(district_a, ADULT, code="VOLD")
    household(district_a, ADULT, CHILD)
    assert run(personas, district_a).hits_new == 0


def test_adult_without_a_child_or_with_an_adult_child_raises_nothing(personas, district_a, rule):
    incident(district_a, ADULT, days_ago=40), incident(district_a, ADULT)
    household(district_a, ADULT, CHILD, age=18)
    assert run(personas, district_a).hits_new == 0


def test_another_districts_incidents_are_not_screened(personas, district_a, rule):
    other = Organisation.objects.get(slug="sydoestjylland")
    incident(other, ADULT, days_ago=40), incident(other, ADULT)
    household(district_a, ADULT, CHILD)
    assert run(personas, district_a).hits_new == 0


def test_dismissed_hit_stays_down_until_a_new_incident_reopens_it(personas, district_a, rule):
    incident(district_a, ADULT, days_ago=40), incident(district_a, ADULT)
    household(district_a, ADULT, CHILD)
    run(personas, district_a)
    services.hit_dismiss(actor=personas.screening_a, hit=Hit.objects.get(), reason="Known")
    again = run(personas, district_a)
    assert (again.hits_new, again.hits_reopened) == (0, 0)
    assert Hit.objects.get().state == Hit.State.DISMISSED
    incident(district_a, ADULT, days_ago=1)
    later = run(personas, district_a, ScreeningRun.Mode.INCREMENTAL)
    hit = Hit.objects.get()
    assert (later.hits_reopened, hit.state, hit.incidents.count()) == (1, Hit.State.NEW, 3)


def test_incremental_run_looks_only_at_adults_with_new_incidents(personas, district_a, rule):
    incident(district_a, ADULT, days_ago=40), incident(district_a, ADULT)
    household(district_a, ADULT, CHILD)
    first = run(personas, district_a)
    Hit.objects.all().delete()
    quiet = run(personas, district_a, ScreeningRun.Mode.INCREMENTAL)
    assert (first.hits_new, quiet.hits_new, quiet.incidents_scanned) == (1, 0, 0)
    assert list(quiet.rule_versions.all()) == [rule]


def test_the_run_queries_do_not_grow_with_the_incidents(
    personas, district_a, rule, django_assert_max_num_queries
):
    for n in range(30):
        adult = f"01018090{n:02d}"
        incident(district_a, adult, days_ago=40), incident(district_a, adult)
        household(district_a, adult, f"01011590{n:02d}")
    with django_assert_max_num_queries(30):
        assert run(personas, district_a).hits_new == 30


def test_a_run_by_someone_outside_screening_is_refused(personas, district_a, rule):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.screening_run(actor=personas.officer_a, district=district_a)


def test_a_waiting_hit_takes_the_newest_incident_and_the_childs_new_address(
    personas, district_a, rule
):
    incident(district_a, ADULT, days_ago=40), incident(district_a, ADULT, days_ago=20)
    household(district_a, ADULT, CHILD)
    run(personas, district_a)
    newest = incident(district_a, ADULT, days_ago=1)
    household(district_a, ADULT, CHILD, municipality_code="0657", address="Nyvej 3")  # moved
    later = run(personas, district_a, ScreeningRun.Mode.INCREMENTAL)
    hit = Hit.objects.get()
    assert (later.hits_new, later.hits_reopened, hit.state) == (0, 0, Hit.State.NEW)
    assert (hit.last_incident_id, hit.last_incident_at) == (newest.pk, newest.occurred_at)
    assert (hit.child_address, hit.child_municipality.name) == ("Nyvej 3", "Herning")
    assert hit.incidents.count() == 3
