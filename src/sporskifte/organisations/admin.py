from django.contrib import admin

from sporskifte.organisations.models import IdentityProvider, Municipality, Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "parent", "municipality", "is_active", "cvr"]
    list_filter = ["kind", "country", "is_active", "identity_provider"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "country", "police_district", "patrol_centre"]
    list_filter = ["country", "police_district"]
    search_fields = ["name", "code"]


@admin.register(IdentityProvider)
class IdentityProviderAdmin(admin.ModelAdmin):
    list_display = ["name", "entity_id", "metadata_url", "metadata_fetched_at"]
    fields = [
        "name", "entity_id", "metadata_url", "metadata_signing_certificate", "metadata_xml",
        "metadata_fetched_at",
    ]  # fmt: skip
    search_fields = ["name", "entity_id"]
    readonly_fields = ["metadata_fetched_at"]
