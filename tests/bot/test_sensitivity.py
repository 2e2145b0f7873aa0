"""The sensitivity check: true positives for every kind, and ordinary policing text that must stay quiet."""

from __future__ import annotations

import itertools

import pytest

from bot.sensitivity import Flag, Kind, check, kinds, redact

POSITIVES: list[tuple[str, Kind, str]] = [
    # names with titles and ranks
    ("I spoke to Mr Smith about it", Kind.NAME, "Mr Smith"),
    ("Mrs Jane Doe-Williams rang the front desk", Kind.NAME, "Mrs Jane Doe-Williams"),
    ("Ms O'Neill from the council", Kind.NAME, "Ms O'Neill"),
    ("Dr. McDonald evaluated it", Kind.NAME, "Dr. McDonald"),
    ("Miss J. Patel was the victim", Kind.NAME, "Miss J. Patel"),
    ("PC Smith came up with it", Kind.NAME, "PC Smith"),
    ("ask DS Jones", Kind.NAME, "DS Jones"),
    ("Sergeant Khan leads it", Kind.NAME, "Sergeant Khan"),
    ("Det Sgt Brown", Kind.NAME, "Det Sgt Brown"),
    ("PCSO Brown patrols there", Kind.NAME, "PCSO Brown"),
    ("DCI Hunt signed it off", Kind.NAME, "DCI Hunt"),
    ("PC 1234 Evans attended", Kind.NAME, "PC 1234 Evans"),
    ("PC1234 attended", Kind.NAME, "PC1234"),
    # names without a title: a common given name and a surname, found mid-phrase too
    ("Witness Sarah Jenkins saw it", Kind.NAME, "Sarah Jenkins"),
    ("Liam Murphy's brother", Kind.NAME, "Liam Murphy"),
    # addresses: a house number and a street, or a street where someone lives
    ("bailed to 7 Moor Park Avenue today", Kind.ADDRESS, "7 Moor Park Avenue"),
    ("at Flat 3, 21 Ribbleton Lane", Kind.ADDRESS, "Flat 3, 21 Ribbleton Lane"),
    ("lives at 12 Fishergate", Kind.ADDRESS, "12 Fishergate"),
    ("they moved to 5 The Crescent", Kind.ADDRESS, "5 The Crescent"),
    ("he lives on Garstang Road", Kind.ADDRESS, "Garstang Road"),
    # older plates
    ("stopped P456 RST on the M6", Kind.VEHICLE, "P456 RST"),
    ("an old ABC 123D Mini", Kind.VEHICLE, "ABC 123D"),
    # phone numbers
    ("Call me on 07700 900123", Kind.PHONE, "07700 900123"),
    ("ring 07700900123 any time", Kind.PHONE, "07700900123"),
    ("the office is 020 7946 0018", Kind.PHONE, "020 7946 0018"),
    ("desk 01632 960123.", Kind.PHONE, "01632 960123"),
    ("mobile +44 7700 900123", Kind.PHONE, "+44 7700 900123"),
    ("+44 (0)20 7946 0018 is the desk", Kind.PHONE, "+44 (0)20 7946 0018"),
    ("0300 123 1212", Kind.PHONE, "0300 123 1212"),
    ("(01632) 960 123", Kind.PHONE, "(01632) 960 123"),
    # email addresses
    ("email jane.doe@kent.police.uk please", Kind.EMAIL, "jane.doe@kent.police.uk"),
    ("a.b+c@example.co.uk", Kind.EMAIL, "a.b+c@example.co.uk"),
    # postcodes
    ("she lives at SW1A 1AA", Kind.POSTCODE, "SW1A 1AA"),
    ("postcode m1 1ae", Kind.POSTCODE, "m1 1ae"),
    ("CF10 1EP", Kind.POSTCODE, "CF10 1EP"),
    ("near B33 8TH", Kind.POSTCODE, "B33 8TH"),
    # vehicle registrations
    ("car AB12 CDE was seen", Kind.VEHICLE, "AB12 CDE"),
    ("reg AB12CDE", Kind.VEHICLE, "AB12CDE"),
    ("a silver KX65 ABC", Kind.VEHICLE, "KX65 ABC"),
    # crime and incident references
    ("see CAD 1234 23/11", Kind.REFERENCE, "1234 23/11"),
    ("CAD 1234 of 23/11/24", Kind.REFERENCE, "1234 of 23/11/24"),
    ("URN 12AB3456789", Kind.REFERENCE, "12AB3456789"),
    ("crime number 12/34567/24", Kind.REFERENCE, "12/34567/24"),
    ("incident 0456 of 12/03", Kind.REFERENCE, "0456 of 12/03"),
    ("ref 43/123456/23 refers", Kind.REFERENCE, "43/123456/23"),
    ("crime ref: 1234567", Kind.REFERENCE, "1234567"),
    ("log 123 of 12/03", Kind.REFERENCE, "123 of 12/03"),
    ("PNC ID 19/123456A", Kind.REFERENCE, "19/123456A"),
    ("STORM 4567", Kind.REFERENCE, "4567"),
    # dates of birth
    ("DOB 01/02/1990", Kind.DATE_OF_BIRTH, "01/02/1990"),
    ("he was born 1 February 1990", Kind.DATE_OF_BIRTH, "1 February 1990"),
    ("D.O.B: 1.2.90", Kind.DATE_OF_BIRTH, "1.2.90"),
    ("date of birth 3rd March 1985", Kind.DATE_OF_BIRTH, "3rd March 1985"),
    ("born on March 3, 1985", Kind.DATE_OF_BIRTH, "March 3, 1985"),
    # National Insurance numbers
    ("QQ 12 34 56 C", Kind.NI_NUMBER, "QQ 12 34 56 C"),
    ("NINO AB123456C", Kind.NI_NUMBER, "AB123456C"),
    ("NI number AB 12 34 56", Kind.NI_NUMBER, "AB 12 34 56"),
]

INNOCENT = [
    "Operation Bluebird", "the 101 number", "PC training day", "Section 136", "A38", "Windows 11", "24/7", "2024",
    "Level 3", "M6 J10", "Op Encompass", "Body-worn video since 2019", "CCTV at 50 locations",
    "call 999 in an emergency", "a new PCSO role", "we ran 3 pilots across 12 wards in 2023/24", "ISO 27001",
    "Covid-19", "1 in 5 victims", "version 2.0.1", "reduced demand by 35%", "Tier 2 support", "cost £12,500",
    "between 01:00 and 03:00", "from 2019 to 2024 we saved 1,200 hours", "HMICFRS PEEL 2023",
    "incident numbers fell by 20%", "Log in to the app", "the incident in 2024", "PC Training Day for new starters",
    "DS Team meeting", "phase 2 started 01/04/2024", "the A38 4th junction", "the SW1A area",
    "financial year 2023/2024", "Police Act 1996", "aged 18-25", "we logged 2024 calls", "the case for change",
    "job done in 12 weeks", "Mental Health Act s136", "Op Encompass notifications within 24 hours",
    "ANPR cameras on the M25", "GDPR article 6(1)(e)", "Microsoft Teams and SharePoint", "a 12-week pilot",
    "we trained 1,500 officers", "Sgt training went well", "PS Thanks all", "CAD system upgrade",
    "email the team", "CO2 emissions down 15%", "NPCC 2025 strategy", "A1(M) closures",
    "Officers on Station Road beat", "Grace period of 3 days", "Will Officers please note", "Victoria Square events",
]


@pytest.mark.parametrize(("text", "kind", "matched"), POSITIVES, ids=[p[0] for p in POSITIVES])
def test_flags_personal_and_operational_detail(text: str, kind: Kind, matched: str) -> None:
    flags = check(text)
    assert [(f.kind, f.text) for f in flags] == [(kind, matched)]
    flag = flags[0]
    assert text[flag.start:flag.end] == matched
    assert flag.reason and " " not in flag.reason  # a stable key, not a sentence


@pytest.mark.parametrize("text", INNOCENT)
def test_ordinary_text_is_not_flagged(text: str) -> None:
    assert check(text) == ()


def test_innocent_set_is_big_enough() -> None:
    assert len(INNOCENT) >= 25


def test_every_kind_has_a_true_positive() -> None:
    assert {kind for _, kind, _ in POSITIVES} == set(Kind)


def test_several_flags_in_one_text_come_back_in_order() -> None:
    text = ("Mr Smith (DOB 01/02/1990) of SW1A 1AA rang from 07700 900123 about AB12 CDE, "
            "crime number 12/34567/24; email j.smith@example.org, NI QQ 12 34 56 C.")
    flags = check(text)
    assert [f.kind for f in flags] == [Kind.NAME, Kind.DATE_OF_BIRTH, Kind.POSTCODE, Kind.PHONE, Kind.VEHICLE,
                                       Kind.REFERENCE, Kind.EMAIL, Kind.NI_NUMBER]
    assert kinds(flags + flags[:1]) == tuple(f.kind for f in flags)
    assert all(a.end <= b.start for a, b in itertools.pairwise(flags))


def test_redact_replaces_each_span_with_a_placeholder() -> None:
    text = "Mr Smith rang from 07700 900123 about SW1A 1AA."
    assert redact(text, check(text)) == "[name removed] rang from [phone removed] about [postcode removed]."
    assert redact(text) == redact(text, check(text))
    assert redact("nothing to see", ()) == "nothing to see"


def test_redact_keeps_the_words_around_a_reference() -> None:
    assert redact("DOB 01/02/1990, crime number 12/34567/24") == (
        "DOB [date-of-birth removed], crime number [reference removed]")


def test_redact_ignores_overlapping_flags_from_a_caller() -> None:
    text = "abcdef"
    flags = (Flag(0, 4, Kind.NAME, "x", "abcd"), Flag(2, 6, Kind.PHONE, "y", "cdef"))
    assert redact(text, flags) == "ab[phone removed]"


def test_overlapping_detections_keep_the_longer_span() -> None:
    # "PC 1234" alone is a collar number; with the surname the whole phrase is one name flag.
    flags = check("PC 1234 Evans")
    assert len(flags) == 1 and flags[0].text == "PC 1234 Evans"


def test_empty_and_large_texts() -> None:
    assert check("") == ()
    big = "We rolled out body-worn video to every response team in 2019. " * 500
    assert check(big) == ()
