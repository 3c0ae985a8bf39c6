from autoviz_pipeline.api import plan_for, primary_chart
from autoviz_pipeline.tools import TOOLS
from tests.conftest import DECEMBER


def test_primary_chart_is_the_first_validated_chart_step(december_profile):
    spec = primary_chart(DECEMBER, "revenue totals by region and product type")
    _, _, validated = plan_for("revenue totals by region and product type", december_profile)
    step = validated.steps[0]
    tool = TOOLS[step.tool]
    assert spec == tool.vega_lite(tool.params.model_validate(step.params), december_profile)
    assert spec["encoding"]["x"]["field"] == "region"


def test_a_huge_question_is_cut_like_the_cli_cuts_it(december_profile):
    """primary_chart() and `autoviz chart` take the question's first limits.max_question_chars characters, as
    `autoviz run` does (the reading's time grows with the question: 1 MB did not finish in 10 minutes)."""
    filler = "revenue by region " + "and some more words " * 1_000  # 20,000 characters
    intent, _, _ = plan_for(filler, december_profile)
    assert len(intent.question) <= 2000 and intent.question.startswith("revenue by region")
