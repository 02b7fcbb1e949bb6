"""Demo councils: Midt- og Vestjylland's kredsråd and eleven lokalråd, the 2023 samarbejdsplan
re-created from [S2] and published after a kredsråd discussion, a year of quarterly statuses
(one left missing, so a focus area shows red), next year's draft, and an area register.

Everything goes through the services, so the audit trail is real. Members' names are made up
(the seed's are real people); the area figures are invented. Idempotent (a district that already
has its kredsråd is left alone) and refused in production.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from sporskifte.accounts.models import Membership, Role, User
from sporskifte.core.demo import PASSWORD, demo_refuse_unless_possible
from sporskifte.councils import areas, plans, seed002, services, status
from sporskifte.councils.areas import COLUMNS
from sporskifte.councils.models import Council, CouncilMember, Plan
from sporskifte.organisations.models import Municipality, Organisation

DISTRICT = "midt-vestjylland"


def areas_header() -> str:
    return ";".join(COLUMNS) + "\n"


SECRETARIAT, KREDSRAAD, LOKALRAAD = (
    Role.PREVENTION_SECRETARIAT,
    Role.COUNCIL_MEMBER,
    Role.COUNCIL_MEMBER,
)
ACCOUNTS = (
    ("demo-sekretariat", DISTRICT, SECRETARIAT, "Sofie Dam", "Kriminalpræventivt sekretariat"),
    ("demo-kredsraad", "kommune-dk-0657", KREDSRAAD, "Poul Hedegaard", "Borgmester, Herning"),
    ("demo-lokalraad", "kommune-dk-0791", LOKALRAAD, "Mette Skov", "Formand, lokalrådet i Viborg"),
)
MAYORS = {
    "Herning": "Poul Hedegaard", "Holstebro": "Anne Bech", "Ikast-Brande": "Ole Kirk",
    "Lemvig": "Karen Sand", "Morsø": "Jens Mors", "Ringkøbing-Skjern": "Lise Fjord",
    "Silkeborg": "Henrik Sø", "Skive": "Birgit Vang", "Struer": "Tom Limfjord",
    "Thisted": "Inge Thy", "Viborg": "Carsten Dom",
}  # fmt: skip
AREAS = (
    areas_header()
    + """0657;Sønderager/Brændgårdsparken;2022;2100;48;36;2,4;55;58;140
0657;Holtbjerg;2022;1900;44;33;2,1;61;62;120
0661;Trekanten;2022;1300;41;31;2,6;52;63;95
0740;Resedavej/Nørrevang II;2022;1500;39;34;2,2;58;61;88
0791;Ellekonebakken;2022;1100;33;32;1,6;61;66;40
0657;Sønderager/Brændgårdsparken;2021;2100;47;35;2,3;55;59;150
0657;Holtbjerg;2021;1900;43;29;1,8;57;66;110
0661;Trekanten;2021;1300;40;32;2,4;53;62;100
0740;Resedavej/Nørrevang II;2021;1500;38;33;2,1;58;60;90
0791;Ellekonebakken;2021;1100;34;33;2,0;62;63;50
"""
)


def aware(year: int, month: int, day: int, hour: int = 14) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour))


class Demo:
    def __init__(self) -> None:
        self.users: dict[str, User] = {}
        self.district = Organisation.objects.get(slug=DISTRICT)

    def accounts(self) -> None:
        for username, slug, role, name, title in ACCOUNTS:
            first, _, last = name.partition(" ")
            from sporskifte.testing.factories import member  # development only

            user = member(
                username, Organisation.objects.get(slug=slug), role,
                first_name=first, last_name=last, password=PASSWORD, is_demo=True,
            )  # fmt: skip
            Membership.objects.filter(user=user).update(title=title)
            TOTPDevice.objects.get_or_create(user=user, confirmed=True, defaults={"name": "Demo"})
            self.users[username] = user

    def councils(self) -> tuple[Council, dict[str, Council]]:
        actor = self.users["demo-sekretariat"]
        kredsraad = services.council_create(
            actor=actor, kind=Council.Kind.KREDSRAAD, name="Kredsrådet i Midt- og Vestjylland"
        )
        start = dt.date(2022, 1, 1)
        seat: dict[str, Any] = {
            "actor": actor,
            "term_start": start,
            "standing": CouncilMember.Standing.PUBLIC_OFFICIAL,
        }
        services.member_add(
            council=kredsraad, name="Hanne Kjær", title="Politidirektør",
            role=CouncilMember.Role.CHAIR, organisation=self.district, **seat,
        )  # fmt: skip
        lokalraad = {}
        VICE, mayor = CouncilMember.Role.VICE_CHAIR, self.users["demo-kredsraad"]
        for m in Municipality.objects.filter(police_district=self.district):
            org = Organisation.objects.get(kind=Organisation.Kind.MUNICIPALITY, municipality=m)
            services.member_add(
                council=kredsraad, name=MAYORS[m.name], title=f"Borgmester i {m.name} Kommune",
                role=VICE if m.name == "Holstebro" else CouncilMember.Role.MEMBER,
                organisation=org, user=mayor if m.name == "Herning" else None,
                **seat,
            )  # fmt: skip
            council = services.council_create(
                actor=actor,
                kind=Council.Kind.LOKALRAAD,
                name=f"Lokalrådet i {m.name}",
                municipality=m,
            )
            lokalraad[m.name] = council
            viborg = m.name == "Viborg"
            services.member_add(
                council=council, name="Mette Skov" if viborg else f"Kommunaldirektør i {m.name}",
                title="Kommunaldirektør", role=CouncilMember.Role.CHAIR, organisation=org,
                user=self.users["demo-lokalraad"] if viborg else None, **seat,
            )  # fmt: skip
            services.member_add(
                council=council, name="Lokalpolitileder", title="Politiet",
                role=CouncilMember.Role.MEMBER, organisation=self.district, **seat,
            )  # fmt: skip
        # A community member whose two-year term ends within two months: flagged on the page.
        today = timezone.localdate()
        services.member_add(
            actor=actor, council=lokalraad["Viborg"], name="Grundejerforeningens formand",
            role=CouncilMember.Role.MEMBER, standing=CouncilMember.Standing.COMMUNITY,
            term_start=today - dt.timedelta(days=700), term_end=today + dt.timedelta(days=30),
        )  # fmt: skip
        return kredsraad, lokalraad

    def plan_2023(self, kredsraad: Council) -> Plan:
        actor = self.users["demo-sekretariat"]
        meetings = services.meetings_plan(
            actor=actor, council=kredsraad, place="Politigården, Holstebro",
            starts=[aware(2023, 1, 3), aware(2023, 4, 12), aware(2023, 9, 6), aware(2023, 12, 6)],
        )  # fmt: skip
        plan = seed002.build_plan(actor=actor, kredsraad=kredsraad)
        plans.plan_put_on_agenda(actor=actor, plan=plan, meeting=meetings[0])
        services.meeting_hold(actor=actor, meeting=meetings[0], minutes="Samarbejdsplanen drøftet.")
        services.meeting_hold(actor=actor, meeting=meetings[1], minutes="Referatet godkendt.")
        services.minutes_approve(actor=actor, meeting=meetings[0])
        return plans.plan_publish(actor=actor, plan=plan)

    def statuses(self, plan: Plan) -> None:
        actor = self.users["demo-sekretariat"]
        for quarter in (1, 2, 3, 4):
            for area in plan.focus_areas.prefetch_related("indicators", "municipalities"):
                for indicator in area.indicators.filter(feed=""):
                    for n, mun in enumerate(area.municipalities.all()):
                        if (
                            quarter == 4
                            and area.title == "IT-kriminalitet"
                            and mun.name == "Viborg"
                        ):
                            continue  # left missing: the focus area shows red
                        value = Decimal(100 - 3 * quarter - (n + len(area.title)) % 7)
                        status.status_enter(
                            actor=actor, indicator=indicator, municipality=mun, year=plan.year,
                            quarter=quarter, value=value, rag=status.rag_for(indicator, value),
                        )  # fmt: skip
            status.fed_statuses_update(plan, quarter)

    def run(self) -> None:
        self.accounts()
        kredsraad, lokalraad = self.councils()
        plan = self.plan_2023(kredsraad)
        self.statuses(plan)
        actor = self.users["demo-sekretariat"]
        plans.plan_carry_over(actor=actor, plan=plan, title=seed002.TITLE.replace("2023", "2024"))
        this_year = timezone.localdate().year
        services.meetings_plan(
            actor=actor, council=lokalraad["Viborg"], place="Viborg Rådhus",
            starts=[aware(this_year, 3, 10), aware(this_year, 6, 9), aware(this_year, 11, 24)],
        )  # fmt: skip
        areas.areas_import(actor=actor, data=AREAS)


class Command(BaseCommand):
    help = "Load Midt- og Vestjylland's demo councils and the 2023 plan from [S2] (idempotent)."

    def handle(self, *args: object, **options: Any) -> None:
        demo_refuse_unless_possible()
        from sporskifte.testing.personas import ensure_reference_data

        ensure_reference_data()
        if Council.objects.filter(kind="kredsraad", police_district__slug=DISTRICT).exists():
            self.stdout.write("Demo councils are already loaded; nothing changed.")
        else:
            with transaction.atomic():
                Demo().run()
            self.stdout.write(f"Demo councils loaded: {Council.objects.count()} councils.")
        self.stdout.write(f"Council accounts (password {PASSWORD}):")
        for username, _slug, _role, _name, title in ACCOUNTS:
            self.stdout.write(f"  {username:<20}{title}")
