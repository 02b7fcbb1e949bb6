"""Demo accounts: one per role in the demo organisations, and a counsellor for every
substance-abuse centre of Midt- og Vestjylland (``manage.py demo_accounts``, run by
``demo_data``). Each has the demo password and a confirmed TOTP device, whose code the code page
shows in demo mode. Idempotent: a database with these accounts is left alone.

Imported by the command only after ``core.demo.demo_refuse_unless_possible``: Faker is a
development package.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django_otp.plugins.otp_totp.models import TOTPDevice
from faker import Faker

from sporskifte.accounts.models import Membership, Role, User
from sporskifte.core.demo import ascii_slug
from sporskifte.organisations.models import Organisation

SEED = 2026


@dataclass(frozen=True)
class Account:
    username: str
    organisation: str  # slug
    role: str
    name: str


ACCOUNTS = (
    Account("betjent", "midt-vestjylland-forebyggelse", Role.OFFICER, "Mette Kjærgaard"),
    Account("efterforsker", "midt-vestjylland", Role.INVESTIGATOR, "Jonas Brink"),
    Account("kredsadmin", "midt-vestjylland", Role.DISTRICT_ADMIN, "Hanne Bech"),
    Account("betjent-sydoest", "sydoestjylland-pc-nord", Role.OFFICER, "Ali Demir"),
    Account("raadgiver-viborg", "rusmiddelcenter-viborg", Role.COUNSELLOR, "Sofie Dahl"),
    Account("raadgiver-herning", "rusmiddelcenter-herning", Role.COUNSELLOR, "Karsten Holm"),
    Account("kredsadmin-vestegn", "koebenhavns-vestegn", Role.DISTRICT_ADMIN, "Ditte Wulff"),
    Account("betjent-vestegn", "koebenhavns-vestegn-lokalpoliti", Role.OFFICER, "Nikolaj Aagaard"),
    Account("brydehuset", "brydehuset", Role.COUNSELLOR, "Camilla Thrane"),
    Account("kredsadmin-stockholm", "polisregion-stockholm", Role.DISTRICT_ADMIN, "Eva Lindqvist"),
    Account("polis-stockholm", "polisregion-stockholm-narkotikarotel", Role.OFFICER, "Johan Berg"),
    Account("xcons", "x-cons-stockholm", Role.COUNSELLOR, "Peter Sandberg"),
    Account("forsker", "crf-aarhus", Role.RESEARCHER, "Lise Mørk"),
    Account("kommunalbestyrelse", "kommune-dk-0791", Role.COUNCIL_MEMBER, "Ulla Vestergaard"),
    Account("sysadmin", "midt-vestjylland", Role.SYSTEM_ADMIN, "Erik Frost"),
    # The second pair of eyes a token for another organisation than the district needs.
    Account("sysadmin2", "midt-vestjylland", Role.SYSTEM_ADMIN, "Nanna Friis"),
)


def demo_accounts_exist() -> bool:
    # Other apps' demo commands make demo accounts of their own: look for ours.
    return User.objects.filter(is_demo=True, username__in=[a.username for a in ACCOUNTS]).exists()


class DemoAccounts:
    def __init__(self, password: str) -> None:
        self.faker = Faker("da_DK")
        self.faker.seed_instance(SEED)
        self.password_hash = make_password(password)
        self.users: dict[str, User] = {}
        self.staff_of: dict[int, User] = {}  # partner organisation id -> its counsellor

    def account(self, username: str, organisation: Organisation, role: str, name: str) -> User:
        first, _, last = name.partition(" ")
        user = User.objects.create(
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@example.invalid",
            password=self.password_hash,
            is_demo=True,
        )
        Membership.objects.create(user=user, organisation=organisation, role=role)
        TOTPDevice.objects.create(user=user, name="Demo", confirmed=True)
        self.users[username] = user
        if role == Role.COUNSELLOR:
            self.staff_of[organisation.pk] = user
        return user

    def accounts(self) -> None:
        for a in ACCOUNTS:
            self.account(a.username, Organisation.objects.get(slug=a.organisation), a.role, a.name)
        # Every centre in Midt- og Vestjylland gets a counsellor, so each referral has someone
        # to work it; only Viborg and Herning are in the printed table.
        centres = Organisation.objects.filter(
            kind=Organisation.Kind.SUBSTANCE_ABUSE_CENTRE,
            municipality__police_district__slug="midt-vestjylland",
        ).order_by("slug")
        for centre in centres:
            if centre.pk not in self.staff_of and centre.municipality is not None:
                name = f"{self.faker.first_name()} {self.faker.last_name()}"
                username = f"raadgiver-{ascii_slug(centre.municipality.name)}"
                self.account(username, centre, Role.COUNSELLOR, name)


def logins_table(password: str) -> str:
    wanted = [a.username for a in ACCOUNTS]
    users = {
        u.username: u
        for u in User.objects.filter(is_demo=True, username__in=wanted).select_related(
            "membership__organisation"
        )
    }
    lines = [
        f"Demo accounts. Password for all: {password}",
        "The code page shows each demo account's one-time code in demo mode "
        "(or: ./dev totp USERNAME).",
        "",
        f"  {'user name':<22}{'role':<26}organisation",
    ]
    for name in wanted:
        user = users.get(name)
        if user is None:
            continue
        m = user.membership
        lines.append(f"  {name:<22}{m.get_role_display():<26}{m.organisation.name}")
    others = (
        User.objects.filter(is_demo=True, username__startswith="raadgiver-")
        .exclude(username__in=wanted)
        .count()
    )
    if others:
        lines.append(
            f"  raadgiver-<kommune>   {others} more counsellors, one per centre in Midt- og "
            "Vestjylland"
        )
    return "\n".join(lines)
