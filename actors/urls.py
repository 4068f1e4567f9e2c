from django.urls import path

from . import views

app_name = "actors"

urlpatterns = [
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/new/", views.organisation_edit, name="organisation_create"),
    path("organisations/options/", views.organisation_options, name="organisation_options"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<slug:slug>/logo/", views.organisation_logo, name="organisation_logo"),
    path("organisations/<slug:slug>/edit/", views.organisation_edit, name="organisation_edit"),
    path("organisations/<slug:slug>/people/new/", views.person_add, name="person_add"),
    path(
        "organisations/<slug:slug>/people/<int:pk>/delete/",
        views.person_delete,
        name="person_delete",
    ),
    path("organisations/<slug:slug>/roles/", views.organisation_roles, name="organisation_roles"),
    path("organisations/<slug:slug>/apply/", views.membership_apply, name="membership_apply"),
    path(
        "organisations/<slug:slug>/verify/",
        views.organisation_verify,
        name="organisation_verify",
    ),
    path("memberships/<int:pk>/respond/", views.membership_respond, name="membership_respond"),
    path("memberships/<int:pk>/decide/", views.membership_decide, name="membership_decide"),
    path("memberships/<int:pk>/end/", views.membership_end, name="membership_end"),
    path("clusters/", views.cluster_list, name="cluster_list"),
    path("clusters/<slug:slug>/", views.cluster_detail, name="cluster_detail"),
    path("clusters/<slug:slug>/logo/", views.cluster_logo, name="cluster_logo"),
    path("clusters/<slug:slug>/edit/", views.cluster_edit, name="cluster_edit"),
    path("clusters/<slug:slug>/manage/", views.cluster_manage, name="cluster_manage"),
]
