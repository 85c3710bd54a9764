"""Held-out splits: deterministic, stratified by score, disjoint, and the published ones where they exist."""

import re
import shutil
from collections import Counter

import numpy as np
import pytest

from w2veval import GoldSet
from w2veval.goldsets import GoldSetNotInstalledError, import_dir, load
from w2veval.goldsets._split import published_split, split, tuning_split


def _rows(goldset):
    """Every pair with its source line: a multiset that identifies the pairs exactly."""
    return Counter(zip(goldset.word1, goldset.word2, goldset.scores, goldset.lines, strict=True))


@pytest.fixture(scope="module")
def simlex():
    return load("simlex999")  # offline: the copy gensim ships


@pytest.fixture(scope="module")
def men_full(shared_goldsets):
    return GoldSet.from_file(shared_goldsets / "men" / "MEN_dataset_natural_form_full", name="men")


@pytest.fixture
def home(tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("W2VEVAL_HOME", str(home))
    return home


def _install(shared, home_dir, tmp_path, *folders):
    """Import the real files of ``folders`` (under ../shared/goldsets) into the temp home."""
    source = tmp_path / "import-from"
    for folder in folders:
        shutil.copytree(shared / folder, source / folder)
    import_dir(source)


@pytest.mark.parametrize("test_size", [0.5, 0.2, 0.3, 0.75])
def test_parts_are_disjoint_cover_the_set_and_have_the_asked_size(simlex, test_size):
    tune, heldout = split(simlex, test_size=test_size, seed=4)
    assert _rows(tune) + _rows(heldout) == _rows(simlex)
    assert not set(tune.lines) & set(heldout.lines)
    assert len(heldout) == int(np.floor(test_size * len(simlex) + 0.5))
    assert len(tune) + len(heldout) == len(simlex)


def test_parts_keep_order_metadata_and_are_named(simlex):
    tune, heldout = split(simlex)
    assert (tune.name, heldout.name) == ("simlex999:tune", "simlex999:heldout")
    for part in (tune, heldout):
        assert list(part.lines) == sorted(part.lines)  # original order
        assert (part.language, part.kind, part.scale, part.citation) == (
            simlex.language,
            simlex.kind,
            simlex.scale,
            simlex.citation,
        )
        assert part.sha256 is None and "simlex999" in part.source


def test_deterministic_for_a_seed_and_different_across_seeds(simlex):
    first = split(simlex, test_size=0.5, seed=7)
    again = split(simlex, test_size=0.5, seed=7)
    other = split(simlex, test_size=0.5, seed=8)
    assert first == again
    assert first[1].lines != other[1].lines
    assert simlex.split(0.5, 7) == first  # the GoldSet method is the same function


@pytest.mark.parametrize("test_size", [0.5, 0.2])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_stratified_by_score_on_real_sets(simlex, men_full, test_size, seed):
    from scipy.stats import ks_2samp

    for gold in (simlex, men_full):
        tune, heldout = split(gold, test_size=test_size, seed=seed)
        statistic = ks_2samp(tune.scores, heldout.scores).statistic
        # Sorted bins of 1/test_size pairs: the two empirical CDFs differ by at most about
        # one bin's share at any score; a random split of simlex999 at 0.5 has KS ~0.04.
        assert statistic < 2.5 / len(gold) * round(1 / min(test_size, 1 - test_size)) + 0.01, gold.name
        assert abs(np.mean(tune.scores) - np.mean(heldout.scores)) < 0.02 * np.ptp(gold.scores)


def test_better_balanced_than_a_random_split(men_full):
    from scipy.stats import ks_2samp

    ours = ks_2samp(*[p.scores for p in split(men_full, seed=0)]).statistic
    rng = np.random.default_rng(0)
    scores = np.asarray(men_full.scores)
    random_ks = []
    for _ in range(20):
        mask = np.zeros(len(scores), dtype=bool)
        mask[rng.choice(len(scores), len(scores) // 2, replace=False)] = True
        random_ks.append(ks_2samp(scores[mask], scores[~mask]).statistic)
    assert ours < min(random_ks)


def test_bad_test_size_and_too_small_sets():
    gold = GoldSet.from_pairs([("a", "b", 1), ("c", "d", 2), ("e", "f", 3)], name="tiny")
    for bad in (0, 1, -0.1, 1.5, True, "0.5"):
        with pytest.raises(ValueError, match="test_size must be a fraction"):
            split(gold, test_size=bad)
    with pytest.raises(ValueError, match=re.escape("tiny: test_size=0.1 of 3 pairs leaves no held-out pair")):
        split(gold, test_size=0.1)
    with pytest.raises(ValueError, match="no pair to tune on"):
        split(gold, test_size=0.9)


def test_published_splits_in_the_catalog():
    assert published_split("simverb3500") == ("simverb3500-dev", "simverb3500-test")
    assert published_split("men-lemma") == ("men-dev", "men-test")
    assert published_split("ws353") is None  # ws353-sim/-rel are subsets, not a dev/test split
    assert published_split("simlex999") is None


def test_tuning_split_uses_the_published_split(shared_goldsets, home, tmp_path):
    _install(shared_goldsets, home, tmp_path, "simverb3500", "men")
    tune, heldout = tuning_split("simverb3500", test_size=0.3, seed=5)  # test_size does not apply
    assert (tune.name, len(tune), heldout.name, len(heldout)) == (
        "simverb3500-dev",
        500,
        "simverb3500-test",
        3000,
    )
    assert tune.sha256 and heldout.sha256  # the catalogued files themselves
    whole = load("simverb3500")
    assert Counter(tune.pairs) + Counter(heldout.pairs) == Counter(whole.pairs)

    tune, heldout = tuning_split("men-lemma")
    assert (tune.name, len(tune), heldout.name, len(heldout)) == ("men-dev", 2000, "men-test", 1000)
    assert not {p[:2] for p in tune.pairs} & {p[:2] for p in heldout.pairs}

    # The catalogued set as a GoldSet object also gets the published split ...
    assert tuning_split(whole)[0].name == "simverb3500-dev"
    # ... but not a set that only shares its name.
    lookalike = GoldSet.from_pairs(whole.pairs[:100], name="simverb3500", duplicates="keep")
    tune, heldout = tuning_split(lookalike)
    assert (tune.name, len(tune), len(heldout)) == ("simverb3500:tune", 50, 50)


def test_tuning_split_without_a_published_split_cuts_the_set(simlex):
    assert tuning_split("simlex999", test_size=0.2, seed=3) == split(simlex, test_size=0.2, seed=3)
    gold = GoldSet.from_pairs([(f"a{i}", f"b{i}", i) for i in range(10)], name="mine")
    assert tuning_split(gold)[1].name == "mine:heldout"


def test_tuning_split_refuses_a_published_split_that_is_not_installed(home):
    with pytest.raises(GoldSetNotInstalledError, match="simverb3500-dev"):
        tuning_split("simverb3500")
