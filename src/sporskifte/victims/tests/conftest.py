import pytest

from sporskifte.accounts.models import Role
from sporskifte.organisations.models import Organisation
from sporskifte.testing.factories import district, member


def _unit(slug: str, district_slug: str) -> Organisation:
    return Organisation.objects.create(
        name=f"Offerrådgivningen {slug}",
        slug=f"offerraadgivning-{slug}",
        kind=Organisation.Kind.VICTIM_SUPPORT,
        country="DK",
        parent=district(district_slug),
    )


@pytest.fixture
def adviser_a(personas):
    return member("adviser_a", _unit("a", "midt-vestjylland"), Role.VICTIM_ADVISER)


@pytest.fixture
def adviser_b(personas):
    return member("adviser_b", _unit("b", "sydoestjylland"), Role.VICTIM_ADVISER)
