"""Corpus ingestion: clean source texts, parse their structure, emit citable units."""
