from urllib.parse import urlsplit

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.utils import translation
from django.views import i18n

from .api import api


def set_language(request):
    """Django's set_language, told which language the page being left is in.

    German pages carry no prefix, so the request itself looks German; without this an English page
    (/en/...) could not be translated back to its German address."""
    next_url = request.POST.get("next", request.GET.get("next", ""))
    current = translation.get_language_from_path(urlsplit(next_url).path) or settings.LANGUAGE_CODE
    with translation.override(current):
        return i18n.set_language(request)


urlpatterns = [
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/", api.urls),
]

urlpatterns += i18n_patterns(
    path("", include("core.urls")),
    path("accounts/", include("accounts.urls")),
    path("", include("actors.urls")),
    path("marketplace/", include("matching.urls")),
    path("calls/", include("ideas.urls")),
    path("services/", include("services.urls")),
    path("events/", include("events.urls")),
    path("notifications/", include("notifications.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)

# 403, 404 and 500 use Django's handlers with openregion/templates/{403,404,500}.html; Django's 400
# handler renders without the request, so the styled page in the right language needs its own view.
handler400 = "core.views.bad_request"

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
