from django import template

from sporskifte.accounts.menu import menu_answer
from sporskifte.councils import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def councils_in_nav(context: template.Context) -> bool:
    """The menu entry: for the district's secretariat and administrators and for seated council
    members. Once per request."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or user is None or not user.is_authenticated:
        return False
    cached = getattr(request, "_councils_in_nav", None)
    if cached is None:
        cached = menu_answer(user, "councils", selectors.takes_part_in_councils)
        request._councils_in_nav = cached
    return cached
