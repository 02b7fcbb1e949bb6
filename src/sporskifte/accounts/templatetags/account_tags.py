from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def whole_hours(value: timedelta | None) -> int:
    """Hours in a lock-out period, for a sentence a person can read ("24 hours")."""
    if not value:
        return 0
    return int(value.total_seconds() // 3600)
