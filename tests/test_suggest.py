import pytest

from peacekb.suggest import did_you_mean, nearest, slugify


@pytest.mark.parametrize(
    "text, slug",
    [
        ("Vladimir Medinsky", "vladimir-medinsky"),
        ("  Rustem  Umerov ", "rustem-umerov"),
        ("Zelenskyy", "zelenskyy"),
        ("Zaporizhzhia NPP (Enerhodar)", "zaporizhzhia-npp-enerhodar"),
        ("Łódź", "lodz"),  # transliterated, not only stripped of accents (Ł has no decomposition)
        ("São Tomé", "sao-tome"),
        ("U.S.", "u-s"),
        ("already-a-slug", "already-a-slug"),
        ("Володимир", "volodimir"),
        ("Володимир Зеленський", "volodimir-zelenskiy"),  # a soft sign is no word break
        ("Børge Brende", "borge-brende"),
        ("Kalın", "kalin"),
        ("習近平", "xi-jin-ping"),  # syllables kept apart
        ("!!!", ""),
        ("", ""),
    ],
)
def test_slugify(text, slug):
    assert slugify(text) == slug


ACTORS = {
    "volodymyr-zelensky": ["Volodymyr Zelensky", "Zelenskyy", "Volodymyr Zelenskyy"],
    "vladimir-medinsky": ["Vladimir Medinsky"],
    "vladimir-putin": ["Vladimir Putin"],
    "ukraine": ["Ukraine"],
    "united-states": ["United States", "USA"],
}


def test_a_typo_suggests_the_close_id():
    assert nearest("ukrane", ACTORS) == ["ukraine"]
    assert nearest("medinskiy", ACTORS)[0] == "vladimir-medinsky"


def test_an_alias_finds_its_id():
    assert nearest("zelenskyy", ACTORS)[0] == "volodymyr-zelensky"
    assert nearest("USA", ACTORS) == ["united-states"]


def test_one_word_of_an_id_finds_it():
    assert nearest("zelensky", ACTORS)[0] == "volodymyr-zelensky"
    assert set(nearest("vladimir", ACTORS)) >= {"vladimir-medinsky", "vladimir-putin"}


def test_a_name_written_out_finds_its_id():
    assert nearest("Vladimir Medinsky", ACTORS)[0] == "vladimir-medinsky"


def test_nothing_close_suggests_nothing():
    assert nearest("xyzzy", ACTORS) == []
    assert did_you_mean("xyzzy", ACTORS) == ""
    assert did_you_mean("anything", {}) == ""


def test_each_id_is_suggested_once_and_at_most_limit():
    found = nearest("zelenskyy", ACTORS)
    assert len(found) == len(set(found))
    many = {f"talks-{i}": [] for i in range(10)}
    assert len(nearest("talks", many)) == 3
    assert len(nearest("talks", many, limit=5)) == 5


def test_plain_lists_of_candidates():
    assert nearest("descripton", ["id", "name", "description"]) == ["description"]


def test_did_you_mean_wording():
    assert did_you_mean("ukrane", ACTORS) == "; did you mean `ukraine`?"
    assert did_you_mean("publsher", ["publisher", "published", "title"]) == "; did you mean `publisher` or `published`?"
