from django.urls import path

from . import views

app_name = "ideas"

urlpatterns = [
    path("", views.call_list, name="call_list"),
    path("new/", views.call_edit, name="call_create"),
    path("ideas/<int:pk>/", views.idea_detail, name="idea_detail"),
    path("ideas/<int:pk>/edit/", views.idea_edit, name="idea_edit"),
    path("ideas/<int:pk>/vote/", views.vote, name="vote"),
    path("ideas/<int:pk>/comment/", views.comment_add, name="comment_add"),
    path("ideas/<int:pk>/moderate/", views.idea_moderate, name="idea_moderate"),
    path("ideas/<int:pk>/implemented/", views.idea_implemented, name="idea_implemented"),
    path("comments/<int:pk>/report/", views.comment_report, name="comment_report"),
    path("comments/<int:pk>/moderate/", views.comment_moderate, name="comment_moderate"),
    path("<slug:slug>/", views.call_detail, name="call_detail"),
    path("<slug:slug>/edit/", views.call_edit, name="call_edit"),
    path("<slug:slug>/ideas/", views.idea_list, name="idea_list"),
    path("<slug:slug>/submit/", views.idea_edit, name="idea_create"),
    path("<slug:slug>/manage/", views.call_manage, name="call_manage"),
    path("<slug:slug>/advance/", views.call_advance, name="call_advance"),
    path("<slug:slug>/shortlist/", views.shortlist_confirm, name="shortlist_confirm"),
    path("<slug:slug>/shortlist/<int:pk>/", views.shortlist_override, name="shortlist_override"),
    path("<slug:slug>/jury/", views.juror_add, name="juror_add"),
    path("<slug:slug>/jury/<int:pk>/remove/", views.juror_remove, name="juror_remove"),
    path("<slug:slug>/managers/", views.manager_add, name="manager_add"),
    path("<slug:slug>/review/", views.jury_review, name="jury_review"),
    path("<slug:slug>/review/submit/", views.jury_submit, name="jury_submit"),
    path("<slug:slug>/awards/<int:pk>/", views.award_set, name="award_set"),
    path("<slug:slug>/results/publish/", views.results_publish, name="results_publish"),
    path("<slug:slug>/results/", views.results, name="results"),
    path("<slug:slug>/export/<str:kind>.<str:fmt>", views.export, name="export"),
]
