"""Who takes part: police districts and their units, municipalities, partners.

A person's data belongs to organisations, never to individual users: access is decided by the
organisation a user acts for (see ``sporskifte.accounts.models.Membership``).
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Country(models.TextChoices):
    DENMARK = "DK", _("Denmark")
    SWEDEN = "SE", _("Sweden")


class IdentityProvider(models.Model):
    """A SAML 2.0 identity provider (NemLog-in, a municipality's AD FS or Entra ID, a Swedish
    SITHS or Freja eID proxy). Several organisations may log in through one, as all Danish
    authorities do through NemLog-in; the CVR in the assertion then tells them apart."""

    name = models.CharField(_("name"), max_length=200)
    entity_id = models.CharField(_("entity ID"), max_length=500, unique=True)
    # The metadata is stored; a URL, when given, is fetched by refresh_saml_metadata.
    metadata_xml = models.TextField(_("metadata (XML)"), blank=True)
    metadata_url = models.URLField(_("metadata URL"), max_length=500, blank=True)
    metadata_fetched_at = models.DateTimeField(null=True, blank=True)
    # HTTPS says who served the document; the signature says who wrote it. When a certificate is
    # given (NemLog-in publishes its metadata signing certificate), a fetched document must be
    # signed with it or it is not stored.
    metadata_signing_certificate = models.TextField(
        _("metadata signing certificate (PEM)"),
        blank=True,
        help_text=_("When given, metadata fetched from the URL must be signed with it."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("identity provider")
        verbose_name_plural = _("identity providers")

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    class Kind(models.TextChoices):
        POLICE_DISTRICT = "police_district", _("Police district")
        POLICE_UNIT = "police_unit", _("Police unit")
        MUNICIPALITY = "municipality", _("Municipality")
        SUBSTANCE_ABUSE_CENTRE = "substance_abuse_centre", _("Substance-abuse centre")
        TREATMENT = "treatment", _("Treatment place")
        NGO = "ngo", _("Voluntary organisation")
        RESEARCH = "research", _("Research institution")
        # Authorities that sit in the cooperation fora (retsplejeloven § 115): PSP, KSP,
        # Ungesamråd, lokalerheder.
        PSYCHIATRY = "psychiatry", _("Psychiatry")
        PRISON_PROBATION = "prison_probation", _("Prison and probation service")
        STATE_AUTHORITY = "state_authority", _("Other state authority")
        # The konfliktråd (DK, one per police district) or a municipality's medling (SE); its
        # mediators are civilians with accounts of their own.
        MEDIATION_SERVICE = "mediation_service", _("Mediation service")
        # Offerrådgivning: free, anonymous victim support, one unit per police district.
        VICTIM_SUPPORT = "victim_support", _("Victim support")
        # A Swedish prosecution office (åklagarkammare) under the police region it works with.
        PROSECUTION = "prosecution", _("Prosecution office")

    POLICE_KINDS = (Kind.POLICE_DISTRICT, Kind.POLICE_UNIT)
    PARTNER_KINDS = (Kind.SUBSTANCE_ABUSE_CENTRE, Kind.TREATMENT, Kind.NGO)

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    # A unit (patrol centre, narcotics section) sits under its district; police access is decided
    # at district level, the data controller.
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="units"
    )
    # A municipality organisation, or a municipal centre, belongs to one municipality.
    municipality = models.ForeignKey(
        "Municipality",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    email = models.EmailField(_("e-mail for notices"), blank=True)
    is_active = models.BooleanField(default=True)
    # Staff of an organisation with an identity provider log in through it (SAML) and never
    # have a local password; without one they log in with a password and a TOTP code.
    identity_provider = models.ForeignKey(
        "IdentityProvider",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
        verbose_name=_("identity provider"),
    )
    # Det Centrale Virksomhedsregister: NemLog-in states the person's organisation by its CVR,
    # and an assertion naming another CVR than the account's organisation is refused.
    cvr = models.CharField(
        _("CVR number"),
        max_length=8,
        blank=True,
        validators=[RegexValidator(r"^\d{8}$", _("A CVR number has eight digits."))],
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [models.Index(fields=["kind", "municipality"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_police(self) -> bool:
        return self.kind in self.POLICE_KINDS

    @property
    def is_partner(self) -> bool:
        return self.kind in self.PARTNER_KINDS

    @property
    def police_district_id(self) -> int | None:
        """The district whose data this police organisation may see; None for non-police."""
        if self.kind == self.Kind.POLICE_DISTRICT:
            return self.pk
        if self.kind == self.Kind.POLICE_UNIT:
            return self.parent_id
        return None


class Municipality(models.Model):
    # Danish codes have three digits and are written with four ("0101"); Swedish have four.
    code = models.CharField(_("code"), max_length=4)
    name = models.CharField(_("name"), max_length=100)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    police_district = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="municipalities",
        limit_choices_to={"kind": Organisation.Kind.POLICE_DISTRICT},
    )
    patrol_centre = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="patrol_municipalities",
        limit_choices_to={"kind": Organisation.Kind.POLICE_UNIT},
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        constraints = [
            models.UniqueConstraint(fields=["country", "code"], name="municipality_code_unique")
        ]

    def __str__(self) -> str:
        return self.name
