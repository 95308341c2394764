"""The pure-Python PCG64 stream is numpy's, word for word, and keeps numpy.random out of a lesson."""

import subprocess
import sys

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from gdtui.course import pcg64


@settings(max_examples=500, deadline=None)
@given(st.integers(min_value=0, max_value=2**64 - 1), st.integers(min_value=1, max_value=8))
def test_the_stream_is_numpys(seed, n):
    assert pcg64.raw(seed, n) == [int(v) for v in np.random.PCG64(seed).random_raw(n)]


def test_seeds_of_every_size_and_at_the_edges():
    for seed in (0, 1, 2**32 - 1, 2**32, 2**63, 2**64 - 1, 2**64, 2**130 + 7):
        assert pcg64.raw(seed, 3) == [int(v) for v in np.random.PCG64(seed).random_raw(3)]


def test_drawing_a_variant_does_not_import_numpy_random():
    code = (
        "import sys\n"
        "from gdtui.course.model import ParamSpec\n"
        "from gdtui.course.variants import draw_params\n"
        "spec = ParamSpec('a', 'choose', 1, choices=(1.0, 2.0, 3.0))\n"
        "print(draw_params((spec,), 12345))\n"
        "print('numpy.random' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split("\n")
    assert out[1] == "False"
