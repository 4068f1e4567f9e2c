"""Generates a realistic demo ecosystem: clusters, organisations of all four helix groups, people,
memberships, collaborations and demo accounts. Deterministic for a given seed."""

import random
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User

from .models import (
    Cluster,
    ClusterRole,
    Collaboration,
    Competence,
    HelixType,
    Membership,
    NaceSector,
    NutsRegion,
    Organisation,
    Person,
)
from .text import normalise_for_search

DEMO_PASSWORD = "openregion-demo"


@dataclass(frozen=True)
class Theme:
    key: str
    field_de: str
    field_en: str
    divisions: tuple[str, ...]
    competence_words: tuple[str, ...]
    words_de: tuple[str, ...]
    words_en: tuple[str, ...]
    name_stems: tuple[str, ...]


THEMES = [
    Theme(
        "mobility",
        "Automobil und Mobilität",
        "Automotive and mobility",
        ("C29", "C30", "C22", "M71", "H49"),
        ("battery", "electromobility", "lightweight", "autonomous", "mobility"),
        ("Elektromobilität", "Batteriesysteme", "Leichtbau", "autonomes Fahren", "Zulieferteile"),
        (
            "electric mobility",
            "battery systems",
            "lightweight design",
            "autonomous driving",
            "automotive parts",
        ),
        ("Drive", "Motion", "Auto", "Mobil", "Volt"),
    ),
    Theme(
        "production",
        "Maschinenbau und Industrie 4.0",
        "Mechanical engineering and Industry 4.0",
        ("C28", "C25", "C27", "C33", "M71"),
        ("robot", "additive", "automation", "sensor", "industry-4", "machine"),
        (
            "Sondermaschinenbau",
            "Robotik",
            "Automatisierung",
            "Präzisionsteile",
            "additive Fertigung",
        ),
        (
            "special machinery",
            "robotics",
            "automation",
            "precision parts",
            "additive manufacturing",
        ),
        ("Präzision", "Technik", "Maschinen", "Robotics", "Automation", "Antrieb"),
    ),
    Theme(
        "digital",
        "Digitalwirtschaft und KI",
        "Digital economy and AI",
        ("J62", "J63", "J61", "J58", "M72"),
        ("artificial", "cyber", "data", "cloud", "software", "iot", "blockchain"),
        (
            "Softwareentwicklung",
            "Künstliche Intelligenz",
            "IT-Sicherheit",
            "Cloud-Dienste",
            "Datenanalyse",
        ),
        (
            "software development",
            "artificial intelligence",
            "IT security",
            "cloud services",
            "data analytics",
        ),
        ("Data", "Soft", "Cloud", "Code", "Byte", "Logic"),
    ),
    Theme(
        "health",
        "Gesundheitswirtschaft und Medizintechnik",
        "Health economy and medical technology",
        ("C32", "C21", "Q86", "M72", "C26"),
        ("medical", "health", "pharma", "biotech", "care"),
        (
            "Medizintechnik",
            "digitale Gesundheit",
            "Diagnostik",
            "Pflegeinnovation",
            "Biotechnologie",
        ),
        ("medical devices", "digital health", "diagnostics", "care innovation", "biotechnology"),
        ("Med", "Vita", "Care", "Bio", "Salus"),
    ),
    Theme(
        "energy",
        "Energie und Wasserstoff",
        "Energy and hydrogen",
        ("D35", "C27", "F43", "M71", "E38"),
        ("hydrogen", "energy", "solar", "wind", "storage", "grid"),
        ("Wasserstoff", "Energieeffizienz", "Photovoltaik", "Windenergie", "Speichertechnik"),
        ("hydrogen", "energy efficiency", "photovoltaics", "wind energy", "storage technology"),
        ("Energie", "Solar", "Wind", "H2", "Power"),
    ),
    Theme(
        "photonics",
        "Optische Technologien und Photonik",
        "Optical technologies and photonics",
        ("C26", "C27", "M72", "C23"),
        ("photonic", "laser", "optic", "sensor", "quantum"),
        ("Lasertechnik", "Optik", "Sensorik", "Bildverarbeitung", "Quantentechnologie"),
        ("laser technology", "optics", "sensor technology", "machine vision", "quantum technology"),
        ("Optik", "Laser", "Photon", "Lux", "Vision"),
    ),
    Theme(
        "bioeconomy",
        "Bioökonomie und Ernährung",
        "Bioeconomy and food",
        ("A01", "C10", "C11", "M72", "C20"),
        ("food", "bioeconomy", "agri", "packaging", "circular"),
        (
            "Lebensmitteltechnologie",
            "nachhaltige Landwirtschaft",
            "Bioökonomie",
            "Verpackung",
            "Kreislaufwirtschaft",
        ),
        (
            "food technology",
            "sustainable agriculture",
            "bioeconomy",
            "packaging",
            "circular economy",
        ),
        ("Agrar", "Nature", "Food", "Grün", "Harvest"),
    ),
    Theme(
        "logistics",
        "Logistik",
        "Logistics",
        ("H49", "H52", "H53", "G46", "J62"),
        ("logistic", "supply", "warehouse", "mobility", "iot"),
        ("Kontraktlogistik", "Lagertechnik", "Lieferketten", "Intralogistik", "Letzte Meile"),
        (
            "contract logistics",
            "warehouse technology",
            "supply chains",
            "intralogistics",
            "last mile",
        ),
        ("Logistik", "Cargo", "Trans", "Log", "Fracht"),
    ),
    Theme(
        "creative",
        "Kultur- und Kreativwirtschaft",
        "Cultural and creative industries",
        ("J59", "J58", "M73", "M74", "R90"),
        ("design", "media", "gaming", "creative", "virtual"),
        ("Design", "Games", "Medienproduktion", "virtuelle Realität", "Kommunikation"),
        ("design", "games", "media production", "virtual reality", "communication"),
        ("Studio", "Kreativ", "Media", "Pixel", "Werk"),
    ),
    Theme(
        "smartcity",
        "Smart City und Bauen",
        "Smart city and construction",
        ("F41", "F42", "M71", "J61", "O84"),
        ("smart-city", "lorawan", "building", "construction", "urban", "wood"),
        ("Smart City", "LoRaWAN", "digitales Bauen", "Holzbau", "Stadtentwicklung"),
        (
            "smart city",
            "LoRaWAN",
            "digital construction",
            "timber construction",
            "urban development",
        ),
        ("Bau", "Urban", "Stadt", "Haus", "Struktur"),
    ),
    Theme(
        "materials",
        "Chemie und neue Werkstoffe",
        "Chemistry and advanced materials",
        ("C20", "C22", "C24", "M72", "C23"),
        ("material", "chemi", "plastic", "composite", "nano", "coating"),
        (
            "Kunststofftechnik",
            "Verbundwerkstoffe",
            "Oberflächen",
            "Nanomaterialien",
            "grüne Chemie",
        ),
        (
            "plastics engineering",
            "composites",
            "surface technology",
            "nanomaterials",
            "green chemistry",
        ),
        ("Chem", "Material", "Poly", "Compo", "Nano"),
    ),
    Theme(
        "textile",
        "Textil und Bekleidung",
        "Textiles and clothing",
        ("C13", "C14", "C15", "M74"),
        ("textile", "circular", "design", "material"),
        ("technische Textilien", "Smart Textiles", "nachhaltige Mode", "Recycling von Fasern"),
        ("technical textiles", "smart textiles", "sustainable fashion", "fibre recycling"),
        ("Textil", "Faser", "Tex", "Web", "Garn"),
    ),
]

CITIES = {
    "DE11": ["Stuttgart", "Esslingen", "Ludwigsburg", "Böblingen"],
    "DE12": ["Karlsruhe", "Mannheim", "Heidelberg", "Pforzheim"],
    "DE13": ["Freiburg im Breisgau", "Offenburg", "Lörrach"],
    "DE14": ["Tübingen", "Reutlingen", "Ulm", "Ravensburg"],
    "DE21": ["München", "Ingolstadt", "Rosenheim"],
    "DE22": ["Landshut", "Passau"],
    "DE23": ["Regensburg", "Amberg"],
    "DE24": ["Bayreuth", "Bamberg", "Hof"],
    "DE25": ["Nürnberg", "Erlangen", "Fürth"],
    "DE26": ["Würzburg", "Schweinfurt"],
    "DE27": ["Augsburg", "Kempten"],
    "DE30": ["Berlin"],
    "DE40": ["Potsdam", "Cottbus", "Frankfurt (Oder)"],
    "DE50": ["Bremen", "Bremerhaven"],
    "DE60": ["Hamburg"],
    "DE71": ["Darmstadt", "Frankfurt am Main", "Wiesbaden", "Offenbach"],
    "DE72": ["Gießen", "Marburg"],
    "DE73": ["Kassel", "Fulda"],
    "DE80": ["Rostock", "Schwerin", "Greifswald"],
    "DE91": ["Braunschweig", "Wolfsburg", "Göttingen"],
    "DE92": ["Hannover", "Hildesheim"],
    "DE93": ["Lüneburg", "Celle"],
    "DE94": ["Oldenburg", "Osnabrück", "Emden"],
    "DEA1": ["Düsseldorf", "Duisburg", "Essen", "Krefeld"],
    "DEA2": ["Köln", "Bonn", "Aachen", "Leverkusen"],
    "DEA3": ["Münster", "Gelsenkirchen"],
    "DEA4": ["Bielefeld", "Paderborn", "Detmold", "Gütersloh"],
    "DEA5": ["Dortmund", "Bochum", "Hagen", "Siegen"],
    "DEB1": ["Koblenz"],
    "DEB2": ["Trier"],
    "DEB3": ["Mainz", "Kaiserslautern", "Ludwigshafen"],
    "DEC0": ["Saarbrücken"],
    "DED2": ["Dresden", "Görlitz"],
    "DED4": ["Chemnitz", "Zwickau"],
    "DED5": ["Leipzig"],
    "DEE0": ["Magdeburg", "Halle (Saale)"],
    "DEF0": ["Kiel", "Lübeck", "Flensburg"],
    "DEG0": ["Erfurt", "Jena", "Weimar", "Ilmenau"],
}
FOREIGN = [  # (NUTS-2 prefix, cities, legal forms, research name pattern)
    ("AT13", ["Wien"], ["GmbH", "AG"], "Technische Forschungsanstalt {city}"),
    ("AT22", ["Graz"], ["GmbH"], "Forschungszentrum {city}"),
    ("FR10", ["Paris", "Saclay"], ["SAS", "SA"], "Institut de recherche de {city}"),
    ("FRK2", ["Lyon", "Grenoble"], ["SAS", "SARL"], "Université de {city}"),
    ("NL32", ["Amsterdam"], ["B.V."], "{city} Research Institute"),
    ("NL41", ["Eindhoven"], ["B.V."], "{city} University of Technology"),
    ("BE21", ["Antwerpen"], ["NV", "BV"], "Onderzoekscentrum {city}"),
    ("DK01", ["København"], ["A/S", "ApS"], "{city} Innovation Lab"),
    ("PL91", ["Warszawa"], ["sp. z o.o.", "S.A."], "Instytut Badawczy {city}"),
    ("ES51", ["Barcelona"], ["S.L.", "S.A."], "Centre de Recerca {city}"),
    ("ITC4", ["Milano"], ["S.r.l.", "S.p.A."], "Politecnico di {city}"),
    ("SE11", ["Stockholm"], ["AB"], "{city} Institute of Technology"),
    ("FI1B", ["Helsinki", "Espoo"], ["Oy"], "{city} Research Centre"),
    ("CZ01", ["Praha"], ["s.r.o.", "a.s."], "Výzkumný ústav {city}"),
]
FAMILY_NAMES = [
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Koch",
    "Richter",
    "Klein",
    "Wolf",
    "Neumann",
    "Schwarz",
    "Zimmermann",
    "Braun",
    "Krüger",
    "Hofmann",
    "Hartmann",
    "Lange",
    "Werner",
    "Krause",
    "Lehmann",
    "Köhler",
    "Yilmaz",
    "Nowak",
    "Kowalski",
    "Rossi",
    "Dubois",
    "Jansen",
    "Nielsen",
    "Virtanen",
]
GIVEN_NAMES = [
    "Anna",
    "Lena",
    "Sophie",
    "Marie",
    "Laura",
    "Julia",
    "Sarah",
    "Fatma",
    "Katharina",
    "Mia",
    "Lukas",
    "Jonas",
    "Felix",
    "Leon",
    "Paul",
    "Max",
    "Tobias",
    "Mehmet",
    "Jan",
    "Thomas",
    "Stefan",
]
JOB_TITLES = [
    "Geschäftsführung",
    "Leitung Forschung und Entwicklung",
    "Innovationsmanagement",
    "Technologietransfer",
    "Vertrieb",
    "Projektleitung",
    "Wirtschaftsförderung",
]
LEGAL_DE = ["GmbH", "GmbH", "GmbH & Co. KG", "AG", "KG", "UG (haftungsbeschränkt)"]
SUFFIXES = [
    "Systems",
    "Solutions",
    "Technik",
    "Tech",
    "Labs",
    "Werke",
    "Engineering",
    "Consult",
    "Innovations",
]
RESEARCH_PATTERNS = [
    "Hochschule {city}",
    "Technische Hochschule {city}",
    "Universität {city} – Institut für {topic}",
    "Forschungsinstitut für {topic} {city}",
    "Kompetenzzentrum {topic} {city}",
    "Berufskolleg {city}",
]
PUBLIC_PATTERNS = [
    "Wirtschaftsförderung {city}",
    "Stadt {city} – Amt für Digitalisierung",
    "Landkreis {city} – Regionalentwicklung",
    "Technologiezentrum {city}",
    "IHK-Innovationsberatung {city}",
]
CIVIL_PATTERNS = [
    "{topic} Initiative {city} e.V.",
    "Bürgerstiftung {city}",
    "Makerspace {city} e.V.",
    "Netzwerk {topic} {city} e.V.",
    "Verbraucherinitiative {city}",
    "FabLab {city} e.V.",
]
GOALS = [
    (
        "Mehr gemeinsame Forschungs- und Entwicklungsprojekte von KMU und Hochschulen anstoßen",
        "Start more joint R&D projects between SMEs and universities",
    ),
    (
        "Fachkräfte in der Region gewinnen und weiterbilden",
        "Attract and train skilled staff in the region",
    ),
    (
        "Überregionale und internationale Partnerschaften aufbauen",
        "Build partnerships beyond the region and abroad",
    ),
    (
        "Bürgerinnen und Bürger in Innovationsprozesse einbinden",
        "Involve citizens in innovation processes",
    ),
    ("Gründungen im Innovationsfeld unterstützen", "Support start-ups in the innovation field"),
    (
        "Die digitale und ökologische Transformation der Mitglieder begleiten",
        "Accompany members through the digital and green transition",
    ),
]


def size_class(employees: int) -> str:
    """EU size classes by head count: micro < 10, small < 50, medium < 250, large."""
    if employees < 10:
        return "micro"
    if employees < 50:
        return "small"
    if employees < 250:
        return "medium"
    return "large"


# How an organisation of each size class calls itself (German: "Unternehmen" is neuter, the other
# kinds are feminine)
SIZE_BUSINESS_DE = {
    "micro": "Kleinstunternehmen",
    "small": "Kleines Unternehmen",
    "medium": "Mittelständisches Unternehmen",
    "large": "Großunternehmen",
}
SIZE_BUSINESS_EN = {
    "micro": "Micro-enterprise",
    "small": "Small company",
    "medium": "Medium-sized company",
    "large": "Large company",
}
SIZE_ADJECTIVE_DE = {
    "micro": "Sehr kleine",
    "small": "Kleine",
    "medium": "Mittelgroße",
    "large": "Große",
}
SIZE_ADJECTIVE_EN = {
    "micro": "Very small",
    "small": "Small",
    "medium": "Medium-sized",
    "large": "Large",
}


def _employees(rng, helix, is_sme) -> int:
    """Head counts as in a regional register: most SMEs are micro or small firms."""
    if helix == HelixType.BUSINESS:
        if not is_sme:
            return rng.randint(250, 12000)
        band = rng.choices([(3, 9), (10, 49), (50, 249)], [0.45, 0.35, 0.2])[0]
        return rng.randint(*band)
    if helix == HelixType.RESEARCH:
        return rng.randint(30, 4000)
    if helix == HelixType.PUBLIC:
        return rng.randint(8, 600)
    return rng.randint(2, 45)


def _pick_region_code(rng, cluster_region_code, german_codes):
    roll = rng.random()
    if roll < 0.65:
        return cluster_region_code
    if roll < 0.88:
        return rng.choice(german_codes)
    return rng.choice(FOREIGN)[0]


class DemoBuilder:
    def __init__(self, *, clusters: int, organisations: int, seed: int = 2026, stdout=None):
        self.n_clusters = clusters
        self.n_organisations = organisations
        self.rng = random.Random(seed)
        self.stdout = stdout
        self.used_slugs: set[str] = set(Organisation.objects.values_list("slug", flat=True))
        self.used_names: set[str] = set(Organisation.objects.values_list("name", flat=True))

    def log(self, text):
        if self.stdout:
            self.stdout.write(text)

    @staticmethod
    def _organisation_name(rng, helix, theme, city, foreign_entry, double=False):
        """A plausible name for an organisation of ``helix`` in ``city`` and whether it is an
        SME; ``double``: a company named after two families (a much larger name space)."""
        topic = (
            rng.choice(theme.words_de if not foreign_entry else theme.words_en)
            .split()[-1]
            .capitalize()
        )
        if helix == HelixType.BUSINESS:
            stem = rng.choice(theme.name_stems)
            family = rng.choice(FAMILY_NAMES)
            legal = rng.choice(foreign_entry[2]) if foreign_entry else rng.choice(LEGAL_DE)
            style = rng.random()
            if double:
                name = f"{family} & {rng.choice(FAMILY_NAMES)} {stem} {legal}"
            elif style < 0.4:
                name = f"{family} {stem}{rng.choice(SUFFIXES).lower() if rng.random() < 0.3 else ' ' + rng.choice(SUFFIXES)} {legal}"
            elif style < 0.7:
                name = f"{city.split()[0]} {stem} {rng.choice(SUFFIXES)} {legal}"
            else:
                name = f"{stem}{rng.choice(['ix', 'on', 'ova', 'ium', 'tec', 'lab'])} {legal}"
            return name, rng.random() < 0.85
        if helix == HelixType.RESEARCH:
            pattern = foreign_entry[3] if foreign_entry else rng.choice(RESEARCH_PATTERNS)
            return pattern.format(city=city, topic=topic), False
        if helix == HelixType.PUBLIC:
            if foreign_entry:
                return f"City of {city} – Innovation Office", False
            return rng.choice(PUBLIC_PATTERNS).format(city=city), False
        if foreign_entry:
            return f"{topic} Community {city}", False
        return rng.choice(CIVIL_PATTERNS).format(city=city, topic=topic), False

    @transaction.atomic
    def build(self):
        rng = self.rng
        regions = {r.code: r for r in NutsRegion.objects.all()}
        sectors = {s.code: s for s in NaceSector.objects.filter(level=2)}
        competences = list(Competence.objects.all())
        german_codes = [c for c in CITIES if c in regions]
        foreign = [f for f in FOREIGN if f[0] in regions]
        if not german_codes or not sectors:
            raise RuntimeError("Reference data missing: run the migrations first.")

        theme_competences = {
            t.key: [c for c in competences if any(w in c.slug for w in t.competence_words)]
            or competences[:5]
            for t in THEMES
        }

        # Clusters and their management organisations
        clusters = []
        for i in range(self.n_clusters):
            theme = THEMES[i % len(THEMES)]
            region_code = german_codes[(i * 7) % len(german_codes)]
            city = rng.choice(CITIES[region_code])
            suffix = "" if i < len(THEMES) * len(german_codes) else f" {i}"
            name_de = f"{theme.field_de} {city}{suffix}"
            if any(c[3] == name_de for c in clusters):
                name_de = f"{name_de} {i + 1}"
            clusters.append((theme, region_code, city, name_de))

        organisations: list[Organisation] = []
        org_sectors: list[tuple[int, NaceSector]] = []
        org_competences: list[tuple[int, Competence]] = []
        org_theme: list[Theme] = []
        org_home_cluster: list[int] = []

        def new_org(name, helix, region_code, city, theme, is_sme, cluster_index):
            # Names are unique (the generator below draws until it finds an unused one); a
            # register tells same-named organisations apart by their seat.
            if name in self.used_names:
                name = f"{name}, {city}"
            if name in self.used_names:
                raise RuntimeError(f"Demo organisation name used twice: {name}")
            self.used_names.add(name)
            chosen_sectors = [
                sectors[c]
                for c in rng.sample(theme.divisions, k=min(2, len(theme.divisions)))
                if c in sectors
            ]
            if helix == HelixType.RESEARCH and "M72" in sectors:
                chosen_sectors = [sectors["M72"], *chosen_sectors[:1]]
            if helix == HelixType.PUBLIC and "O84" in sectors:
                chosen_sectors = [sectors["O84"]]
            if helix == HelixType.CIVIL and "S94" in sectors:
                chosen_sectors = [sectors["S94"]]
            pool = theme_competences[theme.key]
            chosen_comp = rng.sample(pool, k=min(len(pool), rng.randint(2, 4)))
            if rng.random() < 0.3:
                chosen_comp.append(rng.choice(competences))
            focus = rng.sample(range(len(theme.words_de)), k=min(2, len(theme.words_de)))
            de_words = " und ".join(theme.words_de[j] for j in focus)
            en_words = " and ".join(theme.words_en[j] for j in focus)
            is_foreign = not region_code.startswith("DE")
            kind_de, kind_en = {
                HelixType.BUSINESS: ("Unternehmen", "company"),
                HelixType.RESEARCH: (
                    "Forschungs- und Bildungseinrichtung",
                    "research and education institution",
                ),
                HelixType.PUBLIC: ("öffentliche Einrichtung", "public body"),
                HelixType.CIVIL: (
                    "zivilgesellschaftliche Organisation",
                    "civil-society organisation",
                ),
            }[helix]
            employees = _employees(rng, helix, is_sme)
            size = size_class(employees)
            if helix == HelixType.BUSINESS:
                who_de, who_en = SIZE_BUSINESS_DE[size], SIZE_BUSINESS_EN[size]
            else:
                who_de = f"{SIZE_ADJECTIVE_DE[size]} {kind_de}"
                who_en = f"{SIZE_ADJECTIVE_EN[size]} {kind_en}"
            description_en = (
                f"{who_en} in {city} working on {en_words} "
                f"in the field of {theme.field_en.lower()}. We look for partners for pilots, joint projects "
                f"and transfer of results."
            )
            description_de = (
                ""
                if is_foreign
                else (
                    f"{who_de} aus {city} mit Schwerpunkt {de_words} "
                    f"im Feld {theme.field_de}. Wir suchen Partner für Pilotprojekte, gemeinsame Vorhaben und "
                    f"den Transfer von Ergebnissen."
                )
            )
            slug = base = slugify(name)[:240] or "organisation"
            n = 2
            while slug in self.used_slugs:
                slug = f"{base}-{n}"
                n += 1
            self.used_slugs.add(slug)
            org = Organisation(
                name=name,
                slug=slug,
                helix_type=helix,
                is_sme=is_sme,
                region=regions[region_code],
                city=city,
                description_de=description_de,
                description_en=description_en,
                website=f"https://www.{slug[:40]}.example",
                employees=employees,
                founded=rng.randint(1950, 2024),
                verified_at=timezone.now(),  # the demo ecosystem is a known, verified register
            )
            org.search_document = normalise_for_search(
                " ".join(
                    [
                        name,
                        city,
                        description_de,
                        description_en,
                        regions[region_code].name,
                        *[f"{s.code} {s.name_de} {s.name_en}" for s in chosen_sectors],
                        *[f"{c.name_de} {c.name_en}" for c in chosen_comp],
                    ]
                )
            )
            index = len(organisations)
            organisations.append(org)
            org_sectors.extend((index, s) for s in chosen_sectors)
            org_competences.extend((index, c) for c in set(chosen_comp))
            org_theme.append(theme)
            org_home_cluster.append(cluster_index)
            return index

        managing_index = []
        for ci, (theme, region_code, city, name) in enumerate(clusters):
            managing_index.append(
                new_org(
                    f"Clustermanagement {name}",
                    HelixType.CIVIL if ci % 3 else HelixType.PUBLIC,
                    region_code,
                    city,
                    theme,
                    True,
                    ci,
                )
            )

        helix_weights = [
            (HelixType.BUSINESS, 0.68),
            (HelixType.RESEARCH, 0.14),
            (HelixType.PUBLIC, 0.09),
            (HelixType.CIVIL, 0.09),
        ]
        while len(organisations) < self.n_organisations:
            ci = rng.randrange(len(clusters))
            theme, cluster_region, _, _ = clusters[ci]
            region_code = _pick_region_code(rng, cluster_region, german_codes)
            foreign_entry = next((f for f in foreign if f[0] == region_code), None)
            if region_code not in regions:
                region_code = cluster_region
                foreign_entry = None
            helix = rng.choices([h for h, _ in helix_weights], [w for _, w in helix_weights])[0]
            # Draw until the name is unused (a register has one "Hochschule Bielefeld"); an
            # institution kind exhausted for the region gives way to a company.
            for attempt in range(400):
                if attempt == 12:
                    helix = HelixType.BUSINESS
                city = rng.choice(foreign_entry[1] if foreign_entry else CITIES[region_code])
                name, is_sme = self._organisation_name(
                    rng, helix, theme, city, foreign_entry, double=attempt >= 200
                )
                if name not in self.used_names:
                    break
            else:
                raise RuntimeError("No unused organisation name found.")
            new_org(name, helix, region_code, city, theme, is_sme, ci)

        Organisation.objects.bulk_create(organisations, batch_size=1000)
        saved = list(
            Organisation.objects.filter(slug__in=[o.slug for o in organisations]).only("id", "slug")
        )
        id_by_slug = {o.slug: o.id for o in saved}
        ids = [id_by_slug[o.slug] for o in organisations]
        SectorLink = Organisation.sectors.through
        SectorLink.objects.bulk_create(
            [SectorLink(organisation_id=ids[i], nacesector_id=s.id) for i, s in set(org_sectors)],
            batch_size=2000,
            ignore_conflicts=True,
        )
        CompetenceLink = Organisation.competences.through
        CompetenceLink.objects.bulk_create(
            [
                CompetenceLink(organisation_id=ids[i], competence_id=c.id)
                for i, c in set(org_competences)
            ],
            batch_size=2000,
            ignore_conflicts=True,
        )
        self.log(f"{len(organisations)} organisations")

        cluster_objs = []
        for ci, (theme, region_code, city, name) in enumerate(clusters):
            goals = rng.sample(GOALS, k=4)
            cluster_objs.append(
                Cluster(
                    name=name,
                    slug=slugify(name)[:250],
                    acronym="".join(w[0] for w in name.split() if w[0].isupper())[:8],
                    managing_organisation_id=ids[managing_index[ci]],
                    innovation_field=theme.field_de,
                    region=regions[region_code],
                    profile_de=(
                        f"Das Netzwerk bündelt Unternehmen, Hochschulen, Verwaltung und Zivilgesellschaft rund um "
                        f"{theme.field_de} in {city}. Die Clustergeschäftsstelle vermittelt Kontakte, organisiert "
                        f"Veranstaltungen und begleitet gemeinsame Projekte."
                    ),
                    profile_en=(
                        f"The network brings together companies, universities, administration and civil society "
                        f"around {theme.field_en.lower()} in {city}. The cluster office brokers contacts, runs "
                        f"events and supports joint projects."
                    ),
                    strategy_goals_de="\n".join(g[0] for g in goals),
                    strategy_goals_en="\n".join(g[1] for g in goals),
                    website=f"https://cluster-{slugify(city)}-{theme.key}-{ci}.example",
                    founded=rng.randint(1998, 2022),
                )
            )
        Cluster.objects.bulk_create(cluster_objs)
        cluster_ids = dict(
            Cluster.objects.filter(slug__in=[c.slug for c in cluster_objs]).values_list(
                "slug", "id"
            )
        )
        cluster_id_list = [cluster_ids[c.slug] for c in cluster_objs]
        ClusterSectors = Cluster.sectors.through
        ClusterSectors.objects.bulk_create(
            [
                ClusterSectors(cluster_id=cluster_id_list[ci], nacesector_id=sectors[code].id)
                for ci, (theme, *_rest) in enumerate(clusters)
                for code in theme.divisions
                if code in sectors
            ]
        )

        memberships = {}
        for index, home in enumerate(org_home_cluster):
            if rng.random() < 0.8 or index in managing_index:
                memberships[(cluster_id_list[home], ids[index])] = Membership(
                    cluster_id=cluster_id_list[home],
                    organisation_id=ids[index],
                    status=Membership.Status.ACTIVE,
                    since=date(rng.randint(2005, 2025), rng.randint(1, 12), 1),
                )
            if rng.random() < 0.12:
                other = rng.randrange(len(cluster_id_list))
                memberships[(cluster_id_list[other], ids[index])] = Membership(
                    cluster_id=cluster_id_list[other],
                    organisation_id=ids[index],
                    status=Membership.Status.ACTIVE,
                    since=date(rng.randint(2010, 2025), rng.randint(1, 12), 1),
                )
        Membership.objects.bulk_create(list(memberships.values()), batch_size=2000)

        people = []
        for index in range(len(organisations)):
            for _ in range(rng.randint(1, 2)):
                given, family = rng.choice(GIVEN_NAMES), rng.choice(FAMILY_NAMES)
                people.append(
                    Person(
                        organisation_id=ids[index],
                        full_name=f"{given} {family}",
                        job_title=rng.choice(JOB_TITLES),
                        email=f"{slugify(given)}.{slugify(family)}@{organisations[index].slug[:30]}.example",
                        is_public=rng.random() < 0.5,
                    )
                )
        Person.objects.bulk_create(people, batch_size=2000)

        by_cluster: dict[int, list[int]] = {}
        for index, home in enumerate(org_home_cluster):
            by_cluster.setdefault(home, []).append(ids[index])
        collaborations = set()
        for members in by_cluster.values():
            for _ in range(len(members)):
                a, b = rng.sample(members, 2) if len(members) > 1 else (None, None)
                if a and a != b:
                    collaborations.add((min(a, b), max(a, b)))
        Collaboration.objects.bulk_create(
            [
                Collaboration(
                    organisation_a_id=a,
                    organisation_b_id=b,
                    kind=rng.choice(Collaboration.Kind.values),
                    title=rng.choice(
                        [
                            "Verbundprojekt",
                            "Pilotanwendung",
                            "Machbarkeitsstudie",
                            "Lieferbeziehung",
                        ]
                    ),
                    year=rng.randint(2015, 2025),
                )
                for a, b in sorted(collaborations)
            ],
            batch_size=2000,
        )
        self.log(
            f"{len(cluster_objs)} clusters, {len(memberships)} memberships, {len(people)} people, "
            f"{len(collaborations)} collaborations"
        )
        self._demo_accounts(cluster_objs[0], ids, org_home_cluster, managing_index)

    def _demo_accounts(self, first_cluster, ids, org_home_cluster, managing_index):
        cluster = Cluster.objects.get(slug=first_cluster.slug)
        office_id = ids[managing_index[0]]
        members = Organisation.objects.filter(
            memberships__cluster=cluster, memberships__status=Membership.Status.ACTIVE
        ).exclude(pk=office_id)
        # The org admin runs one German SME of the first cluster (the marketplace demo features
        # it: a battery or mobility firm when there is one); the member works at another member.
        smes = members.filter(
            helix_type=HelixType.BUSINESS, is_sme=True, region__code__startswith="DE"
        ).order_by("pk")
        featured = (
            smes.filter(description_en__icontains="battery").first()
            or smes.filter(description_en__icontains="mobility").first()
            or smes.first()
            or members.order_by("pk").first()
        )
        colleague = members.exclude(pk=getattr(featured, "pk", None)).order_by("pk").first()
        member_ids = [o.pk for o in (featured, colleague) if o is not None]

        def account(email, name, **extra):
            user, _ = User.objects.get_or_create(
                email=email, defaults={"full_name": name, "email_confirmed": True, **extra}
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
            return user

        account("admin@openregion.example", "Plattform Admin", is_staff=True, is_superuser=True)
        manager = account("manager@openregion.example", "Clara Clustermanagerin")
        ClusterRole.objects.get_or_create(
            user=manager, cluster=cluster, role=ClusterRole.Role.MANAGER
        )
        org_admin = account("orgadmin@openregion.example", "Oskar Orgadmin")
        member = account("member@openregion.example", "Mira Mitglied")
        # Each demo account works for exactly one organisation (a contact person there).
        Person.objects.get_or_create(
            user=manager,
            organisation_id=office_id,
            defaults={"full_name": manager.full_name, "job_title": "Clustermanagerin"},
        )
        if member_ids:
            ClusterRole.objects.get_or_create(
                user=org_admin,
                cluster=cluster,
                role=ClusterRole.Role.MEMBER_ORG_ADMIN,
                organisation_id=member_ids[0],
            )
            Person.objects.get_or_create(
                user=org_admin,
                organisation_id=member_ids[0],
                defaults={
                    "full_name": org_admin.full_name,
                    "job_title": "Geschäftsführer",
                    "is_admin": True,
                },
            )
            ClusterRole.objects.get_or_create(
                user=member,
                cluster=cluster,
                role=ClusterRole.Role.MEMBER_USER,
                organisation_id=member_ids[-1],
            )
            Person.objects.get_or_create(
                user=member,
                organisation_id=member_ids[-1],
                defaults={"full_name": member.full_name, "job_title": "Projektleiterin"},
            )
        self.log(
            f"Demo accounts (password {DEMO_PASSWORD!r}): admin@, manager@, orgadmin@, member@openregion.example"
        )
