from datetime import timedelta

from django import template
from django.utils.safestring import SafeString

from sporskifte.accounts.menu import menu_html

register = template.Library()


@register.simple_tag(takes_context=True)
def main_menu(context: template.Context) -> SafeString:
    """The main menu's entries (``accounts.menu``), drawn once per request: the page shows them
    twice."""
    request = context["request"]
    menu = getattr(request, "_sporskifte_main_menu", None)
    if menu is None:
        membership = context.get("membership")
        menu = menu_html(request, membership) if membership else SafeString()
        request._sporskifte_main_menu = menu
    return menu


@register.filter
def whole_hours(value: timedelta | None) -> int:
    """Hours in a lock-out period, for a sentence a person can read ("24 hours")."""
    if not value:
        return 0
    return int(value.total_seconds() // 3600)
