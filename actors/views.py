from dataclasses import replace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.pagination import query_without_page
from core.policy import allowed, require
from core.redirects import redirect_to_next

from . import logos, permissions, services
from .directory import search_organisations, with_list_details
from .forms import (
    MESSAGE_MAX_LENGTH,
    ApplyForm,
    ClusterForm,
    DecisionForm,
    DirectoryFilterForm,
    InviteForm,
    OrganisationForm,
    OrganisationRoleForm,
    PersonForm,
    RoleForm,
)
from .hub import cluster_hub
from .models import (
    PENDING_MEMBERSHIP,
    Cluster,
    ClusterRole,
    Collaboration,
    HelixType,
    Membership,
    Organisation,
    Person,
)
from .rules import visible_memberships

PAGE_SIZE = 25


@require_GET
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


def _pk_or_404(value) -> int:
    """A numeric primary key from request data; anything else is a 404, never a 500."""
    text = str(value or "").strip()
    if not text.isdigit() or len(text) > 18:
        raise Http404
    return int(text)


def _revoke_role(request, then, **scope):
    """Revoke the posted role (looked up within ``scope``: the organisation or the cluster), report
    the outcome as a message and return to the page ``then`` = (URL name, object with a slug)."""
    role = get_object_or_404(ClusterRole, pk=_pk_or_404(request.POST.get("role")), **scope)
    try:
        services.revoke_role(request.user, role)
    except services.RuleError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The role has been revoked."))
    url_name, obj = then
    return redirect(url_name, slug=obj.slug)


@require_GET
def organisation_detail(request, slug):
    organisation = get_object_or_404(
        Organisation.objects.select_related("region", "region__parent").prefetch_related(
            "sectors", "competences"
        ),
        slug=slug,
    )
    user = request.user
    memberships = organisation.memberships.filter(status=Membership.Status.ACTIVE).select_related(
        "cluster"
    )
    show_contacts = allowed(user, "actors.see_contacts", organisation)
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
    pending = [
        (m, allowed(user, "actors.respond_to_invitation", m))
        for m in visible_memberships(user)
        .filter(organisation=organisation, status__in=PENDING_MEMBERSHIP)
        .select_related("cluster")
        .order_by("cluster__name")
    ]
    can_apply = allowed(user, "actors.apply_for_membership", organisation)
    return render(
        request,
        "actors/organisation_detail.html",
        {
            "organisation": organisation,
            "memberships": [(m, allowed(user, "actors.end_membership", m)) for m in memberships],
            "people": people,
            "show_contacts": show_contacts,
            "partners": partners,
            "can_edit": allowed(user, "actors.edit_organisation", organisation),
            "can_manage_people": allowed(user, "actors.manage_people", organisation),
            "pending": pending,
            "has_admins": permissions.has_admins(organisation),
            "can_apply": can_apply,
            "can_verify": allowed(user, "actors.verify_organisation", organisation),
            "apply_form": ApplyForm(organisation=organisation) if can_apply else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request, slug=None):
    organisation = get_object_or_404(Organisation, slug=slug) if slug else None
    if organisation:
        require(request.user, "actors.edit_organisation", organisation)
    else:
        require(request.user, "actors.create_organisation")
    form = OrganisationForm(request.POST or None, request.FILES or None, instance=organisation)
    if request.method == "POST":
        if form.is_valid():
            organisation = services.save_organisation(request.user, form)
            messages.success(request, _("The organisation profile has been saved."))
            return redirect(organisation)
        messages.error(request, _("Please correct the marked fields."))
    return render(
        request, "actors/organisation_form.html", {"form": form, "organisation": organisation}
    )


@login_required
@require_POST
def organisation_verify(request, slug):
    """The office of a cluster the organisation belongs to, or a platform admin, verifies it."""
    organisation = get_object_or_404(Organisation, slug=slug)
    if organisation.verified_at is None:
        require(request.user, "actors.verify_organisation", organisation)
        services.verify_organisation(request.user, organisation)
        messages.success(request, _("The organisation has been verified."))
    else:
        messages.info(request, _("The organisation is already verified."))
    return redirect_to_next(request, organisation.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def person_add(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug)
    require(request.user, "actors.manage_people", organisation)
    form = PersonForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            services.add_person(request.user, organisation, form)
            messages.success(request, _("The contact person has been added."))
            return redirect(organisation)
        messages.error(request, _("Please correct the marked fields."))
    return render(request, "actors/person_form.html", {"form": form, "organisation": organisation})


@login_required
@require_POST
def person_delete(request, slug, pk):
    person = get_object_or_404(Person, pk=pk, organisation__slug=slug)
    organisation = person.organisation
    require(request.user, "actors.manage_people", organisation)
    try:
        services.delete_person(request.user, person)
    except services.RuleError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The contact person has been removed."))
    return redirect(organisation)


@login_required
@require_http_methods(["GET", "POST"])
def organisation_roles(request, slug):
    """The organisation's admins grant and revoke the member roles held for it."""
    organisation = get_object_or_404(Organisation, slug=slug)
    require(request.user, "actors.manage_people", organisation)
    action = request.POST.get("action")
    form = OrganisationRoleForm(
        request.POST if action == "grant_role" else None, organisation=organisation
    )
    if request.method == "POST":
        if action == "grant_role":
            if form.is_valid():
                try:
                    services.grant_role(
                        request.user,
                        form.cleaned_data["cluster"],
                        form.cleaned_data["email"],
                        form.cleaned_data["role"],
                        organisation,
                    )
                except services.RuleError as error:
                    form.add_error(None, str(error))
                else:
                    messages.success(request, _("The role has been granted."))
                    return redirect("actors:organisation_roles", slug=organisation.slug)
        elif action == "revoke_role":
            return _revoke_role(
                request, organisation=organisation, then=("actors:organisation_roles", organisation)
            )
        messages.error(request, _("Please correct the marked fields."))
    roles = (
        ClusterRole.objects.filter(organisation=organisation)
        .select_related("user", "cluster")
        .order_by("cluster__name", "role", "user__full_name")
    )
    admins = organisation.people.filter(is_admin=True, user__isnull=False).select_related("user")
    return render(
        request,
        "actors/organisation_roles.html",
        {"organisation": organisation, "form": form, "roles": roles, "admin_people": admins},
    )


@login_required
@require_http_methods(["GET", "POST"])
def membership_apply(request, slug):
    """An organisation's admin applies to join a cluster."""
    organisation = get_object_or_404(Organisation, slug=slug)
    require(request.user, "actors.apply_for_membership", organisation)
    form = ApplyForm(request.POST or None, organisation=organisation)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.apply_for_membership(
                    request.user,
                    form.cleaned_data["cluster"],
                    organisation,
                    form.cleaned_data["message"],
                )
            except services.RuleError as error:
                form.add_error("cluster", str(error))
            else:
                messages.success(
                    request,
                    _(
                        "The application has been sent. The cluster office will accept or decline it."
                    ),
                )
                return redirect(organisation)
        messages.error(request, _("Please correct the marked fields."))
    return render(
        request, "actors/membership_apply.html", {"form": form, "organisation": organisation}
    )


def _membership_answer(request, pk, perm, service, done_message):
    membership = get_object_or_404(
        Membership.objects.select_related("cluster", "organisation"), pk=pk
    )
    if not allowed(request.user, "actors.view_membership", membership):
        raise Http404
    require(request.user, perm, membership)
    fallback = membership.organisation.get_absolute_url()
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose whether to accept or decline."))
        return redirect_to_next(request, fallback)
    try:
        service(request.user, membership, form.accept, form.cleaned_data["note"])
    except services.RuleError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done_message(form.accept))
    return redirect_to_next(request, fallback)


@login_required
@require_POST
def membership_respond(request, pk):
    """The invited organisation's admins accept or decline an invitation."""
    return _membership_answer(
        request,
        pk,
        "actors.respond_to_invitation",
        services.respond_to_invitation,
        lambda accept: (
            _("Invitation accepted: the organisation is now a member.")
            if accept
            else _("Invitation declined.")
        ),
    )


@login_required
@require_POST
def membership_decide(request, pk):
    """The cluster office accepts or declines an application."""
    return _membership_answer(
        request,
        pk,
        "actors.decide_application",
        services.decide_application,
        lambda accept: (
            _("Application accepted: the organisation is now a member.")
            if accept
            else _("Application declined.")
        ),
    )


@login_required
@require_POST
def membership_end(request, pk):
    """The cluster office ends a membership, or the organisation leaves the cluster."""
    membership = get_object_or_404(
        Membership.objects.select_related("cluster", "organisation"), pk=pk
    )
    if not allowed(request.user, "actors.view_membership", membership):
        raise Http404
    require(request.user, "actors.end_membership", membership)
    note = request.POST.get("note", "")[:MESSAGE_MAX_LENGTH]
    services.end_membership(request.user, membership, note)
    messages.success(request, _("The membership has been ended."))
    return redirect_to_next(request, membership.organisation.get_absolute_url())


@require_GET
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


@require_GET
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
    context = {
        "cluster": cluster,
        "form": form,
        "page_obj": page_obj,
        "organisations": page_obj.object_list,
        "query_without_page": query_without_page(request),
    }
    if request.htmx and not request.htmx.boosted:
        return render(request, "actors/_organisation_results.html", context)
    # The cluster's home: its offer from every app (each through that app's rules), its figures
    # and, for its office, the actions that run it.
    is_manager = allowed(request.user, "actors.manage_memberships", cluster)
    mix = helix_mix(cluster)
    context.update(
        cluster_hub(request.user, cluster),
        is_manager=is_manager,
        helix_mix=mix,
        member_count=sum(n for _value, _label, n in mix),
        pending_applications=(
            cluster.memberships.filter(status=Membership.Status.APPLIED).count()
            if is_manager
            else 0
        ),
    )
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
    require(request.user, "actors.edit_cluster", cluster)
    form = ClusterForm(request.POST or None, request.FILES or None, instance=cluster)
    if request.method == "POST":
        if form.is_valid():
            cluster = services.save_cluster(request.user, form)
            messages.success(request, _("The cluster profile has been saved."))
            return redirect(cluster)
        messages.error(request, _("Please correct the marked fields."))
    return render(request, "actors/cluster_form.html", {"form": form, "cluster": cluster})


@login_required
@require_http_methods(["GET", "POST"])
def cluster_manage(request, slug):
    """Invitations, applications, memberships and roles of one cluster, for its office."""
    cluster = get_object_or_404(Cluster, slug=slug)
    require(request.user, "actors.manage_memberships", cluster)
    action = request.POST.get("action")
    invite_form = InviteForm(request.POST if action == "invite" else None, cluster=cluster)
    role_form = RoleForm(
        request.POST if action == "grant_role" else None, cluster=cluster, user=request.user
    )
    if request.method == "POST":
        if action == "invite" and invite_form.is_valid():
            try:
                services.invite_organisation(
                    request.user,
                    cluster,
                    invite_form.cleaned_data["organisation"],
                    invite_form.cleaned_data["message"],
                )
            except services.RuleError as error:
                invite_form.add_error("organisation", str(error))
            else:
                messages.success(
                    request,
                    _(
                        "The invitation has been sent. The organisation becomes a member once "
                        "it accepts."
                    ),
                )
                return redirect("actors:cluster_manage", slug=cluster.slug)
        if action == "grant_role" and role_form.is_valid():
            try:
                services.grant_role(
                    request.user,
                    cluster,
                    role_form.cleaned_data["email"],
                    role_form.cleaned_data["role"],
                    role_form.cleaned_data.get("organisation"),
                )
            except services.RuleError as error:
                role_form.add_error(None, str(error))
            else:
                messages.success(request, _("The role has been granted."))
                return redirect("actors:cluster_manage", slug=cluster.slug)
        if action == "revoke_role":
            return _revoke_role(request, cluster=cluster, then=("actors:cluster_manage", cluster))
        messages.error(request, _("Please correct the marked fields."))
    memberships = (
        cluster.memberships.filter(status=Membership.Status.ACTIVE)
        .select_related("organisation", "organisation__region")
        .order_by("organisation__name")
    )
    page_obj = Paginator(memberships, 50).get_page(request.GET.get("page"))
    pending = (
        cluster.memberships.filter(status__in=PENDING_MEMBERSHIP)
        .select_related("organisation")
        .order_by("status", "organisation__name")
    )
    roles = [
        (role, allowed(request.user, "actors.revoke_role", role))
        for role in cluster.roles.select_related("user", "organisation").order_by(
            "role", "user__email"
        )
    ]
    return render(
        request,
        "actors/cluster_manage.html",
        {
            "cluster": cluster,
            "invite_form": invite_form,
            "role_form": role_form,
            "page_obj": page_obj,
            "memberships": page_obj.object_list,
            "invitations": [m for m in pending if m.status == Membership.Status.INVITED],
            "applications": [m for m in pending if m.status == Membership.Status.APPLIED],
            "roles": roles,
            "query_without_page": query_without_page(request),
        },
    )


@require_GET
def organisation_options(request):
    """Datalist options for picking an organisation by name (htmx)."""
    text = request.GET.get("organisation", "").strip()
    organisations = Organisation.objects.none()
    if len(text) >= 2:
        organisations = Organisation.objects.filter(
            Q(name__icontains=text) | Q(slug__startswith=text)
        ).order_by("name")[:20]
    return render(request, "actors/_organisation_options.html", {"organisations": organisations})


def _logo_response(request, obj):
    """The stored logo (or with ?size=thumb its thumbnail) of a public profile; 404 without one."""
    field = obj.logo_thumb if request.GET.get("size") == "thumb" else obj.logo
    kind = logos.content_type(field.name) if field else None
    if kind is None:
        raise Http404
    try:
        handle = field.storage.open(field.name, "rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=kind)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    # Stored under a random name that changes with every new upload: the name is the version.
    response["ETag"] = f'"{field.name.rsplit("/", 1)[-1]}"'
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_GET
def organisation_logo(request, slug):
    return _logo_response(request, get_object_or_404(Organisation, slug=slug))


@require_GET
def cluster_logo(request, slug):
    return _logo_response(request, get_object_or_404(Cluster, slug=slug))
