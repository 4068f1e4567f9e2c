"""Marketplace (matching): postings, expressions of interest, brokering (notifications: see
table_notifications.py).

Objects: a public posting of organisation A (``w.own_posting``, brokered by cluster A's office), a
posting of A for the members of cluster A only, a draft of A, and an anonymous posting of
organisation B (``w.anonymous_posting``, brokered by cluster B's office). The revoked manager wrote
the public posting (``author``) and once managed cluster A: neither grants any right. Who acts for an
organisation: member and org_admin for A; manager_a (and the revoked manager) work at cluster A's
office organisation, manager_b at cluster B's; the juror and the platform admin act for none.
Unconfirmed users cannot log in at all (accounts), so they meet every page as visitors do.
Expressing interest needs an organisation other than the posting's own.
"""

from matching.models import Interest, PostingStatus, Visibility
from tests.matching.factories import PostingFactory

from .matrix import HIDDEN, LOGIN, NOT_ALLOWED, Api, Page, everyone, logged_in, only

# Unconfirmed users are treated as visitors by the login backend.
V = {"unconfirmed": LOGIN}


def build(w):
    w.own_posting = PostingFactory(
        organisation=w.org_a,
        cluster=w.cluster_a,
        title="Matrix Angebot A",
        author=w.users["revoked_manager"],
    )
    w.cluster_posting = PostingFactory(
        organisation=w.org_a,
        cluster=w.cluster_a,
        visibility=Visibility.CLUSTER,
        title="Matrix nur Cluster A",
    )
    w.draft_posting = PostingFactory(
        organisation=w.org_a, status=PostingStatus.DRAFT, title="Matrix Entwurf A"
    )
    w.anonymous_posting = PostingFactory(
        organisation=w.org_b,
        cluster=w.cluster_b,
        visibility=Visibility.ANONYMOUS,
        title="Matrix anonym B",
    )
    w.interest_a = Interest.objects.create(
        posting=w.own_posting, organisation=w.org_manager_b, message="Interesse an A"
    )
    w.interest_b = Interest.objects.create(
        posting=w.anonymous_posting, organisation=w.org_a, message="Interesse an B"
    )


own = lambda w: [w.own_posting.pk]  # noqa: E731
cluster_only = lambda w: [w.cluster_posting.pk]  # noqa: E731
draft = lambda w: [w.draft_posting.pk]  # noqa: E731
anonymous = lambda w: [w.anonymous_posting.pk]  # noqa: E731

ORG_A_PEOPLE = ("member", "org_admin")
# Who may express interest in A's posting: people of another organisation (not the juror or admin).
INTEREST_IN_A = only("manager_a", "manager_b", "revoked_manager", **V)
INTEREST_IN_B = only(*ORG_A_PEOPLE, "manager_a", "manager_b", "revoked_manager", **V)

ROUTES = [
    Page("matching:marketplace", get=everyone(), post=NOT_ALLOWED),
    Page("matching:marketplace", query="?country=DEA4&sector=C28", get=everyone()),
    # Starting a posting: people without an organisation are sent back to the marketplace.
    Page("matching:posting_create", get=logged_in(**V), post=logged_in(**V)),
    Page("matching:posting_detail", args=own, get=everyone(), post=NOT_ALLOWED),
    Page("matching:posting_detail", args=anonymous, get=everyone(), post=NOT_ALLOWED),
    Page(
        "matching:posting_detail",
        args=cluster_only,
        get=only(*ORG_A_PEOPLE, "manager_a", "platform_admin", **V),
        post=NOT_ALLOWED,
    ),
    Page(
        "matching:posting_detail",
        args=draft,
        get=only(*ORG_A_PEOPLE, "platform_admin", **V),
        post=NOT_ALLOWED,
    ),
    Page(
        "matching:posting_edit",
        args=own,
        get=only(*ORG_A_PEOPLE, "platform_admin", **V),
        post=only(*ORG_A_PEOPLE, "platform_admin", **V),
    ),
    Page(
        "matching:posting_edit",
        args=anonymous,
        get=only("platform_admin", **V),
        post=only("platform_admin", **V),
    ),
    Page(
        "matching:posting_status",
        args=own,
        get=NOT_ALLOWED,
        post=only(*ORG_A_PEOPLE, "platform_admin", **V),
        data=lambda w: {"status": "closed"},
    ),
    Page(
        "matching:posting_status",
        args=anonymous,
        get=NOT_ALLOWED,
        post=only("platform_admin", **V),
        data=lambda w: {"status": "closed"},
    ),
    Page("matching:interest_create", args=own, get=NOT_ALLOWED, post=INTEREST_IN_A),
    Page("matching:interest_create", args=anonymous, get=NOT_ALLOWED, post=INTEREST_IN_B),
    Page(
        "matching:interest_create",
        args=cluster_only,
        get=NOT_ALLOWED,
        post=only("manager_a", **V),
    ),
    Page("matching:my_interests", get=logged_in(**V), post=NOT_ALLOWED),
    Page(
        "matching:interest_decide",
        args=lambda w: [w.interest_a.pk],
        get=NOT_ALLOWED,
        post=only("manager_a", "platform_admin", **V),
        data=lambda w: {"decision": "decline", "next": "https://evil.example/"},
    ),
    Page(
        "matching:interest_decide",
        args=lambda w: [w.interest_b.pk],
        get=NOT_ALLOWED,
        post=only("manager_b", "platform_admin", **V),
        data=lambda w: {"decision": "broker"},
    ),
    Page(
        "matching:organisation_partners",
        args=lambda w: [w.org_a.slug],
        get=everyone(),
        post=NOT_ALLOWED,
    ),
    Page(
        "matching:organisation_partners",
        args=lambda w: [w.org_b.slug],
        get=everyone(),
        post=NOT_ALLOWED,
    ),
    # --- API ---------------------------------------------------------------------------------
    Api("GET", "/api/marketplace/postings", expect=everyone()),
    Api("GET", "/api/marketplace/postings", query="?country=DEA4", expect=everyone()),
    Api(
        "GET",
        "/api/marketplace/postings/{posting_id}",
        params=lambda w: {"posting_id": w.own_posting.pk},
        expect=everyone(),
    ),
    Api(
        "GET",
        "/api/marketplace/postings/{posting_id}",
        params=lambda w: {"posting_id": w.anonymous_posting.pk},
        expect=everyone(),
    ),
    Api(
        "GET",
        "/api/marketplace/postings/{posting_id}",
        params=lambda w: {"posting_id": w.cluster_posting.pk},
        expect=everyone(
            anonymous=HIDDEN,
            unconfirmed=HIDDEN,
            manager_b=HIDDEN,
            revoked_manager=HIDDEN,
            juror=HIDDEN,
        ),
    ),
    Api(
        "GET",
        "/api/marketplace/postings/{posting_id}",
        params=lambda w: {"posting_id": w.draft_posting.pk},
        expect=everyone(
            anonymous=HIDDEN,
            unconfirmed=HIDDEN,
            manager_a=HIDDEN,
            manager_b=HIDDEN,
            revoked_manager=HIDDEN,
            juror=HIDDEN,
        ),
    ),
    Api(
        "POST",
        "/api/marketplace/postings",
        body=lambda w: {
            "organisation": w.org_a.slug,
            "kind": "tech_offer",
            "title": "Matrix API-Angebot",
            "description": "Laseroptik",
        },
        expect=only(*ORG_A_PEOPLE, **V),
    ),
    Api(
        "GET",
        "/api/marketplace/postings/{posting_id}/suggestions",
        params=lambda w: {"posting_id": w.anonymous_posting.pk},
        expect=everyone(),
    ),
    Api(
        "GET",
        "/api/marketplace/postings/{posting_id}/suggestions",
        params=lambda w: {"posting_id": w.draft_posting.pk},
        expect=everyone(
            anonymous=HIDDEN,
            unconfirmed=HIDDEN,
            manager_a=HIDDEN,
            manager_b=HIDDEN,
            revoked_manager=HIDDEN,
            juror=HIDDEN,
        ),
    ),
    # Interest for the office organisation of cluster A: only its people may act for it.
    Api(
        "POST",
        "/api/marketplace/postings/{posting_id}/interests",
        params=lambda w: {"posting_id": w.anonymous_posting.pk},
        body=lambda w: {"organisation": w.org_manager_a.slug, "message": "Interesse"},
        expect=only("manager_a", "revoked_manager", **V),
    ),
    Api(
        "POST",
        "/api/marketplace/postings/{posting_id}/interests",
        params=lambda w: {"posting_id": w.cluster_posting.pk},
        body=lambda w: {"organisation": w.org_manager_a.slug, "message": "Interesse"},
        expect=only(
            "manager_a",
            revoked_manager=HIDDEN,
            manager_b=HIDDEN,
            juror=HIDDEN,
            **V,
        ),
    ),
    Api(
        "GET",
        "/api/marketplace/organisations/{slug}/suggestions",
        params=lambda w: {"slug": w.org_b.slug},
        expect=everyone(),
    ),
]
