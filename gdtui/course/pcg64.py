"""numpy's PCG64 raw stream in plain Python, for the few numbers a variant needs.

`raw(seed, n)` gives exactly `numpy.random.PCG64(seed).random_raw(n)` (tests compare them over thousands
of seeds): numpy's SeedSequence turns the seed into a 128-bit state and increment, then PCG's
XSL-RR output function turns each step of the 128-bit LCG into 64 bits. Why not numpy: importing
`numpy.random` adds about 2.6 MB to every process that opens a lesson, which in a classroom is every
SSH session, for four to six numbers per exercise.
"""

from __future__ import annotations

_M32, _M64, _M128 = (1 << 32) - 1, (1 << 64) - 1, (1 << 128) - 1
# SeedSequence's hash and mix constants (numpy/random/bit_generator.pyx)
_INIT_A, _MULT_A, _INIT_B, _MULT_B = 0x43B0D7E5, 0x931E8875, 0x8B51F9DD, 0x58F38DED
_MIX_L, _MIX_R = 0xCA01F9DD, 0x4973F715
_POOL = 4
# PCG's 128-bit LCG multiplier (pcg64.h, PCG_DEFAULT_MULTIPLIER_128)
_PCG_MULT = 0x2360ED051FC65DA44385DF649FCCF645


def raw(seed: int, n: int) -> list[int]:
    """The first n 64-bit words of numpy's `PCG64(seed)` for a seed 0 ≤ seed (an int)."""
    s_hi, s_lo, i_hi, i_lo = _seed_words(_pool(int(seed)), 4)
    inc = ((((i_hi << 64) | i_lo) << 1) | 1) & _M128
    state = (0 * _PCG_MULT + inc) & _M128  # pcg srandom: step from 0, add the seed, step again
    state = (state + ((s_hi << 64) | s_lo)) & _M128
    state = (state * _PCG_MULT + inc) & _M128
    out = []
    for _ in range(n):
        state = (state * _PCG_MULT + inc) & _M128
        x, rot = ((state >> 64) ^ state) & _M64, state >> 122  # XSL-RR: xor the halves, rotate right
        out.append(((x >> rot) | (x << (64 - rot))) & _M64)
    return out


def _pool(entropy: int) -> list[int]:
    """SeedSequence's entropy pool: four 32-bit words mixed from the seed's 32-bit words."""
    words = []
    while True:
        words.append(entropy & _M32)
        entropy >>= 32
        if not entropy:
            break
    const = _INIT_A

    def hashmix(value: int) -> int:
        nonlocal const
        value ^= const
        const = (const * _MULT_A) & _M32
        value = (value * const) & _M32
        return value ^ (value >> 16)

    def mix(x: int, y: int) -> int:
        result = (_MIX_L * x - _MIX_R * y) & _M32
        return result ^ (result >> 16)

    pool = [hashmix(words[i] if i < len(words) else 0) for i in range(_POOL)]
    for src in range(_POOL):
        for dst in range(_POOL):
            if src != dst:
                pool[dst] = mix(pool[dst], hashmix(pool[src]))
    for src in range(_POOL, len(words)):
        for dst in range(_POOL):
            pool[dst] = mix(pool[dst], hashmix(words[src]))
    return pool


def _seed_words(pool: list[int], n: int) -> list[int]:
    """SeedSequence.generate_state(n, uint64): 2n hashed 32-bit words, paired low word first."""
    const, out = _INIT_B, []
    for i in range(2 * n):
        value = pool[i % len(pool)] ^ const
        const = (const * _MULT_B) & _M32
        value = (value * const) & _M32
        out.append(value ^ (value >> 16))
    return [out[2 * i] | (out[2 * i + 1] << 32) for i in range(n)]
