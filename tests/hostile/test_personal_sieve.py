"""The personal-data sieve (pipelines.common.personal) against the spellings it used to miss, the
organisation names it must let through (the last guard runs it over every published text column),
and hostile strings of 100 000 characters, searched in linear time. Every value is fictitious.
"""

from __future__ import annotations

import re
import time

import pytest

from pipelines.common.personal import SIEVE, find, names_a_person, normalized, scrub
from pipelines.common.sieve import candidates
from pipelines.consolidate.tables import clean_text
from pipelines.stage.quality import PERSONAL_CODES

CAUGHT = [
    ("Dr Jeanne Fictive", "personal_name"),
    ("Docteur Jean Fictif", "personal_name"),
    ("suivi par Maître Jean Fictif", "personal_name"),
    ("Me Jeanne Fictive, avocate (fictive)", "personal_name"),
    ("Pr Jean Fictif", "personal_name"),
    ("MME JEANNE FICTIVE", "personal_name"),
    ("M Jean Fictif", "personal_name"),
    ("M. JEAN FICTIF", "personal_name"),
    ("Assistante maternelle Jeanne Fictive", "personal_name"),
    ("assistant maternel Jean Fictif", "personal_name"),
    ("ASSISTANTE MATERNELLE JEANNE FICTIVE", "personal_name"),
    ("jeanne [at] gmail.com", "personal_email"),
    ("jeanne.fictive (at) exemple.invalid", "personal_email"),
    ("jeanne＠exemple.invalid", "personal_email"),
    ("０６ ９９ ８８ ７７ ６６", "personal_phone"),
    ("tél. ＋３３ ６ ９９ ８８ ７７ ６６", "personal_phone"),
    ("+44 20 7946 0958", "personal_phone"),
    ("+49 30 12345678", "personal_phone"),
    ("0044 20 7946 0958", "personal_phone"),
    ("+32 (0)2 123 45 67", "personal_phone"),
    ("né le 12/03/1985", "personal_birth"),
    ("Née le 1er mars 1985", "personal_birth"),
    ("date de naissance : 12/03/1985", "personal_birth"),
    ("12 rue des Fictifs", "personal_address"),
    ("domicile : 3 bis, allée de la Forêt Fictive", "personal_address"),
    ("45 avenue Jean Fictif", "personal_address"),
]


@pytest.mark.parametrize(("text", "code"), CAUGHT)
def test_each_new_spelling_is_caught_by_the_sieve_and_the_patterns(text: str, code: str):
    assert code in {f.code for f in find(text)}
    assert code in PERSONAL_CODES  # held back like every other personal data
    assert candidates([text]).to_pylist() == [True]
    assert re.search(SIEVE, normalized(text))
    cleaned = scrub(text)
    assert cleaned != normalized(text) and "Fictive F" not in cleaned


ORGANISATIONS = [
    "Maison des familles",
    "Centre social Jean Jaurès",
    "Centre social Jean Moulin",
    "Crèche Les Petits Loups",
    "Maison d'assistantes maternelles Les Lutins",
    "MAM Les Petits Loups",
    "Relais assistante maternelle Les Lutins",
    "Relais petite enfance du Pays de Caux",
    "Association Fictive du Bocage",
    "Appel à projets 1000 premiers jours 2022",
    "Docteur Maboul",
    "PMI de la Drôme",
    "Ville de Saint-Étienne",
    "Communauté de communes Cœur du Jura",
    "CCAS de Montpellier",
    "ARS Bretagne",
    "M. le Maire",
    "Madame Bovary",
    "12 cours de cuisine pour les parents",
    "3 places disponibles",
    "hausse de +12 345 678 €",
    "+5 %",
    "1 000 500",
    "Bilan 2005 : 1 000 500 €",
    "Ateliers massage bébé, 12 séances",
    "Projet né le plus tôt possible",
    "Fondation pour la petite enfance",
]


@pytest.mark.parametrize("text", ORGANISATIONS)
def test_organisations_and_campaign_texts_are_not_taken_for_persons(text: str):
    assert list(find(text)) == []
    assert scrub(text) == text


def test_the_last_guard_leaves_organisation_names_and_masks_persons():
    import pandas as pd

    tables = {
        "awards": pd.DataFrame(
            {"beneficiary_name": [*ORGANISATIONS, "Assistante maternelle Jeanne Fictive"]},
            dtype="str",
        )
    }
    warnings = clean_text(tables)
    published = tables["awards"]["beneficiary_name"].tolist()
    assert published[:-1] == ORGANISATIONS
    assert published[-1] == "Assistante maternelle J… F…"
    assert warnings and "1 cellule(s)" in warnings[0]


HOSTILE = [
    "a" * 100_000,
    "Mme " + "A" * 99_996,
    "Mme A" * 20_000,
    "+44 1" * 20_000,
    "00" * 50_000,
    "0" * 100_000,
    "1 " * 50_000,
    "1 rue A" * 14_286,
    "12 rue " * 14_286,
    "assistante maternelle A " * 4_167,
    "né le 1/" * 12_500,
    "a [at] " * 14_286,
    "M. " * 33_333,
    "Dr " + "Jeanne " * 14_285,
    "＠" * 100_000,
    "０" * 100_000,
]


@pytest.mark.parametrize("text", HOSTILE, ids=lambda t: repr(t[:12]))
def test_a_hostile_string_of_100000_characters_is_searched_in_linear_time(text: str):
    start = time.perf_counter()
    list(find(text))
    scrub(text)
    candidates([text])
    names_a_person(text)
    # Linear: a fraction of a second. A backtracking pattern takes minutes on such strings.
    assert time.perf_counter() - start < 3.0


def test_a_persons_name_alone_is_told_from_an_organisations():
    for person in ("Jeanne Fictive", "Jean-Paul DUFICTIF", "Jeanne Marie Fictive"):
        assert names_a_person(person), person
    for organisation in (
        "ARS Bretagne",
        "DREETS Occitanie",
        "Microsoft Office User",
        "openpyxl",
        "Agence Régionale de Santé",
        "Conseil départemental",
        "CAF du Finistère",
        "Utilisateur Windows",
    ):
        assert not names_a_person(organisation), organisation
