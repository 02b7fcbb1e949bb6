"""Danish and Swedish grammar for the worry letter."""

from django import template

register = template.Library()


@register.filter
def danish_list(names: list[str]) -> str:
    """ "Anne", "Anne og Peter", "Anne, Peter og Lis"."""
    names = [n for n in names if n]
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} og {names[-1]}"


@register.filter
def danish_genitive(name: str) -> str:
    """Names ending in s, x or z take an apostrophe ("Lars'"), others an s ("Emils")."""
    return f"{name}'" if name[-1:].lower() in {"s", "x", "z"} else f"{name}s"


@register.filter
def swedish_list(names: list[str]) -> str:
    """ "Anna", "Anna och Per", "Anna, Per och Lisa"."""
    names = [n for n in names if n]
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} och {names[-1]}"


@register.filter
def swedish_genitive(name: str) -> str:
    """Names ending in s, x or z take nothing ("Lars liv"), others an s ("Emils")."""
    return name if name[-1:].lower() in {"s", "x", "z"} else f"{name}s"
