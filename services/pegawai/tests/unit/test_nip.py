from datetime import date

import pytest
from asn_schemas.pegawai import AsnType, Sex
from pegawai.domain.nip import InvalidNip, nip_warnings, parse_nip


def test_valid_nip_decodes_birth_date_tmt_cpns_sex_and_sequence():
    info = parse_nip("198503152010011001")
    assert info.birth_date == date(1985, 3, 15)
    assert info.appointed == date(2010, 1, 1)
    assert info.sex is Sex.MALE
    assert info.sequence == 1


def test_female_digit_and_later_sequence():
    info = parse_nip("199012312015032003")
    assert info.sex is Sex.FEMALE
    assert info.sequence == 3


@pytest.mark.parametrize(
    ("nip", "code"),
    [
        ("19850315201001100", "nip_length"),
        ("1985031520100110011", "nip_length"),
        ("", "nip_length"),
        ("19850315201001100a", "nip_not_digits"),
        ("1985 0315201001100", "nip_not_digits"),
        ("１９８５03152010011001", "nip_not_digits"),  # full-width digits are not ASCII
        ("198502302010011001", "nip_birth_date"),  # 30 February
        ("198513012010011001", "nip_birth_date"),
        ("185503152010011001", "nip_birth_date"),  # before 1900
        ("198503152010131001", "nip_tmt_cpns"),  # month 13
        ("198503152010001001", "nip_tmt_cpns"),  # month 00
        ("198503151980011001", "nip_tmt_before_birth"),
        ("198503152010013001", "nip_sex_digit"),
        ("198503152010011000", "nip_sequence"),
    ],
)
def test_malformed_nip_is_refused_with_its_reason(nip, code):
    with pytest.raises(InvalidNip) as err:
        parse_nip(nip)
    assert err.value.code == code


def test_pppk_digits_13_and_14_are_not_checked():
    # "2022 21": year of appointment then a contract count (DOMAIN 1.1 ⚠), not a month.
    info = parse_nip("199001012022211001", AsnType.PPPK)
    assert info.appointed == date(2022, 1, 1)
    with pytest.raises(InvalidNip):
        parse_nip("199001012022211001", AsnType.PNS)


def test_matching_record_has_no_warnings():
    info = parse_nip("198503152010011001")
    warnings = nip_warnings(
        info,
        asn_type=AsnType.PNS,
        birth_date=date(1985, 3, 15),
        sex=Sex.MALE,
        tmt_cpns=date(2010, 1, 1),
    )
    assert warnings == []


def test_encoded_fields_disagreeing_with_the_record_are_warnings():
    info = parse_nip("198503152010011001")
    warnings = nip_warnings(
        info,
        asn_type=AsnType.PNS,
        birth_date=date(1985, 3, 16),
        sex=Sex.FEMALE,
        tmt_cpns=date(2010, 3, 1),
    )
    assert [w.code for w in warnings] == [
        "nip_birth_date_mismatch",
        "nip_sex_mismatch",
        "nip_tmt_cpns_mismatch",
    ]
    assert {w.field for w in warnings} == {"birth_date", "sex", "tmt_cpns"}


def test_pppk_tmt_compares_the_year_only():
    info = parse_nip("199001012022211001", AsnType.PPPK)
    same_year = nip_warnings(
        info,
        asn_type=AsnType.PPPK,
        birth_date=date(1990, 1, 1),
        sex=Sex.MALE,
        tmt_cpns=date(2022, 9, 1),
    )
    assert same_year == []
