"""Words of a question against column names: lemmas, short forms, units, name styles, typos, degree words,
verbs and near misses. Every table is invented; each expectation is what a reader of the question would say."""

import pytest

from autoviz_pipeline.profiling import profile_dataset
from autoviz_pipeline.understanding import classify_intent
from autoviz_pipeline.understanding.columns import column_index
from autoviz_pipeline.understanding.compounds import compound_score
from autoviz_pipeline.understanding.grounding import ground
from autoviz_pipeline.understanding.lexicon import lemma, noun_of_adjective, split_name, tokenize


@pytest.fixture
def table(write_csv):
    """A small table from a header: ``labels`` columns hold a few repeated names, the others numbers."""

    def _table(header: str, labels: tuple[str, ...] = ("name",), rows: int = 24):
        columns = header.split(",")
        lines = [header] + [",".join(f"{c[:2].title()}{i % 4}" if c in labels else str(10 + (i * 7 + j * 3) % 37)
                                     for j, c in enumerate(columns)) for i in range(rows)]
        return profile_dataset(write_csv("things.csv", "\n".join(lines) + "\n"))

    return _table


def grounded(question, profile):
    """{phrase: column} of the question's column mentions (cell values left out)."""
    matches, _ = ground(tokenize(question), column_index(profile))
    return {m.phrase: m.column for m in matches if m.method != "value"}


# ---------------------------------------------------------------- 1. a real lemmatizer
@pytest.mark.parametrize("word,base", [
    ("statuses", "status"),    # not "statuse"
    ("series", "series"),      # singular and plural alike: no "sery"/"serie"
    ("species", "species"),    # likewise, no "specie"
    ("analyses", "analysis"),  # Greek plural -es → -is
    ("diagnoses", "diagnosis"),
    ("crises", "crisis"),
])
def test_irregular_plurals_find_their_singular_column(table, word, base):
    assert lemma(word) == base
    # the consequence: the plural in a question finds the column named by the singular, beside another column
    assert grounded(f"show the {word}", table(f"{base},amount")) == {word: base}


# ---------------------------------------------------------------- 2. short forms both ways, initialisms
@pytest.mark.parametrize("phrase,header,column", [
    ("temperature", "city,temp,humidity", "temp"),          # the name is short, the question long
    ("temp", "city,temperature,humidity", "temperature"),   # and the other way round
    ("qty", "product,quantity,price", "quantity"),
    ("quantity", "product,qty,price", "qty"),
    ("department", "dept_name,salary", "dept_name"),        # "name" is a generic word of the column
    ("dept", "department,salary", "department"),
    ("body mass index", "sex,bmi,age", "bmi"),              # three words → their initials
    ("bmi", "sex,body_mass_index,age", "body_mass_index"),  # the initials → three words
    ("mpg", "brand,miles_per_gallon,weight", "miles_per_gallon"),
    ("humidity", "city,hum,wind", "hum"),                   # a short name that is also a word ("hum")
    ("month", "city,mnth,wind", "mnth"),                    # the word without its vowels
    ("grade", "ward,tgrade,tsize", "tgrade"),               # a letter for a qualifier (tumour grade), then the word
    ("hormone therapy", "ward,horTh,age", "horTh"),         # camelCase parts that are the words' beginnings
    ("party identification", "ward,PID,age", "PID"),        # an initial, then the short form of the last word
    ("party id", "ward,PID,age", "PID"),                    # … or that short word said whole
])
def test_short_forms_and_initialisms(table, phrase, header, column):
    profile = table(header, labels=(header.split(",")[0],))
    assert grounded(f"show the {phrase}", profile) == {phrase: column}


# ---------------------------------------------------------------- 3. units and qualifiers inside names
GAUGES = "name,weight_kg,height_in_cm,vibration_mm_s,price_usd,max_temp_c"


@pytest.mark.parametrize("phrase,header,column", [
    ("weight", GAUGES, "weight_kg"),            # kg says how it is measured, not what
    ("height", GAUGES, "height_in_cm"),         # "in cm" likewise
    ("vibration", GAUGES, "vibration_mm_s"),    # mm/s: two unit words
    ("price", GAUGES, "price_usd"),
    ("temperature", GAUGES, "max_temp_c"),      # the only temperature, a daily maximum in °C
    # with a maximum and a minimum side by side, the qualifier said picks one
    ("max temperature", "name,max_temp_c,min_temp_c", "max_temp_c"),
    ("min temperature", "name,max_temp_c,min_temp_c", "min_temp_c"),
])
def test_units_and_qualifiers_in_names(table, phrase, header, column):
    assert grounded(f"average {phrase} by name", table(header)) == {phrase: column, "name": "name"}


@pytest.mark.parametrize("phrase,header,column", [
    # a unit word inside a name is a word: degrees awarded, not an angle
    ("degree", "name,cost_usd,degree_awarded_code", "degree_awarded_code"),
    ("win percentage", "name,wins,winperc", "winperc"),       # "perc" written out, not the wins
    ("aids per capita", "name,aids,aidscapita", "aidscapita"),  # the name drops the "per" of a rate
])
def test_words_inside_run_together_and_coded_names(table, phrase, header, column):
    assert grounded(f"average {phrase} by name", table(header)) == {phrase: column, "name": "name"}


# names glued from shortened words, as statistical tables write them: each word said shortens to one piece,
# in order; a qualifier at the start ("tot") or a unit at the end ("lbs") may go unsaid
@pytest.mark.parametrize("phrase,header,column", [
    ("night fatality rate", "name,totfatrte,nghtfatrte,wkndfatrte", "nghtfatrte"),
    ("weekend fatality rate", "name,totfatrte,nghtfatrte,wkndfatrte", "wkndfatrte"),
    ("fatality rate", "name,totfatrte,nghtfatrte,wkndfatrte", "totfatrte"),  # total, unsaid
    ("nighttime deaths", "name,totfat,nghtfat", "nghtfat"),  # deaths ~ fatalities (vocabulary.yaml)
    ("real per capita personal income", "name,rpcpersinc,rpcunemins", "rpcpersinc"),
    ("percent change in salary", "name,salary,pcsalary", "pcsalary"),
    ("consumer products", "name,consprod,utility", "consprod"),
    ("total fatality rate", "name,totfat,totfatrte", "totfatrte"),  # "total" may be the name's own qualifier
    ("return on equity", "name,roe,ros", "roe"),  # initials of three words in a row, though "roe" is a word
    ("executions", "name,execs,murders", "execs"),
    ("regular", "name,reglbs,ecolbs", "reglbs"),  # pounds, the unit, unsaid
    ("news", "name,tvnews,popul", "tvnews"),  # a short part at the start unsaid (tv)
    ("distance", "name,distvct,villnum", "distvct"),  # … or at the end (vct, the testing centre)
])
def test_names_glued_from_shortened_words(table, phrase, header, column):
    assert grounded(f"average {phrase} by name", table(header)) == {phrase: column, "name": "name"}


@pytest.mark.parametrize("question,header,wrong", [
    ("real GDP over time", "name,realgdp,realgovt", "realgovt"),  # g(dp), o(ver), v?, t(ime): the last word needs 3+
    ("count of elements per name", "name,metal,period", "metal"),  # no loose synonym stands for a piece's word
    ("fatality rate by name", "name,nghtfatrte,wkndfatrte", "nghtfatrte"),  # "nght" is said by nothing
    ("rate by name", "name,totfat,salary", "totfat"),  # a synonym (fraction) stands for a piece by its beginning only
    ("which level pays best by name", "name,wage,lwage", "lwage"),  # an initial (l) with a synonym (pays ~ wage)
    ("avg temperature by name", "name,temp,atemp", "atemp"),  # an average asked, not a(vg) temp
])
def test_glued_names_need_every_piece_said(table, question, header, wrong):
    assert wrong not in grounded(question, table(header)).values()


@pytest.mark.parametrize("question,column", [
    ("average mother's education by name", "motheduc"),  # a possessive read without its 's
    ("average dad's education by name", "fatheduc"),     # … and dad ~ father (vocabulary.yaml)
])
def test_a_possessive_names_a_glued_column(table, question, column):
    assert column in grounded(question, table("name,motheduc,fatheduc,faminc")).values()


def test_a_glued_name_may_keep_one_short_part_unsaid():
    assert compound_score(["news"], "tvnews", glued=True) > 0.8
    assert compound_score(["distance"], "distvct", glued=True) > 0.8
    assert compound_score(["news"], "tvnews") == 0  # a name with separators ("inspection_score") spells all of it
    assert compound_score(["inspections"], "inspectionscore") == 0
    assert compound_score(["ceo", "salary"], "pcsalary", glued=True) == 0  # no initial (c) beside an unsaid part
    assert compound_score(["income"], "faminc", glued=True) == 0  # the words spell 4+ letters ("inc" is 3)
    assert compound_score(["news"], "tvnewsdly", glued=True) == 0  # the part left no longer than the part said


# ---------------------------------------------------------------- 4. dotted and camelCase names
@pytest.mark.parametrize("phrase,header,column", [
    ("leaf width", "species,Leaf.Length,Leaf.Width", "Leaf.Width"),   # R-style dotted names
    ("leaf length", "species,Leaf.Length,Leaf.Width", "Leaf.Length"),
    ("unit price", "species,unitPrice,unitCost", "unitPrice"),         # lower camelCase
    ("order date", "species,OrderDate,ShipDate", "OrderDate"),         # upper CamelCase
    ("ship date", "species,OrderDate,ShipDate", "ShipDate"),
    ("http status", "species,HTTPStatus,latency", "HTTPStatus"),       # an initialism run into a word
    ("tv news", "species,TVnews,age", "TVnews"),                       # … a lower-case word after it
    ("gdp growth", "species,GDPgrowth,inflation", "GDPgrowth"),
])
def test_dotted_and_camel_case_names(table, phrase, header, column):
    assert split_name(column) == phrase.split()
    profile = table(header, labels=("species",))
    assert grounded(f"{phrase} by species", profile) == {phrase: column, "species": "species"}


# ---------------------------------------------------------------- 5. typos, and words that are no typos
@pytest.mark.parametrize("word,header,expected", [
    ("revnue", "name,revenue,cost", "revenue"),               # one letter dropped
    ("temprature", "name,temperature,wind", "temperature"),
    ("quantiy", "name,quantity,price", "quantity"),
    ("sallary", "name,salary,age", "salary"),                  # one letter doubled
    # English words a letter off an unrelated column are what they say, not typos
    ("cost", "name,cast,salary", None),       # a cost is no cast
    ("age", "name,page,salary", None),        # an age is no page
    ("weight", "name,height,salary", None),   # nor is weight height
    ("county", "name,country,salary", None),  # a county is part of a country (WordNet knows the word)
])
def test_typos_and_real_words(table, word, header, expected):
    found = grounded(f"{word} by name", table(header, labels=("name", "country")))
    assert found == ({word: expected} if expected else {}) | {"name": "name"}


# ---------------------------------------------------------------- 6. degree words name what they measure
MEASURES = "name,age,weight,height,price,temperature,length"


@pytest.mark.parametrize("word,header,column", [
    ("heavier", MEASURES, "weight"), ("heaviest", MEASURES, "weight"),
    ("older", MEASURES, "age"), ("oldest", MEASURES, "age"),
    ("pricier", MEASURES, "price"), ("priciest", MEASURES, "price"),
    ("hotter", MEASURES, "temperature"),
    ("taller", MEASURES, "height"),
    ("longer", MEASURES, "length"),                          # a length when the table has one …
    ("longer", "name,duration_min,fare", "duration_min"),    # … else how long it lasts
    ("heavier", "name,bwght,lbwght,faminc", "bwght"),       # a glued name of the attribute (b(irth) weight) …
    ("farther", "name,distvct,villnum", "distvct"),          # … distance to the vct
])
def test_degree_words_name_their_attribute(table, word, header, column):
    assert grounded(f"which name is {word}?", table(header)) == {"name": "name", word: column}


@pytest.mark.parametrize("label", [
    "brand",
    "maker",
    "make",  # a stopword ("make a chart"), yet after "which" it is the car's make, the column's name
])
def test_which_is_the_heaviest_ranks_the_named_groups(write_csv, label):
    rows = [f"{label},model,weight_kg,market"] + [
        f"{['Volvo', 'Fiat', 'Audi', 'Kia'][i % 4]},Model {i},{900 + (i * 53) % 700},{['EU', 'US'][i % 2]}"
        for i in range(24)]  # four makers, one row per model
    profile = profile_dataset(write_csv("cars.csv", "\n".join(rows) + "\n"))
    c = classify_intent(f"which {label} is the heaviest?", profile).chart
    # "heaviest" measures weight; "which <label>" asks for the makers ranked, heaviest first (not each model)
    assert (c.mark, c.x.field, c.y.field, c.sort) == ("bar", label, "weight_kg", "descending")


# ---------------------------------------------------------------- 7. verbs name their noun
@pytest.mark.parametrize("question,header,verb,column", [
    ("which machine vibrates the most?", "machine,vibration_mm_s,temperature_c", "vibrates", "vibration_mm_s"),
    ("who earns the most?", "name,income,age", "earns", "income"),      # what one earns is income
    ("which brand weighs the most?", "brand,weight_kg,price", "weighs", "weight_kg"),  # vocabulary.yaml
])
def test_verbs_name_their_noun(table, question, header, verb, column):
    profile = table(header, labels=(header.split(",")[0],))
    assert grounded(question, profile).get(verb) == column
    r = classify_intent(question, profile)
    assert r.unmatched == [] and r.chart.y.field == column and r.chart.sort == "descending"


# ---------------------------------------------------------------- 8. near misses, and a measure with no column
@pytest.mark.parametrize("word,column", [
    ("station", "status"),          # a place, not a state
    ("age", "agency"),              # a span of years, not an organisation
    ("cost", "costume"),            # money, not clothing
    ("productivity", "product"),    # a rate of output, not the thing made
    ("policy", "police"),           # a rule, not the force
    ("capital", "capacity"),        # money or a city, not how much fits
    ("humor", "hum"),               # a short word's continuation only when much longer
    ("harbour", "hr"),              # two letters are too few to be a word without its vowels
    ("head", "ehead"),              # a letter and a word of four letters: too short to be sure
    ("wines", "od280/od315_of_diluted_wines"),  # what follows "of" qualifies the name's head, it is not named
])
def test_near_miss_words_match_nothing(table, word, column):
    assert grounded(f"show the {word}", table(f"name,{column},salary")) == {}


def test_an_unmatched_measure_counts_rows_and_says_so(table):
    profile = table("machine,temperature_c,pressure_kpa", labels=("machine",))
    r = classify_intent("which machine vibrates the most?", profile)
    assert r.unmatched == ["vibrates"]  # no vibration column: not silently temperature or pressure
    c = r.chart
    assert (c.x.field, c.y.field, c.y.aggregate) == ("machine", None, "count")
    assert "'vibrates' matched no column; showing the count of rows" in r.notes


@pytest.mark.parametrize("question,said", [
    ("average price by birth order", ["birth order"]),   # no such column: said, not grouped silently
    ("average price by weight", []),                     # a column: grouped by it
    ("price vs weight, coloured by whether it is new", []),  # "by whether …": a condition, no grouping word
    ("price of the items bought by women", []),          # "bought by": who did it
    ("average price per person", []),                    # a rate, no grouping
])
def test_a_grouping_that_matches_no_column_is_said(table, question, said):
    r = classify_intent(question, table("name,price,weight", labels=("name",)))
    assert r.ungrouped == said
    assert any(f"{said[0]!r} matched no column; grouped by" in n for n in r.notes) == bool(said)


# ---------------------------------------------------------------- 9. cell values as people write them
@pytest.fixture
def shops(write_csv):
    rows = ["shop,country,score"] + [f"{s},{c},{70 + i % 25}" for i, (s, c) in enumerate(
        [("MCDONALD'S", "United States"), ("CARL'S JR RESTAURANT", "United States"), ("Holstein-Friesian", "Germany"),
         ("Holstein Bakery Ltd", "Germany"), ("Wendy's", "United Kingdom")] * 6)]
    return profile_dataset(write_csv("shops.csv", "\n".join(rows) + "\n"))


def values_of(question, profile):
    matches, _ = ground(tokenize(question), column_index(profile))
    return {m.phrase: m.value for m in matches if m.method == "value"}


@pytest.mark.parametrize("question,expected", [
    # the possessive is part of the name, as the cell writes it
    ("McDonald's vs Wendy's scores", {"McDonald s": "MCDONALD'S", "Wendy s": "Wendy's"}),
    # a name said short: its first words, when they start one value only
    ("Carl's Jr scores", {"Carl s Jr": "CARL'S JR RESTAURANT"}),
    # "Holstein" starts two values: not guessed
    ("scores at Holstein", {}),
    # "US" (a stopword written in capitals) is a country's other name; "us" in "show us" is not
    ("average score in the US", {"US": "United States"}),
    ("show us the average score", {}),
])
def test_values_as_written_in_questions(shops, question, expected):
    assert values_of(question, shops) == expected


def test_a_verb_done_again_names_the_verbs_column(table):
    """ "rearrested" (no lexicon lists it) is "arrested" again: the arrest column; a real word that starts
    with "re" ("revenue") keeps its own meaning."""
    profile = table("name,arrest,venue,reading")
    assert grounded("share of those rearrested by name", profile)["rearrested"] == "arrest"
    assert "venue" not in grounded("revenue by name", profile).values()


def test_a_glued_piece_keeps_its_words_consonants(table):
    """ "rte" is rate (r-t), but "rate" is no shortening of "related" (r-l-t-d): the piece's consonants must
    be the word's first ones; "number" may be a piece (dno = department number), being no aggregate asked."""
    profile = table("name,support_rate,unsure_rate,dno")
    assert "support related" not in grounded("total support related to unsure support by name", profile)
    assert grounded("box plot of department number by name", profile)["department number"] == "dno"



@pytest.mark.parametrize("word,nouns", [
    ("rainy", ("rain",)), ("cloudy", ("cloud",)), ("sunny", ("sunn", "sun")), ("foggy", ("fogg", "fog")),
    # near misses: no adjective in -y made from a noun
    ("day", ()), ("key", ()), ("rain", ()), ("buy", ()),
])
def test_an_adjective_in_y_gives_the_nouns_it_is_made_from(word, nouns):
    assert noun_of_adjective(word) == nouns
