"""Every CSV download is written by one writer: a text cell a spreadsheet would run as a formula
reaches the spreadsheet as text, while the numbers a service formatted stay numbers."""

from __future__ import annotations

import csv
import io

import pytest

from shared.csv_cells import FORMULA_STARTS, Figure, csv_rows, csv_table, defused

DANGEROUS = {
    "=": "=1+1",
    "+": "+1+1",
    "-": "-2+3+cmd|' /C calc'!A0",
    "@": "@SUM(1)",
    "tab": "\t=1+1",
    "carriage return": "\r=1+1",
    "full-width equals": '\uff1dHYPERLINK("http://x","y")',
    "full-width plus": "\uff0b1+1",
    "full-width minus": "\uff0d1+1",
    "full-width at": "\uff20SUM(1)",
}


def read_back(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.mark.parametrize("text", DANGEROUS.values(), ids=DANGEROUS.keys())
def test_text_that_would_start_a_formula_is_prefixed_with_an_apostrophe(text):
    assert defused(text) == "'" + text
    assert read_back(csv_rows([[text]])) == [["'" + text]]


def test_every_leading_character_the_rule_names_is_tested():
    assert {text[0] for text in DANGEROUS.values()} == set(FORMULA_STARTS)


@pytest.mark.parametrize(
    "text",
    ["C000123", "BACS 2026-10-30 0147", "a=b", "1+1", "2026-10-29", "", "'=already text", " =1", "Ｃ1"],
)
def test_harmless_text_is_written_as_it_is(text):
    assert defused(text) == text
    assert read_back(csv_rows([[text]])) == [[text]]


def test_numbers_the_service_formatted_stay_numbers_while_the_same_text_from_a_client_is_defused():
    written = csv_rows([[Figure("-12.50"), -3, 0.5, "-12.50", "-3"]])
    assert written == "-12.50,-3,0.5,'-12.50,'-3\r\n"


def test_a_defused_cell_is_quoted_as_csv_needs_and_reads_back_whole():
    formula = '=HYPERLINK("http://x","y")'
    written = csv_rows([["C1", formula, "a\r\nb"]])
    assert written == """C1,"'=HYPERLINK(""http://x"",""y"")","a\r\nb"\r\n"""
    assert read_back(written) == [["C1", "'" + formula, "a\r\nb"]]


def test_a_table_has_its_header_then_one_line_per_row_each_ended_by_crlf():
    table = csv_table(
        ["child_id", "amount_pounds", "paid"], [["@SUM(1)", Figure("12.50"), None], ["C2", 7, True]]
    )
    assert table == "child_id,amount_pounds,paid\r\n'@SUM(1),12.50,\r\nC2,7,True\r\n"
    assert csv_table(["child_id"], []) == "child_id\r\n"


def test_a_value_that_is_neither_text_nor_a_number_is_written_by_its_text_and_defused():
    class Odd:
        def __str__(self) -> str:
            return "=1+1"

    assert csv_rows([[Odd()]]) == "'=1+1\r\n"
