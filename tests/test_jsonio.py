"""Plan JSON: a dump loads back to the same plan and the same figures; bad JSON is named."""

import copy
import json

import pytest

from planner import jsonio, report
from planner.errors import PlanFormatError
from planner.store import PlanFile


def test_dump_load_round_trip_is_exact(example_file, tmp_path):
    text = jsonio.dumps(example_file.plan)
    with PlanFile.create(tmp_path / "copy.poolplan", jsonio.loads(text)) as copy_:
        assert copy_.plan == example_file.plan
        assert jsonio.dumps(copy_.plan) == text
        assert report.summary(copy_.plan) == report.summary(example_file.plan)


def test_money_is_integer_pence_and_years_are_labels(example_plan):
    data = jsonio.to_dict(example_plan)
    assert data["contributions"][0] == {
        "id": 1,
        "body_id": 1,
        "year": "2025-26",
        "settlement_id": 1,
        "amount_pence": 100_000_000,
        "note": "",
    }
    assert data["settlements"][2]["years"] == {
        "2025-26": {"status": "confirmed", "amount_pence": 100_000_000}
    }


def test_accepts_the_other_year_style_and_omitted_optional_fields(example_plan):
    data = jsonio.to_dict(example_plan)
    data["plan"]["first_year"] = "2025/26"
    for b in data["bodies"]:
        del b["role"], b["signatory_name"], b["signatory_title"]
    plan = jsonio.from_dict(data)
    assert plan.first_year == 2025
    assert plan.bodies[1].role.value == "contributor"


def _broken(mutate):
    def make(example_plan):
        data = copy.deepcopy(jsonio.to_dict(example_plan))
        mutate(data)
        return json.dumps(data)

    return make


BROKEN = {
    "wrong format tag": (_broken(lambda d: d.update(format="something-else")), "format"),
    "newer format": (_broken(lambda d: d.update(format_version=99)), "newer"),
    "unknown field": (
        _broken(lambda d: d["bodies"][0].update(colour="red")),
        r"bodies\[0\].colour",
    ),
    "bad kind": (_broken(lambda d: d["bodies"][1].update(kind="hospital")), r"bodies\[1\].kind"),
    "duplicate body name": (
        _broken(lambda d: d["bodies"][1].update(name="Anytown Council")),
        "second body",
    ),
    "dangling body id": (_broken(lambda d: d["contributions"][0].update(body_id=42)), "no body"),
    "other body's settlement": (
        _broken(lambda d: d["contributions"][0].update(settlement_id=2)),
        "another body",
    ),
    "float money": (
        _broken(lambda d: d["contributions"][0].update(amount_pence=12.5)),
        "whole number of pence",
    ),
    "string money": (
        _broken(lambda d: d["contributions"][0].update(amount_pence="100")),
        "whole number",
    ),
    "negative money": (
        _broken(lambda d: d["contributions"][0].update(amount_pence=-1)),
        "negative",
    ),
    "huge money": (_broken(lambda d: d["contributions"][0].update(amount_pence=10**30)), "zeros"),
    "year outside plan": (
        _broken(lambda d: d["contributions"][0].update(year="2030-31")),
        "outside the plan",
    ),
    "bad year label": (
        _broken(lambda d: d["contributions"][0].update(year="2025-27")),
        "not a financial year",
    ),
    "unfunded settlement year": (
        _broken(lambda d: d["settlements"][0]["years"]["2025-26"].update(status="unfunded")),
        "confirmed or indicative",
    ),
    "bad date": (
        _broken(lambda d: d["settlements"][0].update(announced="next Tuesday")),
        "not a date",
    ),
    "duplicate stream": (
        _broken(lambda d: d["contributions"].append(dict(d["contributions"][0], id=500))),
        "second contribution",
    ),
    "duplicate id": (
        _broken(lambda d: d["contributions"].append(dict(d["contributions"][0], year="2026-27"))),
        "used twice",
    ),
    "control character": (
        _broken(lambda d: d["plan"].update(name="Plan\x1b[31m")),
        "control character",
    ),
    "list for object": (
        _broken(lambda d: d["settlements"][0].update(years=[{"a": 1}])),
        "expected an object",
    ),
    "missing name": (_broken(lambda d: d["plan"].pop("name")), r"plan.name: is missing"),
    "benefit of unknown scheme": (
        _broken(lambda d: d.update(benefits=[{"id": 1, "scheme_id": 9, "body_id": 1}])),
        r"benefits\[0\].scheme_id",
    ),
    "cashable not a boolean": (
        _broken(
            lambda d: d.update(
                benefits=[{"id": 1, "scheme_id": 1, "body_id": 1, "cashable": "yes"}]
            )
        ),
        "true or false",
    ),
    "discount schedule not from year 0": (
        _broken(
            lambda d: d.update(appraisal={"discount_bands": [{"from_year": 5, "rate_bp": 350}]})
        ),
        "start at year 0",
    ),
    "unknown gain-share rule": (
        _broken(lambda d: d.update(appraisal={"gain_share": "winner_takes_all"})),
        "not one of",
    ),
    "NaN": (
        lambda p: json.dumps(jsonio.to_dict(p)).replace(
            '"amount_pence": 100000000', '"amount_pence": NaN', 1
        ),
        "NaN",
    ),
    "not json": (lambda p: "<html>", "not valid JSON"),
    "deep nesting": (
        lambda p: "[" * 100_000 + "]" * 100_000,
        "nested too deeply|expected an object",
    ),
    "top-level list": (lambda p: "[]", "expected an object"),
}


@pytest.mark.parametrize("case", BROKEN)
def test_broken_json_is_refused_with_the_field_named(example_plan, case):
    make, message = BROKEN[case]
    with pytest.raises(PlanFormatError, match=message):
        jsonio.loads(make(example_plan))
