"""French values as published → canonical values: amounts, départements, funders, SIRET, RNA."""

from __future__ import annotations

import random
import re

import pytest

from pipelines.common.geography import departement_code
from pipelines.common.values import (
    footnote_mark,
    funder_code,
    parse_amount,
    parse_amounts,
    parse_count,
    parse_rna,
    parse_siret,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12 500,00 €", 12500.0),
        ("12\u00a0500,00\u00a0€", 12500.0),  # non-breaking spaces (Excel, LibreOffice)
        ("12\u202f500,50 €", 12500.5),  # narrow non-breaking space (French typography)
        ("12.500 €", 12500.0),  # a point as thousands separator
        ("12 500 euros", 12500.0),
        ("12 500 EUR", 12500.0),
        ("12500", 12500.0),
        ("12500€", 12500.0),
        ("€ 12 500", 12500.0),
        ("1.234,50", 1234.5),
        ("1 234 567,89 €", 1234567.89),
        ("47800.20", 47800.2),  # a point decimal in a French file: unambiguous
        ("1,234.50", 1234.5),  # an English-formatted cell
        ("12 500,00 € TTC", 12500.0),
        ("0,5", 0.5),
        ("15 250,555", 15250.56),  # rounded to the cent
        ("0", 0.0),
    ],
)
def test_amounts_as_french_publishers_write_them(text, expected):
    assert parse_amount(text) == expected


@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [
        ("12,5", "k€", 12500.0),  # exactly: Decimal, never 12 499,999…
        ("1,2345", "k€", 1234.5),
        ("0,07", "k€", 70.0),
        ("1,2", "M€", 1200000.0),
        ("0,0012345", "M€", 1234.5),
        ("15 k€", "€", 15000.0),  # the cell's own unit, whatever the manifest says
        ("15 K€", "€", 15000.0),
        ("12,5 kEUR", "€", 12500.0),
        ("1,2 M€", "k€", 1200000.0),
        ("2 millions d'euros", "€", 2000000.0),
        ("3 milliers d’euros", "€", 3000.0),
        ("8 000 €", "k€", 8000000.0),  # « € » alone is the currency, not a unit of its own
    ],
)
def test_amounts_in_thousands_or_millions(text, unit, expected):
    assert parse_amount(text, unit=unit) == expected


@pytest.mark.parametrize("text", ["3 m€", "15 k", "1,2 Md€"])
def test_a_multiplier_not_written_as_publishers_do_is_refused(text):
    with pytest.raises(ValueError, match="n'est pas un montant"):
        parse_amount(text)


@pytest.mark.parametrize(
    "text",
    [
        "15 000 €*",
        "15 000 € (1)",
        "15 000 €¹",
        "15 000 € **",
        "15 000 ¹",  # 15 000 and its note 1: never 150 001
        "15 000¹²",
        "15 000*",
        "15 000 (12)",
        "15 000 euros (3)",
    ],
)
def test_footnote_marks_after_an_amount_are_left_out(text):
    assert parse_amount(text) == 15000.0
    assert footnote_mark(text)[1] != ""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("(500)", "négatif"),  # a parenthesised amount alone stays negative
        ("15 000 €1", "chiffres après « € »"),  # a plain digit after the sign: a note? cents?
        ("12€50", "chiffres après « € »"),
        ("15 000 (123)", "n'est pas un montant"),  # three digits: no footnote number
        ("**", "n'est pas un montant"),
    ],
)
def test_what_is_no_footnote_is_refused(text, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_amount(text)


def test_parse_amounts_in_thousands_agrees_with_parse_amount_to_the_cent():
    rnd = random.Random(11)
    texts = [f"{rnd.randint(0, 9999)},{rnd.randint(0, 99):02d}" for _ in range(400)]
    texts += [f"{rnd.randint(0, 9999)}.{rnd.randint(0, 9)}" for _ in range(100)]
    texts += ["12,5 k€", "1,2 M€", "15 000 €*", "0,0012345", "12€50"]
    for unit in ("k€", "M€"):
        amounts, errors = parse_amounts(texts, unit=unit)
        for text, amount, error in zip(texts, amounts, errors):
            try:
                value = parse_amount(text, unit=unit)
                expected = (None, "plafond") if value > 10_000_000 else (value, None)
            except ValueError as exc:
                expected = (None, str(exc))
            got = (amount, "plafond" if error and "plafond" in error else error)
            assert got == expected, text


@pytest.mark.parametrize(
    ("text", "expected"), [("12,500.00", 12500.0), ("12 500.50", 12500.5), ("1500", 1500.0)]
)
def test_amounts_with_a_point_decimal_manifest(text, expected):
    assert parse_amount(text, decimal=".") == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("-500 €", "négatif"),
        ("(500)", "négatif"),
        ("abc", "n'est pas un montant"),
        ("€", "n'est pas un montant"),
        ("1.234.5", "séparateurs incohérents"),
    ],
)
def test_wrong_amounts_say_why(text, message):
    with pytest.raises(ValueError, match=message):
        parse_amount(text)


def test_a_comma_in_a_point_decimal_file_is_refused():
    with pytest.raises(ValueError, match="virgule"):
        parse_amount("12,5", decimal=".")


def test_parse_amounts_gives_what_parse_amount_gives_value_by_value():
    rnd = random.Random(7)
    texts = [
        "12 500,00 €",
        "12.500 €",
        "1.234,50",
        "47800.20",
        "1,234.50",
        "abc",
        "-5",
        "0,1",
        "7",
        "12\u202f500,5",
        "1,234",
        "12 500 euros",
        "1 000 000",
        "12,5 k€",
    ]
    for _ in range(300):
        euros, cents = rnd.randint(0, 10**7), rnd.randint(0, 99)
        grouped = f"{euros:,}".replace(",", rnd.choice([" ", "\u00a0", "\u202f", "."]))
        texts.append(
            rnd.choice(
                [
                    f"{grouped},{cents:02d} €",
                    f"{euros}",
                    f"{euros}.{cents:02d}",
                    f"{grouped} euros",
                    f"{euros},{cents % 10}",
                ]
            )
        )
    amounts, errors = parse_amounts(texts)
    for text, amount, error in zip(texts, amounts, errors):
        try:
            expected = (parse_amount(text), None)
        except ValueError as exc:
            expected = (None, str(exc))
        assert (amount, error) == expected, text


@pytest.mark.parametrize("text", ["NC", "n.c.", "Non communiqué", "-", "—", "ND", "non précisé"])
def test_an_amount_not_published_is_null_not_an_error(text):
    assert parse_amounts([text]) == ([None], [None])


def test_parse_count():
    assert parse_count("25") == 25
    assert parse_count("1 234") == 1234
    with pytest.raises(ValueError, match="nombre entier"):
        parse_count("25 lauréats")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("37", "37"),
        ("Indre-et-Loire", "37"),
        ("37 - Indre et Loire", "37"),
        ("Indre et Loire (37)", "37"),
        ("37 – Indre-et-Loire", "37"),
        ("(37) Indre-et-Loire", "37"),
        ("Indre-et-Loire 37", "37"),
        ("INDRE ET LOIRE", "37"),
        ("2A", "2A"),
        ("2a - Corse-du-Sud", "2A"),
        ("Haute-Corse", "2B"),
        ("971", "971"),
        ("Guadeloupe", "971"),
        ("1", "01"),
        ("01", "01"),
        ("Côtes-d'Armor", "22"),
        ("Côtes d’Armor", "22"),
        ("Finistère", "29"),
        ("29 Finistère", "29"),
        ("Paris", "75"),
    ],
)
def test_departement_codes_from_every_spelling(text, code):
    assert departement_code(text) == code


@pytest.mark.parametrize(
    "text", ["20", "99", "Bretagne", "Finistère (35)", "371", "37000", "", "Indre-et-Cher"]
)
def test_unknown_or_contradictory_departements_are_none(text):
    assert departement_code(text) is None


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("ARS", "ARS"),
        ("ars", "ARS"),
        ("Agence régionale de santé", "ARS"),
        ("ARS Bretagne", "ARS"),
        ("ARS Centre-Val de Loire", "ARS"),
        ("FIR", "ARS"),
        ("DREETS", "DREETS"),
        ("DREETS Pays de la Loire", "DREETS"),
        ("programme 304", "DREETS"),
        ("DEETS", "DEETS"),
        ("Commissaire à la lutte contre la pauvreté", "COMMISSAIRE_PAUVRETE"),
        ("Stratégie pauvreté", "COMMISSAIRE_PAUVRETE"),
        ("CAF", "CAF"),
        ("CAF du Finistère", "CAF"),
        ("ARS / DREETS", "NC"),
        ("ARS et CAF", "NC"),  # a joint line whose split is not published
        ("Conseil départemental", "CONSEIL_DEPARTEMENTAL"),
        ("CD", "CONSEIL_DEPARTEMENTAL"),
        ("Département du Calvados", "CONSEIL_DEPARTEMENTAL"),
        ("Département de la Manche", "CONSEIL_DEPARTEMENTAL"),
        ("Conseil général de l'Orne", "CONSEIL_DEPARTEMENTAL"),
        ("Région Normandie", "CONSEIL_REGIONAL"),
        ("Conseil régional", "CONSEIL_REGIONAL"),
        ("Ville de Caen", "COMMUNE"),
        ("Commune de Lisieux", "COMMUNE"),
        ("Mairie de Bayeux", "COMMUNE"),
        ("CCAS de Caen", "COMMUNE"),
        ("Communauté de communes Cœur Fictif", "INTERCOMMUNALITE"),
        ("CPAM du Calvados", "ASSURANCE_MALADIE"),
        ("MSA Côtes Normandes", "MSA"),
        ("DRAC Normandie", "DRAC"),
        ("État (préfecture)", "ETAT"),
        ("État", "ETAT"),  # « subvention totale de l'État » (Nouvelle-Aquitaine 2022)
        ("l'État", "ETAT"),
        ("l’État", "ETAT"),
        ("Etat", "ETAT"),
        ("L'ETAT", "ETAT"),
        ("Préfecture du Calvados", "ETAT"),
        ("ARS Région Normandie", "ARS"),  # a place word after a funder: still that funder
        ("ARS Département du Calvados", "ARS"),
        ("ARS et Région", "NC"),  # joined by « et »: a joint line
        ("CAF et Département", "NC"),
    ],
)
def test_funder_aliases(text, code):
    assert funder_code(text) == code


def test_unknown_funder():
    # « Mairie fictive » was unknown until communes became funders: a foundation still is.
    with pytest.raises(ValueError, match="financeur inconnu"):
        funder_code("Fondation fictive")


def test_siret_checked_with_its_check_digits():
    assert parse_siret("732 829 320 00074") == "73282932000074"
    assert parse_siret("732.829.320.00074") == "73282932000074"
    with pytest.raises(ValueError, match="SIRET invalide"):
        parse_siret("73282932000075")
    with pytest.raises(ValueError, match="SIRET invalide"):
        parse_siret("7328293200007")


def test_rna():
    assert parse_rna("W123456789") == "W123456789"
    assert parse_rna("w 123 456 789") == "W123456789"
    with pytest.raises(ValueError, match="RNA invalide"):
        parse_rna("W12345678")
