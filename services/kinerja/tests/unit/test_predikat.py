"""The predikat matrix (all nine cells, official labels) and the overall ratings."""

import pytest
from asn_schemas.kinerja import Predikat, Rating
from kinerja.domain.predikat import MATRIX, overall_rating, predikat_of

ATAS, SESUAI, BAWAH = (
    Rating.DI_ATAS_EKSPEKTASI,
    Rating.SESUAI_EKSPEKTASI,
    Rating.DI_BAWAH_EKSPEKTASI,
)


@pytest.mark.parametrize(
    ("hasil", "perilaku", "label"),
    [
        (ATAS, BAWAH, "Kurang/Misconduct"),
        (ATAS, SESUAI, "Baik"),
        (ATAS, ATAS, "Sangat Baik"),
        (SESUAI, BAWAH, "Kurang/Misconduct"),
        (SESUAI, SESUAI, "Baik"),
        (SESUAI, ATAS, "Baik"),
        (BAWAH, BAWAH, "Sangat Kurang"),
        (BAWAH, SESUAI, "Butuh Perbaikan"),
        (BAWAH, ATAS, "Butuh Perbaikan"),
    ],
)
def test_every_cell_of_the_matrix(hasil, perilaku, label):
    assert predikat_of(hasil, perilaku).label == label


def test_the_matrix_has_exactly_nine_cells_and_uses_every_predikat():
    assert len(MATRIX) == 9
    assert set(MATRIX.values()) == set(Predikat)


def test_labels_are_the_official_ones():
    assert [p.label for p in Predikat] == [
        "Sangat Baik",
        "Baik",
        "Butuh Perbaikan",
        "Kurang/Misconduct",
        "Sangat Kurang",
    ]


def test_overall_rating_from_the_parts():
    assert overall_rating([ATAS] * 4 + [SESUAI] * 3) is ATAS
    assert overall_rating([ATAS] * 6 + [BAWAH]) is SESUAI  # one below keeps it at "sesuai"
    assert overall_rating([BAWAH] * 4 + [ATAS] * 3) is BAWAH
    assert overall_rating([SESUAI] * 7) is SESUAI
    assert overall_rating([ATAS] * 7, main_below=True) is SESUAI
    assert overall_rating([]) is SESUAI
