"""The plan's figures and findings as plain data (``poolplanner summary --json``) and as text."""

from __future__ import annotations

from decimal import Decimal, localcontext
from fractions import Fraction
from typing import Any

from planner import money
from planner import years as fy
from planner.benefits import Benefits, appraise
from planner.figures import Figures, compute
from planner.findings import Finding, find
from planner.model import Plan
from planner.monitoring import YearReport, year_report
from planner.plan_sensitivity import Sensitivity, plan_sensitivity


def _share(value) -> float | None:
    # A ratio, not money: four decimal places is what a reader can use.
    return None if value is None else round(float(value), 4)


def finding_dict(plan: Plan, f: Finding) -> dict[str, Any]:
    return {
        "code": f.code.value,
        "severity": f.severity.value,
        "body": plan.bodies[f.body_id].name if f.body_id is not None else None,
        "years": fy.labels(f.years),
        "amount_pence": f.amount_pence,
        "by_year_pence": {fy.label(y): p for y, p in f.by_year.items()},
        "title": f.title,
        "message": f.message,
    }


def _prices(plan: Plan, benefits: Benefits) -> dict[str, Any]:
    from planner.deflator import deflator

    a = plan.appraisal
    return {
        "entered": a.prices.value,
        "base_year": fy.label(a.price_base_year),
        "inflation_bp": a.inflation_bp,
        "deflators": {fy.label(y): round(float(deflator(y, a.inflation_bp)), 6)
                      for y in benefits.years},
    }  # fmt: skip


def benefits_dict(plan: Plan, benefits: Benefits) -> dict[str, Any]:
    """Who invests and who benefits, before and after gain-share (amounts in pence, present
    values at the plan's first year)."""

    def label(year: int | None) -> str | None:
        return fy.label(year) if year is not None else None

    def net(position) -> int:
        return sum(position.net.values())

    bodies = []
    for body_id, b in benefits.bodies.items():
        bodies.append(
            {
                "name": plan.bodies[body_id].name,
                "costs_pence": b.total_costs,
                "benefits_pence": b.total_gross,
                "adjusted_benefits_pence": b.total_adjusted,
                "cashable_benefits_pence": sum(b.cashable.values()),
                "pv_costs_pence": b.pv_costs,
                "pv_benefits_pence": b.pv_benefits,
                "net_pence": net(b.before),
                "npv_pence": b.before.npv,
                "payback_year": label(b.before.payback_year),
                "cost_share": _share(benefits.cost_share(body_id)),
                "benefit_share": _share(benefits.benefit_share(body_id)),
                "after_gain_share": {
                    "net_pence": net(b.after),
                    "npv_pence": b.after.npv,
                    "payback_year": label(b.after.payback_year),
                    "benefit_share": _share(benefits.benefit_share(body_id, after=True)),
                },
                "transfers": {fy.label(y): p for y, p in b.transfers.items()},
            }
        )
    every = benefits.bodies.values()
    return {
        "discount_bands": [
            {"from_year": start, "rate_bp": rate} for start, rate in plan.appraisal.discount_bands
        ],
        "discount_factors": {fy.label(y): round(float(f), 6) for y, f in benefits.factors.items()},
        "gain_share": plan.appraisal.gain_share.value,
        "gain_share_problem": benefits.gain_share.problem or None,
        # Only for figures entered in cash (costs and the benefits after adjustment are then
        # in the base year's prices; the gross benefits as entered): others read as before.
        **({"prices": _prices(plan, benefits)} if benefits.real_terms is not None else {}),
        "totals": {
            "costs_pence": sum(b.total_costs for b in every),
            "benefits_pence": sum(b.total_gross for b in every),
            "adjusted_benefits_pence": sum(b.total_adjusted for b in every),
            "pv_costs_pence": benefits.pv_costs,
            "pv_benefits_pence": benefits.pv_benefits,
            "net_pence": sum(net(b.before) for b in every),
            "npv_pence": benefits.npv,
            "benefit_cost_ratio": _share(benefits.benefit_cost_ratio),
            "payback_year": label(benefits.payback_year),
        },
        "bodies": bodies,
        # Each line as the appraisal took it: in a plan entered in cash, its year's multiplier
        # into real terms is in its appraised figures, so the lines add up to the bodies'.
        "benefit_lines": [
            _benefit_line(plan, line, benefits.real_terms) for line in plan.benefits.values()
        ],
        "cost_lines": [_cost_line(plan, line, benefits.real_terms) for line in plan.costs.values()],
    }


def _benefit_line(plan: Plan, line, real) -> dict[str, Any]:
    """A benefit line from gross to net: each Green Book adjustment taken off, in order."""
    from planner.benefits import net_benefit

    years = [y for y in plan.year_range if y in line.years]
    return {
        "scheme": plan.schemes[line.scheme_id].name,
        "body": plan.bodies[line.body_id].name,
        "cashable": line.cashable,
        "adjustments_bp": {what.replace(" ", "_"): bp for what, bp in line.adjustments},
        "gross_pence": {fy.label(y): line.years[y] for y in years},
        "net_pence": {
            fy.label(y): net_benefit(line.years[y], line, real and real[y]) for y in years
        },
    }


def _cost_line(plan: Plan, line, real) -> dict[str, Any]:
    """A cost line as entered and with its optimism-bias uplift."""
    from planner.benefits import uplifted_cost

    years = [y for y in plan.year_range if y in line.years]
    return {
        "scheme": plan.schemes[line.scheme_id].name,
        "body": plan.bodies[line.body_id].name,
        "uplift_bp": line.uplift_bp,
        "mitigation_bp": line.mitigation_bp,
        "project_type": line.project_type or None,
        "cost_pence": {fy.label(y): line.years[y] for y in years},
        "uplifted_pence": {
            fy.label(y): uplifted_cost(line.years[y], line, real and real[y]) for y in years
        },
    }


def _digits(value: Fraction | None) -> str | None:
    """An exact fraction as a decimal string of 12 significant digits, '-0.151460800000' and
    never a float's last-digit noise, so the JSON is the same on every machine."""
    if value is None:
        return None
    with localcontext(prec=12):
        return f"{Decimal(value.numerator) / Decimal(value.denominator):f}"


def sensitivity_dict(plan: Plan, s: Sensitivity | None) -> dict[str, Any] | None:
    """The plan's switching values, a point per input and direction, and the optimism-bias
    sweep on benefits (``planner.plan_sensitivity``); None with nothing to appraise."""
    if s is None:
        return None

    def point(p) -> dict[str, Any]:
        v, c = p.value, p.change
        return {
            "kind": v.input_kind.value,
            "label": v.label,
            "body": plan.bodies[v.body_id].name if v.body_id is not None else None,
            "line_id": v.line_id,
            "direction": p.direction,
            "ratio": _digits(c.ratio) if c else None,
            "percent": _digits(c.percent) if c else None,
            "pence": c.pence if c else None,
            "rate_bp": _digits(c.rate_bp) if c else None,
            "npv_pence": c.value if c else None,
            "reason": p.reason or None,
        }

    bias, uplift = s.bias, s.uplift
    return {
        "switching_values": [point(p) for p in s.points],
        # Each cost line's uplift as its mitigation runs from 0 to 1 (as gb_sensitivity_ob
        # sweeps it); null where no cost line has an uplift.
        "uplift_sweep": None
        if uplift is None
        else {
            "points": [
                {
                    "mitigation": _digits(pt.at),
                    "npv_pence": pt.npv,
                    "benefit_cost_ratio": _share(pt.bcr),
                    "pv_costs_pence": pt.pv_costs,
                }
                for pt in uplift.points
            ],
            "crossing_mitigation": _digits(uplift.crossing),
            "crossing_npv_pence": uplift.crossing_npv,
            "reason": uplift.reason or None,
        },
        "bias_sweep": {
            "points": [
                {
                    "bias_bp": _digits(pt.at),
                    "npv_pence": pt.npv,
                    "benefit_cost_ratio": _share(pt.bcr),
                    "pv_costs_pence": pt.pv_costs,
                    "pv_benefits_pence": pt.pv_benefits,
                }
                for pt in bias.points
            ],
            "crossing_bp": _digits(bias.crossing),
            "crossing_npv_pence": bias.crossing_npv,
            "step_bp": _digits(bias.step),
            "reason": bias.reason or None,
        },
    }


def summary(
    plan: Plan,
    figures: Figures | None = None,
    findings: list[Finding] | None = None,
    sign_offs: dict | None = None,
) -> dict[str, Any]:
    """Every figure of the plan; with ``sign_offs`` (a plan file's records), each body's
    sign-off too."""
    figures = figures or compute(plan)
    benefits = appraise(plan)
    findings = find(plan, figures, benefits) if findings is None else findings
    totals = figures.contribution_totals
    return {
        "plan": {
            "name": plan.name,
            "description": plan.description,
            "first_year": fy.label(plan.first_year),
            "years": fy.labels(plan.year_range),
            "status": plan.status.value,
            "version": plan.version,
        },
        "years": {
            fy.label(y): {
                "contributions_pence": yf.contributions.total,
                "confirmed_pence": yf.contributions.confirmed,
                "conditional_pence": yf.contributions.conditional,
                "indicative_pence": yf.contributions.indicative,
                "unfunded_pence": yf.contributions.unfunded,
                "at_risk_pence": yf.at_risk,
                "expenditure_pence": yf.expenditure,
                "balance_pence": yf.balance,
                "cumulative_balance_pence": yf.cumulative_balance,
                "confirmed_share": _share(yf.confirmed_share),
            }
            for y, yf in figures.years.items()
        },
        "totals": {
            "contributions_pence": totals.total,
            "confirmed_pence": totals.confirmed,
            "conditional_pence": totals.conditional,
            "indicative_pence": totals.indicative,
            "unfunded_pence": totals.unfunded,
            "at_risk_pence": figures.total_at_risk,
            "expenditure_pence": figures.total_expenditure,
            "balance_pence": figures.total_contributions - figures.total_expenditure,
        },
        "bodies": [
            {
                "name": plan.bodies[b].name,
                "kind": plan.bodies[b].kind.value,
                "role": plan.bodies[b].role.value,
                "confirmed_until": fy.label(bf.confirmed_until) if bf.confirmed_until else None,
                "contributions_pence": {fy.label(y): s.total for y, s in bf.by_year.items()},
                "confirmed_pence": {fy.label(y): s.confirmed for y, s in bf.by_year.items()},
                "conditional_pence": {fy.label(y): s.conditional for y, s in bf.by_year.items()},
                # What the board expects the conditional money to earn: never confirmed.
                "conditional_expected_pence": bf.expected(plan),
                "indicative_pence": {fy.label(y): s.indicative for y, s in bf.by_year.items()},
                "unfunded_pence": {fy.label(y): s.unfunded for y, s in bf.by_year.items()},
                "at_risk_pence": {fy.label(y): p for y, p in bf.at_risk_by_year.items()},
                "total_pence": bf.total,
            }
            for b, bf in figures.bodies.items()
        ],
        "benefits": benefits_dict(plan, benefits),
        "sensitivity": sensitivity_dict(plan, plan_sensitivity(plan, benefits)),
        "findings": [finding_dict(plan, f) for f in findings],
        "monitoring": monitoring_dict(plan),
        **({"sign_offs": _sign_offs(plan, sign_offs)} if sign_offs is not None else {}),
    }


def monitoring_dict(plan: Plan, report: YearReport | None = None) -> dict[str, Any] | None:
    """The year monitored, as at its date: each scheme's budget, actuals and forecast by
    quarter, outturn and variance; each body's money due and received; and who bears the
    variance, step by step through the order of cover (``planner.monitoring``). None: no year
    is monitored."""
    report = report or year_report(plan)
    if report is None:
        return None

    def name(body_id: int | None) -> str | None:
        return plan.bodies[body_id].name if body_id is not None else None

    a = plan.risk_share
    return {
        "year": fy.label(report.year),
        "as_at": report.as_at.isoformat() if report.as_at else None,
        "quarters_reported": report.quarters_reported,
        "pool_pence": report.pool,
        "threshold_pence": report.threshold,
        "budget_pence": report.budget,
        "actual_to_date_pence": report.actual_to_date,
        "forecast_outturn_pence": report.outturn,
        "variance_pence": report.variance,
        "schemes": [
            {
                "name": plan.schemes[line.scheme_id].name,
                "lead": name(line.lead_body_id),
                "line": "shared" if line.shared else "fixed",
                "budget_pence": line.outturn.budget,
                "quarters": {
                    f"Q{q}": {"kind": kind, "pence": pence}
                    for q, (kind, pence) in line.outturn.by_quarter.items()
                },
                "refund_quarters": [f"Q{q}" for q in sorted(line.refunds)],
                "actual_to_date_pence": line.outturn.actual_to_date,
                "forecast_rest_pence": line.outturn.forecast_rest,
                "forecast_outturn_pence": line.outturn.outturn,
                "variance_pence": line.outturn.variance,
                "forecast_method": line.method.value,
                "forecast_reason": line.reason,
                "explanation": line.explanation,
                "uncommitted_pence": line.uncommitted,
            }
            for line in report.schemes
        ],
        "bodies": [
            {
                "name": name(b),
                "contribution_pence": m.contribution,
                "due_pence": {f"Q{q}": p for q, p in m.due.items()},
                "received_pence": {f"Q{q}": p for q, p in sorted(m.received.items())},
                "due_to_date_pence": m.payments.due_to_date,
                "received_to_date_pence": m.payments.received,
                "unpaid_pence": m.payments.unpaid,
            }
            for b, m in report.bodies.items()
        ],
        "risk_share": {
            "rule": a.rule.value,
            "host": name(plan.host_id),
            "reserve_pence": a.reserve_pence,
            "underspend": a.underspend.value,
            "net_shared_variance_pence": report.risk.net,
            "steps": [
                {"body": name(step.body_id), "pence": step.pence, "why": step.why}
                for step in report.risk.steps
            ],
            "by_body_pence": {
                name(b): report.risk.borne_by(b)
                for b in dict.fromkeys(s.body_id for s in report.risk.steps if s.body_id)
            },
        },
    }


def _sign_offs(plan: Plan, sign_offs: dict) -> list[dict[str, Any]]:
    from planner.excel.fingerprint import fingerprint
    from planner.signoff import status

    current = fingerprint(plan)
    out = []
    for body_id, body in plan.bodies.items():
        s = sign_offs.get(body_id)
        out.append(
            {
                "body": body.name,
                "status": status(s, current),
                "decision": s.decision.value if s else None,
                "signed_on": s.signed_on.isoformat() if s and s.signed_on else None,
                "signatory": s.signatory if s else None,
                "comments": s.comments if s else None,
                "version": s.version if s else None,
                "current": bool(s) and s.fingerprint == current,
            }
        )
    return out


def summary_text(plan: Plan, figures: Figures | None = None) -> str:
    """A fixed-width table for the terminal: per year, the pool by certainty and its balance."""
    figures = figures or compute(plan)
    totals = figures.contribution_totals
    # Money on results has its column only where there is some.
    # As the workbook and the timeline show them: conditional only in a plan paid on results.
    shown = plan.certainties_shown()
    cols = [
        "Year",
        "Contributions",
        *(c.value.capitalize() for c in shown),
        "Spending",
        "Balance",
        "Confirmed %",
    ]
    rows = []
    for y, yf in figures.years.items():
        share = yf.confirmed_share
        rows.append(
            [
                fy.label(y),
                *(
                    money.format(v, brackets=True)
                    for v in (
                        yf.contributions.total,
                        *(getattr(yf.contributions, c.value) for c in shown),
                        yf.expenditure,
                        yf.balance,
                    )
                ),
                "-" if share is None else f"{float(share) * 100:.0f}%",
            ]
        )
    rows.append(
        [
            "Total",
            *(
                money.format(v, brackets=True)
                for v in (
                    totals.total,
                    *(getattr(totals, c.value) for c in shown),
                    figures.total_expenditure,
                    figures.total_contributions - figures.total_expenditure,
                )
            ),
            "",
        ]
    )
    widths = [max(len(str(r[i])) for r in [cols, *rows]) for i in range(len(cols))]
    lines = [
        f"{plan.name} (version {plan.version}, {plan.status.value.replace('_', ' ')})",
        f"{fy.label(plan.first_year)} to {fy.label(plan.last_year)}, "
        f"{len(plan.bodies)} bodies, {len(plan.schemes)} schemes",
        "",
    ]
    for r in [cols, *rows]:
        lines.append(
            "  ".join(
                str(v).ljust(widths[i]) if i == 0 else str(v).rjust(widths[i])
                for i, v in enumerate(r)
            )
        )
    lines.append("")
    lines.append("Confirmed funding by body:")
    for b, bf in figures.bodies.items():
        name = plan.bodies[b].name
        if not bf.total:
            lines.append(f"  {name}: contributes nothing to the pool")
            continue
        until = f"to {fy.label(bf.confirmed_until)}" if bf.confirmed_until else "not confirmed"
        risk = f"; {money.format(bf.at_risk)} at risk" if bf.at_risk else ""
        lines.append(f"  {name}: {until}{risk}")
    return "\n".join(lines)
