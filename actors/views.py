from dataclasses import replace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.pagination import query_without_page

from . import permissions
from .directory import search_organisations, with_list_details
from .forms import (
    ClusterForm,
    DirectoryFilterForm,
    MembershipAddForm,
    OrganisationForm,
    PersonForm,
    RoleForm,
)
from .models import (
    Cluster,
    ClusterRole,
    Collaboration,
    HelixType,
    Membership,
    Organisation,
    Person,
)
from .services import add_membership, end_membership, grant_role, save_organisation

PAGE_SIZE = 25


def organisation_list(request):
    form = DirectoryFilterForm(request.GET or None)
    query = form.to_query()
    qs = with_list_details(search_organisations(query))
    page_obj = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page_obj": page_obj,
        "organisations": page_obj.object_list,
        "query_without_page": query_without_page(request),
    }
    template = (
        "actors/_organisation_results.html"
        if request.htmx and not request.htmx.boosted
        else "actors/organisation_list.html"
    )
    return render(request, template, context)


def organisation_detail(request, slug):
    organisation = get_object_or_404(
        Organisation.objects.select_related("region", "region__parent").prefetch_related(
            "sectors", "competences"
        ),
        slug=slug,
    )
    memberships = organisation.memberships.filter(status=Membership.Status.ACTIVE).select_related(
        "cluster"
    )
    show_contacts = permissions.can_see_contact_details(request.user, organisation)
    people = organisation.people.all()
    if not show_contacts:
        people = people.filter(is_public=True)
    collaborations = (
        Collaboration.objects.filter(
            Q(organisation_a=organisation) | Q(organisation_b=organisation)
        )
        .select_related("organisation_a", "organisation_b")
        .order_by("-year")[:20]
    )
    partners = [
        (c, c.organisation_b if c.organisation_a_id == organisation.pk else c.organisation_a)
        for c in collaborations
    ]
    return render(
        request,
        "actors/organisation_detail.html",
        {
            "organisation": organisation,
            "memberships": memberships,
            "people": people,
            "show_contacts": show_contacts,
            "partners": partners,
            "can_edit": permissions.can_edit_organisation(request.user, organisation),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request, slug=None):
    organisation = get_object_or_404(Organisation, slug=slug) if slug else None
    if organisation and not permissions.can_edit_organisation(request.user, organisation):
        raise PermissionDenied
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST":
        if form.is_valid():
            organisation = save_organisation(form, created_by=request.user)
            messages.success(request, _("The organisation profile has been saved."))
            return redirect(organisation)
        messages.error(request, _("Please correct the marked fields."))
    return render(
        request, "actors/organisation_form.html", {"form": form, "organisation": organisation}
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_add(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug)
    if not permissions.can_edit_organisation(request.user, organisation):
        raise PermissionDenied
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = form.save(commit=False)
        person.organisation = organisation
        person.save()
        messages.success(request, _("The contact person has been added."))
        return redirect(organisation)
    return render(request, "actors/person_form.html", {"form": form, "organisation": organisation})


@login_required
@require_POST
def person_delete(request, slug, pk):
    person = get_object_or_404(Person, pk=pk, organisation__slug=slug)
    if not permissions.can_edit_organisation(request.user, person.organisation):
        raise PermissionDenied
    person.delete()
    messages.success(request, _("The contact person has been removed."))
    return redirect(person.organisation)


def cluster_list(request):
    clusters = (
        Cluster.objects.select_related("region", "managing_organisation")
        .annotate(member_count=Count("memberships", filter=Q(memberships__status="active")))
        .order_by("name")
    )
    text = request.GET.get("q", "").strip()
    if text:
        clusters = clusters.filter(
            Q(name__icontains=text)
            | Q(innovation_field__icontains=text)
            | Q(acronym__icontains=text)
        )
    page_obj = Paginator(clusters, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "actors/cluster_list.html",
        {
            "page_obj": page_obj,
            "clusters": page_obj.object_list,
            "q": text,
            "query_without_page": query_without_page(request),
        },
    )


def cluster_detail(request, slug):
    cluster = get_object_or_404(
        Cluster.objects.select_related("region", "managing_organisation").prefetch_related(
            "sectors"
        ),
        slug=slug,
    )
    form = DirectoryFilterForm(request.GET or None)
    del form.fields["cluster"]
    query = form.to_query()
    members = with_list_details(search_organisations(replace(query, cluster=cluster)))
    page_obj = Paginator(members, PAGE_SIZE).get_page(request.GET.get("page"))
    is_manager = permissions.is_cluster_manager(request.user, cluster)
    managers = ClusterRole.objects.filter(
        cluster=cluster, role=ClusterRole.Role.MANAGER
    ).select_related("user")
    context = {
        "cluster": cluster,
        "form": form,
        "page_obj": page_obj,
        "organisations": page_obj.object_list,
        "query_without_page": query_without_page(request),
        "is_manager": is_manager,
        "managers": managers,
        "helix_mix": helix_mix(cluster),
    }
    if request.htmx and not request.htmx.boosted:
        return render(request, "actors/_organisation_results.html", context)
    return render(request, "actors/cluster_detail.html", context)


def helix_mix(cluster: Cluster) -> list[tuple[str, str, int]]:
    """(helix value, label, number of active members) for each quadruple-helix group."""
    counts = dict(
        cluster.memberships.filter(status=Membership.Status.ACTIVE)
        .values_list("organisation__helix_type")
        .annotate(n=Count("id"))
        .order_by()
    )
    return [(value, label, counts.get(value, 0)) for value, label in HelixType.choices]


@login_required
@require_http_methods(["GET", "POST"])
def cluster_edit(request, slug):
    cluster = get_object_or_404(Cluster, slug=slug)
    if not permissions.can_edit_cluster(request.user, cluster):
        raise PermissionDenied
    form = ClusterForm(request.POST or None, instance=cluster)
    if request.method == "POST":
        if form.is_valid():
            with transaction.atomic():
                cluster = form.save()
            messages.success(request, _("The cluster profile has been saved."))
            return redirect(cluster)
        messages.error(request, _("Please correct the marked fields."))
    return render(request, "actors/cluster_form.html", {"form": form, "cluster": cluster})


@login_required
@require_http_methods(["GET", "POST"])
def cluster_manage(request, slug):
    """Membership and role administration of one cluster, for its managers."""
    cluster = get_object_or_404(Cluster, slug=slug)
    if not permissions.can_manage_memberships(request.user, cluster):
        raise PermissionDenied
    membership_form = MembershipAddForm(
        request.POST if request.POST.get("action") == "add_member" else None, cluster=cluster
    )
    role_form = RoleForm(
        request.POST if request.POST.get("action") == "grant_role" else None, cluster=cluster
    )
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "add_member" and membership_form.is_valid():
            add_membership(
                cluster,
                membership_form.cleaned_data["organisation"],
                since=membership_form.cleaned_data.get("since"),
            )
            messages.success(request, _("The organisation is now a member."))
            return redirect("actors:cluster_manage", slug=cluster.slug)
        if action == "grant_role" and role_form.is_valid():
            grant_role(
                cluster,
                role_form.cleaned_data["email"],
                role_form.cleaned_data["role"],
                role_form.cleaned_data.get("organisation"),
            )
            messages.success(request, _("The role has been granted."))
            return redirect("actors:cluster_manage", slug=cluster.slug)
        if action == "end_membership":
            membership = get_object_or_404(
                Membership, pk=request.POST.get("membership"), cluster=cluster
            )
            end_membership(membership)
            messages.success(request, _("The membership has been ended."))
            return redirect("actors:cluster_manage", slug=cluster.slug)
        if action == "revoke_role":
            role = get_object_or_404(ClusterRole, pk=request.POST.get("role"), cluster=cluster)
            role.delete()
            messages.success(request, _("The role has been revoked."))
            return redirect("actors:cluster_manage", slug=cluster.slug)
        messages.error(request, _("Please correct the marked fields."))
    memberships = (
        cluster.memberships.filter(status=Membership.Status.ACTIVE)
        .select_related("organisation", "organisation__region")
        .order_by("organisation__name")
    )
    page_obj = Paginator(memberships, 50).get_page(request.GET.get("page"))
    roles = cluster.roles.select_related("user", "organisation").order_by("role", "user__email")
    return render(
        request,
        "actors/cluster_manage.html",
        {
            "cluster": cluster,
            "membership_form": membership_form,
            "role_form": role_form,
            "page_obj": page_obj,
            "memberships": page_obj.object_list,
            "roles": roles,
            "query_without_page": "",
        },
    )


def organisation_options(request):
    """Datalist options for picking an organisation by name (htmx)."""
    text = request.GET.get("organisation", "").strip()
    organisations = Organisation.objects.none()
    if len(text) >= 2:
        organisations = Organisation.objects.filter(
            Q(name__icontains=text) | Q(slug__startswith=text)
        ).order_by("name")[:20]
    return render(request, "actors/_organisation_options.html", {"organisations": organisations})
