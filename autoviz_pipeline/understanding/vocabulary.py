"""The vocabulary the offline reading uses, loaded once from the data files beside this module.

- ``data/vocabulary.yaml``: synonyms of spreadsheet words, phrase synonyms, short forms both ways, units and
  qualifiers written into names (hand-kept, general data vocabulary: no table's or benchmark's words).
- ``data/cues.yaml``: the words a question uses to ask for a chart, an aggregate, a period, a task.
- ``data/persons.txt.gz``: WordNet 3.0's nouns whose first sense is a person (rider, patient …), same script.
- ``data/events.txt.gz``: WordNet 3.0's nouns whose first sense is an act or an event (murder, visit …).
- ``data/instances.json.gz``: WordNet 3.0's proper names with the kinds of thing they are (countries, cities,
  states, rivers …), built by the same script.
- ``data/thesaurus.json.gz``: WordNet 3.0's relations for ~100,000 English words (synonyms, adjective →
  attribute, verb/adjective → noun), built by ``scripts/build_thesaurus.py``; licence in ``WORDNET_LICENSE``.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import yaml

from .lexicon import lemma, lemmas, wordnet_words

DATA = Path(__file__).parent / "data"

# the strength of each WordNet relation (see scripts/build_thesaurus.py): an adjective's attribute is surest
RELATION_STRENGTH = {"a": 1.0, "d": 0.95, "s": 0.9, "D": 0.85, "h": 0.8}


@dataclass(frozen=True)
class Vocabulary:
    """Read-only lookups over the data files; one instance per process (:func:`vocabulary`)."""

    raw: dict[str, Any]
    cues: dict[str, Any]

    # ------------------------------------------------------------------ word classes
    @cached_property
    def stopwords(self) -> frozenset[str]:
        return frozenset(self.cues["stopwords"])

    @cached_property
    def units(self) -> frozenset[str]:
        return frozenset(str(u) for u in self.raw["units"])

    @cached_property
    def qualifiers(self) -> frozenset[str]:
        return frozenset(self.raw["qualifiers"])

    @cached_property
    def generic_name_words(self) -> frozenset[str]:
        return frozenset(str(w) for w in self.raw["generic_name_words"])

    @cached_property
    def number_words(self) -> dict[str, str]:
        return {str(k): str(v) for k, v in self.raw["number_words"].items()}

    # ------------------------------------------------------------------ synonyms
    @cached_property
    def _groups(self) -> dict[str, frozenset[int]]:
        index: dict[str, set[int]] = {}
        for i, group in enumerate(self.raw["synonyms"]):
            for word in group:
                for form in {str(word), lemma(str(word))}:
                    index.setdefault(form, set()).add(i)
        return {k: frozenset(v) for k, v in index.items()}

    def synonym_groups(self, word: str) -> frozenset[int]:
        """The synonym groups a word (or its lemma) belongs to."""
        out: frozenset[int] = frozenset()
        for form in lemmas(word):
            out |= self._groups.get(form, frozenset())
        return out

    def synonyms_of(self, word: str) -> tuple[str, ...]:
        """The other single words of the word's synonym groups ("deaths" → fatalities, killed …)."""
        groups = self.raw["synonyms"]
        return tuple(dict.fromkeys(str(w) for g in sorted(self.synonym_groups(word)) for w in groups[g]
                                   if " " not in str(w) and str(w) != word))

    def synonyms(self, a: str, b: str) -> bool:
        return bool(self.synonym_groups(a) & self.synonym_groups(b))

    @cached_property
    def _phrases(self) -> dict[str, tuple[str, ...]]:
        out: dict[str, tuple[str, ...]] = {}
        for group in self.raw["phrase_synonyms"]:
            for phrase in group:
                key = " ".join(lemma(w) for w in str(phrase).split())
                out[key] = out.get(key, ()) + tuple(str(p) for p in group if p != phrase)
        return out

    def phrase_synonyms(self, words: list[str]) -> tuple[str, ...]:
        """Phrases that name the same thing as these words ("family name" → surname, last name)."""
        return self._phrases.get(" ".join(lemma(w) for w in words), ())

    # ------------------------------------------------------------------ short forms
    @cached_property
    def _expansions(self) -> dict[str, tuple[str, ...]]:
        out: dict[str, tuple[str, ...]] = {}
        for short, long in self.raw["abbreviations"].items():
            longs = long if isinstance(long, list) else [long]
            out[str(short)] = tuple(str(x) for x in longs)
        return out

    @cached_property
    def _short_forms(self) -> dict[str, tuple[str, ...]]:
        out: dict[str, tuple[str, ...]] = {}
        for short, longs in self._expansions.items():
            for long in longs:
                key = " ".join(lemma(w) for w in long.split())
                out[key] = out.get(key, ()) + (short,)
        return out

    @cached_property
    def abbreviation_keys(self) -> frozenset[str]:
        return frozenset(self._expansions)

    def expansions(self, word: str) -> tuple[str, ...]:
        """The long forms of a short form ("temp" → temperature; "hr" → hour, heart rate, home runs)."""
        return self._expansions.get(word.lower(), ())

    def short_forms(self, words: list[str]) -> tuple[str, ...]:
        """The short forms of a word or phrase ("quantity" → qty; "blood pressure" → bp)."""
        return self._short_forms.get(" ".join(lemma(w) for w in words), ())

    @cached_property
    def _value_aliases(self) -> dict[str, tuple[str, ...]]:
        out: dict[str, tuple[str, ...]] = {}
        for group in self.raw.get("value_aliases", []):
            for name in group:
                out[str(name)] = tuple(str(other) for other in group if other != name)
        return out

    def value_aliases(self, key: str) -> tuple[str, ...]:
        """Other names of a cell value ("us" → united states, usa …), as value keys."""
        return self._value_aliases.get(key, ())

    # ------------------------------------------------------------------ WordNet
    @cached_property
    def _thesaurus(self) -> dict[str, dict[str, str]]:
        path = DATA / "thesaurus.json.gz"
        if not path.is_file():  # a broken install: the reading still works, with fewer relations
            return {}
        return json.loads(gzip.decompress(path.read_bytes()))

    @cached_property
    def _instances(self) -> dict[str, list[str]]:
        path = DATA / "instances.json.gz"
        if not path.is_file():
            return {}
        return json.loads(gzip.decompress(path.read_bytes()))

    @cached_property
    def _persons(self) -> frozenset[str]:
        return _word_list("persons.txt.gz")

    @cached_property
    def _events(self) -> frozenset[str]:
        return _word_list("events.txt.gz")

    def names_events(self, word: str) -> bool:
        """Is the word a plural noun whose first WordNet sense is an act or an event ("murders", "arrests",
        "visits", "sales"): things that happen and are counted?"""
        w = word.lower()
        return w.endswith("s") and lemma(w) != w and lemma(w) in self._events

    def names_people(self, word: str) -> bool:
        """Does the word name people: a noun whose first WordNet sense is a person (rider, passenger, patient),
        "people" and the like, an agent noun made from a verb ("bikers": bike + r, "renters"), or their number
        ("ridership")?"""
        w = word.lower()
        if w in self.cues["people_words"]:
            return True
        if w.endswith("ship") and len(w) > 7 and w not in wordnet_words() and self.names_people(w[:-4]):
            return True  # "ridership", "viewership": how many riders, viewers (not "leadership", a WordNet word)
        for form in {lemma(w), w}:
            if form in self._persons:
                return True
            if form.endswith("er") and len(form) > 4 and form not in wordnet_words() and any(
                    stem in self._thesaurus for stem in (form[:-1], form[:-2])):
                return True  # an agent noun WordNet does not list: bike → biker
        return False

    def kinds_of(self, name: str) -> list[str]:
        """What WordNet says a proper name is ("bangladesh" → country, nation, …; "houston" → city, …)."""
        return self._instances.get(name.lower(), [])

    def related(self, word: str, kinds: str = "adDsh") -> dict[str, float]:
        """Words WordNet relates to this one (any of its lemmas) by one of ``kinds``, with the relation's
        strength."""
        out: dict[str, float] = {}
        for form in lemmas(word):
            for other, kind in self._thesaurus.get(form, {}).items():
                if kind not in kinds:
                    continue
                strength = RELATION_STRENGTH.get(kind, 0.8)
                if strength > out.get(other, 0.0):
                    out[other] = strength
        return out



def _word_list(name: str) -> frozenset[str]:
    """A gzip'd list of words from ``data/`` (empty on a broken install: the reading works with fewer words)."""
    path = DATA / name
    if not path.is_file():
        return frozenset()
    return frozenset(gzip.decompress(path.read_bytes()).decode("utf-8").split())


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    raw = yaml.safe_load((DATA / "vocabulary.yaml").read_text(encoding="utf-8"))
    cues = yaml.safe_load((DATA / "cues.yaml").read_text(encoding="utf-8"))
    return Vocabulary(raw=raw, cues=cues)
