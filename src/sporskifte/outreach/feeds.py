"""The district's warnings as an Atom feed. A changed warning appears with its new text and an
updated time; a withdrawn one stays in the feed, titled as withdrawn, so a reader's app learns
that it is over instead of silently losing it."""

from __future__ import annotations

import datetime as dt

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from sporskifte.organisations.models import Organisation
from sporskifte.outreach import selectors
from sporskifte.outreach.models import PublicWarning, PublicWarningVersion


class WarningFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, slug: str) -> Organisation:
        return get_object_or_404(Organisation, slug=slug, kind=Organisation.Kind.POLICE_DISTRICT)

    def title(self, obj: Organisation) -> str:
        return _("Warnings from %(district)s") % {"district": obj.name}

    def link(self, obj: Organisation) -> str:
        return reverse("outreach:public_warnings", args=[obj.slug])

    def subtitle(self, obj: Organisation) -> str:
        return _("Warnings against scams, fake web shops and local crime, from the police.")

    def items(self, obj: Organisation) -> list[PublicWarning]:
        return list(selectors.feed_warnings(obj))

    def _latest(self, item: PublicWarning) -> PublicWarningVersion | None:
        return max(item.versions.all(), key=lambda v: v.number, default=None)

    def item_title(self, item: PublicWarning) -> str:
        latest = self._latest(item)
        title = latest.title if latest else item.title
        if item.state == PublicWarning.State.WITHDRAWN:
            return _("Withdrawn: %(title)s") % {"title": title}
        return title

    def item_description(self, item: PublicWarning) -> str:
        if item.state == PublicWarning.State.WITHDRAWN:
            return item.withdrawn_reason
        latest = self._latest(item)
        return latest.body if latest else ""

    def item_link(self, item: PublicWarning) -> str:
        return reverse("outreach:public_warnings", args=[item.district.slug]) + f"#w{item.pk}"

    def item_guid(self, item: PublicWarning) -> str:
        return f"sporskifte-warning-{item.pk}"

    def item_pubdate(self, item: PublicWarning) -> dt.datetime | None:
        first = min(item.versions.all(), key=lambda v: v.number, default=None)
        return first.published_at if first else None

    def item_updateddate(self, item: PublicWarning) -> dt.datetime | None:
        if item.withdrawn_at:
            return item.withdrawn_at
        latest = self._latest(item)
        return latest.published_at if latest else None
