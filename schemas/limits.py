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

# Beyond these a figure is possible but out of proportion: a doubt the manifest settles
# (`confirmed:`), never a refusal. A regional call funds a few dozen projects from an envelope of a
# few hundred thousand to a few million euros; one laureate over 1 M€ would take a third of a large
# region's envelope, as 360Giving's quality checks flag grants far above their programme's size.
PLAUSIBLE_LINE_EUR = 1_000_000
# An announced number of laureates for one campaign: the national programme names a few thousand.
PLAUSIBLE_AWARDS_COUNT = 2_000
# A partial list naming under a tenth of the laureates announced, once over this many announced:
# a press release naming 1 of 38 is usual, 40 lines of 99 999 is a typo in `declared`.
PARTIAL_RATIO = 10
PARTIAL_FEW = 100

# Lengths of identifiers and titles, in characters. The longest real ones are a campaign id of 23,
# a source's file name of 24, a campaign title of 92, a beneficiary's name of 78 and a project title
# of 160: beyond these ceilings a text is a whole paragraph pasted in the wrong cell, or a hostile
# file. A manifest over them is refused; a row over them is a rejected row, never cut short.
CAMPAIGN_ID_MAX = 80
SOURCE_NAME_MAX = 120  # the raw file's name without its extension, the last part of source_id
CAMPAIGN_TITLE_MAX = 300
BENEFICIARY_NAME_MAX = 300
PROJECT_TITLE_MAX = 1_000
