"""autoviz-pipeline: a CSV and a question in, the charts, tables and report that answer it out."""

__version__ = "0.1.0"
