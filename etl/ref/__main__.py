"""`python -m etl.ref`: keep items.yaml parsed for the next runs (scripts/setup-python.sh)."""

from etl.ref import write_items_cache

print(f"etl.ref: {write_items_cache()}")
