from django.contrib import admin

from sporskifte.organisations.models import Municipality, Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "parent", "municipality", "is_active"]
    list_filter = ["kind", "country", "is_active"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "country", "police_district", "patrol_centre"]
    list_filter = ["country", "police_district"]
    search_fields = ["name", "code"]
