from django.contrib import admin

from .models import AgendaEntry, Event, MeetingRequest, Registration


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "cluster",
        "format",
        "mode",
        "starts_at",
        "capacity",
        "is_published",
        "cancelled_at",
    ]
    list_filter = ["format", "mode", "is_published", "is_public", "cancelled_at"]
    search_fields = ["title", "description"]
    date_hierarchy = "starts_at"
    raw_id_fields = ["cluster", "service", "created_by"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["user", "event", "state", "attended", "created_at"]
    list_filter = ["state", "attended"]
    search_fields = ["user__email", "user__full_name", "event__title"]
    raw_id_fields = ["event", "user"]


@admin.register(MeetingRequest)
class MeetingRequestAdmin(admin.ModelAdmin):
    """Slots and tables are set by the scheduler (database constraints reject double-bookings)."""

    list_display = ["requester", "recipient", "event", "state", "slot", "table"]
    list_filter = ["state"]
    search_fields = ["requester__email", "recipient__email", "event__title"]
    raw_id_fields = ["event", "requester", "recipient"]
    readonly_fields = ["slot", "table"]


@admin.register(AgendaEntry)
class AgendaEntryAdmin(admin.ModelAdmin):
    list_display = ["user", "event", "slot", "meeting"]
    raw_id_fields = ["event", "user", "meeting"]
