"""Demo data: one running open call ("open region") with hundreds of ideas and thousands of votes.

The call's questions follow the facts of the seed document about clusters opening up to actors from
other regions and fields; the texts are written for the demo. Deterministic (random.Random(seed)).
"""

import random
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from actors.models import Cluster, HelixType, Organisation, Person

from .models import Call, Comment, CommentReport, Criterion, GuidingQuestion, Idea, JuryMember, Vote

DEMO_SLUG = "offene-region-ideenwettbewerb"
DEMO_PASSWORD = "openregion-demo"

QUESTIONS = [
    "Welchen konkreten Nutzen hat Ihnen die Arbeit einer Clusterorganisation gebracht, und welche "
    "gelungenen Kooperationen – gern auch über Regions- und Branchengrenzen hinweg – können Sie "
    "nennen?",
    "Mit welchen neuen Werkzeugen könnten Cluster die Zusammenarbeit zwischen Regionen und "
    "Themenfeldern stärken, und was kann die Digitalisierung dazu beitragen?",
    "Wie lässt sich Innovationswissen, das außerhalb der Region, im Ausland oder nur online "
    "verfügbar ist, für die Unternehmen vor Ort nutzbar machen?",
    "Welche Vorhaben planen oder betreiben Sie bereits, und wie können sich andere daran "
    "beteiligen?",
    "Reichen Unterstützung und Mittel für Cluster und Netzwerke aus, und sind sie dauerhaft "
    "gesichert? Was sollte sich ändern?",
]

QUESTIONS_EN = [
    "What concrete benefit has the work of a cluster organisation brought you, and which "
    "successful collaborations – across regions and sectors, too – can you name?",
    "Which new tools could clusters use to strengthen collaboration between regions and "
    "fields, and what can digitalisation contribute?",
    "How can innovation knowledge that is available outside the region, abroad or only online "
    "be put to use by local companies?",
    "Which projects are you planning or already running, and how can others take part?",
    "Are support and funding for clusters and networks sufficient and secured for the long "
    "term? What should change?",
]

TITLE_EN = "From cluster to open region – we want your ideas"

DESCRIPTION_EN = (
    "Clusters and networks help small and medium-sized enterprises in particular to share "
    "resources, spot trends early and turn research results into products faster.\n\n"
    "For many companies, access to knowledge, professional proximity and value chains now count "
    "for more than physical proximity. Regional cluster initiatives are therefore to develop into "
    "an “open region”: open to partners from other regions and new fields, to customers and to "
    "civil society – supported by digital tools.\n\n"
    "We are looking for your ideas: from business, research, public administration and civil "
    "society."
)

DESCRIPTION = (
    "Cluster und Netzwerke helfen gerade kleinen und mittleren Unternehmen, gemeinsam Ressourcen zu "
    "nutzen, Trends früh zu erkennen und Forschungsergebnisse schneller in Produkte zu bringen.\n\n"
    "Für viele Unternehmen zählen heute Zugang zu Wissen, fachliche Nähe und Wertschöpfungsketten "
    "mehr als die räumliche Nähe. Deshalb sollen sich regionale Clusterinitiativen zur „offenen "
    "Region“ entwickeln: offen für Partner aus anderen Regionen und neuen Themenfeldern, für "
    "Kundinnen, Kunden und die Zivilgesellschaft – unterstützt durch digitale Werkzeuge.\n\n"
    "Wir suchen Ihre Ideen dafür: aus Unternehmen, Forschung, Verwaltung und Zivilgesellschaft."
)

CRITERIA = [
    ("Neuheit und Innovationsgrad", 3),
    ("Überregionale und branchenübergreifende Wirkung", 2),
    ("Umsetzbarkeit", 2),
    ("Nutzen für kleine und mittlere Unternehmen", 2),
]
CRITERIA_EN = [
    "Novelty and degree of innovation",
    "Impact across regions and sectors",
    "Feasibility",
    "Benefit for small and medium-sized enterprises",
]

TOPICS = [
    "Digitale Kooperationsbörse", "Virtueller Innovationsraum", "Regionsübergreifender Expertenpool",
    "Offene Werkstatt", "Mentoring-Netz", "Wissenstransfer-Scouts", "Cluster-Tandem",
    "Gemeinsame Datenplattform", "Reallabor", "Innovationsgutschein", "Fachkräfte-Austausch",
    "Hackathon-Reihe", "Bürgerwerkstatt", "Lieferketten-Netzwerk", "Patent-Sprechstunde",
    "Demonstrationszentrum", "Online-Sprechstunde mit Hochschulen", "Gründungs-Patenschaft",
]  # fmt: skip
FIELDS = [
    "für Wasserstoff", "für Kreislaufwirtschaft", "für die Gesundheitswirtschaft",
    "für den Maschinenbau", "für Künstliche Intelligenz im Mittelstand", "für Mobilität",
    "für Lebensmittel aus der Region", "für Energieeffizienz", "für Handwerk 4.0",
    "für Textil und Mode", "für die Kreativwirtschaft", "zwischen Nord und Süd",
]  # fmt: skip
AUDIENCES = [
    "", "in Ostwestfalen-Lippe", "für kleine Betriebe", "mit Hochschulen der Region",
    "für Auszubildende", "über Ländergrenzen hinweg", "im ländlichen Raum",
    "mit Bürgerbeteiligung", "für Gründerinnen und Gründer",
]  # fmt: skip


def idea_titles(rng, n: int) -> list[str]:
    """``n`` distinct, plausible titles ("Reallabor für Mobilität im ländlichen Raum"), drawn
    without repetition from topic × field × audience (1,944 combinations)."""
    combinations = [
        " ".join(part for part in (topic, field, audience) if part)
        for topic in TOPICS
        for field in FIELDS
        for audience in AUDIENCES
    ]
    if n > len(combinations):
        raise ValueError(f"At most {len(combinations)} distinct idea titles, {n} requested.")
    return rng.sample(combinations, n)


SUMMARIES = [
    "Unternehmen aus verschiedenen Regionen finden über ein gemeinsames Angebot schnell passende "
    "Partner und starten kleine Pilotprojekte.",
    "Forschungseinrichtungen öffnen ihre Labore einmal im Monat für Betriebe aus dem Netzwerk und "
    "darüber hinaus.",
    "Ein digitales Format bringt Fachleute aus dem Ausland mit Betrieben vor Ort zusammen.",
    "Bürgerinnen und Bürger testen neue Produkte früh und geben strukturiertes Feedback.",
    "Cluster verschiedener Branchen teilen Veranstaltungen, Daten und Ansprechpersonen.",
]
COMMENTS = [
    "Tolle Idee, das würden wir in unserem Betrieb sofort nutzen.",
    "Wie soll die Finanzierung nach der Pilotphase aussehen?",
    "Gibt es dafür schon Beispiele in anderen Regionen?",
    "Wir wären als Partner dabei.",
    "Bitte auch kleine Handwerksbetriebe mitdenken!",
]


def _pick_organisation(helix, rng):
    qs = Organisation.objects.filter(helix_type=helix).order_by("pk")
    count = qs.count()
    return qs[rng.randrange(count)] if count else None


@transaction.atomic
def seed(stdout=None, scale=False, seed=2026):
    def log(message):
        if stdout is not None:
            stdout.write(message)

    if Call.objects.filter(slug=DEMO_SLUG).exists():
        log("Open calls: demo call already present.")
        return
    rng = random.Random(seed)
    n_voters, n_ideas, n_votes = (3000, 1000, 50000) if scale else (600, 300, 5000)
    cluster = Cluster.objects.order_by("pk").first()
    organiser = (
        cluster.managing_organisation if cluster else None
    ) or Organisation.objects.order_by("pk").first()
    if organiser is None:
        log("Open calls: no organisations, skipped.")
        return
    manager = User.objects.filter(email="manager@openregion.example").first()
    now = timezone.now().replace(second=0, microsecond=0)
    day = timedelta(days=1)
    call = Call.objects.create(
        title="Vom Cluster zur offenen Region – Ihre Ideen sind gefragt",
        title_en=TITLE_EN,
        slug=DEMO_SLUG,
        description=DESCRIPTION,
        description_en=DESCRIPTION_EN,
        organiser=organiser,
        created_by=manager,
        is_published=True,
        submission_opens=now - 40 * day,
        submission_closes=now - 5 * day,
        voting_opens=now - 5 * day,
        voting_closes=now + 9 * day,
        jury_opens=now + 9 * day,
        jury_closes=now + 23 * day,
        results_on=now + 23 * day,
        implementation_opens=now + 30 * day,
        implementation_closes=now + 395 * day,
        shortlist_size=30,
        vote_budget=None,
    )
    GuidingQuestion.objects.bulk_create(
        GuidingQuestion(call=call, position=i, text=t, text_en=t_en)
        for i, (t, t_en) in enumerate(zip(QUESTIONS, QUESTIONS_EN, strict=True), 1)
    )
    Criterion.objects.bulk_create(
        Criterion(call=call, position=i, name=n, name_en=n_en, weight=w)
        for i, ((n, w), n_en) in enumerate(zip(CRITERIA, CRITERIA_EN, strict=True), 1)
    )

    password = make_password(DEMO_PASSWORD)
    emails = [f"buerger{n:04d}@demo.openregion.example" for n in range(n_voters)]
    existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    User.objects.bulk_create(
        User(
            email=e, full_name=f"Demo Teilnehmende {i:04d}", password=password, email_confirmed=True
        )
        for i, e in enumerate(emails)
        if e not in existing
    )
    voters = list(
        User.objects.filter(email__in=emails).order_by("email").values_list("pk", flat=True)
    )

    ideas = []
    titles = idea_titles(rng, n_ideas)
    for n in range(n_ideas):
        submitted = now - timedelta(minutes=rng.randrange(5 * 24 * 60, 40 * 24 * 60))
        status = Idea.Status.PUBLISHED
        if n % 50 == 7:
            status = Idea.Status.REJECTED
        elif n % 100 == 13:
            status = Idea.Status.SUBMITTED  # waiting for moderation
        ideas.append(
            Idea(
                call=call,
                author_id=voters[rng.randrange(len(voters))],
                title=titles[n],
                summary=rng.choice(SUMMARIES),
                status=status,
                rejection_reason="Kein Bezug zur Ausschreibung." if status == "rejected" else "",
                submitted_at=submitted,
            )
        )
    Idea.objects.bulk_create(ideas, batch_size=500)
    ideas = list(call.ideas.filter(status=Idea.Status.PUBLISHED).order_by("pk"))
    # Popularity follows a long tail: a few ideas collect most votes
    weights = [1.0 / (1 + (i % 97)) ** 0.8 for i in range(len(ideas))]
    pairs = set()
    attempts = 0
    while len(pairs) < n_votes and attempts < n_votes * 5:
        attempts += 1
        idea = rng.choices(range(len(ideas)), weights=weights)[0]
        voter = voters[rng.randrange(len(voters))]
        if ideas[idea].author_id != voter:
            pairs.add((voter, idea))
    Vote.objects.bulk_create(
        (Vote(voter_id=v, idea_id=ideas[i].pk, call=call) for v, i in sorted(pairs)),
        batch_size=2000,
    )
    counts = {}
    for _v, i in pairs:
        counts[i] = counts.get(i, 0) + 1
    for i, idea in enumerate(ideas):
        idea.vote_count = counts.get(i, 0)
    Idea.objects.bulk_update(ideas, ["vote_count"], batch_size=500)
    Comment.objects.bulk_create(
        Comment(idea=ideas[rng.randrange(min(len(ideas), 60))], author_id=rng.choice(voters),
                text=rng.choice(COMMENTS))
        for _ in range(n_ideas // 2)
    )  # fmt: skip

    reported = Comment.objects.create(
        idea=ideas[0], author_id=voters[-1], text="Kaufen Sie jetzt günstige Maschinen bei uns!"
    )
    CommentReport.objects.create(comment=reported, reporter_id=voters[0], reason="Werbung")

    # A jury from three helix groups; civil society is still missing (the manage page warns)
    for helix, email, name in [
        (HelixType.BUSINESS, "jury-wirtschaft@openregion.example", "Jana Jury (Wirtschaft)"),
        (HelixType.RESEARCH, "jury-forschung@openregion.example", "Jonas Jury (Forschung)"),
        (HelixType.PUBLIC, "jury-verwaltung@openregion.example", "Julia Jury (Verwaltung)"),
    ]:
        user, _created = User.objects.get_or_create(
            email=email, defaults={"full_name": name, "password": password, "email_confirmed": True}
        )
        organisation = _pick_organisation(helix, rng)
        if organisation is not None:
            # jurors work somewhere: their organisation gives their helix group on every call
            Person.objects.get_or_create(
                user=user,
                organisation=organisation,
                defaults={"full_name": name, "email": email, "job_title": "Jurymitglied"},
            )
        JuryMember.objects.get_or_create(
            call=call,
            user=user,
            defaults={"helix_type": helix, "organisation": organisation},
        )
    log(
        f"Open calls: demo call with {len(ideas)} published ideas, {len(pairs)} votes, "
        f"{len(voters)} voters; jurors jury-wirtschaft@, jury-forschung@, jury-verwaltung@"
    )
