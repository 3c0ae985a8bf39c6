"""The Dagster layer: the only place that imports dagster. Thin wiring over the core stages."""
