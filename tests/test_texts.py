"""The text catalogue: every row complete in every language, placeholders alike, plurals and
the one score formatter behaving as the sheets, the command line and the documents need."""

from __future__ import annotations

import datetime as dt
import string
from decimal import Decimal

import pytest

from emutools.core.issues import CATALOGUE
from emutools.core.numbers import format_number, points
from emutools.errors import UserError
from emutools.texts import (
    LANGS,
    PLURAL,
    SENTENCE_DATE,
    TEXTS,
    both,
    counted,
    every,
    pick,
    plural,
    say,
    sentence_date,
)


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_every_row_has_a_text_per_language_and_no_placeholder_vietnamese_lacks(key):
    """Callers fill a row from what its Vietnamese text names; another column may say less
    (English 'Missing FILE.' leaves out the help text) but never more."""
    row = TEXTS[key]
    assert len(row) == len(LANGS) and all(text.strip() for text in row)
    assert all(_fields(text) <= _fields(row[0]) for text in row[1:]), row


def test_flag_catalogue_rows_have_the_same_placeholders_in_both_languages():
    for code, (_, vi, en) in CATALOGUE.items():
        assert _fields(vi) == _fields(en), code


def test_every_language_has_a_plural_rule_and_a_date_style():
    assert set(PLURAL) == set(LANGS) == set(SENTENCE_DATE)


def test_a_date_inside_a_sentence_is_written_the_way_its_language_writes_it():
    meeting = dt.date(2025, 12, 18)
    assert sentence_date(meeting, 2025, "vi") == "18/12/2025"
    assert sentence_date(meeting, 2025, "en") == "18 December 2025"
    assert sentence_date(None, 2025, "en") == "… 2025" and sentence_date(None, 2025, "vi") == "…/…/…"


def test_a_pair_kept_beside_its_structure_is_picked_like_a_catalogue_row():
    assert [pick(lang, "Có", "Yes") for lang in ("vi", "en", "fr")] == ["Có", "Yes", "Yes"]


def test_counted_nouns_agree_with_their_number_in_english_only():
    assert [counted(n, "noun.error", "en") for n in (0, 1, 2)] == ["0 errors", "1 error", "2 errors"]
    assert [counted(n, "noun.error", "vi") for n in (1, 2)] == ["1 lỗi", "2 lỗi"]
    assert counted(3, "noun.pdf", "en") == "3 PDFs" and counted(3, "noun.pdf", "vi") == "3 tệp PDF"
    assert plural(2, "usage.extra", "en", extra="a b") == "Unexpected extra arguments: a b."
    assert plural(1, "usage.extra", "en", extra="a") == "Unexpected extra argument: a."


def test_a_language_without_a_column_reads_english():
    assert say("word.yes", "fr") == "Yes" and say("word.yes", "vi") == "Có"
    assert say("award.tied", "vi", award="Cờ") == "Đồng hạng, cần bình xét: Cờ"


def test_both_and_every_keep_the_order_of_the_languages():
    assert both("help.options") == "Tùy chọn / options"
    assert every("cli.workbook", path="a.xlsx") == ("Bảng tính: a.xlsx", "Workbook: a.xlsx")


def test_user_error_said_from_the_catalogue_speaks_each_language():
    exc = UserError.said("cli.file_exists", file="x.xlsx")
    assert exc.message("vi") == "Tệp “x.xlsx” đã có; emutools không ghi đè. Hãy chọn tên khác."
    assert exc.message("en").startswith("'x.xlsx' already exists")
    assert exc.message_vi == exc.message("vi") and exc.message("de") == exc.message("en")


def test_scores_keep_trailing_zeros_and_numbers_drop_them():
    assert points(Decimal("97.1"), 2, "vi") == "97,10" and points(Decimal("97.1"), 2, "en") == "97.10"
    assert points(Decimal("8.125"), 2, "vi") == "8,13" and points(None, 2, "vi") == ""
    assert format_number(Decimal("8.50"), "vi") == "8,5" and format_number(8.5, "en") == "8.5"
