"""Stage 2, stage: one source end to end: its columns as canonical columns, checked by pandera,
its quality warnings, its bookkeeping (rows read = accepted + rejected + skipped)."""
