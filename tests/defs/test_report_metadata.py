"""The report as the Dagster UI shows it (the analysis_report materialization's Markdown metadata): the UI cannot
read the files next to the report, so charts are inlined, within a byte budget, and only from the report's folder.
The real run's metadata is checked in test_job.py; these cases are the limits, on small report folders."""

import base64
from pathlib import Path

from autoviz_pipeline.contracts import Report
from autoviz_pipeline.defs.assets import _ui_markdown

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4  # 1,032 bytes


def _report(folder: Path, markdown: str) -> Report:
    (folder / "charts").mkdir(parents=True)
    for name in ("01_answer.png", "02 two.png"):
        (folder / "charts" / name).write_bytes(PNG)
    (folder / "report.md").write_text(markdown, encoding="utf-8")
    return Report(out_dir=str(folder), markdown=str(folder / "report.md"), html=str(folder / "report.html"),
                  manifest=str(folder / "manifest.json"))


def test_charts_are_inlined_until_the_budget_is_spent(tmp_path):
    markdown = "# Q\n\n![Sales \\[€\\]](charts/01_answer.png)\n\n![Two](charts/02%20two.png)\n"
    report = _report(tmp_path / "run", markdown)
    inlined = f"(data:image/png;base64,{base64.b64encode(PNG).decode('ascii')})"
    both = _ui_markdown(report, max_image_bytes=2 * len(PNG))
    assert both == f"# Q\n\n![Sales \\[€\\]]{inlined}\n\n![Two]{inlined}\n"
    first = _ui_markdown(report, max_image_bytes=2 * len(PNG) - 1)
    assert first == f"# Q\n\n![Sales \\[€\\]]{inlined}\n\n*(Two: open report.html)*\n"


def test_an_image_outside_the_report_folder_or_not_a_png_is_not_read(tmp_path):
    (tmp_path / "secret.png").write_bytes(PNG)
    report = _report(tmp_path / "run", "![a](../secret.png)\n![b](report.md)\n![c](charts/missing.png)\n")
    assert _ui_markdown(report) == "*(a: open report.html)*\n*(b: open report.html)*\n*(c: open report.html)*\n"


def test_file_links_become_their_text_and_escaped_brackets_stay_text(tmp_path):
    text = ("Full table: [tables/02\\_summary.csv](tables/02_summary.csv)\n"
            "A column \\[click\\]\\(x\\) and [see](https://example.org) and [tables/a.csv](tables/a.csv)\n")
    shown = _ui_markdown(_report(tmp_path / "run", text))
    assert shown == ("Full table: tables/02\\_summary.csv\n"
                     "A column \\[click\\]\\(x\\) and [see](https://example.org) and tables/a.csv\n")
