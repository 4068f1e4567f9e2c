from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# (url name, label). Modules register their entry here; entries whose URL is missing are skipped.
NAVIGATION = [
    ("actors:organisation_list", _("Directory")),
    ("actors:cluster_list", _("Clusters")),
    ("matching:marketplace", _("Marketplace")),
    ("ideas:call_list", _("Open calls")),
    ("services:catalogue", _("Network services")),
    ("events:event_list", _("Events")),
]


def navigation(request):
    items = []
    path = request.path
    for name, label in NAVIGATION:
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        items.append({"url": url, "label": label, "active": path.startswith(url)})
    return {"main_navigation": items}
