"""Actor registry: directory, organisations, clusters, memberships and roles.

The rules (actors/rules.py): an organisation's profile, contact persons and the roles held for it
belong to its own admins (org_admin for w.org_a) and platform admins — never to the office of a
cluster it belongs to (manager_a gets 403 on w.org_a). Memberships need consent: an invitation is
answered by the invited organisation's admins (a platform admin answers only for an organisation
without admins), an application is decided by the cluster's current office. Pending memberships are
seen only by the cluster's office, the organisation's admins and platform admins; everybody else
meets a 404. Read-only pages take GET only.
"""

import io

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from actors.models import Cluster, Membership, Organisation

from .matrix import (
    DENY,
    HIDDEN,
    LOGIN,
    NOT_ALLOWED,
    ROLES,
    Api,
    Page,
    everyone,
    logged_in,
    only,
)

Status = Membership.Status
LOGO = "logos/route-matrix/logo.png"
LOGO_THUMB = "logos/route-matrix/logo-thumb.png"


def build(w):
    # manager_b's office invited w.org_a (administered by org_admin) into cluster B.
    w.invitation = Membership.objects.create(
        cluster=w.cluster_b, organisation=w.org_a, status=Status.INVITED, message="Willkommen"
    )
    # w.outsider_org applied to cluster A.
    w.application = Membership.objects.create(
        cluster=w.cluster_a,
        organisation=w.outsider_org,
        status=Status.APPLIED,
        message="Wir möchten mitmachen",
    )
    w.membership_a = Membership.objects.get(cluster=w.cluster_a, organisation=w.org_a)
    # w.org_a registered itself: unverified until cluster A's office (or a platform admin) verifies it.
    Organisation.objects.filter(pk=w.org_a.pk).update(verified_at=None, verified_by=None)
    # w.org_a and cluster A have logos (one small fixed file pair under MEDIA_ROOT, written once).
    Organisation.objects.filter(pk=w.org_a.pk).update(logo=LOGO, logo_thumb=LOGO_THUMB)
    Cluster.objects.filter(pk=w.cluster_a.pk).update(logo=LOGO, logo_thumb=LOGO_THUMB)
    for name in (LOGO, LOGO_THUMB):
        if not default_storage.exists(name):
            out = io.BytesIO()
            Image.new("RGB", (16, 16), (0, 90, 160)).save(out, "PNG")
            default_storage.save(name, ContentFile(out.getvalue()))


# An account whose address is not confirmed cannot log in (accounts' auth backend): pages that need
# a login send it to the login page like a visitor.
GUEST = {"unconfirmed": LOGIN}
# A POST-only route: visitors are sent to log in first, everybody else meets 405 on GET.
POST_ONLY = logged_in(
    **{role: NOT_ALLOWED for role in ROLES if role not in ("anonymous", "unconfirmed")}, **GUEST
)
org_a_admins = only("org_admin", "platform_admin", **GUEST)
office_a = only("manager_a", "platform_admin", **GUEST)
# Pending memberships are hidden (404) from everybody but the two offices' people named here.
NOT_INVOLVED = ("member", "revoked_manager", "juror")

ROUTES = [
    # directory and organisations
    Page("actors:organisation_list", get=everyone(), post=NOT_ALLOWED),
    Page("actors:organisation_options", get=everyone(), post=NOT_ALLOWED, query="?organisation=Ma"),
    Page(
        "actors:organisation_detail",
        args=lambda w: [w.org_a.slug],
        get=everyone(),
        post=NOT_ALLOWED,
    ),
    # Logos of public profiles are public too (GET only; ?size=thumb gives the thumbnail).
    Page(
        "actors:organisation_logo",
        args=lambda w: [w.org_a.slug],
        get=everyone(),
        post=NOT_ALLOWED,
        query="?size=thumb",
    ),
    # Creating an organisation needs a confirmed address (the rule says so too).
    Page(
        "actors:organisation_create",
        get=logged_in(**GUEST),
        post=logged_in(**GUEST),
    ),
    # The takeover path: the office of a cluster w.org_a belongs to has no right over it.
    Page(
        "actors:organisation_edit",
        args=lambda w: [w.org_a.slug],
        get=org_a_admins,
        post=org_a_admins,
    ),
    Page("actors:person_add", args=lambda w: [w.org_a.slug], get=org_a_admins, post=org_a_admins),
    Page(
        "actors:person_delete",
        args=lambda w: [w.org_a.slug, w.hidden_contact.pk],
        get=POST_ONLY,
        post=org_a_admins,
    ),
    Page(
        "actors:organisation_roles",
        args=lambda w: [w.org_a.slug],
        get=org_a_admins,
        post=org_a_admins,
        data=lambda w: {
            "action": "grant_role",
            "email": w.users["juror"].email,
            "role": "member_org_admin",
            "cluster": w.cluster_a.slug,
        },
    ),
    Page(
        "actors:membership_apply",
        args=lambda w: [w.org_a.slug],
        get=org_a_admins,
        post=org_a_admins,
        data=lambda w: {"cluster": w.cluster_b.slug, "message": "Bitte"},
    ),
    # Verification: the office of a cluster the organisation is an active member of (manager_a for
    # w.org_a) or a platform admin; never the organisation's own admin nor another office.
    Page(
        "actors:organisation_verify",
        args=lambda w: [w.org_a.slug],
        get=POST_ONLY,
        post=office_a,
    ),
    # membership lifecycle
    Page(
        "actors:membership_respond",
        args=lambda w: [w.invitation.pk],
        get=POST_ONLY,
        # org_a has admins, so the platform admin does not answer in its place.
        post=only(
            "org_admin",
            manager_b=DENY,
            platform_admin=DENY,
            manager_a=HIDDEN,
            **{role: HIDDEN for role in NOT_INVOLVED},
            **GUEST,
        ),
        data=lambda w: {"decision": "accept"},
    ),
    Page(
        "actors:membership_decide",
        args=lambda w: [w.application.pk],
        get=POST_ONLY,
        post=only(
            "manager_a",
            "platform_admin",
            org_admin=HIDDEN,
            manager_b=HIDDEN,
            **{role: HIDDEN for role in NOT_INVOLVED},
            **GUEST,
        ),
        data=lambda w: {"decision": "accept"},
    ),
    # The office ends a membership, or the organisation leaves.
    Page(
        "actors:membership_end",
        args=lambda w: [w.membership_a.pk],
        get=POST_ONLY,
        post=only("manager_a", "org_admin", "platform_admin", **GUEST),
    ),
    # clusters
    Page("actors:cluster_list", get=everyone(), post=NOT_ALLOWED),
    Page(
        "actors:cluster_detail", args=lambda w: [w.cluster_a.slug], get=everyone(), post=NOT_ALLOWED
    ),
    Page(
        "actors:cluster_logo", args=lambda w: [w.cluster_a.slug], get=everyone(), post=NOT_ALLOWED
    ),
    Page("actors:cluster_edit", args=lambda w: [w.cluster_a.slug], get=office_a, post=office_a),
    Page(
        "actors:cluster_manage",
        args=lambda w: [w.cluster_a.slug],
        get=office_a,
        post=office_a,
        data=lambda w: {
            "action": "invite",
            "organisation": w.org_b.slug,
            "message": "Willkommen",
        },
    ),
    # API (read only; pending memberships are filtered by the same rule as the pages)
    Api("GET", "/api/actors/organisations", expect=everyone()),
    Api(
        "GET",
        "/api/actors/organisations/{slug}",
        params=lambda w: {"slug": w.org_a.slug},
        expect=everyone(),
    ),
    Api("GET", "/api/actors/clusters", expect=everyone()),
    Api(
        "GET",
        "/api/actors/clusters/{slug}",
        params=lambda w: {"slug": w.cluster_a.slug},
        expect=everyone(),
    ),
    Api(
        "GET",
        "/api/actors/clusters/{slug}/memberships",
        params=lambda w: {"slug": w.cluster_a.slug},
        expect=everyone(),
    ),
    Api("GET", "/api/actors/sectors", expect=everyone()),
    Api("GET", "/api/actors/regions", expect=everyone()),
]
