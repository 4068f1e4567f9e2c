from django.urls import path

from . import views

app_name = "matching"

urlpatterns = [
    path("", views.marketplace, name="marketplace"),
    path("new/", views.posting_edit, name="posting_create"),
    path("<int:pk>/", views.posting_detail, name="posting_detail"),
    path("<int:pk>/edit/", views.posting_edit, name="posting_edit"),
    path("<int:pk>/status/", views.posting_status, name="posting_status"),
    path("<int:pk>/interest/", views.interest_create, name="interest_create"),
    path("interests/", views.my_interests, name="my_interests"),
    path("interests/<int:pk>/decide/", views.interest_decide, name="interest_decide"),
    path(
        "organisations/<slug:slug>/partners/",
        views.organisation_partners,
        name="organisation_partners",
    ),
]
