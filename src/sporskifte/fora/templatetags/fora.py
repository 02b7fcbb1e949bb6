from django import template

from sporskifte.accounts.menu import menu_answer
from sporskifte.fora import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def fora_in_nav(context: template.Context) -> bool:
    """The menu entry: for forum members, the administrators who set fora up, and council
    members (their counts). Once per request."""
    request = context.get("request")
    if request is None:
        return False
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    cached = getattr(request, "_fora_in_nav", None)
    if cached is None:
        cached = selectors.admin_district_of(user) is not None or menu_answer(
            user,
            "fora",
            lambda u: selectors.takes_part_in_fora(u) or selectors.forums_for_council(u).exists(),
        )
        request._fora_in_nav = cached
    return cached
