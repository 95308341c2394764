"""The tree the reader builds from a formula and the layout draws: atoms, groups, scripts, fractions …"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Atom:
    text: str
    cls: str = "ord"  # ord bin rel open close punct op space mark
    limits: bool = False


@dataclass
class Group:
    items: list


@dataclass
class Scripts:
    base: object
    sub: list | None = None
    sup: list | None = None
    primes: int = 0


@dataclass
class Frac:
    num: list
    den: list
    binom: bool = False


@dataclass
class Sqrt:
    arg: list
    index: list | None = None


@dataclass
class Deco:  # accent (mark is a combining character) or font (mark is a font name)
    arg: list
    mark: str


@dataclass
class Fenced:  # \left( … \right): delimiters that grow with what they hold
    left: str
    items: list
    right: str


@dataclass
class Matrix:
    env: str
    rows: list = field(default_factory=list)
