from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("new/", views.event_edit, name="event_create"),
    path("mine/", views.my_events, name="my_events"),
    path("mine/calendar.ics", views.my_calendar, name="my_calendar"),
    path("<slug:slug>/", views.event_detail, name="event_detail"),
    path("<slug:slug>/edit/", views.event_edit, name="event_edit"),
    path("<slug:slug>/register/", views.register, name="register"),
    path("<slug:slug>/cancel/", views.cancel, name="cancel"),
    path("<slug:slug>/cancel-event/", views.event_cancel, name="event_cancel"),
    path("<slug:slug>/calendar.ics", views.event_ics, name="event_ics"),
    path("<slug:slug>/participants/", views.participants, name="participants"),
    path("<slug:slug>/participants.csv", views.participants_csv, name="participants_csv"),
    path("<slug:slug>/participants/<int:pk>/attendance/", views.attendance, name="attendance"),
    path(
        "<slug:slug>/participants/<int:pk>/availability/",
        views.availability,
        name="participant_availability",
    ),
    path("<slug:slug>/brokerage/", views.brokerage, name="brokerage"),
    path("<slug:slug>/brokerage/profile/", views.profile, name="profile"),
    path("<slug:slug>/brokerage/availability/", views.availability, name="availability"),
    path(
        "<slug:slug>/brokerage/request/<int:user_id>/",
        views.meeting_request,
        name="meeting_request",
    ),
    path("<slug:slug>/meetings/<int:pk>/answer/", views.meeting_answer, name="meeting_answer"),
    path("<slug:slug>/schedule/", views.schedule, name="schedule"),
    path("<slug:slug>/schedule/run/", views.schedule_run, name="schedule_run"),
    path("<slug:slug>/schedule.csv", views.schedule_csv, name="schedule_csv"),
    path("<slug:slug>/agenda.ics", views.agenda_ics, name="agenda_ics"),
]
