"""Warehouse build: steps that read inputs into raw, staging, mart and ref schemas."""
