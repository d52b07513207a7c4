"""A survey's sample drawn from a contact list the survey manager uploads (CSV).

A department surveying its own users, a district office its programme's participants: the
population is a list, not the frame. The manager uploads it as CSV (UTF-8, or CP949 as Korean
Excel saves it) with the columns

    name, district, address, postal_code, mobile, email

(Korean headers 이름/성명, 자치구, 주소, 우편번호, 휴대전화, 이메일 are read the same). ``name`` and
``district`` (a code, or the district's Korean or English name) are required, and each row
needs one way to reach the household (address, mobile or e-mail). Every row is validated like
every import (:func:`data.validation.validate_frame`): rows refused go to the quarantine with
their reasons, the accepted rows become listed households with their contacts kept apart from
answers (:mod:`data.contact_lists`). A file that is not such a list (too large, not text, other
columns, no row) is refused as a whole and nothing is stored.

Probabilities. The whole list is surveyed (``pi = 1``), or ``n`` households are drawn: ``n``
is allocated to districts in proportion to the list's households ``N_h`` (controlled
rounding) and ``n_h`` drawn by simple random sampling without replacement, so
``pi = n_h / N_h``; each household is its own PSU, its district the stratum. The list *is* the
target population: the survey's weights take no frame scale factor and calibrate to the list's
households by district (:mod:`analysis.weights.survey_weights`).
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from data.audit import record_event
from data.contact_lists import FIRST_LISTED_ID, insert_contact_list, next_ids
from data.quarantine import new_batch_id, quarantine_result
from data.reference import stored_table
from data.schemas import CONTACT_LIST_COLUMNS, contact_list_schema
from data.store import Store, Transaction
from data.survey_tables import SAMPLE_COLUMNS, insert_sample, set_sample_design
from data.text import Refusal, Text
from data.transactions import in_transaction
from data.validation import ValidationResult, validate_frame
from surveys.fieldwork.sampling import allocate
from surveys.fieldwork.submit import quarantine_source
from surveys.opening import refuse_second_sample

MAX_BYTES = 20 * 1024 * 1024  # 20 MB: about 200,000 rows of contacts
ENCODINGS = ("utf-8-sig", "cp949")
HEADERS = {
    "name": "name", "이름": "name", "성명": "name",
    "district": "district", "district_code": "district", "자치구": "district", "구": "district",
    "address": "address", "주소": "address",
    "postal_code": "postal_code", "우편번호": "postal_code",
    "mobile": "mobile", "phone": "mobile", "휴대전화": "mobile", "전화": "mobile",
    "email": "email", "e-mail": "email", "이메일": "email",
}  # fmt: skip
REQUIRED = ("name", "district")
CSV_TEMPLATE = "name,district,address,postal_code,mobile,email\n"


class ContactListRefused(Refusal, ValueError):
    """The file as a whole is not a contact list this survey can use; nothing was stored."""


@dataclass(frozen=True)
class ContactListDesign:
    """``n`` None: every accepted household of the list; else a stratified SRS of ``n``."""

    n: int | None = None
    seed: int = 1


@dataclass(frozen=True)
class ContactListOutcome:
    list_id: int
    rows_read: int
    accepted: int
    quarantined: int
    sampled: int
    refused_rows: pd.DataFrame  # row (in the file), reasons (Korean / English text)


def read_contact_csv(content: bytes) -> pd.DataFrame:
    """The file's rows as text (blank cells missing) under the canonical column names.

    Raises :class:`ContactListRefused` for a file too large, not text in UTF-8 or CP949, not
    CSV, without a row, without the required columns or with columns it does not know.
    """
    if len(content) > MAX_BYTES:
        raise ContactListRefused(
            "contact_list_too_large",
            Text(
                f"연락처 목록 파일이 너무 큽니다 ({len(content) / 1e6:.1f} MB): 20 MB까지 받습니다.",
                f"The contact list is too large ({len(content) / 1e6:.1f} MB); the limit is 20 MB.",
            ),
        )
    text = _decoded(content)
    try:
        frame = pd.read_csv(
            io.StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=True
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise ContactListRefused(
            "contact_list_not_csv",
            Text(
                f"CSV 파일로 읽을 수 없습니다 ({str(error)[:120]}). 쉼표로 구분한 CSV로 저장해"
                " 주세요.",
                f"The file cannot be read as CSV ({str(error)[:120]}); save it as"
                " comma-separated CSV.",
            ),
        ) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    unknown = [c for c in frame.columns if c.lower() not in HEADERS]
    named = {c: HEADERS[c.lower()] for c in frame.columns if c.lower() in HEADERS}
    missing = [c for c in REQUIRED if c not in named.values()]
    if unknown or missing or len(set(named.values())) < len(named):
        raise ContactListRefused(
            "contact_list_columns",
            Text(
                "연락처 목록의 열이 맞지 않습니다."
                + (f" 없는 열: {', '.join(missing)}." if missing else "")
                + (f" 모르는 열: {', '.join(unknown)}." if unknown else "")
                + " 받는 열: name(이름), district(자치구), address(주소), postal_code(우편번호),"
                " mobile(휴대전화), email(이메일); 같은 뜻의 열은 하나만 두세요.",
                "The contact list's columns do not fit."
                + (f" Missing: {', '.join(missing)}." if missing else "")
                + (f" Not known: {', '.join(unknown)}." if unknown else "")
                + " The columns read are name, district, address, postal_code, mobile, email,"
                " each once.",
            ),
        )
    frame = frame.rename(columns=named)
    if frame.empty:
        raise ContactListRefused(
            "contact_list_empty",
            Text("연락처 목록에 행이 없습니다.", "The contact list has no row."),
        )
    for column in ("address", "postal_code", "mobile", "email"):
        if column not in frame.columns:
            frame[column] = ""
    frame = frame.apply(lambda s: s.str.strip()).astype(object)
    frame = frame.where(frame.notna() & frame.ne(""), None)
    frame.index = pd.RangeIndex(len(frame))
    return frame[["name", "district", "address", "postal_code", "mobile", "email"]]


def _decoded(content: bytes) -> str:
    if b"\x00" in content[:4096]:
        raise _not_text()
    for encoding in ENCODINGS:
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _not_text()


def _not_text() -> ContactListRefused:
    return ContactListRefused(
        "contact_list_not_text",
        Text(
            "연락처 목록이 글자 파일(CSV, UTF-8 또는 CP949)이 아닙니다. 엑셀에서 'CSV UTF-8'로 저장해"
            " 주세요.",
            "The contact list is not a text file (CSV in UTF-8 or CP949); save it from Excel as"
            " 'CSV UTF-8'.",
        ),
    )


def normal_mobile(value: str | None) -> str | None:
    """A Korean mobile number as 010-1234-5678 (digits in any grouping); other text as it is,
    for the check to refuse."""
    if value is None:
        return None
    digits = re.sub(r"[\s\-.()]", "", value)
    if digits.startswith("+82"):
        digits = "0" + digits[3:]
    if re.fullmatch(r"01[016789]\d{7,8}", digits):
        return f"{digits[:3]}-{digits[3:-4]}-{digits[-4:]}"
    return value


def district_codes(store: Store) -> dict[str, str]:
    """Every way a district may be written (code, Korean name, English name in any case) →
    its code."""
    table = stored_table(store, "districts")
    out: dict[str, str] = {}
    for row in table.itertuples(index=False):
        code = str(row.code)
        out[code] = code
        out[str(row.name_ko)] = code
        out[str(row.name_en).lower()] = code
    return out


def check_contact_list(store: Store, frame: pd.DataFrame) -> ValidationResult:
    """Validate the rows read by :func:`read_contact_csv` (see the module docstring)."""
    codes = district_codes(store)
    typed = frame.assign(
        district_code=[
            None if v is None else codes.get(v, codes.get(v.lower(), v)) for v in frame["district"]
        ],
        mobile=[normal_mobile(v) for v in frame["mobile"]],
    )[list(CONTACT_LIST_COLUMNS)]
    return validate_frame(typed, contact_list_schema(frozenset(set(codes.values()))))


def list_sample(households: pd.DataFrame, design: ContactListDesign) -> pd.DataFrame:
    """The listed households drawn (all, or a stratified SRS by district) with ``pi_within``."""
    if design.n is None:
        return households.assign(pi_within=1.0)
    if not 1 <= design.n <= len(households):
        raise ContactListRefused(
            "contact_list_sample_too_large",
            Text(
                f"표본 {design.n:,}가구를 뽑을 수 없습니다: 목록에서 받은 가구는"
                f" {len(households):,}가구입니다.",
                f"Cannot draw {design.n:,} households: the list's accepted rows are"
                f" {len(households):,}.",
            ),
        )
    rng = np.random.default_rng(design.seed)
    sizes = households["district_code"].value_counts().sort_index()
    n_h = allocate(sizes, design.n, method="proportional", capacity=sizes, rng=rng)
    picks = []
    for code, group in households.groupby("district_code", sort=True):
        take = int(n_h[code])
        if take:
            rows = np.sort(rng.choice(len(group), size=take, replace=False))
            picks.append(group.iloc[rows].assign(pi_within=take / len(group)))
    return pd.concat(picks).sort_values("household_id")


def draw_from_contact_list(
    store: Store,
    survey_id: int,
    file_name: str,
    content: bytes,
    design: ContactListDesign,
    *,
    actor: str,
) -> ContactListOutcome:
    """Read, check and store the list, quarantine its refused rows and record the survey's
    sample from it, all in one transaction (audited without any contact in the record)."""
    refuse_second_sample(store, survey_id, ContactListRefused)
    frame = read_contact_csv(content)
    result = check_contact_list(store, frame)
    if result.valid.empty:
        reasons = [
            Text(f"{_where(index)}{r.text.ko}", f"{_where(index, 'en')}{r.text.en}")
            for index, r in result.first_reasons(3)
        ]
        raise ContactListRefused(
            "contact_list_no_valid_row",
            Text(
                "받을 수 있는 행이 하나도 없습니다. " + " ".join(t.ko for t in reasons),
                "No row of the list can be used. " + " ".join(t.en for t in reasons),
            ),
        )
    sha = hashlib.sha256(content).hexdigest()
    source = quarantine_source(store, "contact_list", survey_id)
    batch_id = new_batch_id("contacts")

    def work(tx: Transaction) -> ContactListOutcome:
        list_id, first = next_ids(tx)
        accepted = result.valid.reset_index(names="row")
        accepted["household_id"] = np.arange(first, first + len(accepted), dtype=np.int64)
        households = accepted.assign(list_id=list_id, row_number=accepted["row"] + 2)
        quarantined = quarantine_result(tx, source, batch_id, result, row_offset=2)
        record = {
            "list_id": list_id,
            "survey_id": int(survey_id),
            "file_name": file_name[:200],
            "file_sha256": sha,
            "rows_read": len(frame),
            "rows_accepted": len(accepted),
            "rows_quarantined": quarantined,
            "uploaded_by": actor,
        }
        insert_contact_list(store, tx, record, households, accepted)
        chosen = list_sample(households, design)
        rows = pd.DataFrame(
            {
                "survey_id": int(survey_id),
                "household_id": chosen["household_id"].to_numpy(),
                "stratum": chosen["district_code"].astype(str).to_numpy(),
                "area": chosen["household_id"].astype(str).to_numpy(),
                "area_households": 1,
                "pi_area": 1.0,
                "pi_within": chosen["pi_within"].to_numpy(),
                "pi": chosen["pi_within"].to_numpy(),
                "design_weight": 1.0 / chosen["pi_within"].to_numpy(),
            }
        )[list(SAMPLE_COLUMNS)]
        insert_sample(store, tx, rows)
        details = {
            "source": "contact_list",
            "design": "the whole list"
            if design.n is None
            else "stratified SRSWOR within districts of the list, PSU = household, pi = n_h / N_h",
            "target": {"contact_list": list_id},
            "households": len(rows),
            "list_households": len(accepted),
            "n": design.n,
            "seed": design.seed if design.n is not None else None,
        }
        set_sample_design(tx, survey_id, details)
        audit = {k: v for k, v in record.items() if k != "uploaded_by"}
        record_event(tx, actor, "contact_list_uploaded", f"survey:{survey_id}", audit)
        record_event(tx, actor, "sample_drawn", f"survey:{survey_id}", details)
        return ContactListOutcome(
            list_id, len(frame), len(accepted), quarantined, len(rows), _refused(result)
        )

    return in_transaction(store, work)


def _where(index: object, lang: str = "ko") -> str:
    if index is None:
        return ""
    row = int(index) + 2  # type: ignore[call-overload]
    return f"{row}행: " if lang == "ko" else f"row {row}: "


def _refused(result: ValidationResult) -> pd.DataFrame:
    """Each refused row's number in the file and its reasons, without its contents."""
    rows = []
    for index in result.invalid.index:
        texts = [r.text for r in result.batch_reasons + result.reasons.get(index, [])]
        rows.append(
            {
                "row": int(index) + 2,
                "reasons_ko": " / ".join(t.ko for t in texts),
                "reasons_en": " / ".join(t.en for t in texts),
            }
        )
    return pd.DataFrame(rows, columns=["row", "reasons_ko", "reasons_en"])


def is_listed(household_id: int) -> bool:
    """Whether a household id names a listed household (not a frame household)."""
    return int(household_id) >= FIRST_LISTED_ID
