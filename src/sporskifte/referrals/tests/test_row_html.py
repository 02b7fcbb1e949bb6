"""The list rows' formatter escapes exactly as Django's ``format_html``."""

from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy
from hypothesis import given
from hypothesis import strategies as st

from sporskifte.referrals.templatetags.referral_rows import row_html

values = st.one_of(
    st.text(),
    st.text().map(mark_safe),
    st.integers(),
    st.none(),
    st.sampled_from([gettext_lazy("Referred"), gettext_lazy("New")]),
)


@given(st.lists(values, min_size=1, max_size=6))
def test_row_html_is_format_html(parts):
    template_string = "<td>{}</td>" * len(parts)

    assert row_html(template_string, *parts) == format_html(template_string, *parts)
    assert hasattr(row_html(template_string, *parts), "__html__")


def test_a_day_kept_for_one_language_is_not_shown_in_another():
    import datetime as dt

    from django.utils import translation

    from sporskifte.referrals.templatetags.referral_rows import day_formatter

    day = dt.date(2026, 12, 1)
    shown = {}
    for language in ("da", "sv", "en", "da"):
        with translation.override(language):
            shown.setdefault(language, set()).add(day_formatter()(day))
    assert {k: len(v) for k, v in shown.items()} == {"da": 1, "sv": 1, "en": 1}
    assert len({v.pop() for v in shown.values()}) == 3
