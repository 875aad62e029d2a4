"""The model registry page: each scorecard's metrics, the champion and its challengers, promotion."""

import json

from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from creditsvc.core.errors import AppError
from creditsvc.infra import clock
from creditsvc.infra.extensions import db
from creditsvc.pages.access import actor, page_roles
from creditsvc.pages.admin.routes import bp
from creditsvc.pages.admin.schemas import PromoteInSchema
from creditsvc.pages.labels import label
from creditsvc.pages.validation import form_to_data, load_form, refusal_errors
from creditsvc.services.assessment import outcomes
from creditsvc.services.platform.uow import UnitOfWork
from creditsvc.services.programme import policy as registry


def _description(row, artifact: dict) -> str:
    """The artifact's description in the page's words (the artifact, hashed, keeps its English)."""
    if str(get_locale() or "zh_CN").startswith("en"):
        return artifact.get("description", "")
    training = artifact.get("training", {})
    if row.source == "bootstrap":
        return _("初始评分卡：用合成贷款数据（随机种子 %(seed)s，%(rows)s 笔）训练，不是本项目的还款结果；"
                 "有了项目自己的还款结果（12 个月内逾期 90 天以上为坏）后应重新训练。",
                 seed=training.get("random_state", "—"), rows=training.get("rows", "—"))
    return _("评分卡：%(source)s，训练样本 %(rows)s 笔。", source=label("model_source", row.source),
             rows=training.get("rows", "—"))


def _metrics(row) -> dict:
    """What the artifact says of itself: its description, holdout metrics and training data."""
    artifact = json.loads(row.artifact)
    return {"description": _description(row, artifact),
            "holdout": artifact.get("metrics", {}).get("holdout", {}),
            "training": artifact.get("training", {}), "created_at": artifact.get("created_at")}


@bp.get("/models")
@page_roles("admin")
def models():
    """Every registered scorecard, the champion first."""
    rows = sorted(registry.list_models(db.session), key=lambda r: not r.is_champion)
    return render_template("admin/models.html", models=[(r, _metrics(r)) for r in rows],
                           errors={})


@bp.post("/models/promote")
@page_roles("admin")
def promote():
    """Promote a challenger: measured against the champion on the programme's outcomes, or forced."""
    data, errors = load_form(PromoteInSchema(), form_to_data(request.form, booleans=("force",)))
    if data is not None and data["force"] and not data["reason"]:
        errors = {"reason": [_("强制启用须写明原因")], "_form": [_("强制启用须写明原因")]}
    if not errors:
        try:
            with UnitOfWork(db.session) as uow:
                challenger = registry.find_model(uow.session, data["version"])
                champion = registry.champion_scorecard(uow.session)
                auc = {} if data["force"] else outcomes.holdout_auc(
                    uow.session, [challenger.sha256, champion.sha256], today=clock.today())
                registry.promote(uow.session, actor(), challenger.sha256, holdout_auc=auc,
                                 force=data["force"], reason=data["reason"])
                uow.commit()
        except AppError as exc:
            errors = refusal_errors(exc)
    if errors:
        rows = sorted(registry.list_models(db.session), key=lambda r: not r.is_champion)
        return render_template("admin/models.html", models=[(r, _metrics(r)) for r in rows],
                               errors=errors, version=request.form.get("version")), 422
    flash(_("模型已启用为冠军模型。"), "success")
    return redirect(url_for("admin.models"))
