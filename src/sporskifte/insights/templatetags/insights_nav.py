from django import template

from sporskifte.insights.selectors import insight_audience

register = template.Library()


@register.simple_tag(takes_context=True)
def insights_in_nav(context: template.Context) -> bool:
    """The menu entry "Figures and impact" only for those the figures page answers (a
    municipality's forum member has no scope and would get a 404). Once per request: the menu
    is drawn twice, for wide and narrow screens."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    cached = getattr(request, "_insights_in_nav", None)
    if cached is None:
        cached = insight_audience(user) is not None
        request._insights_in_nav = cached  # type: ignore[union-attr]
    return cached
