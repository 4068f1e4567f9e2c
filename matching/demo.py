"""Demo marketplace: multilingual offers and requests, one German SME request in the first
cluster, a pending expression of interest for the cluster office, and all embeddings."""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from actors.models import (
    Cluster,
    ClusterRole,
    Membership,
    NaceSector,
    NutsRegion,
    Organisation,
)

from . import suggestions
from .models import Interest, Posting, PostingKind, PostingStatus, Visibility

# (kind, title, description, sector codes, keyword to find a fitting organisation)
TEMPLATES = [
    (PostingKind.TECHNOLOGY_OFFER, "Modular battery packs for light electric vehicles",
     "We offer modular lithium-ion battery systems with integrated thermal management for e-bikes, "
     "cargo bikes and small electric vehicles, ready for licensing or joint development.",
     ["C27", "C29"], "battery systems"),
    (PostingKind.TECHNOLOGY_OFFER, "Systèmes de batteries pour la mobilité électrique",
     "Nous proposons des systèmes de batteries et une gestion thermique pour véhicules électriques. "
     "Nous cherchons des partenaires industriels pour des projets pilotes.",
     ["C27", "C29"], "electric mobility"),
    (PostingKind.RD_PARTNER, "Research partner for autonomous driving sensor fusion",
     "University lab seeks companies to test sensor fusion and perception software for autonomous "
     "driving in real traffic pilots.", ["M72", "C29"], "autonomous driving"),
    (PostingKind.TECHNOLOGY_REQUEST, "KI-gestützte Qualitätsprüfung in der Fertigung gesucht",
     "Wir suchen eine Lösung für die automatische optische Qualitätsprüfung von Präzisionsteilen mit "
     "Bildverarbeitung und künstlicher Intelligenz.", ["C28", "J62"], "machine vision"),
    (PostingKind.TECHNOLOGY_OFFER, "Machine vision for inline inspection",
     "Our laser and camera based machine vision system inspects precision parts inline at full line "
     "speed. Looking for manufacturers as pilot users.", ["C26"], "machine vision"),
    (PostingKind.SUPPLIER, "Supplier for additive manufacturing of metal parts",
     "We need a supplier for small series of 3D printed metal parts (additive manufacturing) for "
     "special machinery.", ["C25", "C28"], "additive manufacturing"),
    (PostingKind.BUSINESS_COOPERATION, "Współpraca w zakresie cyberbezpieczeństwa",
     "Firma z Warszawy oferuje usługi bezpieczeństwa IT i chmury obliczeniowej dla małych i średnich "
     "przedsiębiorstw. Szukamy partnerów w Niemczech.", ["J62", "J63"], "IT security"),
    (PostingKind.PROJECT_IDEA, "Hydrogen valley: local electrolysers for logistics fleets",
     "Project idea for a regional hydrogen hub: electrolysis from wind energy, refuelling stations and "
     "fuel cell trucks for logistics companies. Partners from energy, logistics and research wanted.",
     ["D35", "H49"], "hydrogen"),
    (PostingKind.RD_PARTNER, "Partner für Wasserstoffspeicher im Horizon-Europe-Antrag",
     "Wir bereiten einen Antrag zu Wasserstoffspeichern und Energieeffizienz vor und suchen "
     "Forschungseinrichtungen und Unternehmen aus Europa.", ["D35", "M72"], "hydrogen"),
    (PostingKind.TECHNOLOGY_OFFER, "Digital health platform for remote patient monitoring",
     "Medical device start-up offers a certified platform for remote monitoring and diagnostics; "
     "looking for clinics and care providers for pilots.", ["C32", "Q86"], "digital health"),
    (PostingKind.TECHNOLOGY_REQUEST, "Recyclable packaging made from bio-based materials",
     "Food producer looks for bio-based, recyclable packaging and circular economy solutions.",
     ["C10", "C22"], "packaging"),
    (PostingKind.BUSINESS_COOPERATION, "Coopération pour textiles intelligents",
     "Entreprise lyonnaise de textiles techniques cherche des partenaires pour des textiles "
     "intelligents avec capteurs intégrés.", ["C13"], "smart textiles"),
    (PostingKind.PROJECT_IDEA, "Smart-City-Reallabor mit LoRaWAN-Sensorik",
     "Die Stadt plant ein Reallabor mit LoRaWAN-Sensoren für Verkehr, Luftqualität und Parken und "
     "sucht Unternehmen und Hochschulen als Partner.", ["J61", "O84"], "LoRaWAN"),
    (PostingKind.TECHNOLOGY_OFFER, "Lightweight composites for vehicle bodies",
     "Carbon fibre composites and lightweight design for automotive parts, from simulation to "
     "small series.", ["C22", "C29"], "lightweight design"),
]  # fmt: skip

HIGHLIGHT = (
    PostingKind.RD_PARTNER,
    "Partner für Batteriesysteme in Elektrofahrzeugen gesucht",
    "Wir sind ein mittelständischer Zulieferer und entwickeln Batteriesysteme mit Thermomanagement "
    "für Elektrofahrzeuge. Für ein gemeinsames Entwicklungsprojekt suchen wir Partner aus Forschung "
    "und Industrie, auch aus dem europäischen Ausland, mit Erfahrung in Elektromobilität, "
    "Zellchemie und Leichtbau.",
    ["C29", "C27"],
)


@transaction.atomic
def seed(stdout=None, scale=False, seed_value=2026):
    rng = random.Random(seed_value)
    if Posting.objects.exists():
        return
    clusters = list(Cluster.objects.order_by("pk"))
    if not clusters:
        return
    sectors = {s.code: s for s in NaceSector.objects.filter(level=2)}
    now = timezone.now()
    postings = []

    def add(org, kind, title, description, codes, visibility=Visibility.PUBLIC, cluster=None):
        membership = (
            Membership.objects.filter(organisation=org, status="active")
            .select_related("cluster")
            .first()
        )
        posting = Posting.objects.create(
            organisation=org,
            cluster=cluster or (membership.cluster if membership else None),
            kind=kind,
            title=title,
            description=description,
            deadline=(now + timedelta(days=rng.randint(20, 200))).date(),
            visibility=visibility if (cluster or membership) else Visibility.PUBLIC,
            status=PostingStatus.PUBLISHED,
            published_at=now - timedelta(days=rng.randint(0, 60)),
        )
        posting.sectors.set([sectors[c] for c in codes if c in sectors])
        postings.append(posting)
        return posting

    first = clusters[0]
    orgadmin_role = (
        ClusterRole.objects.filter(
            cluster=first,
            role=ClusterRole.Role.MEMBER_ORG_ADMIN,
            user__email__startswith="orgadmin@",
        )
        .select_related("organisation", "user")
        .first()
    )
    german_smes = Organisation.objects.filter(
        memberships__cluster=first,
        helix_type="business",
        is_sme=True,
        region__code__startswith="DE",
    ).order_by("pk")
    # The demo org admin's own organisation (one per demo account; the actors demo gives them a
    # German SME), so the walkthrough can log in as the highlight's author.
    highlight_org = (orgadmin_role.organisation if orgadmin_role else None) or (
        german_smes.filter(description_en__icontains="battery").first()
        or german_smes.filter(description_en__icontains="mobility").first()
        or german_smes.first()
    )
    highlight = None
    if highlight_org:
        kind, title, description, codes = HIGHLIGHT
        highlight = add(highlight_org, kind, title, description, codes, cluster=first)
        if orgadmin_role:
            highlight.author = orgadmin_role.user
            highlight.save(update_fields=["author"])
        regions = list(NutsRegion.objects.filter(code__in=["AT", "FR", "NL", "PL", "ES", "IT"]))
        highlight.regions_sought.set(regions)

    repeats = 20 if scale else 3
    used = set()
    for round_ in range(repeats):
        for kind, title, description, codes, keyword in TEMPLATES:
            candidates = list(
                Organisation.objects.filter(description_en__icontains=keyword)
                .exclude(pk__in=used)
                .order_by("pk")
                .values_list("pk", flat=True)[:50]
            )
            if not candidates:
                continue
            org = Organisation.objects.get(pk=rng.choice(candidates))
            used.add(org.pk)
            visibility = rng.choice(
                [Visibility.PUBLIC, Visibility.PUBLIC, Visibility.CLUSTER, Visibility.ANONYMOUS]
            )
            suffix = "" if round_ == 0 else f" ({org.city})"
            add(org, kind, f"{title}{suffix}", description, codes, visibility)

    # A pending expression of interest for the first cluster's office to broker.
    member_role = (
        ClusterRole.objects.filter(cluster=first, user__email__startswith="member@")
        .select_related("organisation")
        .first()
    )
    if highlight and member_role and member_role.organisation_id != highlight.organisation_id:
        Interest.objects.create(
            posting=highlight,
            organisation=member_role.organisation,
            user=member_role.user,
            message="Wir haben Erfahrung mit Zellchemie und würden gern mitarbeiten.",
        )
    n_orgs = suggestions.embed_organisations()
    n_postings = suggestions.embed_postings()
    if stdout:
        stdout.write(
            f"{len(postings)} marketplace postings; embeddings for {n_orgs} organisations and "
            f"{n_postings} postings"
        )
