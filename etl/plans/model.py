"""The parsed plan: metadata, actions and problems, with stable ids and a JSON form."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from etl.plans.due import Due
from etl.plans.text import fold
from etl.problems import Problem
from etl.ref import vintage_for_year

SUFFIXES = (".txt", ".docx", ".pdf", ".xlsx")  # the formats a plan may come in (etl.plans.parse)


@dataclass
class Action:
    seq: int
    dimension: str
    text: str
    lead_units: list[str] = field(default_factory=list)
    coordinating_units: list[str] = field(default_factory=list)
    due: Due | None = None
    product: str | None = None
    doubts: list[str] = field(default_factory=list)  # what the reader was unsure of (Vietnamese)
    corrected: bool = False  # a person's correction (etl/ref/plan_corrections.csv) was applied

    @property
    def fingerprint(self) -> str:
        """Short hash of the folded action text: a report row must carry the same one."""
        return text_fingerprint(self.text)

    def to_json(self) -> dict:
        return {"dimension": self.dimension, "text": self.text,
                "lead_units": list(self.lead_units),
                "coordinating_units": list(self.coordinating_units),
                "due": self.due.to_json() if self.due else None,
                "fingerprint": self.fingerprint, "doubts": list(self.doubts),
                "corrected": self.corrected}


@dataclass
class Target:
    text: str
    dimension: str | None = None

    def to_json(self) -> dict:
        return {"dimension": self.dimension, "text": self.text}


@dataclass
class Plan:
    source: Path
    number: str | None = None
    symbol: str | None = None  # "KH-SGTVT", kept even when the number is blank
    issued_on: date | None = None
    year: int | None = None
    province: str | None = None
    province_code: str | None = None
    agency: str | None = None
    parent_number: str | None = None
    parent_issued_on: date | None = None
    signer: str | None = None
    title: str | None = None
    is_demo: bool = False
    actions: list[Action] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    fingerprint: str = ""  # sha1 of the normalised text, for drafts without a number
    targets: list[Target] = field(default_factory=list)
    vintage: str | None = None
    deadline: Due | None = None  # plan-level deadline, applied to tasks without their own
    is_amendment: bool = False  # "sửa đổi, bổ sung": supersedes the plan of the same number
    ocr_confidence: float | None = None  # mean OCR word confidence (0–100) of a scanned PDF
    replaces: str | None = None  # "thay thế Kế hoạch số 56/KH-…": that plan is superseded
    # fingerprint of an action of an earlier version → the action it became in this version
    changed_from: dict[str, Action] = field(default_factory=dict)

    @property
    def agency_code(self) -> str:
        """'SGTVT' from the symbol, else the initials of the agency name."""
        if self.symbol and "-" in self.symbol:
            return re.sub(r"[^A-Z0-9]", "", fold(self.symbol.split("-", 1)[1]).upper()) or "X"
        words = [w for w in fold(self.agency or "").split() if w not in {"va", "tinh"}]
        return "".join(w[0] for w in words).upper() or "X"

    @property
    def plan_id(self) -> str:
        """Stable id: province-year-agency-number, e.g. '20-2024-SGTVT-56' (drafts: 'D' + hash).

        A plan issued under the other geography than its year's (a 2025 plan issued before
        01/07/2025 by one of the 63) ends in '-V63' (or '-V34'): GSO codes were reused by other
        provinces in 2025 (15: Yên Bái of the 63, Lào Cai of the 34), and the same number of the
        same department in both halves of 2025 is two plans of two provinces, not two versions.
        """
        num = self.number.split("/", 1)[0].strip() if self.number else "D" + self.fingerprint[:6]
        pid = f"{self.province_code or 'XX'}-{self.year or 0}-{self.agency_code}-{num}"
        if self.vintage and self.year and self.vintage != vintage_for_year(self.year):
            pid += f"-V{self.vintage}"
        return pid

    def action_id(self, action: Action) -> str:
        return f"{self.plan_id}-A{action.seq:02d}"

    def to_json(self) -> dict:
        return {
            "number": self.number,
            "issued_on": self.issued_on.isoformat() if self.issued_on else None,
            "year": self.year,
            "province": self.province,
            "province_code": self.province_code,
            "agency": self.agency,
            "parent": {"number": self.parent_number,
                       "issued_on": self.parent_issued_on.isoformat()
                       if self.parent_issued_on else None},
            "signer": self.signer,
            "vintage": self.vintage,
            "is_amendment": self.is_amendment,
            "ocr_confidence": None if self.ocr_confidence is None
            else round(self.ocr_confidence, 1),
            "deadline": self.deadline.to_json() if self.deadline else None,
            "targets": [t.to_json() for t in self.targets],
            "actions": [a.to_json() for a in self.actions],
        }


def fingerprint(lines: list[str]) -> str:
    return hashlib.sha1("\n".join(x for x in lines if x).encode("utf-8")).hexdigest()


def text_fingerprint(text: str) -> str:
    """12 hex digits of sha1 over the folded, space-collapsed text (case/accents/NFD-proof)."""
    return hashlib.sha1(fold(text).encode("utf-8")).hexdigest()[:12]
