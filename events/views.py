from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import User
from actors.models import Cluster, Person
from actors.permissions import manageable_clusters
from core.exports import csv_response
from core.pagination import query_without_page
from core.policy import allowed
from core.ratelimit import rate_limit

from . import ics, services
from .forms import (
    AvailabilityForm,
    CancelEventForm,
    EventFilterForm,
    EventForm,
    MeetingRequestForm,
    ProfileForm,
)
from .models import Event, MeetingRequest, Registration
from .services import RuleError

PAGE_SIZE = 20
PARTICIPANTS_PAGE_SIZE = 24
State = Registration.State


def _event_for_user(request, slug) -> Event:
    event = get_object_or_404(Event.objects.select_related("cluster"), slug=slug)
    if not services.can_view(request.user, event):
        if not request.user.is_authenticated and event.is_published:
            raise PermissionDenied  # handled by callers that want a login redirect
        raise Http404
    return event


def _managed_event(request, slug, perm="events.manage_event") -> Event:
    event = get_object_or_404(Event.objects.select_related("cluster"), slug=slug)
    if not allowed(request.user, perm, event):
        raise PermissionDenied
    return event


def organisation_names(user_ids) -> dict[int, str]:
    """user id -> name of the organisation they work for (one query)."""
    names = {}
    for user_id, name in (
        Person.objects.filter(user_id__in=list(user_ids))
        .order_by("pk")
        .values_list("user_id", "organisation__name")
    ):
        names.setdefault(user_id, name)
    return names


# --- list, detail, edit -----------------------------------------------------------------------


@require_safe
def event_list(request):
    visible = services.visible_events(request.user)
    clusters = Cluster.objects.filter(pk__in=visible.values("cluster_id")).order_by("name")
    form = EventFilterForm(request.GET or None, clusters=clusters)
    data = form.cleaned_data if form.is_valid() else {}
    now = timezone.now()
    past = data.get("when") == "past"
    qs = (
        visible.filter(ends_at__lt=now).order_by("-starts_at")
        if past
        else visible.filter(ends_at__gte=now).order_by("starts_at")
    )
    if data.get("format"):
        qs = qs.filter(format=data["format"])
    if data.get("mode"):
        qs = qs.filter(mode=data["mode"])
    if data.get("cluster"):
        qs = qs.filter(cluster__slug=data["cluster"])
    page_obj = Paginator(services.with_counts(qs), PAGE_SIZE).get_page(request.GET.get("page"))
    events = list(page_obj.object_list)
    mine = {}
    if request.user.is_authenticated:
        mine = dict(
            Registration.objects.filter(
                user=request.user, event__in=[e.pk for e in events]
            ).values_list("event_id", "state")
        )
    for event in events:
        event.free = services.free_places(event)
        event.my_state = mine.get(event.pk)
    return render(
        request,
        "events/event_list.html",
        {
            "form": form,
            "page_obj": page_obj,
            "events": events,
            "past": past,
            "can_create": services.can_create_event(request.user),
            "query_without_page": query_without_page(request),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def event_edit(request, slug=None):
    if slug:
        event = _managed_event(request, slug)
    else:
        if not services.can_create_event(request.user):
            raise PermissionDenied
        event = None
    clusters = manageable_clusters(request.user)
    form = EventForm(request.POST or None, instance=event, clusters=clusters)
    if request.method == "POST":
        if form.is_valid():
            try:
                event = services.save_event(form.save(commit=False), request.user)
            except RuleError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The event has been saved."))
                return redirect(event)
        messages.error(request, _("Please correct the marked fields."))
    return render(request, "events/event_form.html", {"form": form, "event": event})


@require_safe
def event_detail(request, slug):
    try:
        event = _event_for_user(request, slug)
    except PermissionDenied:
        return redirect_to_login(request.get_full_path())
    return _render_detail(request, event)


def _render_detail(request, event, cancel_form=None, status=200):
    event = services.with_counts(Event.objects.filter(pk=event.pk)).select_related("cluster").get()
    registration = services.registration_of(request.user, event)
    can_manage = services.can_manage(request.user, event)
    is_participant = registration is not None and registration.state == State.REGISTERED
    waiting_position = None
    if registration is not None and registration.state == State.WAITLISTED:
        waiting_position = (
            event.registrations.filter(state=State.WAITLISTED)
            .filter(
                Q(created_at__lt=registration.created_at)
                | Q(created_at=registration.created_at, pk__lt=registration.pk)
            )
            .count()
            + 1
        )
    my_agenda = (
        services.agenda(event, request.user) if is_participant and event.is_brokerage else []
    )
    for meeting in my_agenda:
        meeting.partner = meeting.partner_of(request.user)
        meeting.times = meeting.time_range()
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "registration": registration,
            "is_participant": is_participant,
            "can_manage": can_manage,
            "can_register": services.can_register(request.user, event),
            "free": services.free_places(event),
            "waiting_position": waiting_position,
            "show_online_link": bool(event.online_url) and (is_participant or can_manage),
            "my_agenda": my_agenda,
            "is_over": event.ends_at <= timezone.now(),
            "can_cancel_event": services.can_cancel_event(request.user, event),
            "cancel_form": cancel_form or CancelEventForm(),
        },
        status=status,
    )


@require_POST
@login_required
def event_cancel(request, slug):
    """The cluster office cancels the event; a missing reason re-shows the page with the error."""
    event = _managed_event(request, slug)
    form = CancelEventForm(request.POST)
    if form.is_valid():
        try:
            services.cancel_event(event, request.user, form.cleaned_data["reason"])
        except RuleError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("The event has been cancelled. Everybody registered or waiting gets an e-mail."),
            )
            return redirect(event)
    messages.error(request, _("Please correct the marked fields."))
    return _render_detail(request, event, cancel_form=form, status=400)


@require_POST
def register(request, slug):
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("events:event_detail", args=[slug]))
    event = _event_for_user(request, slug)
    try:
        registration = services.register(request.user, event)
    except RuleError as exc:
        messages.error(request, str(exc))
    else:
        if registration.state == State.REGISTERED:
            messages.success(request, _("You are registered. See you there!"))
        else:
            messages.warning(
                request,
                _(
                    "The event is full. You are on the waiting list and will get an e-mail if a place becomes free."
                ),
            )
    return redirect(event)


@require_POST
@login_required
def cancel(request, slug):
    event = _event_for_user(request, slug)
    registration = services.registration_of(request.user, event)
    if registration is None:
        raise Http404
    try:
        services.cancel(registration, request.user)
    except RuleError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Your registration has been cancelled."))
    return redirect(event)


# --- calendars ---------------------------------------------------------------------------------


def _ics_response(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _event_entry(request, event: Event, with_link: bool) -> ics.CalendarEntry:
    location = event.location
    if event.mode == Event.Mode.ONLINE:
        location = event.online_url if with_link else _("Online")
    return ics.CalendarEntry(
        uid=f"event-{event.pk}@{ics.UID_DOMAIN}",
        start=event.starts_at,
        end=event.ends_at,
        summary=event.title,
        description=event.description,
        location=location,
        url=request.build_absolute_uri(event.get_absolute_url()),
        status="CANCELLED" if event.is_cancelled else "",
    )


def _meeting_entries(request, meetings, user) -> list[ics.CalendarEntry]:
    entries = []
    for meeting in meetings:
        start, end = meeting.time_range()
        partner = meeting.partner_of(user)
        entries.append(
            ics.CalendarEntry(
                uid=f"meeting-{meeting.pk}-{user.pk}@{ics.UID_DOMAIN}",
                start=start,
                end=end,
                summary=_("Meeting with %(name)s") % {"name": partner.get_full_name()},
                description=meeting.message,
                location=_("Table %(table)s, %(event)s")
                % {"table": meeting.table, "event": meeting.event.title},
                url=request.build_absolute_uri(meeting.event.get_absolute_url()),
                status="CANCELLED" if meeting.event.is_cancelled else "",
            )
        )
    return entries


@require_safe
def event_ics(request, slug):
    try:
        event = _event_for_user(request, slug)
    except PermissionDenied:
        return redirect_to_login(request.get_full_path())
    with_link = services.is_participant(request.user, event) or services.can_manage(
        request.user, event
    )
    text = ics.calendar([_event_entry(request, event, with_link)], name=event.title)
    return _ics_response(text, f"{event.slug}.ics")


@require_safe
@login_required
def agenda_ics(request, slug):
    event = _event_for_user(request, slug)
    if not services.is_participant(request.user, event):
        raise PermissionDenied
    entries = [_event_entry(request, event, True)]
    entries += _meeting_entries(request, services.agenda(event, request.user), request.user)
    text = ics.calendar(entries, name=_("My agenda: %(title)s") % {"title": event.title})
    return _ics_response(text, f"{event.slug}-agenda.ics")


@require_safe
@login_required
def my_events(request):
    registrations = list(
        Registration.objects.filter(user=request.user)
        .exclude(state=State.CANCELLED)
        .select_related("event", "event__cluster")
        .order_by("-event__starts_at")
    )
    now = timezone.now()
    return render(
        request,
        "events/my_events.html",
        {
            "upcoming": [r for r in registrations if r.event.ends_at >= now][::-1],
            "past": [r for r in registrations if r.event.ends_at < now],
        },
    )


@require_safe
@login_required
def my_calendar(request):
    registrations = Registration.objects.filter(
        user=request.user, state=State.REGISTERED
    ).select_related("event")
    entries = [_event_entry(request, r.event, True) for r in registrations]
    meetings = (
        MeetingRequest.objects.filter(slot__isnull=False, event__registrations__in=registrations)
        .filter(Q(requester=request.user) | Q(recipient=request.user))
        .select_related("event", "requester", "recipient")
        .distinct()
    )
    entries += _meeting_entries(request, meetings, request.user)
    return _ics_response(ics.calendar(entries, name=_("My events")), "openregion-events.ics")


# --- office: participants and attendance ----------------------------------------------------------


def _registrations_for_office(event):
    return event.registrations.exclude(state=State.CANCELLED).select_related("user")


@require_safe
@login_required
def participants(request, slug):
    event = _managed_event(request, slug)
    event = services.with_counts(Event.objects.filter(pk=event.pk)).select_related("cluster").get()
    registrations = list(_registrations_for_office(event).order_by("state", "created_at", "pk"))
    orgs = organisation_names(r.user_id for r in registrations)
    for r in registrations:
        r.organisation = orgs.get(r.user_id, "")
    return render(
        request,
        "events/participants.html",
        {
            "event": event,
            "registered": [r for r in registrations if r.state == State.REGISTERED],
            "waiting": [r for r in registrations if r.state == State.WAITLISTED],
            "attended": sum(1 for r in registrations if r.attended),
        },
    )


@require_POST
@login_required
def attendance(request, slug, pk):
    event = _managed_event(request, slug)
    registration = get_object_or_404(
        Registration.objects.select_related("user"), event=event, pk=pk
    )
    try:
        services.set_attended(registration, request.user, request.POST.get("attended") == "1")
    except RuleError as exc:
        if request.htmx:
            return HttpResponse(str(exc), status=400)
        messages.error(request, str(exc))
    if request.htmx:
        attended = event.registrations.filter(attended=True).count()
        return render(
            request,
            "events/_attendance.html",
            {"event": event, "r": registration, "attended": attended, "oob": True},
        )
    return redirect("events:participants", event.slug)


@require_safe
@login_required
def participants_csv(request, slug):
    event = _managed_event(request, slug, "events.export_participants")
    registrations = list(_registrations_for_office(event).order_by("state", "created_at", "pk"))
    orgs = organisation_names(r.user_id for r in registrations)
    headers = [
        _("Name"),
        _("E-mail"),
        _("Organisation"),
        _("Status"),
        _("Attended"),
        _("Registered at"),
    ]
    rows = (
        [
            r.user.get_full_name(),
            r.user.email,
            orgs.get(r.user_id, ""),
            r.get_state_display(),
            _("yes") if r.attended else _("no"),
            timezone.localtime(r.created_at).strftime("%Y-%m-%d %H:%M"),
        ]
        for r in registrations
    )
    return csv_response(headers, rows, f"{event.slug}-participants.csv")


@require_safe
@login_required
def schedule_csv(request, slug):
    """The schedule as a table for printing table signs and checking people in on site."""
    event = _managed_event(request, slug, "events.export_participants")
    meetings = list(
        event.meeting_requests.filter(slot__isnull=False)
        .select_related("requester", "recipient")
        .order_by("slot", "table")
    )
    orgs = organisation_names(
        {m.requester_id for m in meetings} | {m.recipient_id for m in meetings}
    )
    times = {index: (start, end) for index, start, end in event.slot_times()}
    headers = [
        _("Start"),
        _("End"),
        _("Table"),
        _("Participant"),
        _("Organisation"),
        _("Participant"),
        _("Organisation"),
    ]

    def row(m):
        start, end = times.get(m.slot, (None, None))
        return [
            timezone.localtime(start).strftime("%H:%M") if start else "",
            timezone.localtime(end).strftime("%H:%M") if end else "",
            m.table,
            m.requester.get_full_name(),
            orgs.get(m.requester_id, ""),
            m.recipient.get_full_name(),
            orgs.get(m.recipient_id, ""),
        ]

    return csv_response(headers, (row(m) for m in meetings), f"{event.slug}-schedule.csv")


# --- brokerage ------------------------------------------------------------------------------------


def _brokerage_event(request, slug) -> Event:
    event = _event_for_user(request, slug)
    if not event.is_brokerage:
        raise Http404
    return event


@require_safe
@login_required
def brokerage(request, slug):
    event = _brokerage_event(request, slug)
    registration = services.registration_of(request.user, event)
    if registration is None or registration.state != State.REGISTERED:
        if services.can_manage(request.user, event):
            return redirect("events:schedule", event.slug)
        messages.info(request, _("Register for the event to take part in the 1:1 meetings."))
        return redirect(event)
    q = request.GET.get("q", "").strip()[:200]
    others = (
        event.registrations.filter(state=State.REGISTERED)
        .exclude(user=request.user)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )
    if q:
        others = others.filter(
            Q(user__full_name__icontains=q)
            | Q(profile__icontains=q)
            | Q(user__person_profiles__organisation__name__icontains=q)
        ).distinct()
    page_obj = Paginator(others, PARTICIPANTS_PAGE_SIZE).get_page(request.GET.get("page"))
    people = list(page_obj.object_list)
    orgs = organisation_names(r.user_id for r in people)
    mine = list(
        event.meeting_requests.filter(Q(requester=request.user) | Q(recipient=request.user))
        .select_related("requester", "recipient")
        .order_by("-created_at")
    )
    by_partner = {m.partner_of(request.user).pk: m for m in mine}
    for r in people:
        r.organisation = orgs.get(r.user_id, "")
        r.meeting = by_partner.get(r.user_id)
    incoming = [m for m in mine if m.recipient_id == request.user.pk]
    pending_incoming = [m for m in incoming if m.state == MeetingRequest.State.PENDING]
    answered_incoming = [m for m in incoming if m.state != MeetingRequest.State.PENDING]
    outgoing = [m for m in mine if m.requester_id == request.user.pk]
    my_agenda = services.agenda(event, request.user)
    for meeting in my_agenda:
        meeting.partner = meeting.partner_of(request.user)
        meeting.times = meeting.time_range()
    return render(
        request,
        "events/brokerage.html",
        {
            "event": event,
            "registration": registration,
            "profile_form": ProfileForm(instance=registration),
            "availability_form": AvailabilityForm(
                event=event, initial={"unavailable": registration.unavailable_slots}
            ),
            "request_form": MeetingRequestForm(),
            "people": people,
            "page_obj": page_obj,
            "q": q,
            "query_without_page": query_without_page(request),
            "incoming": incoming,
            "pending_incoming": pending_incoming,
            "answered_incoming": answered_incoming,
            "outgoing": outgoing,
            "my_agenda": my_agenda,
            "is_over": event.ends_at <= timezone.now() or event.is_cancelled,
        },
    )


@require_POST
@login_required
def profile(request, slug):
    event = _brokerage_event(request, slug)
    registration = get_object_or_404(
        Registration, event=event, user=request.user, state=State.REGISTERED
    )
    form = ProfileForm(request.POST, instance=registration)
    if form.is_valid():
        services.save_profile(registration, request.user, form.cleaned_data["profile"])
        messages.success(request, _("Your profile has been saved."))
    else:
        messages.error(request, " ".join(form.errors.get("profile", [])))
    return redirect("events:brokerage", event.slug)


@require_http_methods(["GET", "POST"])
@login_required
def availability(request, slug, pk=None):
    """A participant marks their own unavailable slots; the office does it for anyone (pk)."""
    event = _brokerage_event(request, slug)
    if pk is None:
        registration = get_object_or_404(
            Registration, event=event, user=request.user, state=State.REGISTERED
        )
        back = reverse("events:brokerage", args=[event.slug])
    else:
        if not services.can_manage(request.user, event):
            raise PermissionDenied
        registration = get_object_or_404(
            Registration.objects.select_related("user"), event=event, pk=pk, state=State.REGISTERED
        )
        back = reverse("events:schedule", args=[event.slug])
    form = AvailabilityForm(
        request.POST or None, event=event, initial={"unavailable": registration.unavailable_slots}
    )
    if request.method == "POST":
        if form.is_valid():
            services.set_unavailable(registration, request.user, form.cleaned_data["unavailable"])
            messages.success(request, _("The availability has been saved."))
            return redirect(back)
        messages.error(request, _("Please correct the marked fields."))
    return render(
        request,
        "events/availability.html",
        {"event": event, "registration": registration, "form": form, "back": back},
    )


@require_POST
@login_required
@rate_limit("meeting_request")
def meeting_request(request, slug, user_id):
    event = _brokerage_event(request, slug)
    recipient = get_object_or_404(User, pk=user_id)
    form = MeetingRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("message", [])))
    else:
        try:
            services.request_meeting(event, request.user, recipient, form.cleaned_data["message"])
        except RuleError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("Your request has been sent to %(name)s.") % {"name": recipient.get_full_name()},
            )
    return redirect("events:brokerage", event.slug)


@require_POST
@login_required
def meeting_answer(request, slug, pk):
    event = _brokerage_event(request, slug)
    meeting = get_object_or_404(MeetingRequest, event=event, pk=pk)
    accept = request.POST.get("answer") == "accept"
    try:
        services.answer_request(meeting, request.user, accept)
    except RuleError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("You accepted the meeting.") if accept else _("You declined the meeting."),
        )
    return redirect("events:brokerage", event.slug)


@require_safe
@login_required
def schedule(request, slug):
    event = _managed_event(request, slug)
    if not event.is_brokerage:
        raise Http404
    rows, unscheduled = services.schedule_grid(event)
    counts = dict(event.meeting_requests.values_list("state").annotate(n=Count("pk")).order_by())
    unavailable = list(
        event.registrations.filter(state=State.REGISTERED)
        .exclude(unavailable_slots=[])
        .select_related("user")
        .order_by("user__full_name")
    )
    slot_labels = dict(AvailabilityForm(event=event).fields["unavailable"].choices)
    for r in unavailable:
        r.slot_labels = [slot_labels.get(s, s) for s in r.unavailable_slots]
    participants = list(
        event.registrations.filter(state=State.REGISTERED)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )
    scheduled = sum(len(meetings) for _start, _end, meetings in rows)
    return render(
        request,
        "events/schedule.html",
        {
            "event": event,
            "rows": rows,
            "unscheduled": unscheduled,
            "scheduled": scheduled,
            "pending": counts.get(MeetingRequest.State.PENDING, 0),
            "accepted": counts.get(MeetingRequest.State.ACCEPTED, 0),
            "declined": counts.get(MeetingRequest.State.DECLINED, 0),
            "unavailable": unavailable,
            "participants": participants,
        },
    )


@require_POST
@login_required
def schedule_run(request, slug):
    event = _managed_event(request, slug)
    fresh = request.POST.get("fresh") == "1"
    try:
        result = services.run_scheduler(event, request.user, keep_existing=not fresh)
    except RuleError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _(
                "Schedule computed. Meetings placed: %(scheduled)s; not placed: %(unscheduled)s; "
                "moved or taken off the schedule: %(moved)s."
            )
            % {
                "scheduled": result.scheduled,
                "unscheduled": result.unscheduled,
                "moved": result.moved,
            },
        )
    return redirect("events:schedule", event.slug)
