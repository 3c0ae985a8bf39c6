"""Offline understanding on the bundled examples; each expectation worked out by hand from the question."""

import pytest

from autoviz_pipeline.profiling import profile_dataset
from autoviz_pipeline.understanding import DEFAULT_QUESTION, classify_intent
from autoviz_pipeline.understanding.columns import column_index
from autoviz_pipeline.understanding.grounding import ground
from autoviz_pipeline.understanding.lexicon import lemma, split_name, tokenize
from autoviz_pipeline.understanding.vocabulary import vocabulary
from tests.conftest import EXAMPLES


def ground_columns(question, profile):
    """(matches, alternatives, tokens) of a question, as the reading grounds it."""
    tokens = tokenize(question)
    matches, alternatives = ground(tokens, column_index(profile))
    return matches, alternatives, tokens


@pytest.fixture(scope="module")
def sensors():
    return profile_dataset(EXAMPLES / "sensor_readings.csv")


@pytest.fixture(scope="module")
def visitors():
    return profile_dataset(EXAMPLES / "daily_visitors.csv")


def test_name_forms():
    assert split_name("productCategory") == split_name("product_category") == ["product", "category"]
    assert lemma("categories") == "category" and lemma("regions") == "region" and lemma("boxes") == "box"
    assert vocabulary().synonyms("type", "category")


def test_headline_question(december_profile):
    r = classify_intent("revenue totals by region and product type", december_profile)
    assert r.intent == "comparative_analysis" and r.source == "offline" and 0.5 < r.confidence <= 1
    c = r.chart
    assert c.mark == "bar"
    assert (c.x.field, c.y.field, c.y.aggregate, c.color.field) == ("region", "revenue", "sum", "product_category")
    product = next(m for m in r.matches if m.column == "product_category")
    assert product.phrase == "product type" and product.method == "synonym" and product.score < 1


@pytest.mark.parametrize("question,intent", [
    ("show the trend of revenue over time", "time_series"),
    ("are there any outliers in revenue?", "anomaly_detection"),
    ("what is the distribution of revenue", "distribution"),
    ("how is revenue distributed across regions", "distribution"),
    ("share of revenue per region", "composition"),
    ("top 3 regions by revenue", "ranking"),
    ("give me an overview", "general_eda"),
    ("", "general_eda"),
])
def test_intents(december_profile, question, intent):
    assert classify_intent(question, december_profile).intent == intent


def test_empty_question_uses_default(december_profile):
    r = classify_intent("   ", december_profile)
    assert r.question == DEFAULT_QUESTION and r.notes


def test_value_mention_becomes_filter(december_profile):
    r = classify_intent("revenue by product category in North", december_profile)
    assert [(f.column, f.op, f.value) for f in r.filters] == [("region", "eq", "North")]
    assert r.chart.x.field == "product_category" and r.chart.filters == r.filters


def test_comparison_and_top_n(sensors):
    r = classify_intent("average power by machine for temperature above 80", sensors)
    assert [(f.column, f.op, f.value) for f in r.filters] == [("temperature_c", "gt", 80)]
    assert (r.chart.x.field, r.chart.y.field, r.chart.y.aggregate) == ("machine_id", "power_kw", "mean")
    top = classify_intent("top 5 machines by vibration", sensors)
    assert top.chart.limit == 5 and top.chart.sort == "descending" and top.chart.y.field == "vibration_mm_s"


def test_chart_from_roles_without_chart_words(visitors, sensors):
    line = classify_intent("visitors over time", visitors)
    assert line.chart.mark == "line" and line.chart.x.field == "date" and line.chart.y.field == "visitors"
    scatter = classify_intent("temperature versus vibration", sensors)
    assert scatter.chart.mark == "point"
    assert {scatter.chart.x.field, scatter.chart.y.field} == {"temperature_c", "vibration_mm_s"}
    monthly = classify_intent("monthly signups by channel", visitors)
    assert monthly.chart.mark == "line" and monthly.chart.x.time_unit == "month"
    assert monthly.chart.color.field == "channel"


def test_explicit_chart_words(december_profile):
    assert classify_intent("pie chart of revenue by region", december_profile).chart.mark == "arc"
    hist = classify_intent("histogram of revenue", december_profile).chart
    assert hist.mark == "bar" and hist.x.field == "revenue" and hist.x.bin
    box = classify_intent("box plot of revenue by region", december_profile).chart
    assert (box.mark, box.x.field, box.y.field) == ("boxplot", "region", "revenue")


def test_words_that_must_not_match(december_profile, sensors):
    # "data" is not "date", "regional" alone is fine but "religion" is not "region"
    matches, _, _ = ground_columns("show the data about religion", december_profile)
    assert matches == []
    # a number is not a filter unless a comparison word ties it to a column
    r = classify_intent("show 3 charts of temperature", sensors)
    assert r.filters == []


def test_typo_is_matched_fuzzily(december_profile):
    matches, _, _ = ground_columns("revnue by regoin", december_profile)
    assert [(m.column, m.method) for m in matches] == [("revenue", "fuzzy"), ("region", "fuzzy")]


# ---------------------------------------------------------------- phrase kinds (issue #3)
@pytest.fixture
def staff(write_csv):
    rows = ["stuid,fname,lname,dept_name,age,salary,city_code,recorded_by_staff_id,line_1"]
    depts = ["Physics", "Marketing", "Statistics", "History"]
    for i in range(40):
        rows.append(f"{1000 + i},N{i},L{i % 7},{depts[i % 4]},{18 + i % 9},{30000 + 250 * i},C{i % 3},{i % 5},street {i}")
    return profile_dataset(write_csv("staff.csv", "\n".join(rows) + "\n"))


@pytest.mark.parametrize("phrase,column,method", [
    ("student ID", "stuid", "abbreviation"),
    ("first name", "fname", "abbreviation"),
    ("department names", "dept_name", "abbreviation"),  # dept → department, "names" its generic word
    ("staff member", "recorded_by_staff_id", "synonym"),
    ("address line one", "line_1", "normalized"),  # "one" → "1", then the name's own words
])
def test_abbreviations_synonyms_and_number_words(staff, phrase, column, method):
    matches, _, _ = ground_columns(f"show {phrase} please", staff)
    assert [(m.column, m.method) for m in matches] == [(column, method)]


def test_value_list_and_postfix_comparison(staff):
    r = classify_intent("average salary in the Physics, Marketing, or Statistics departments for ages 21 or older",
                        staff)
    filters = {(f.column, f.op): (f.value, f.values) for f in r.filters}
    assert filters[("dept_name", "in")][1] == ["Physics", "Marketing", "Statistics"]
    assert filters[("age", "gte")][0] == 21
    assert r.chart.y.field == "salary" and r.chart.y.aggregate == "mean"


def test_number_list_and_range_filters(staff):
    r = classify_intent("salary for student IDs of 1003, 1007, or 1010 with age between 19 and 23", staff)
    assert {(f.column, f.op, tuple(f.values)) for f in r.filters} == {
        ("stuid", "in", (1003, 1007, 1010)), ("age", "range", (19, 23))}


def test_counted_entity_is_not_a_field(staff):
    r = classify_intent("number of students for each city code", staff)
    assert (r.chart.x.field, r.chart.y.aggregate, r.chart.color) == ("city_code", "count", None)


def test_multi_sentence_question_is_one_request(december_profile):
    r = classify_intent("Look at revenue. Then split it by region, colored by product category.", december_profile)
    c = r.chart
    assert (c.x.field, c.y.field, c.color.field) == ("region", "revenue", "product_category")


def test_ambiguous_match_is_kept_as_alternative(write_csv):
    profile = profile_dataset(write_csv("people.csv", "first_name,last_name,age\nAnn,Lee,30\nBob,Kim,41\n"))
    r = classify_intent("count by name", profile)  # first_name and last_name fit equally well
    (match,) = [m for m in r.matches if m.phrase == "name"]
    assert {match.column, *match.alternatives} == {"first_name", "last_name"}
    assert match in r.alternatives  # kept for the manifest, not silently guessed away


@pytest.mark.parametrize("question", [
    "show 3 charts of salary",          # a count of charts is not a filter
    "salary in 2 ways",                 # nor a small number next to a measure
])
def test_numbers_that_are_not_filters(staff, question):
    assert classify_intent(question, staff).filters == []


def test_year_comparison_filters_the_date(december_profile):
    r = classify_intent("revenue by region after 2024", december_profile)
    assert [(f.column, f.op, f.value) for f in r.filters] == [("date", "gt", 2024)]
    plain = classify_intent("revenue by region above 5000", december_profile)
    assert [(f.column, f.op, f.value) for f in plain.filters] == [("revenue", "gt", 5000)]


@pytest.mark.parametrize("question,expected", [
    ("median revenue by region", ("bar", "region", "revenue", "median")),
    ("highest revenue per product category", ("bar", "product_category", "revenue", "max")),
    ("number of sales by region", ("bar", "region", None, "count")),
    ("area chart of revenue over time", ("area", "date", "revenue", "sum")),
    ("heatmap of region and product category", ("rect", "region", "product_category", None)),
])
def test_chart_and_aggregation_words(december_profile, question, expected):
    c = classify_intent(question, december_profile).chart
    mark, x, y, agg = expected
    assert c.mark == mark and c.x.field == x
    if mark == "rect":
        assert c.y.field == y and c.color.aggregate == "count"
    else:
        assert (c.y.field, c.y.aggregate) == (y, agg)


def test_grouped_versus_stacked_bars(december_profile):
    grouped = classify_intent("grouped bar chart of revenue by region and product category", december_profile)
    stacked = classify_intent("stacked bar chart of revenue by region and product category", december_profile)
    assert grouped.chart.stacked is False and stacked.chart.stacked is True
    from autoviz_pipeline.planning import chart_to_tool
    assert chart_to_tool(grouped.chart)[1]["stacked"] is False


def test_time_units_and_bins(visitors):
    assert classify_intent("visitors by year", visitors).chart.x.time_unit == "year"
    assert classify_intent("weekly signups", visitors).chart.x.time_unit == "week"
    hist = classify_intent("histogram of visitors with 15 bins", visitors).chart
    assert (hist.x.field, hist.x.bin, hist.y.aggregate) == ("visitors", 15, "count")


def test_top_n_sorts_descending_and_bottom_ascending(december_profile):
    top = classify_intent("top 2 regions by revenue", december_profile).chart
    bottom = classify_intent("bottom 2 regions by revenue", december_profile).chart
    assert (top.limit, top.sort) == (2, "descending") and (bottom.limit, bottom.sort) == (2, "ascending")
    assert top.filters == []  # "top 2" limits, it does not filter


def test_ambiguity_reaches_the_manifest(write_csv, tmp_path):
    """understanding.alternatives in the manifest lists the rivals of an ambiguous phrase."""
    import json

    from autoviz_pipeline.api import plan_for
    from autoviz_pipeline.execution import execute_plan
    from autoviz_pipeline.report import render_report

    profile = profile_dataset(write_csv("people.csv", "first_name,last_name,age\nAnn,Lee,30\nBob,Kim,41\n"))
    intent, adapted, validated = plan_for("count by name", profile)
    execution = execute_plan(validated, profile, tmp_path / "out")
    report = render_report(question=intent.question, profile=profile, intent=intent, adapted=adapted,
                           validated=validated, execution=execution, llm_calls=[], timings={},
                           out_dir=tmp_path / "out")
    alternatives = json.loads(open(report.manifest).read())["understanding"]["alternatives"]
    assert any({a["column"], *a["alternatives"]} == {"first_name", "last_name"} for a in alternatives)


def test_one_column_never_fills_two_axes(write_csv):
    profile = profile_dataset(write_csv("papers.csv", "paperid,authid,venue\n" + "".join(
        f"{i % 7},{i},{'ABC'[i % 3]}\n" for i in range(30))))
    line = classify_intent("line chart of the average paper id for each paper id", profile).chart
    assert line.x.field == "paperid" and line.y.field != "paperid"
    heat = classify_intent("heat map of venue for venues A, B or C", profile).chart
    assert heat.x.field != heat.y.field


# ---------------------------------------------------------------- synonyms both ways, verb forms, row words
@pytest.fixture
def drivers(write_csv):
    rows = ["driver_id,forename,surname,accelerate,certificationexpires,product,general_notes"]
    for i in range(30):
        rows.append(f"{i},F{i},S{i % 11},{10 + i % 7}.5,2008-0{1 + i % 9}-15,P{i % 4},n{i}")
    return profile_dataset(write_csv("drivers.csv", "\n".join(rows) + "\n"))


@pytest.mark.parametrize("phrase,column,method", [
    ("family names", "surname", "synonym"),        # the column says "surname", the question "family names"
    ("first names", "forename", "synonym"),
    ("acceleration", "accelerate", "derived"),      # a verb's noun
    ("certification expiration", "certificationexpires", "derived"),  # run-together name ending in the verb
])
def test_synonym_groups_and_verb_forms(drivers, phrase, column, method):
    matches, _, _ = ground_columns(f"show the {phrase}", drivers)
    assert [(m.column, m.method) for m in matches] == [(column, method)]


@pytest.mark.parametrize("phrase", ["production", "generation"])
def test_nouns_that_only_share_a_start_do_not_match(drivers, phrase):
    # "production" is not "product" (WordNet lists "production" among product's senses, not the other way
    # round); "generation" is not "general_notes"
    matches, _, _ = ground_columns(f"show the {phrase}", drivers)
    assert matches == []
    products, _, _ = ground_columns("show the products", drivers)
    assert [m.column for m in products] == ["product"]


def test_a_noun_finds_the_verb_it_comes_from(drivers):
    # "expiry" shares only four letters with "expires", but it is the verb's noun (WordNet derivation)
    matches, _, _ = ground_columns("show the expiry", drivers)
    assert [(m.column, m.method) for m in matches] == [("certificationexpires", "related")]


def test_surname_finds_a_last_name_column(write_csv):
    profile = profile_dataset(write_csv("people.csv", "last_name,age\nLee,30\nKim,41\n"))
    matches, _, _ = ground_columns("count by surname", profile)
    assert [(m.column, m.method) for m in matches] == [("last_name", "synonym")]


@pytest.fixture
def customers(write_csv):
    rows = ["customer_id,customer_name,customer_phone,customer_email,payment_method,amount"]
    for i, name in enumerate(["Cheyenne", "Caterina", "Ottilie", "Bob", "Ann", "Lee"] * 3):
        rows.append(f"{i},{name},555-01{i:02d},{name.lower()}{i}@x.org,{['Cash', 'Card'][i % 2]},{10 * i}")
    return profile_dataset(write_csv("customers.csv", "\n".join(rows) + "\n"))


def test_a_word_naming_the_rows_is_no_column(customers):
    # "customers" names the rows (the file, and the start of four column names), not customer_id
    r = classify_intent("Which customers are in the pie chart for those named Cheyenne, Caterina, or Ottilie?",
                        customers)
    assert [m.column for m in r.matches if m.method != "value"] == []
    assert r.chart.mark == "arc" and r.chart.color.field == "customer_name"
    r = classify_intent("the customer's payment method", customers)
    assert [m.column for m in r.matches] == ["payment_method"]


def test_a_row_word_after_by_still_groups(customers):
    matches, _, _ = ground_columns("amount by customer", customers)
    assert "amount" in [m.column for m in matches] and any(m.phrase == "customer" for m in matches)


def test_different_is_not_a_comparison(write_csv):
    rows = ["order_id,product_quantity"] + [f"{i % 6},{(i * 7) % 11}" for i in range(60)]
    profile = profile_dataset(write_csv("items.csv", "\n".join(rows) + "\n"))
    r = classify_intent("How does the distribution of product quantities vary across different orders?", profile)
    assert r.intent == "distribution"
    assert (r.chart.mark, r.chart.x.field, r.chart.y.field) == ("boxplot", "order_id", "product_quantity")


def test_scatter_axes_are_quantities_and_a_named_category_colours(write_csv):
    rows = ["mountain_id,name,height,prominence,range"]
    rows += [f"{i},M{i},{4000 + 37 * i},{500 + 11 * i},{'ABC'[i % 3]}" for i in range(12)]
    profile = profile_dataset(write_csv("mountain.csv", "\n".join(rows) + "\n"))
    c = classify_intent("The height of mountains displayed as scatter points with their names.", profile).chart
    # name is a category: it colours the points; the second axis is the other number in the table
    assert (c.mark, c.x.field, c.y.field, c.color.field) == ("point", "height", "prominence", "name")
    both = classify_intent("scatter plot of height against prominence", profile).chart
    assert {both.x.field, both.y.field} == {"height", "prominence"} and both.color is None


def test_a_word_finishing_a_neighbours_name_is_absorbed(write_csv):
    profile = profile_dataset(write_csv("people.csv", "customer_email,customer_address,customer_phone\n"
                                        "a@x.org,1 Main St,555\nb@x.org,2 Main St,556\n"))
    matches, _, _ = ground_columns("the customer email addresses and phone numbers", profile)
    # "addresses" finishes "email address" (the email column), it does not name customer_address
    assert [m.column for m in matches] == ["customer_email", "customer_phone"]
    matches, _, _ = ground_columns("the customer email and the addresses", profile)
    assert [m.column for m in matches] == ["customer_email", "customer_address"]  # not adjacent: both stay


@pytest.fixture
def cars(write_csv):
    rows = ["id,name,maker,weight,mpg,horsepower"]
    rows += [f"{i},car{i},{1 + i % 9},{2000 + 53 * i},{15 + (i * 7) % 20},{60 + (i * 13) % 90}" for i in range(60)]
    return profile_dataset(write_csv("cars.csv", "\n".join(rows) + "\n"))


def test_a_filter_range_is_no_distribution_cue(cars):
    r = classify_intent("How many cars are there for the maker within the range of 2 and 5?", cars)
    assert r.intent != "distribution" and r.chart.mark == "bar"
    # a count measures no column: it counts by the number the question names (maker)
    assert (r.chart.x.field, r.chart.y.aggregate) == ("maker", "count")
    assert [(f.column, f.op, tuple(f.values)) for f in r.filters] == [("maker", "range", (2, 5))]


def test_bin_words_make_bars_of_a_measure_per_bin(cars):
    r = classify_intent("Display mpg and weight grouped into weight ranges of 10", cars)
    c = r.chart  # not a scatter: the bins aggregate; the other number is averaged per bin
    assert (c.mark, c.x.field, c.x.bin, c.y.field, c.y.aggregate) == ("bar", "weight", 10, "mpg", "mean")
    h = classify_intent("histogram of weight", cars).chart
    assert (h.mark, h.x.field, h.y.aggregate) == ("bar", "weight", "count")


def test_initials_of_words(write_csv):
    profile = profile_dataset(write_csv("cars.csv", "mpg,weight,mg\n21.5,3000,1\n18.0,3500,2\n"))
    matches, _, _ = ground_columns("average miles per gallon by weight", profile)
    assert [(m.column, m.method) for m in matches] == [("mpg", "abbreviation"), ("weight", "exact")]
    # two initials stand for two nouns ("bp" = blood pressure), never for other words ("very good")
    clinic = profile_dataset(write_csv("clinic.csv", "bp,vg,weight\n120,1,80\n135,0,92\n"))
    matches, _, _ = ground_columns("blood pressure by weight", clinic)
    assert [m.column for m in matches] == ["bp", "weight"]
    matches, _, _ = ground_columns("very good weight", clinic)
    assert [m.column for m in matches] == ["weight"]


def test_a_phrase_said_twice_is_placed_where_it_was_said(cars):
    r = classify_intent("Display weight and mpg grouped into weight ranges of 10 for cars weighing between 2100 and "
                        "4000", cars)
    # the range follows the second "weight": it filters weight, not the mpg named in between
    assert [(f.column, f.op) for f in r.filters] == [("weight", "range")]
    # Display(0) weight(1) … into(5) weight(6) … cars(11) weighing(12): "weighing" names weight too
    assert [m.position for m in r.matches if m.column == "weight"] == [1, 6, 12]
    c = r.chart
    assert (c.x.field, c.x.bin, c.y.field, c.y.aggregate) == ("weight", 10, "mpg", "mean")


def test_a_number_list_filters_a_column_of_numbers(write_csv):
    rows = ["student_id,email_address,age"] + [f"{i},s{i}@x.org,{18 + i % 5}" for i in range(1, 16)]
    profile = profile_dataset(write_csv("people.csv", "\n".join(rows) + "\n"))
    r = classify_intent("The emails of people with IDs 5, 7, or 11", profile)
    assert all(f.column != "email_address" for f in r.filters)  # 5, 7, 11 are no e-mail addresses


def test_a_weak_fuzzy_score_does_not_hide_a_partial_name(write_csv):
    profile = profile_dataset(write_csv("lines.csv", "order_item_id,order_id,quantity\n1,1,3\n2,1,4\n3,2,5\n"))
    matches, _, _ = ground_columns("quantity of order items", profile)
    # "orderitems" is two edits from "orderitemid" (too weak for fuzzy); the words name order_item_id
    assert [m.column for m in matches] == ["quantity", "order_item_id"]


@pytest.mark.parametrize("question,expected", [
    # (x binned, y field, y aggregate): a count stays a count; "by weight" bins weight, not the filtered mpg
    ("number of cars by weight ranges of 10 with mpg over 20", ("weight", None, "count")),
    ("average mpg in weight ranges of 10", ("weight", "mpg", "mean")),
    ("mpg by weight in 5 bins", ("weight", "mpg", "mean")),
])
def test_which_number_is_binned(cars, question, expected):
    c = classify_intent(question, cars).chart
    assert c.mark == "bar" and c.x.bin and (c.x.field, c.y.field, c.y.aggregate) == expected
    assert c.color is None or c.color.field != c.x.field


def test_a_chart_word_that_names_a_column_is_no_chart_word(write_csv):
    rows = ["address_id,line_1,city"] + [f"{i},{i} Main Street,{'AB'[i % 2]}town" for i in range(1, 21)]
    profile = profile_dataset(write_csv("addresses.csv", "\n".join(rows) + "\n"))
    r = classify_intent("How many addresses are there for each line one address?", profile)
    # "line one" names line_1: the question asks for counts per address line, not for a line chart
    assert r.chart_words == [] and r.chart.mark == "bar" and r.chart.x.field == "line_1"
    said = classify_intent("a line chart of the number of addresses per line one address", profile)
    assert said.chart_words == ["line"] and said.chart.mark == "line"
    named_then_said = classify_intent("count per line one address as a line chart", profile)
    assert named_then_said.chart_words == ["line"] and named_then_said.chart.x.field == "line_1"


def test_a_column_said_twice_fills_one_axis(write_csv):
    rows = ["player_id,name,apps,tries,points"] + [f"{i},P{i},{10 + i},{i % 7},{3 * i}" for i in range(1, 16)]
    profile = profile_dataset(write_csv("players.csv", "\n".join(rows) + "\n"))
    c = classify_intent("scatter plot of tries for players with 3 or fewer tries", profile).chart
    assert c.mark == "point" and c.x.field != c.y.field and "tries" in (c.x.field, c.y.field)


def test_a_count_over_keys_is_bars_a_relation_of_quantities_is_a_scatter(write_csv):
    rows = ["customer_id,address_id,height,prominence"]
    rows += [f"{1 + i % 12},{1 + i % 8},{4000 + 37 * i},{500 + (11 * i) % 97}" for i in range(40)]
    profile = profile_dataset(write_csv("links.csv", "\n".join(rows) + "\n"))
    keys = classify_intent("How many records exist for customer identifiers related to address identifiers 5, 6, or 7?",
                           profile)
    assert keys.intent == "relationship" and keys.chart.mark == "bar" and keys.chart.y.aggregate == "count"
    quantities = classify_intent("How is height related to prominence?", profile).chart
    assert quantities.mark == "point" and {quantities.x.field, quantities.y.field} == {"height", "prominence"}
    counted = classify_intent("How many rows have different height prominences?", profile).chart
    assert counted.mark == "point" and counted.size is not None and counted.size.aggregate == "count"
    assert classify_intent("The scattering of heights by prominence is plotted.", profile).chart.mark == "point"


def test_dates_in_the_question_filter_the_date_column(december_profile, visitors):
    from autoviz_pipeline.handoff import load_frame
    from autoviz_pipeline.tools import apply_filters

    frame = load_frame(december_profile)  # 31 days x 4 regions x 5 categories = 20 rows a day
    before = classify_intent("revenue before 2024-12-10 by region", december_profile)
    assert [(f.column, f.op, f.value) for f in before.filters] == [("date", "lt", "2024-12-10")]  # not "lt 2024"
    assert len(apply_filters(frame, before.filters)) == 9 * 20  # December 1-9
    after = classify_intent("revenue after December 20", december_profile)  # the year the data covers
    assert [(f.column, f.op, f.value) for f in after.filters] == [("date", "gt", "2024-12-20")]
    assert len(apply_filters(frame, after.filters)) == 11 * 20  # December 21-31
    span = classify_intent("revenue between December 1 and December 15 by category", december_profile)
    assert [(f.op, f.values) for f in span.filters] == [("range", ["2024-12-01", "2024-12-15"])]
    assert len(apply_filters(frame, span.filters)) == 15 * 20 and span.chart.x.field == "product_category"
    # the data spans 2023 and 2024: "May" alone is May of both years, and the note says so
    may = classify_intent("visitors in May", visitors)
    assert [(f.column, f.op, f.value, f.part) for f in may.filters] == [("date", "eq", 5, "month")]
    assert len(apply_filters(load_frame(visitors), may.filters)) == 2 * 31 * 3  # 3 channels a day
    assert any("names no year: kept in every year of 'date' (2023 to 2024)" in n for n in may.notes)
    year = classify_intent("visitors in 2024 by month", visitors)
    assert [(f.column, f.op, f.value) for f in year.filters] == [("date", "eq", 2024)]
    assert (year.chart.x.field, year.chart.x.time_unit) == ("date", "month")
    month = classify_intent("How many visitors came from paid in May 2024?", visitors)
    assert {(f.column, f.op, f.value) for f in month.filters} == {("channel", "eq", "paid"), ("date", "eq", "2024-05")}
    # "how many visitors": the visitors column counts them, so it is added up; the date filter is no axis
    assert (month.chart.mark, month.chart.y.field, month.chart.y.aggregate) == ("bar", "visitors", "sum")


def test_a_year_like_number_after_a_numeric_column_is_a_number(write_csv):
    rows = ["day,price,shop"] + [f"2024-01-{d:02d},{1990 + d},{'AB'[d % 2]}" for d in range(1, 29)]
    profile = profile_dataset(write_csv("prices.csv", "\n".join(rows) + "\n"))
    r = classify_intent("shops with a price between 2000 and 2010", profile)
    assert [(f.column, f.op, f.values) for f in r.filters] == [("price", "range", [2000, 2010])]


def test_order_words_sort_and_superlatives_after_which_rank(december_profile, sensors):
    sold = classify_intent("Which region sold the most in December?", december_profile).chart
    # "sold" is revenue; "the most" ranks the regions by their total, it asks for no max() of single rows
    assert (sold.x.field, sold.y.field, sold.y.aggregate, sold.sort) == ("region", "revenue", "sum", "descending")
    low = classify_intent("which product category had the lowest revenue in the South?", december_profile).chart
    assert (low.y.aggregate, low.sort) == ("sum", "ascending")
    assert low.color is None  # filtered to the South: one region, nothing to split by
    ordered = classify_intent("revenue by region sorted from highest to lowest", december_profile).chart
    assert (ordered.y.aggregate, ordered.sort) == ("sum", "descending")
    peak = classify_intent("the highest temperature per machine", sensors).chart
    assert (peak.y.field, peak.y.aggregate, peak.sort) == ("temperature_c", "max", None)
    value = classify_intent("What is the highest temperature per machine?", sensors).chart  # asks for the value
    assert (value.y.field, value.y.aggregate) == ("temperature_c", "max")
    which = classify_intent("what machine has the highest vibration?", sensors).chart  # asks which machine
    assert (which.y.field, which.y.aggregate, which.sort) == ("vibration_mm_s", "mean", "descending")
    contracted = classify_intent("What's the maximum power by machine?", sensors).chart
    assert (contracted.y.field, contracted.y.aggregate) == ("power_kw", "max")  # the "s" of "what's" is no column


def test_a_column_filtered_to_one_value_is_no_colour(december_profile):
    west = classify_intent("top 3 categories by revenue in the West", december_profile)
    assert [(f.column, f.value) for f in west.filters] == [("region", "West")] and west.chart.color is None
    pair = classify_intent("Compare Electronics and Clothing revenue by region", december_profile).chart
    assert pair.color is not None and pair.color.field == "product_category"  # two values: a split
    toys = classify_intent("How did Toys sell over the month?", december_profile)
    assert (toys.intent, toys.chart.mark, toys.chart.x.field, toys.chart.color) == ("time_series", "line", "date", None)


def test_how_many_counts_rows_unless_the_column_holds_the_quantity(write_csv):
    rows = ["project,scientist,hours"] + [f"P{i % 3},{100 + i},{i % 7 + 1}" for i in range(30)]
    profile = profile_dataset(write_csv("work.csv", "\n".join(rows) + "\n"))
    people = classify_intent("How many scientists are there for each project?", profile).chart
    assert people.y.aggregate == "count"  # scientist holds ids: the rows are counted
    hours = classify_intent("How many hours were spent on each project?", profile).chart
    assert (hours.y.field, hours.y.aggregate) == ("hours", "sum")


def test_a_plural_finds_its_value_and_short_forms_stay_apart(sensors, write_csv):
    faults = classify_intent("which machines had faults?", sensors)
    assert [(f.column, f.value) for f in faults.filters] == [("status", "fault")]
    profile = profile_dataset(write_csv("decisions.csv", "player,decision\nA,yes\nB,no\nC,yes\n"))
    r = classify_intent("the number of players by decision", profile)
    assert r.filters == []  # "number" is not the value "no"


def test_headers_in_another_language(write_csv):
    from tests.conftest import EXAMPLES

    euro = profile_dataset(EXAMPLES / "european_sales_cp1252.csv")
    city = classify_intent("revenue by city", euro).chart
    assert (city.x.field, city.y.field, city.y.aggregate) == ("Stadt", "Umsatz €", "sum")
    price = classify_intent("unit price by product", euro).chart
    assert (price.x.field, price.y.field, price.y.aggregate) == ("Produkt", "Stückpreis €", "mean")
    country = classify_intent("which country has the highest sales?", euro).chart
    assert (country.x.field, country.y.field, country.sort) == ("Land", "Umsatz €", "descending")
    french = profile_dataset(write_csv("ventes.csv", "ville,produit,quantite,prix\nLyon,pain,3,1.2\nNice,vin,1,9.5\n"))
    units = classify_intent("quantity by city", french).chart
    assert (units.x.field, units.y.field, units.y.aggregate) == ("ville", "quantite", "sum")


def test_a_split_with_nothing_to_split_is_the_axis(december_profile):
    alone = classify_intent("revenue broken down by category", december_profile).chart
    # no region was asked for: the categories are the bars, nothing is invented for the x axis
    assert (alone.x.field, alone.color) == ("product_category", None)
    both = classify_intent("revenue by region broken down by category", december_profile).chart
    assert (both.x.field, both.color.field) == ("region", "product_category")


def test_a_ranking_or_a_total_without_a_number_uses_the_main_quantity(december_profile, sensors):
    top = classify_intent("top 2 regions", december_profile).chart
    assert (top.x.field, top.y.field, top.y.aggregate, top.limit) == ("region", "revenue", "sum", 2)
    much = classify_intent("how much did we make in total per category?", december_profile).chart
    assert (much.x.field, much.y.field, much.y.aggregate) == ("product_category", "revenue", "sum")
    counted = classify_intent("how many readings per status?", sensors).chart
    assert (counted.y.field, counted.y.aggregate) == (None, "count")  # a count stays a count


def test_the_share_of_one_value_is_shown_among_all(sensors):
    r = classify_intent("what percentage of readings are faults?", sensors)
    assert (r.chart.mark, r.chart.color.field) == ("arc", "status")
    assert r.filters == [] and r.chart.filters == []  # a pie of the faults alone would be one slice of 100%
    assert any("share asked about" in n for n in r.notes)


def test_two_numbers_against_each_other_are_a_scatter(sensors):
    c = classify_intent("temperature vs vibration for machines M-03 and M-06", sensors).chart
    assert (c.mark, c.x.field, c.y.field, c.color.field) == ("point", "temperature_c", "vibration_mm_s", "machine_id")


def test_the_last_days_count_back_from_the_data(december_profile, visitors):
    week = classify_intent("revenue in the last 7 days by region", december_profile)
    assert [(f.column, f.op, f.value) for f in week.filters] == [("date", "gte", "2024-12-25")]  # 25th..31st
    assert week.chart.x.field == "region" and any("2024-12-31" in n for n in week.notes)
    last = classify_intent("revenue of the last 7 days", december_profile).chart
    assert last.limit is None and [(f.op, f.value) for f in last.filters] == [("gte", "2024-12-25")]  # no "last 7"
    after = classify_intent("visitors after 2023", visitors)  # "after" says time, though visitors are numbers
    assert [(f.column, f.op, f.value) for f in after.filters] == [("date", "gt", 2023)]
    months = classify_intent("visitors over the past 3 months", visitors)  # the data ends 2024-12-31
    assert [(f.op, f.value) for f in months.filters] == [("gte", "2024-10")]


def test_missing_values_filter_and_are_not_measured(sensors):
    from autoviz_pipeline.handoff import load_frame
    from autoviz_pipeline.tools import apply_filters

    gaps = classify_intent("readings where pressure is missing", sensors)
    assert [(f.column, f.op, f.value) for f in gaps.filters] == [("pressure_kpa", "eq", None)]
    assert len(apply_filters(load_frame(sensors), gaps.filters)) == 25  # the example's 25 missing pressures
    assert gaps.chart.y.aggregate == "count" and gaps.chart.x.field != "pressure_kpa"
    present = classify_intent("machines where pressure is not missing", sensors)
    assert [(f.column, f.op) for f in present.filters] == [("pressure_kpa", "neq")]
    without = classify_intent("average temperature for readings with no pressure", sensors).chart
    assert (without.mark, without.y.field, without.y.aggregate) == ("bar", "temperature_c", "mean")


@pytest.fixture
def hr(write_csv):
    rows = ["employee_id,department,age,salary,remote"]
    rows += [f"{i},{['Sales', 'HR', 'IT'][i % 3]},{22 + (i * 7) % 40},{40000 + 500 * i},{'yes' if i % 4 else 'no'}"
             for i in range(1, 61)]
    return profile_dataset(write_csv("staff.csv", "\n".join(rows) + "\n"))


@pytest.fixture
def weather(write_csv):
    rows = ["date,city,max_temp_c,precipitation_mm,wind_kmh"]
    rows += [f"2023-{1 + d // 28:02d}-{1 + d % 28:02d},{city},{10 + d % 17},{(d * 3) % 11},{5 + (d * 7) % 30}"
             for d in range(0, 336) for city in ("Oslo", "Madrid")]
    return profile_dataset(write_csv("weather.csv", "\n".join(rows) + "\n"))


def test_adjectives_name_what_they_measure(hr, weather):
    older = classify_intent("salary of employees older than 50 by department", hr)
    assert [(f.column, f.op, f.value) for f in older.filters] == [("age", "gt", 50)]  # not "salary > 50"
    assert (older.chart.x.field, older.chart.y.field) == ("department", "salary")
    windy = classify_intent("how windy is each city?", weather).chart
    assert (windy.x.field, windy.y.field, windy.y.aggregate) == ("city", "wind_kmh", "mean")
    windiest = classify_intent("which city is the windiest?", weather).chart  # one list of superlatives
    assert (windiest.x.field, windiest.y.field, windiest.sort) == ("city", "wind_kmh", "descending")
    rain = classify_intent("monthly rainfall in Oslo", weather)
    # rain adds up over a month; the unit (mm) and the qualifier of max_temp_c are no part of the meaning
    assert (rain.chart.y.field, rain.chart.y.aggregate, rain.chart.x.time_unit) == ("precipitation_mm", "sum", "month")
    temp = classify_intent("temperature over time for each city", weather).chart
    assert (temp.mark, temp.y.field, temp.color.field) == ("line", "max_temp_c", "city")
    remote = classify_intent("what share of employees work remotely?", hr).chart
    assert (remote.mark, remote.color.field) == ("arc", "remote")


def test_a_name_ending_in_the_noun_is_that_noun(write_csv):
    profile = profile_dataset(write_csv("orders.csv", "order_id,unit_price,total_amount,country\n"
                                        + "".join(f"{i},{5 + i % 9},{20 + 3 * i},{'AB'[i % 2]}\n" for i in range(40))))
    pricey = classify_intent("the most expensive orders", profile).chart  # a unit price is a price
    assert (pricey.x.field, pricey.y.field, pricey.sort, pricey.limit) == ("order_id", "unit_price", "descending", 10)
    monthly = classify_intent("revenue by country", profile).chart  # no revenue column: the order totals
    assert (monthly.y.field, monthly.y.aggregate) == ("total_amount", "sum")


def test_rows_ranked_by_a_superlative(hr, weather):
    young = classify_intent("the 5 youngest employees", hr).chart
    assert (young.mark, young.x.field, young.y.field, young.sort, young.limit) == (
        "bar", "employee_id", "age", "ascending", 5)
    assert young.y.aggregate is None  # one row per employee: each age as it is
    hot = classify_intent("hottest days in Madrid", weather)
    assert (hot.chart.x.field, hot.chart.y.field, hot.chart.y.aggregate, hot.chart.sort, hot.chart.limit) == (
        "date", "max_temp_c", "max", "descending", 10)  # a date has a row per city: the day's highest
    assert [(f.column, f.value) for f in hot.filters] == [("city", "Madrid")]
    which = classify_intent("which department has the oldest employees?", hr).chart
    # groups named: the departments are ranked, by their employees' age
    assert (which.x.field, which.y.field, which.sort) == ("department", "age", "descending")


def test_a_season_is_its_three_months(weather):
    r = classify_intent("temperature in summer 2023", weather)
    assert [(f.column, f.op, f.values) for f in r.filters] == [("date", "range", ["2023-06", "2023-08"])]
    assert any("'summer' read as 2023-06 to 2023-08" in n for n in r.notes)


def test_days_of_the_week(write_csv):
    rows = ["order_id,order_date,amount"] + [f"{i},2024-01-{1 + i % 28:02d},{10 + i}" for i in range(60)]
    profile = profile_dataset(write_csv("orders.csv", "\n".join(rows) + "\n"))
    per_day = classify_intent("orders per weekday", profile).chart
    # a day-of-week profile compares seven days: bars, not a trend
    assert (per_day.mark, per_day.x.field, per_day.x.time_unit, per_day.y.aggregate) == (
        "bar", "order_date", "weekday", "count")
    by_day = classify_intent("average amount by day of the week", profile).chart
    assert (by_day.x.time_unit, by_day.y.field, by_day.y.aggregate) == ("weekday", "amount", "mean")
    daily = classify_intent("daily orders", profile).chart
    assert daily.x.time_unit == "day"  # "daily" is a calendar day
    line = classify_intent("line chart of orders by day of week", profile).chart
    assert (line.mark, line.x.time_unit) == ("line", "weekday")


def test_the_s_of_a_possessive_is_no_value_but_a_quoted_letter_is(write_csv):
    rows = ["ssn,super_ssn,minit"] + [f"{100 + i},{200 + i % 3},{'SMK'[i % 3]}" for i in range(12)]
    profile = profile_dataset(write_csv("staff.csv", "\n".join(rows) + "\n"))
    r = classify_intent("the supervisor's ssn values", profile)
    assert all(f.column != "minit" for f in r.filters)  # "supervisor's" names no middle initial S
    quoted = classify_intent("ssn for middle initials 'm' or 's'", profile)
    assert [(f.column, f.op, sorted(f.values)) for f in quoted.filters] == [("minit", "in", ["M", "S"])]


def test_the_rows_of_a_scatter_are_no_colour(write_csv):
    rows = ["flight,carrier,distance,dep_delay"] + [f"{100 + i % 40},{'AA' if i % 2 else 'UA'},{300 + 17 * i},{i % 23 - 5}"
                                                    for i in range(80)]
    profile = profile_dataset(write_csv("flights.csv", "\n".join(rows) + "\n"))
    c = classify_intent("plot departure delay against distance, one dot per flight", profile).chart
    # a table of flights: "per flight" is each row, not the flight-number column as a colour
    assert (c.mark, {c.x.field, c.y.field}, c.color) == ("point", {"distance", "dep_delay"}, None)
    split = classify_intent("departure delay against distance, coloured by carrier", profile).chart
    assert split.color.field == "carrier"  # a colour said is kept


def test_one_country_over_a_stretch_of_years_is_a_line_over_the_years(write_csv):
    rows = ["country,year,emissions"] + [f"{c},{y},{(y - 1950) * 0.1 + k}" for k, c in enumerate(["Japan", "Chile", "Peru"])
                                         for y in range(1950, 2013)]
    profile = profile_dataset(write_csv("co2.csv", "\n".join(rows) + "\n"))
    r = classify_intent("Japan, 1990 to 2010 only. How did emissions per head move?", profile)
    # one country is no axis: the emissions over the years asked for
    assert (r.chart.mark, r.chart.x.field, r.chart.y.field) == ("line", "year", "emissions")
    assert {(f.column, f.op) for f in r.filters} == {("country", "eq"), ("year", "range")}


def test_day_names_compared_are_values_not_a_filter(write_csv):
    days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    rows = ["datetime,day"] + [f"2024-01-{1 + i % 28:02d} 10:00:00,{days[i % 28 % 7]}" for i in range(140)]
    profile = profile_dataset(write_csv("commits.csv", "\n".join(rows) + "\n"))
    c = classify_intent("what proportion of commits were on Saturday vs Sunday?", profile).chart
    # both days kept, side by side (a pie of the two, or bars), never Saturday alone
    assert c.mark in ("arc", "bar") and [(f.column, f.op, f.values) for f in c.filters] == [("day", "in", ["Sat", "Sun"])]


@pytest.fixture
def orders(write_csv):
    rows = ["order_date,region,units,revenue,shipping_days"] + [
        f"2020-{1 + i % 12:02d}-{1 + i % 28:02d},{['North', 'South', 'East'][i % 3]},{1 + i % 9},{10.5 * (1 + i % 7)},{i % 15}"
        for i in range(120)]
    return profile_dataset(write_csv("orders.csv", "\n".join(rows) + "\n"))


def test_the_superlative_names_the_measure_before_a_verb_does(orders):
    # "sells" is a revenue word, but "the most units" says what is ranked
    c = classify_intent("which region sells the most units?", orders).chart
    assert (c.x.field, c.y.field, c.y.aggregate, c.sort) == ("region", "units", "sum", "descending")


def test_the_unit_of_a_compared_number_names_no_column(orders):
    # "in more than 10 days": days is the number's unit, not the order_date column (no line over dates)
    r = classify_intent("how many orders shipped in more than 10 days by region", orders)
    assert [(f.column, f.op, f.value) for f in r.filters] == [("shipping_days", "gt", 10)]
    assert (r.chart.mark, r.chart.x.field, r.chart.y.aggregate) == ("bar", "region", "count")
