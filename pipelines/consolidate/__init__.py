"""Stage 3, consolidate: every staged source into the canonical tables, beneficiaries matched
across regions and years."""
