"""Partner suggestions call an organisation "nearby" only in the same NUTS-2 region; one in the same
country elsewhere is "same country" (a Dortmund firm: Stuttgart, Chemnitz and Trier are not nearby)."""

import pytest
from django.urls import reverse
from django.utils import translation

from matching import suggestions
from tests.factories import OrganisationFactory, region, sector

pytestmark = pytest.mark.django_db

TEXT = "Sensorik und Automatisierung für Fertigungslinien."


def _org(name, code, city):
    return OrganisationFactory(
        name=name, region=region(code), city=city, sectors=[sector("C28")],
        description_de=TEXT, description_en="Sensors and automation for production lines.",
    )  # fmt: skip


@pytest.fixture
def dortmund_and_others():
    orgs = {
        "dortmund": _org("Dortmunder Sensorik GmbH", "DEA5", "Dortmund"),
        "hagen": _org("Hagener Automation GmbH", "DEA5", "Hagen"),
        "duesseldorf": _org("Rheinische Steuerungstechnik GmbH", "DEA1", "Düsseldorf"),
        "stuttgart": _org("Schwäbische Präzision GmbH", "DE11", "Stuttgart"),
        "chemnitz": _org("Sächsische Fertigungstechnik GmbH", "DED4", "Chemnitz"),
        "trier": _org("Moselland Automation GmbH", "DEB2", "Trier"),
        "paris": _org("Capteurs de Paris SA", "FR10", "Paris"),
    }
    suggestions.embed_organisations()
    return orgs


def _lines(matches, name):
    return next(m.explanation for m in matches if m.object.name == name)


def test_only_the_same_nuts2_region_is_nearby(dortmund_and_others):
    matches = suggestions.partners_for_organisation(dortmund_and_others["dortmund"], k=10)
    assert "In der Nähe: Arnsberg" in _lines(matches, "Hagener Automation GmbH")
    for name in (
        "Schwäbische Präzision GmbH",
        "Sächsische Fertigungstechnik GmbH",
        "Moselland Automation GmbH",
    ):
        lines = _lines(matches, name)
        assert not any(line.startswith("In der Nähe") for line in lines), (name, lines)
        assert "Gleiches Land: Deutschland" in lines
    nrw = _lines(matches, "Rheinische Steuerungstechnik GmbH")
    assert not any(line.startswith("In der Nähe") for line in nrw)
    assert "Im selben Bundesland bzw. in derselben Großregion: Nordrhein-Westfalen" in nrw
    paris = _lines(matches, "Capteurs de Paris SA")
    assert not any("Nähe" in line or "Gleiches Land" in line for line in paris)


def test_partner_page_in_english_says_same_country(client, dortmund_and_others):
    with translation.override("en"):
        url = reverse("matching:organisation_partners", args=[dortmund_and_others["dortmund"].slug])
    english = client.get(url)
    assert english.status_code == 200
    html = english.content.decode()
    assert "Same country: Deutschland" in html or "Same country: Germany" in html
    assert "Nearby: Arnsberg" in html
    assert "Nearby: Stuttgart" not in html
