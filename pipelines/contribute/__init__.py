"""Beside the flow, for contributors: the `validate` report and the `new-source` manifest draft,
built on the read and stage steps the publication runs."""
