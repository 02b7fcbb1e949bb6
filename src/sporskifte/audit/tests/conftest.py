import pytest

from sporskifte.audit.models import AuditEvent
from sporskifte.audit.services import audit_record
from sporskifte.testing.factories import PersonFactory, district


@pytest.fixture
def person_a(personas):
    # A fixed name: a random one could share a surname with a staff member and fool the
    # "names no staff" assertions.
    return PersonFactory(
        police_district=district("midt-vestjylland"), full_name="Subjekt Testborger"
    )


@pytest.fixture
def person_b(personas):
    return PersonFactory(police_district=district("sydoestjylland"))


@pytest.fixture
def look():
    """``look(user, person, purpose)`` writes a VIEW row as the referral pages would."""

    def _look(
        user, person=None, purpose=AuditEvent.Purpose.REFERRAL_PAGE, action=AuditEvent.Action.VIEW
    ):
        return audit_record(
            actor=user,
            action=action,
            object_type=AuditEvent.ObjectType.REFERRAL,
            object_id=1,
            person_id=person.pk if person else None,
            purpose=purpose,
            legal_basis="samtykke",
        )

    return _look
