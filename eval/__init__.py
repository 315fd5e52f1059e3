"""Evaluation: the question set, the runner behind `landqa eval`, metrics, report and gate."""
