"""Pages: my notifications (mark one or all read, with htmx) and my e-mail preferences."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import services
from .forms import PreferencesForm
from .rules import visible_notifications

PAGE_SIZE = 30
MAX_PAGE = 10_000
MAX_ID = 2**63 - 1


def _page_number(request) -> int:
    raw = request.GET.get("page", "1")
    if not raw.isdigit() or len(raw) > 6:
        return 1
    return min(int(raw), MAX_PAGE)


def _list_context(request):
    items = visible_notifications(request.user).order_by("-created_at", "-id")
    page_obj = Paginator(items, PAGE_SIZE).get_page(_page_number(request))
    notifications = list(page_obj.object_list)
    for n in notifications:
        n.localized_link = services.localized_link(n.link)
    return {
        "page_obj": page_obj,
        "notifications": notifications,
        "unread": services.unread_count(request.user),
        "query_without_page": "",
    }


@require_GET
@login_required
def notification_list(request):
    return render(request, "notifications/list.html", _list_context(request))


@require_POST
@login_required
def mark_read(request, pk: int):
    if pk > MAX_ID:  # the database cannot even compare such a number
        raise Http404
    notification = get_object_or_404(visible_notifications(request.user), pk=pk)
    services.mark_read(request.user, notification)
    if request.POST.get("open"):
        link = services.localized_link(notification.link)
        if link and url_has_allowed_host_and_scheme(link, None):
            return redirect(link)
    if request.htmx:
        notification.localized_link = services.localized_link(notification.link)
        return render(request, "notifications/_item.html", {"n": notification})
    return redirect("notifications:list")


@require_POST
@login_required
def mark_all_read(request):
    services.mark_all_read(request.user)
    if request.htmx:
        return render(request, "notifications/_list.html", _list_context(request))
    messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications:list")


@require_http_methods(["GET", "POST"])
@login_required
def preferences(request):
    current = services.preferences(request.user)
    form = PreferencesForm(
        request.POST if request.method == "POST" else None, initial_choices=current
    )
    if request.method == "POST" and form.is_valid():
        services.save_preferences(request.user, form.cleaned_data)
        messages.success(request, _("Your notification settings have been saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
