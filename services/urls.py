from django.urls import path

from . import views

app_name = "services"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("new/", views.service_edit, name="service_create"),
    path("library/", views.library, name="library"),
    path("bookings/", views.my_bookings, name="my_bookings"),
    path("bookings/<int:pk>/cancel/", views.booking_cancel, name="booking_cancel"),
    path("bookings/<int:pk>/state/", views.booking_update, name="booking_update"),
    path("surveys/", views.survey_list, name="survey_list"),
    path("surveys/new/", views.survey_edit, name="survey_create"),
    path("surveys/<int:pk>/", views.survey_detail, name="survey_detail"),
    path("surveys/<int:pk>/edit/", views.survey_edit, name="survey_edit"),
    path("surveys/<int:pk>/questions/", views.question_add, name="question_add"),
    path("surveys/<int:pk>/state/", views.survey_state, name="survey_state"),
    path("surveys/<int:pk>/answer/", views.survey_answer, name="survey_answer"),
    path("surveys/<int:pk>/results/", views.survey_results, name="survey_results"),
    path("questions/<int:pk>/delete/", views.question_delete, name="question_delete"),
    path("answers/<int:pk>/idea/", views.answer_idea, name="answer_idea"),
    path("<slug:slug>/", views.service_detail, name="service_detail"),
    path("<slug:slug>/edit/", views.service_edit, name="service_edit"),
    path("<slug:slug>/status/", views.service_status, name="service_status"),
    path("<slug:slug>/book/", views.service_book, name="service_book"),
    path("<slug:slug>/bookings/", views.service_bookings, name="service_bookings"),
    path("<slug:slug>/feedback/", views.service_feedback, name="service_feedback"),
    path("<slug:slug>/adopt/", views.service_adopt, name="service_adopt"),
]
