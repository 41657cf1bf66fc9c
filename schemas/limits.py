"""Sane ceilings on what a publisher's figures can be: beyond them a value is a typo or a hostile file.

A regional « 1000 premiers jours » grant is a few thousand to a few hundred thousand euros, a
regional envelope a few million: the ceilings leave a wide margin and still stop « 1e20 ».
"""

# One award line (one project, one funder), and one budget line of a campaign.
AMOUNT_CEILING_EUR = 10_000_000
# A campaign's envelope or announced total, as written in a manifest.
ENVELOPE_CEILING_EUR = 500_000_000
# An announced number of laureates.
COUNT_CEILING = 100_000
