"""The attrition rules an operator sets for a wave, stored with it as JSON.

Applying them (:mod:`panel.attrition`) decides who leaves the panel after the
wave. Facts reported by the household — dissolved, deceased, out of scope —
end membership whatever the rules say; the rules decide the rest:

- ``missed_waves``: this many consecutive waves without a complete response
  drop the household (0 turns the rule off);
- ``drop_refusals``: an explicit refusal of the wave ends membership
  (status ``refused``); off, a refusal counts as a wave without response;
- ``drop_moved_out``: a move out of Seoul ends membership (status
  ``moved_out``); off, the household stays and counts as not responding.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from data.text import InvalidRequest, Text


@dataclass(frozen=True)
class AttritionRules:
    missed_waves: int = 2
    drop_refusals: bool = True
    drop_moved_out: bool = True

    def __post_init__(self) -> None:
        if not isinstance(self.missed_waves, int) or not 0 <= self.missed_waves <= 12:
            raise InvalidRequest(
                "bad_missed_waves",
                Text(
                    "연속 무응답 기준은 0~12회입니다 (0은 규칙 없음)",
                    "missed_waves must be a whole number from 0 (rule off) to 12",
                ),
            )

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str | None) -> AttritionRules:
        values: dict[str, Any] = json.loads(text) if text else {}
        return cls(
            **{
                k: values[k]
                for k in ("missed_waves", "drop_refusals", "drop_moved_out")
                if k in values
            }
        )

    def describe(self, lang: str = "ko") -> list[str]:
        """The rules in words, one line each, for pages and reports."""
        ko = lang == "ko"
        lines = []
        if self.missed_waves:
            lines.append(
                f"{self.missed_waves}회 연속 무응답이면 탈락"
                if ko
                else f"{self.missed_waves} consecutive waves without response: dropped"
            )
        else:
            lines.append("연속 무응답으로는 탈락시키지 않음" if ko else "no drop for missed waves")
        lines.append(
            ("명시적 거절은 탈락" if self.drop_refusals else "거절은 무응답으로 처리")
            if ko
            else (
                "explicit refusal: leaves"
                if self.drop_refusals
                else "refusal counts as no response"
            )
        )
        lines.append(
            ("서울 외 전출은 탈락" if self.drop_moved_out else "서울 외 전출도 유지")
            if ko
            else (
                "moved out of Seoul: leaves" if self.drop_moved_out else "moved out of Seoul: kept"
            )
        )
        return lines
