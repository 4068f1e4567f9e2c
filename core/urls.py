from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("privacy/", views.privacy, name="privacy"),
    path("imprint/", views.imprint, name="imprint"),
    path("accessibility/", views.accessibility, name="accessibility"),
]
