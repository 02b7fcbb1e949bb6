"""The strict parsers settings.py reads the environment with."""

import pytest

from sporskifte.core.envparse import SettingError, parse_bool, parse_choice, parse_positive_int


@pytest.mark.parametrize("word", ["true", "TRUE", "on", "yes", "1", " true "])
def test_true_words(word):
    assert parse_bool({"X": word}, "X", default=False) is True


@pytest.mark.parametrize("word", ["false", "Off", "no", "0"])
def test_false_words(word):
    assert parse_bool({"X": word}, "X", default=True) is False


@pytest.mark.parametrize("word", ["ture", "flase", "enabled", "2", "y"])
def test_anything_else_is_refused_not_read_as_false(word):
    with pytest.raises(SettingError, match="X must be one of"):
        parse_bool({"X": word}, "X", default=False)


def test_unset_or_empty_means_the_default():
    assert parse_bool({}, "X", default=True) is True
    assert parse_bool({"X": ""}, "X", default=True) is True
    assert parse_positive_int({"X": " "}, "X", default=7) == 7


def test_numbers_are_whole_and_at_least_the_minimum():
    assert parse_positive_int({"X": "0"}, "X", default=5, minimum=0) == 0
    with pytest.raises(SettingError, match="at least 1"):
        parse_positive_int({"X": "0"}, "X", default=5)
    with pytest.raises(SettingError, match="whole number"):
        parse_positive_int({"X": "1.5"}, "X", default=5)


def test_choices_are_closed():
    assert parse_choice({"X": "JSON"}, "X", choices=("json", "text"), default="text") == "json"
    with pytest.raises(SettingError, match="one of json, text"):
        parse_choice({"X": "xml"}, "X", choices=("json", "text"), default="text")
