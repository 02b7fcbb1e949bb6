"""A plan version compared with the one it supersedes: added, removed and changed focus areas,
activities and indicators, read in a fixed number of queries, shown to the secretariat and the
council's members and to no one else."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sporskifte.councils import compare, drafts, plans, seed002
from sporskifte.councils.models import Plan
from sporskifte.testing.factories import municipality


@pytest.fixture
def versions(world, personas) -> tuple[Plan, Plan]:
    first = seed002.build_plan(actor=personas.admin_a, kredsraad=world.kredsraad)
    Plan.objects.filter(pk=first.pk).update(state=Plan.State.PUBLISHED)
    first.refresh_from_db()
    return first, plans.plan_new_version(actor=personas.admin_a, plan=first)


def test_an_unchanged_copy_has_no_changes(versions):
    assert compare.plan_changes(*versions) == []
    assert compare.previous_version(versions[1]) == versions[0]
    assert compare.previous_version(versions[0]) is None


def test_added_removed_and_changed_parts_are_listed(versions, personas):
    first, second = versions
    admin = personas.admin_a
    areas = list(second.focus_areas.all())
    removed, changed = areas[0], next(a for a in areas[1:] if a.indicators.exists())
    drafts.focus_area_remove(actor=admin, focus_area=removed)
    indicator = changed.indicators.first()
    drafts.indicator_change(
        actor=admin,
        indicator=indicator,
        definition=indicator.definition,
        source=indicator.source,
        baseline=Decimal("100"),
        target=Decimal("50"),
        direction="down",
    )
    plans.activity_add(
        actor=admin, focus_area=changed, description="Ny indsats", owner=changed.owner
    )
    plans.focus_area_add(
        actor=admin,
        plan=second,
        scope="local",
        title="Ungdomskriminalitet",
        owner=changed.owner,
        municipality_ids=[municipality("Viborg").pk],
    )
    found = {(c.name, c.kind): c for c in compare.plan_changes(first, second)}
    assert set(found) == {
        (removed.title, "removed"),
        (changed.title, "changed"),
        ("Ungdomskriminalitet", "added"),
    }
    area = found[(changed.title, "changed")]
    assert [(a.name, a.kind) for a in area.activities] == [("Ny indsats", "added")]
    [ind] = area.indicators
    assert ind.kind == "changed"
    assert ("Target", "50.00") in {(str(f.label), f.new) for f in ind.fields}


def test_comparison_reads_in_a_fixed_number_of_queries(versions, django_assert_num_queries):
    # Per version: focus areas, municipalities, activities, their owners, their areas,
    # indicators; and the previous version itself.
    with django_assert_num_queries(13):
        compare.plan_changes(versions[0], compare.previous_version(versions[1]) or versions[1])


def test_changes_page_for_the_secretariat_and_the_councils_members_only(
    versions, personas, as_user, world
):
    first, second = versions
    drafts.focus_area_remove(actor=personas.admin_a, focus_area=second.focus_areas.first())
    url = f"/raad/plan/{second.pk}/aendringer/"
    for user in (personas.secretariat_a, world.mayor):
        page = as_user(user).get(url).content.decode()
        assert "removed" in page and f"Compared with version {first.version}" in page
    # Viborg's lokalråd chair has no seat in the kredsråd.
    assert as_user(personas.council_member).get(url).status_code == 404
    assert f"/raad/plan/{second.pk}/aendringer/" in (
        as_user(personas.secretariat_a).get(f"/raad/plan/{second.pk}/").content.decode()
    )
