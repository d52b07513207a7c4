"""How reports word the methods: every method the stores record has its Korean wording."""

from __future__ import annotations

import json

from analysis.reports.terms import phrase, term, terms


def _worded(section: str, name: str) -> bool:
    return name in terms(section, "en") and term(section, name) != name


def test_every_method_a_weights_version_records_is_worded(module_demo_store):
    rows = module_demo_store.rows(
        "SELECT parameters FROM weights_versions WHERE unit IN ('household', 'person')"
    )
    assert rows
    for (text,) in rows:
        parameters = json.loads(text)
        calibration, nonresponse = parameters["calibration"], parameters["nonresponse"]
        assert phrase("calibration", calibration["method"]) != calibration["method"]
        assert phrase("trimming", calibration["trim_rule"]) != calibration["trim_rule"]
        assert _worded("nonresponse", nonresponse["method"])
        assert _worded("nonresponse", nonresponse["collapse"])
        assert _worded("variables", nonresponse["classes"])
        for variable, description in parameters["margins"].items():
            assert _worded("variables", variable) and _worded("margins", description)


def test_every_sample_design_a_survey_records_is_worded(module_demo_store):
    designs = [
        json.loads(r[0]) for r in module_demo_store.rows("SELECT sample_design FROM surveys")
    ]
    assert designs
    for design in designs:
        assert _worded("designs", design["design"])
        for key in design:
            assert _worded("design_keys", key)
        if "allocation" in design:
            assert _worded("allocations", design["allocation"])
            assert _worded("variables", design["stratum"]) and _worded("variables", design["area"])
