"""k-anonymity for anonymous postings: what the public may learn about where they come from.

An anonymous posting hides its organisation from everybody but the organisation's own people, the
office of its brokering cluster and platform admins ("entitled" viewers, ``rules.identity_visible``).
To anybody else, the public facts of an anonymous posting are its own content (type, title,
description, sectors, regions sought, deadline, status), its brokering cluster, and at most the
*country* of its organisation — and the country only when at least k active member organisations
of that cluster are located in that country (k = ``settings.OPENREGION_ANONYMITY_MIN_GROUP``,
default 5). So what is shown is always true of at least k organisations.

The rule for filters (marketplace page and API): for a viewer who is not entitled, an anonymous
posting matches a country/region filter ``prefix`` only through its *shown* country:

    it matches  ⇔  its country is shown, len(prefix) ≤ 2, and the country starts with prefix.

Every other filter (type, sector, text, status) looks only at the posting's own content, which is
shown. Hence whether any request returns an anonymous posting is a function of what the listing
shows about it: two anonymous postings that look alike on the page are returned by exactly the same
requests, and no sequence of requests (``?country=DE``, ``DEA``, ``DEA4`` …) narrows the region of one
below the shown country, i.e. below a group of k organisations. Suggestions follow the same rule
(see ``suggestions``): for viewers who are not entitled they use only the shown facts.
"""

from collections import defaultdict

from django.conf import settings
from django.db.models import Count, Q
from django.db.models.functions import Substr

from actors.models import Membership

from .rules import identity_visible


def min_group_size() -> int:
    return max(1, int(getattr(settings, "OPENREGION_ANONYMITY_MIN_GROUP", 5)))


def _public_pairs(cluster_ids=None, country_prefix: str = "") -> set[tuple[int, str]]:
    """(cluster id, country code) pairs with at least k active member organisations in the country."""
    qs = Membership.objects.filter(status=Membership.Status.ACTIVE)
    if cluster_ids is not None:
        qs = qs.filter(cluster_id__in=list(cluster_ids))
    if country_prefix:
        qs = qs.filter(organisation__region__code__startswith=country_prefix)
    rows = (
        qs.annotate(country=Substr("organisation__region__code", 1, 2))
        .values("cluster_id", "country")
        .annotate(n=Count("organisation_id", distinct=True))
        .filter(n__gte=min_group_size())
        .values_list("cluster_id", "country")
    )
    return set(rows)


def public_countries(postings) -> dict[int, str]:
    """The shown country code of each given anonymous posting ("" when it must stay hidden)."""
    anonymous = [p for p in postings if p.is_anonymous and p.cluster_id]
    if not anonymous:
        return {}
    pairs = _public_pairs({p.cluster_id for p in anonymous})
    result = {}
    for posting in anonymous:
        country = (posting.organisation.region.code or "")[:2] if posting.organisation else ""
        result[posting.pk] = country if (posting.cluster_id, country) in pairs else ""
    return result


def public_country(posting) -> str:
    return public_countries([posting]).get(posting.pk, "")


def country_filter(user, prefix: str) -> Q:
    """The condition "the organisation is located in a region starting with ``prefix``" as the
    user may apply it (see the module docstring)."""
    prefix = prefix.strip().upper()
    known = identity_visible(user)
    exact = Q(organisation__region__code__startswith=prefix)
    if not known:  # platform admins know every organisation
        return exact
    if len(prefix) > 2:
        return known & exact
    by_country = defaultdict(set)
    for cluster_id, country in _public_pairs(country_prefix=prefix):
        by_country[country].add(cluster_id)
    coarse = Q(pk__in=[])
    for country, cluster_ids in by_country.items():
        coarse |= Q(organisation__region__code__startswith=country, cluster_id__in=cluster_ids)
    return (known & exact) | (~known & coarse)
