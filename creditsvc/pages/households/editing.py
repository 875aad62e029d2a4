"""The household form: open a file, edit one; member rows added and removed in place.

The form posts flat names (`members-0-relation`, `guarantees.food`) read with the API's own
schemas. On an error the form comes back with everything as it was typed, member rows
included (renumbered in their order, so each error sits beside its own row).
"""

import re

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from creditsvc.core.errors import AppError
from creditsvc.core.money import fmt_yuan
from creditsvc.core.vocab import TOWNS
from creditsvc.infra.extensions import db
from creditsvc.pages.access import actor, page_roles
from creditsvc.pages.households.blueprint import bp, cipher
from creditsvc.pages.labels import choices
from creditsvc.pages.validation import all_errors, form_to_data, load_form, refusal_errors, refusals_errors
from creditsvc.schemas.households import HouseholdInSchema, HouseholdPatchSchema
from creditsvc.services.households import files as households
from creditsvc.services.households.changes import MEMBER_FIELDS, SCALARS
from creditsvc.services.platform.uow import UnitOfWork

BOOLEANS = ("head_labour_capable", "skills_training", "cooperative_member", "bad_credit_flag",
            "labour_capable", "chronic_illness", "disability", "in_school",
            "food", "clothing", "education", "medical", "housing")
GUARANTEES = ("food", "clothing", "education", "medical", "housing")
# Left blank on the edit form, these fields are cleared (None), not left as they were.
CLEARABLE = ("lifted_year", "head_labour_capable", "per_capita_income", "productive_assets",
             "outside_debt", "skills_training", "cooperative_member")
# A service's refusal without field errors, and the field it is about.
REFUSAL_FIELDS = {"duplicate_household": "id_number"}
MAX_MEMBERS = 30


def _posted() -> dict:
    """The posted form as the schemas' dict (the member counter is the page's, not data)."""
    data = form_to_data(request.form, booleans=BOOLEANS, lists=("income_sources",))
    data.pop("member_next", None)
    return data


def _typed(data: dict) -> dict:
    """The form's text as the JSON types the schema reads: the year as a whole number."""
    out = dict(data)
    year = out.get("lifted_year")
    if isinstance(year, str) and re.fullmatch(r"[0-9]{1,4}", year):
        out["lifted_year"] = int(year)
    return out


def _cleared(data: dict) -> dict:
    """The edit form's blanks as None (and no rows or sources as empty lists)."""
    out = dict(data)
    for name in CLEARABLE:
        if name in request.form and name not in out:
            out[name] = None
    guarantees = dict(out.get("guarantees") or {})
    for name in GUARANTEES:
        if f"guarantees.{name}" in request.form and name not in guarantees:
            guarantees[name] = None
    out["guarantees"] = guarantees
    out.setdefault("income_sources", [])
    out.setdefault("members", [])
    return out


def _refusal(error: AppError) -> dict[str, list[str]]:
    errors = refusal_errors(error)
    if (name := REFUSAL_FIELDS.get(error.code)) and "_form" in errors:
        errors[name] = errors.pop("_form")
    return errors


def _values_of(h) -> dict:
    """A file's current values as the form shows them (personal fields left blank)."""
    values = {name: getattr(h, name) for name in SCALARS if not name.endswith(("_fen", "_secure"))}
    for name in ("per_capita_income", "productive_assets", "outside_debt"):
        values[name] = fmt_yuan(getattr(h, f"{name}_fen"))
    values["guarantees"] = {name: getattr(h, f"{name}_secure") for name in GUARANTEES}
    values["income_sources"] = list(h.income_sources or [])
    # Each row carries its member's id: an edit changes the same members (their names and ID
    # numbers from a survey kept, a borrower still the borrower), it does not make new ones.
    values["members"] = [{"id": m.id, **{name: getattr(m, name) for name in MEMBER_FIELDS}}
                         for m in h.members]
    return values


def _form(values: dict, errors: dict, h=None, status: int = 200):
    members = values.get("members") or []
    return render_template(
        "households/form.html", values=values, errors=errors, h=h, members=members,
        member_next=len(members), towns=[(t, t) for t in TOWNS], statuses=choices("status"),
        relations=choices("relation"), sources=choices("income_source"),
        guarantees=choices("guarantee"), max_members=MAX_MEMBERS), status


@bp.route("/new", methods=["GET", "POST"])
@page_roles("officer")
def new():
    """Open a household file (一户一档)."""
    if request.method == "GET":
        return _form({"members": [{"relation": "head"}]}, {})
    values = _posted()
    data, errors = load_form(HouseholdInSchema(), _typed(values))
    if data is None:  # the service's refusals too, so that every error shows at once
        errors = all_errors(errors, refusals_errors(households.file_refusals(
            db.session, cipher(), _typed(values))))
    else:
        try:
            with UnitOfWork(db.session) as uow:
                household_id = households.create_household(uow.session, actor(), cipher(), data).id
                uow.commit()
        except AppError as exc:
            errors = _refusal(exc)
        else:
            flash(_("户档案已建立。"), "success")
            return redirect(url_for("household_files.file", household_id=household_id))
    return _form(values, errors, status=422)


@bp.route("/<string(maxlength=36):household_id>/edit", methods=["GET", "POST"])
@page_roles("officer")
def edit(household_id):
    """Change a household file; the head's personal data changes only when typed in anew."""
    h = households.get_household(db.session, household_id)
    if request.method == "GET":
        return _form(_values_of(h), {}, h)
    values = _posted()
    data, errors = load_form(HouseholdPatchSchema(partial=("head_name", "id_number")),
                             _cleared(_typed(values)))
    if data is None:
        errors = all_errors(errors, refusals_errors(households.file_refusals(
            db.session, cipher(), _cleared(_typed(values)), household_id)))
    else:
        try:
            with UnitOfWork(db.session) as uow:
                households.update_household(uow.session, actor(), cipher(), household_id, data)
                uow.commit()
        except AppError as exc:
            if exc.status == 404:
                raise
            errors = _refusal(exc)
        else:
            flash(_("户档案已保存。"), "success")
            return redirect(url_for("household_files.file", household_id=household_id))
    return _form(values, errors, households.get_household(db.session, household_id), status=422)


@bp.get("/member-row")
@page_roles("officer")
def member_row():
    """One empty member row for the form (htmx appends it; no page reload)."""
    try:
        index = min(max(int(request.args.get("member_next", "0")), 0), 10_000)
    except ValueError:
        index = 0
    return render_template("households/_member_row.html", i=index, m={}, errors={},
                           relations=choices("relation"), oob_next=index + 1)
