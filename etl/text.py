"""Vietnamese text normalisation for matching names: NFC, tone placement, prefixes, folding."""

from __future__ import annotations

import functools
import re
import unicodedata

# Old-style tone placement ("Hoà", "Thuỷ", as in GSO lists) → the style PAPI prints ("Hòa",
# "Thủy"): in an open syllable ending "oa", "oe", "uy" the tone mark sits on the first vowel.
_OLD_TONE = re.compile(
    r"(?i)(o|u)(a|e|y)([\u0300\u0301\u0303\u0309\u0323])(?![a-zđ\u0300-\u036f])"
)

_PREFIXES = re.compile(
    r"^(tỉnh|thành phố|tp\.?|t\.p\.?|province of|city of)\s+", re.IGNORECASE
)
_SUFFIXES = re.compile(r"\s+(province|city)$", re.IGNORECASE)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def modern_tones(text: str) -> str:
    """Move tone marks to the modern position (Hoà → Hòa, Thuỷ → Thủy), returning NFC."""
    decomposed = unicodedata.normalize("NFD", text)
    return nfc(_OLD_TONE.sub(lambda m: m.group(1) + m.group(3) + m.group(2), decomposed))


def fold(text: str) -> str:
    """ASCII folding: drop diacritics, đ → d, lower case."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def clean_spaces(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def province_key(name: str) -> str:
    """Key for matching a province name: NFC, modern tones, no 'Tỉnh'/'TP.' prefix, lower case."""
    return _province_key(str(name))


@functools.lru_cache(maxsize=65536)  # the same names recur: every sheet, every vintage
def _province_key(name: str) -> str:
    text = clean_spaces(modern_tones(name)).lower()
    text = _SUFFIXES.sub("", _PREFIXES.sub("", text))
    text = re.sub(r"\s*[-\u2013\u2014]\s*", " ", text)
    return text.strip(" .")


def province_key_ascii(name: str) -> str:
    """Looser key: as province_key, then without diacritics and punctuation."""
    return _province_key_ascii(str(name))


@functools.lru_cache(maxsize=65536)
def _province_key_ascii(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", fold(province_key(name))).strip()


def label_key(label: str) -> str:
    """Key for matching an item label: NFC, modern tones, no footnote stars, lower case."""
    return _label_key(str(label))


@functools.lru_cache(maxsize=65536)  # labels recur: every sheet, several passes
def _label_key(label: str) -> str:
    text = clean_spaces(modern_tones(label)).lower()
    text = re.sub(r"\(\*\)|\*+", "", text)
    text = re.sub(r"\s*([,;:/()%])\s*", r"\1", text)
    return text.strip(" .:")


UNSAFE_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralise(value: object) -> object:
    """Text a spreadsheet would run as a formula gets a leading apostrophe; others as is."""
    if isinstance(value, str) and value.startswith(UNSAFE_START):
        return "'" + value
    return value
