"""`minusma-corpus manifest` reads the outlet from a copyright line when the page names it nowhere else
(a generic rule: the holder after the mark, the year and before "All rights reserved")."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minusma_corpus.pipeline.corpus import copyright_holder, copyright_outlet


@pytest.mark.parametrize("line, holder", [
    ("© 2023 Sahel Wire", "Sahel Wire"),
    ("Copyright © 2023 Sahel Wire. All rights reserved.", "Sahel Wire"),
    ("(c) 2021-2023 Sahel Wire Ltd, all rights reserved", "Sahel Wire Ltd"),
    ("© Sahel Wire 2023", "Sahel Wire"),
    ("| © 2023 Sahel Wire | Privacy | Terms", "Sahel Wire"),
    ("Copyright 2024 The Bamako Times", "The Bamako Times"),
    ("© Copyright 2023, Sahel Wire", "Sahel Wire"),
])
def test_holder_of_a_copyright_line(line, holder):
    assert copyright_holder(line) == holder


@pytest.mark.parametrize("line", [
    "© 2023 All rights reserved.", "All rights reserved.", "© 2023 by the authors", "Photo: © AFP",
    "The © sign is used by publishers", "The mission ends on 31 December 2023.", "© 2023",
    "© 2023 the newsroom of a paper whose name is much too long to be a name", ""])
def test_no_holder(line):
    assert copyright_holder(line) is None


NAME = st.lists(st.from_regex(r"[A-Z][a-z]{1,9}", fullmatch=True), min_size=1, max_size=4).map(" ".join)


@given(NAME, st.integers(1990, 2030), st.sampled_from(["© {y} {n}", "Copyright © {y} {n}. All rights reserved.",
                                                         "(c) {y} {n}", "© {n} {y}", "Copyright {y} {n}"]))
def test_any_capitalised_name_is_read_back(name, year, pattern):
    if name.split()[0] in ("All", "By", "Copyright", "The"):  # "The X" is a name too, but not "All rights ..."
        return
    assert copyright_holder(pattern.format(y=year, n=name)) == name


def test_the_footer_line_wins_and_pages_without_one_have_none():
    page = "Title\n\nA quote from © 2020 Older Source\n\nText.\n\n© 2023 Sahel Wire\n"
    assert copyright_outlet(page) == "Sahel Wire"
    assert copyright_outlet("Title\n\nText without a footer.\n") is None
