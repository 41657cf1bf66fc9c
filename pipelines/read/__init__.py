"""Stage 1, read: find the raw sources, load their manifests, read each file (one reader per
format) and find its table: header, titles, blanks, notes and totals set aside."""
