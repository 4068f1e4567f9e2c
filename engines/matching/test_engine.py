import numpy as np

from engines.matching import (
    Candidates,
    HashingEncoder,
    MatchQuery,
    UniversalSentenceEncoder,
    get_encoder,
    rank,
    shared_keywords,
)
from engines.matching.encoders import from_bytes, to_bytes
from engines.matching.engine import Weights

TEXTS = [
    "Hydrogen storage and fuel cells for trucks",
    "Laser optics and photonics for industrial inspection",
    "Bakery with fresh bread and cakes",
    "Fuel cell systems and hydrogen tanks for vehicles",
]


def make_candidates(encoder=None):
    encoder = encoder or HashingEncoder()
    return Candidates(
        ids=[10, 11, 12, 13],
        vectors=encoder.encode(TEXTS),
        sectors=[{"C29"}, {"C26"}, {"C10"}, {"C27", "C29"}],
        regions=["DEA4", "FR10", "DEA4", "NL41"],
        groups=["business", "research", "business", "research"],
        texts=TEXTS,
        neighbours={1: {10, 13}, 10: {1}, 13: {1, 99}, 99: {13}},
    )


def test_hashing_encoder_is_deterministic_and_normalised():
    enc = HashingEncoder(dim=64)
    a = enc.encode(["Wasserstoff Speicher", "Wasserstoff Speicher", ""])
    assert a.shape == (3, 64) and a.dtype == np.float32
    assert np.allclose(a[0], a[1])
    assert abs(float(np.linalg.norm(a[0])) - 1) < 1e-5
    assert float(np.linalg.norm(a[2])) == 0.0
    assert np.allclose(from_bytes(to_bytes(a[0]), 64), a[0])
    assert from_bytes(to_bytes(a[0]), 32) is None
    assert from_bytes(b"") is None


def test_text_similarity_ranks_related_text_first_and_explains():
    cands = make_candidates()
    enc = HashingEncoder()
    query = MatchQuery(vector=enc.encode(["hydrogen fuel cells"])[0], text="hydrogen fuel cells")
    result = rank(cands, query, k=4, weights=Weights(text=1, sector=0, graph=0, group=0, region=0))
    assert {result[0].id, result[1].id} == {10, 13}
    kinds = {r.kind: r.value for r in result[0].reasons}
    assert "hydrogen" in kinds["keywords"]
    assert kinds["text"] > 0


def test_structural_signals_sector_region_group_and_graph():
    cands = make_candidates()
    query = MatchQuery(sectors=frozenset({"C29"}), region="DEA1", group="business", partners={1})
    result = rank(cands, query, k=4)
    by_id = {s.id: {r.kind: r.value for r in s.reasons} for s in result}
    assert by_id[13]["sectors"] == ("C29",)
    assert by_id[13]["shared_partners"] == (1,)
    assert by_id[13]["group"] == "research"
    assert by_id[10]["region"] == "DEA4"
    assert "sectors" not in by_id[11] and by_id[11]["section"] == ("C",)
    assert [s.id for s in result][:2] in ([13, 10], [10, 13])  # sector + shared partner


def test_exclusions_masks_and_regions_sought():
    cands = make_candidates()
    query = MatchQuery(
        exclude=frozenset({10}), partners=frozenset({13}), regions_sought=("FR",), group="business"
    )
    result = rank(cands, query, k=10)
    ids = [s.id for s in result]
    assert 10 not in ids and 13 not in ids  # self and existing partners are not suggested
    assert ids[0] == 11
    assert dict((r.kind, r.value) for r in result[0].reasons)["region_sought"] == "FR10"
    masked = rank(cands, MatchQuery(mask=np.array([False, False, True, False])), k=10)
    assert [s.id for s in masked] == [12]
    assert rank(cands, MatchQuery(), k=0) == []


def test_shared_keywords_ignore_stopwords_and_fold_umlauts():
    assert shared_keywords("Wir suchen Partner für Lasertechnik", "Lasertechnik und Optik") == [
        "lasertechnik"
    ]
    assert shared_keywords("the and for partner", "the and for partner") == []
    assert shared_keywords("Kühlung", "Kuehlung von Batterien") == ["kuehlung"]


def test_get_encoder_aliases_return_shared_instances():
    assert get_encoder("hashing") is get_encoder("engines.matching.encoders.HashingEncoder")
    assert isinstance(get_encoder("use"), UniversalSentenceEncoder)


def test_ranking_15000_candidates_is_fast_enough_to_use_interactively():
    rng = np.random.default_rng(1)
    n = 15000
    vectors = rng.standard_normal((n, 512)).astype(np.float32)
    cands = Candidates(
        ids=range(n),
        vectors=vectors,
        sectors=[{f"C{rng.integers(10, 33)}"} for _ in range(n)],
        regions=["DEA4"] * n,
        groups=["business"] * n,
        neighbours={i: {i + 1} for i in range(n - 1)},
    )
    query = MatchQuery(vector=vectors[0], sectors=frozenset({"C28"}), region="DEA2", partners={5})
    result = rank(cands, query, k=20)
    assert len(result) == 20 and result[0].score >= result[-1].score


def test_real_encoder_loads_offline_and_bridges_languages(monkeypatch):
    import socket

    def no_network(*args, **kwargs):
        raise OSError("network access is not allowed in this test")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    enc = UniversalSentenceEncoder()  # a fresh instance: weights load from the installed package
    vectors = enc.encode(
        [
            "Wir suchen einen Partner für Batteriesysteme in Elektrofahrzeugen.",
            "We are looking for a partner for battery systems in electric vehicles.",
            "Nous cherchons un partenaire pour les systèmes de batteries des véhicules électriques.",
            "Bäckerei mit frischem Brot und Kuchen in der Innenstadt.",
        ]
    )
    assert vectors.shape == (4, 512)
    german, english, french, unrelated = vectors
    assert float(german @ english) > float(german @ unrelated) + 0.3
    assert float(german @ french) > float(german @ unrelated) + 0.3
