from django.contrib import admin

from .models import (
    Cluster,
    ClusterRole,
    Collaboration,
    Competence,
    Membership,
    MembershipEvent,
    NaceSector,
    NutsRegion,
    Organisation,
    Person,
)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "helix_type", "is_sme", "region", "city"]
    list_filter = ["helix_type", "is_sme"]
    search_fields = ["name", "city"]
    autocomplete_fields = ["region", "sectors", "competences"]
    prepopulated_fields = {"slug": ["name"]}

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.refresh_search_document()


@admin.register(Cluster)
class ClusterAdmin(admin.ModelAdmin):
    list_display = ["name", "innovation_field", "region"]
    search_fields = ["name", "acronym"]
    autocomplete_fields = ["region", "sectors", "managing_organisation"]
    prepopulated_fields = {"slug": ["name"]}


class MembershipEventInline(admin.TabularInline):
    """The who/when log of a membership (read only)."""

    model = MembershipEvent
    extra = 0
    can_delete = False
    fields = ["at", "from_status", "to_status", "actor", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["organisation", "cluster", "status", "since"]
    list_filter = ["status", "cluster"]
    autocomplete_fields = ["organisation", "cluster"]
    inlines = [MembershipEventInline]


@admin.register(ClusterRole)
class ClusterRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "cluster", "role", "organisation"]
    list_filter = ["role"]
    autocomplete_fields = ["cluster", "organisation"]
    raw_id_fields = ["user"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["full_name", "organisation", "email"]
    search_fields = ["full_name", "email"]
    autocomplete_fields = ["organisation"]


@admin.register(NaceSector)
class NaceSectorAdmin(admin.ModelAdmin):
    list_display = ["code", "name_de", "name_en", "level"]
    search_fields = ["code", "name_de", "name_en"]


@admin.register(NutsRegion)
class NutsRegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level"]
    search_fields = ["code", "name"]


@admin.register(Competence)
class CompetenceAdmin(admin.ModelAdmin):
    list_display = ["name_de", "name_en"]
    search_fields = ["name_de", "name_en"]


@admin.register(Collaboration)
class CollaborationAdmin(admin.ModelAdmin):
    list_display = ["organisation_a", "organisation_b", "kind", "year"]
    autocomplete_fields = ["organisation_a", "organisation_b"]
