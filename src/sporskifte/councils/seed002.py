"""Midt- og Vestjyllands Politi's samarbejdsplan 2023 ([S2], docs/sources.md), re-created through
the services: its parts and sections, the kredsråd's focus area, the flerårsaftale's areas and
each lokalråd's local focus areas. Used by ``demo_councils`` and by the tests that check the
published page and PDF against the seed.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from sporskifte.councils import plans
from sporskifte.councils.models import Council, FocusArea, Indicator, Plan
from sporskifte.organisations.models import Municipality, Organisation

if TYPE_CHECKING:
    from sporskifte.accounts.models import User

TITLE = "Samarbejdsplan 2023 - Kredsrådet i Midt- og Vestjyllands Politikreds"
PLACE_AND_DATE = "Holstebro, den 3. januar 2023"
FOREWORD = (
    "Denne samarbejdsplan er grundlaget for det kriminalitetsforebyggende og "
    "kriminalitetsbekæmpende samarbejde mellem politiet og kommunerne samt andre offentlige "
    "myndigheder, interesseorganisationer, foreninger m.v. i Midt- og Vestjyllands Politikreds. "
    "Første del beskriver organiseringen af samarbejdet, samspillet mellem Kredsrådet og "
    "lokalrådene samt de prioriterede indsatsområder; anden del beskriver flerårsaftalen. "
    "Samarbejdsplanen offentliggøres på politikredsens hjemmeside."
)

# (part, number, title, body)
SECTIONS = [
    (
        1,
        "1",
        "Kredsrådets organisering og ansvar",
        "Kredsrådet har hjemmel i retsplejelovens §§ 111-113 og er forum for det overordnede "
        "samarbejde mellem politiet og kommunerne. Kredsrådet består af politidirektøren, som er "
        "formand, samt borgmestrene i de elleve kommuner i politikredsen, hvoraf en vælges som "
        "næstformand.",
    ),
    (
        1,
        "2",
        "Lokalrådenes organisering og ansvar",
        "Der er et lokalråd i hver kommune. Alle lokalråd mødes fire gange årligt efter "
        "mødeindkaldelse og dagsorden. Hvert lokalråd udarbejder en årlig lokal samarbejdsplan, "
        "der godkendes af relevante parter fra politi og kommuner. I afslutningen af året "
        "inddrages lokalrådsformændene i udfærdigelsen af Kredsrådets kommende samarbejdsplan.",
    ),
    (
        1,
        "3",
        "Prioriterede indsatsområder 2023",
        "Kredsrådet har valgt at fokusere på det tværgående samarbejde og håndtering af psykisk "
        "syge og sårbare. Herudover har de enkelte lokalråd udvalgt en række indsatsområder.",
    ),
    (
        2,
        "4",
        "Flerårsaftalen 2021-2023 og andre særlige initiativer",
        "Samarbejdet mellem Midt- og Vestjyllands Politi og politikredsens kommuner skal i 2023 "
        "primært fokusere på områder, hvor et tæt samarbejde med kommunerne vurderes særlig "
        "påkrævet.",
    ),
    (
        2,
        "5",
        "Bilag - øvrige råd og nævns organisering og ansvar",
        "Ungdomskriminalitetsnævnet, bevillingsnævn og samarbejdet med restaurations- og "
        "arrangørmiljøet, Den Lokale Beredskabsstab.",
    ),
    (
        2,
        "6",
        "Bilag - det tryghedsskabende og synlige lokalpolitiarbejde",
        "SSP-, PSP- og KSP-samarbejdet, ungesamråd, Socialsøg, antiradikalisering, Bandeexit, "
        "Al Capone-samarbejdet, traumeinformeret praksis, konfliktråd, offerrådgivning og "
        "færdselssikkerhed.",
    ),
]

NATIONAL = [
    (
        "Indsats i forhold til psykisk syge og psykisk sårbare",
        "En samarbejdsmodel mellem kommune, politi og region for de strukturelle udfordringer; "
        "samarbejdet på individniveau fortsætter.",
        2023,
    ),
    ("Indsats i særligt udpegede områder", "Forebyggelsesområderne, jf. afsnit 4.1.", 2023),
    ("Vold i nattelivet", "Færre anmeldelser om vold i nattelivet, jf. afsnit 4.2.", 2023),
    ("Indsats mod digital kriminalitet", "Forebyggelse i lokalråd og SSP, jf. afsnit 4.3.", 2023),
    ("Narkotikasalg ved skoler", "Smidige kontaktflader mellem skoler og politi, jf. 4.4.", 2023),
]

# [S2] §3.2: each municipality's local focus areas (the seed lists five municipalities).
LOCAL = {
    "Viborg": ["Psykisk syge", "IT-kriminalitet", "Rusmidler"],
    "Herning": ["Rusmidler", "Unge i UKN og anden foranstaltning"],
    "Ikast-Brande": [
        "Psykisk syge",
        "Kriminelle netværk",
        "Unge/SSP",
        "Vold og overgreb mod børn og unge",
    ],
    "Ringkøbing-Skjern": [
        "Målrettede indsatser",
        "Festkultur på offentlige arealer",
        "Marginaliserede unge",
        "Knallertkørsel",
        "Sunde medievaner",
    ],
    "Silkeborg": ["Rusmidler", "Indbrud", "IT-kriminalitet", "Trafik"],
}


def build_plan(*, actor: User, kredsraad: Council, year: int = 2023) -> Plan:
    district = kredsraad.police_district
    municipalities = {m.name: m for m in Municipality.objects.filter(police_district=district)}
    everyone = [m.pk for m in municipalities.values()]
    plan = plans.plan_create(actor=actor, council=kredsraad, year=year, title=TITLE)
    Plan.objects.filter(pk=plan.pk).update(foreword=FOREWORD, place_and_date=PLACE_AND_DATE)
    plan.refresh_from_db()
    for part, number, title, body in SECTIONS:
        plans.section_add(actor=actor, plan=plan, part=part, number=number, title=title, body=body)
    for n, (title, description, last_year) in enumerate(NATIONAL):
        area = plans.focus_area_add(
            actor=actor,
            plan=plan,
            scope=FocusArea.Scope.NATIONAL,
            title=title,
            description=description,
            owner=district,
            municipality_ids=everyone,
            last_year=last_year,
        )
        if n == 0:
            plans.activity_add(
                actor=actor,
                focus_area=area,
                description="Samarbejdsmodel mellem kommune, politi og region udvikles",
                owner=district,
            )
            plans.indicator_add(
                actor=actor,
                focus_area=area,
                definition="Andel der siger ja til et tilbud om hjælp (henvisninger)",
                source="Sporskifte",
                baseline=Decimal("50"),
                target=Decimal("67"),
                direction=Indicator.Direction.UP,
                feed=Indicator.Feed.REFERRAL_UPTAKE,
            )
    for name, titles in LOCAL.items():
        municipality = municipalities[name]
        owner = Organisation.objects.get(
            kind=Organisation.Kind.MUNICIPALITY, municipality=municipality
        )
        for title in titles:
            area = plans.focus_area_add(
                actor=actor,
                plan=plan,
                scope=FocusArea.Scope.LOCAL,
                title=title,
                owner=owner,
                municipality_ids=[municipality.pk],
            )
            plans.indicator_add(
                actor=actor,
                focus_area=area,
                definition=f"Antal anmeldelser: {title.lower()}",
                source="Politiets anmeldelsestal",
                baseline=Decimal("100"),
                target=Decimal("90"),
                direction=Indicator.Direction.DOWN,
            )
    return plan
