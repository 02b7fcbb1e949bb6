"""The Django admin manages organisations, users and their memberships: no personal data of
citizens is registered here, so nothing reaches a person around the access functions."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest

from sporskifte.accounts.models import ApiToken, Membership, User


class MembershipInline(admin.StackedInline):
    model = Membership
    can_delete = False
    autocomplete_fields = ["organisation"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "get_full_name", "email", "is_active", "is_service", "is_demo"]
    list_filter = ["is_active", "is_service", "is_demo", "membership__role"]
    list_select_related = ["membership"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "service_user", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["digest", "service_user", "created_at", "created_by", "last_used_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # keys are made by `manage.py create_api_token`, which shows them once
