"""Write the synthetic Seoul-like person sample that the R goldens are computed on.

The estimation engine is checked against R's ``survey`` package on a sample
shaped like the Seoul Survey: 25 district strata, about 20 PSUs (enumeration
blocks) per district, about 40,000 persons, unequal weights, and items with
missing values. The sample is synthetic and seeded, so it can be regenerated
byte for byte; the CSV is committed beside the goldens because the goldens
are only valid for exactly these rows.

Run from the repository root: ``python tests/golden/make_seoul_sample.py``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
DISTRICTS = ROOT / "data" / "reference" / "districts.csv"
OUTPUT = Path(__file__).resolve().parent / "seoul_sample.csv"
SEED = 20240604


def make_sample(seed: int = SEED) -> pd.DataFrame:
    """One row per sampled person, with the design variables and the items."""
    rng = np.random.default_rng(seed)
    districts = pd.read_csv(DISTRICTS)["code"].to_numpy()
    n_psu = rng.integers(18, 23, size=districts.size)  # 18..22 blocks per district
    psu_district = np.repeat(districts, n_psu)
    psu_id = np.arange(1, psu_district.size + 1)  # unique across districts
    persons_per_psu = rng.integers(62, 103, size=psu_id.size)
    district = np.repeat(psu_district, persons_per_psu)
    psu = np.repeat(psu_id, persons_per_psu)
    n = district.size

    # Effects: district, block (cluster correlation) and person.
    district_effect = dict(zip(districts, rng.normal(0.0, 0.6, districts.size), strict=True))
    block_effect = np.repeat(rng.normal(0.0, 0.7, psu_id.size), persons_per_psu)
    base_weight = dict(zip(districts, rng.uniform(150.0, 450.0, districts.size), strict=True))

    sex = rng.integers(1, 3, size=n)
    age_group = rng.choice(np.arange(1, 8), size=n, p=[0.1, 0.15, 0.17, 0.17, 0.16, 0.14, 0.11])
    d_eff = np.array([district_effect[d] for d in district])
    weight = np.array([base_weight[d] for d in district]) * rng.lognormal(0.0, 0.35, size=n)
    weight *= np.where(sex == 1, 1.08, 0.94) * (1.0 + 0.04 * (age_group - 4))

    latent = 6.0 + d_eff + block_effect - 0.15 * (age_group - 4) + rng.normal(0.0, 1.8, n)
    happiness = np.clip(np.rint(latent), 0, 10)
    satisfied = (rng.random(n) < 1.0 / (1.0 + np.exp(-(latent - 6.3)))).astype(float)
    income = np.rint(rng.lognormal(8.0 + 0.05 * d_eff + 0.1 * (sex == 1), 0.6, n))
    household_size = rng.choice(np.arange(1, 7), size=n, p=[0.3, 0.27, 0.2, 0.16, 0.05, 0.02])
    trust = np.clip(np.rint(3.0 + 0.35 * (latent - 6.0) + rng.normal(0.0, 1.0, n)), 1, 5)

    frame = pd.DataFrame(
        {
            "district": district,
            "psu": psu,
            "weight": np.round(weight, 2),
            "sex": sex,
            "age_group": age_group,
            "happiness": pd.array(happiness.astype(int), dtype="Int64"),
            "satisfied": pd.array(satisfied.astype(int), dtype="Int64"),
            "income": pd.array(income.astype(int), dtype="Int64"),
            "household_size": household_size,
            "trust": pd.array(trust.astype(int), dtype="Int64"),
        }
    )
    for column, share in [
        ("happiness", 0.03),
        ("satisfied", 0.04),
        ("income", 0.02),
        ("trust", 0.02),
    ]:
        frame.loc[rng.random(n) < share, column] = pd.NA
    return frame


def main() -> None:
    frame = make_sample()
    frame.to_csv(OUTPUT, index=False)
    print(f"wrote {OUTPUT} ({len(frame)} persons, {frame['psu'].nunique()} PSUs)")


if __name__ == "__main__":
    main()
