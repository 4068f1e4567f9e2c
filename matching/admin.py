from django.contrib import admin

from .models import Interest, Posting


@admin.register(Posting)
class PostingAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "organisation", "status", "visibility", "deadline"]
    list_filter = ["kind", "status", "visibility"]
    search_fields = ["title", "description", "organisation__name"]
    raw_id_fields = ["organisation", "author", "cluster"]
    filter_horizontal = ["sectors", "regions_sought"]


@admin.register(Interest)
class InterestAdmin(admin.ModelAdmin):
    list_display = ["posting", "organisation", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["posting", "organisation", "user", "brokered_by"]
