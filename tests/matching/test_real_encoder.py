"""The real multilingual encoder ships with its weights and bridges languages (slow-ish, ~5 s)."""

import pytest

from actors.models import HelixType
from matching import suggestions
from tests.factories import OrganisationFactory, region, sector

from .factories import PostingFactory

pytestmark = pytest.mark.django_db


def test_german_request_finds_english_and_french_partners_with_the_real_encoder(
    settings, monkeypatch
):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    settings.OPENREGION_TEXT_ENCODER = "use"
    suggestions.clear_cache()
    german = OrganisationFactory(name="Akku Zulieferer GmbH", sectors=[sector("C29")])
    OrganisationFactory(
        name="Volt Batteries Ltd", region=region("NL41"), sectors=[sector("C27")],
        description_de="", description_en="We develop battery systems for electric vehicles.",
    )  # fmt: skip
    OrganisationFactory(
        name="Batteries Lyon SAS", region=region("FRK2"), helix_type=HelixType.RESEARCH,
        sectors=[sector("M72")], description_de="",
        description_en="Nous développons des systèmes de batteries pour véhicules électriques.",
    )  # fmt: skip
    for name in ["Bäckerei Korn", "Steuerberatung Meier", "Gartenbau Grün"]:
        OrganisationFactory(
            name=name, sectors=[sector("C10")], description_de="Brot, Steuern und Gärten.",
            description_en="Bread, taxes and gardens.",
        )  # fmt: skip
    suggestions.embed_organisations()
    posting = PostingFactory(
        organisation=german, title="Partner für Batteriesysteme gesucht",
        description="Wir entwickeln Batteriesysteme für Elektrofahrzeuge und suchen Partner.",
    )  # fmt: skip
    names = [m.object.name for m in suggestions.partners_for_posting(posting, k=5)]
    assert set(names[:2]) == {"Volt Batteries Ltd", "Batteries Lyon SAS"}
