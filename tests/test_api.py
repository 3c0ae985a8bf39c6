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
