"""The programme's codes as people read them, in Chinese (English through the catalogue)."""

from flask_babel import lazy_gettext as _l

LABELS = {
    "status": {"registered_poor": _l("建档立卡贫困户"), "lifted": _l("已脱贫户"),
               "monitored_edge": _l("监测户（边缘易致贫户）")},
    "relation": {"head": _l("户主"), "spouse": _l("配偶"), "child": _l("子女"),
                 "parent": _l("父母"), "grandchild": _l("孙辈"), "sibling": _l("兄弟姐妹"),
                 "other": _l("其他")},
    "income_source": {"wages": _l("务工"), "planting": _l("种植"), "husbandry": _l("养殖"),
                      "business": _l("经营"), "transfer": _l("转移性收入"), "other": _l("其他")},
    "event_kind": {"serious_illness": _l("大病"), "disaster": _l("灾害"),
                   "income_drop": _l("收入骤降")},
    "guarantee": {"food": _l("不愁吃"), "clothing": _l("不愁穿"), "education": _l("义务教育有保障"),
                  "medical": _l("基本医疗有保障"), "housing": _l("住房安全有保障")},
    "purpose": {"planting": _l("种植"), "husbandry": _l("养殖"), "processing": _l("加工"),
                "small_business": _l("个体经营/商贸"), "rural_tourism": _l("乡村旅游"),
                "other_production": _l("其他生产经营"), "house_building": _l("建房"),
                "wedding_funeral": _l("婚丧嫁娶"), "consumption": _l("消费"),
                "wealth_management": _l("购买理财产品"), "company_share": _l("入股分红/户贷企用"),
                "relending": _l("转贷")},
    "application_status": {"approved": _l("已核准"), "referred": _l("待复核"),
                           "declined": _l("已拒绝"), "accepted": _l("银行已受理"),
                           "rejected_by_bank": _l("银行已拒绝"), "disbursed": _l("已放款")},
    "outcome": {"pass": _l("通过"), "fail": _l("不通过"), "refer": _l("转人工")},
    "decision": {"approved": _l("核准"), "referred": _l("转人工复核"), "declined": _l("拒绝")},
    "role": {"officer": _l("扶贫专干"), "bank": _l("合作银行"), "fund_manager": _l("基金管理"),
             "admin": _l("系统管理员")},
    "bank": {"PSBC": _l("中国邮政储蓄银行"), "ABC": _l("中国农业银行")},
    # 五级分类: lending/classification.py names the classes in Chinese already.
    "class": {"正常": _l("正常"), "关注": _l("关注"), "次级": _l("次级"), "可疑": _l("可疑"),
              "损失": _l("损失")},
    "grade": {"AAA": "AAA", "AA": "AA", "A": "A", "unrated": _l("未评级")},
    "job_kind": {"status_feed": _l("逾期报送"), "stress": _l("压力测试"),
                 "batch_scoring": _l("批量评分"), "monthly_snapshot": _l("月度快照"),
                 "survey_import": _l("调查导入"), "export": _l("导出")},
    "job_status": {"held": _l("待确认"), "queued": _l("排队中"), "running": _l("处理中"),
                   "done": _l("已完成"), "failed": _l("失败"), "cancelled": _l("已放弃")},
    # What a job says of itself (creditsvc/jobs/, services/platform/jobs.py, the kinds' progress).
    "job_message": {"held": _l("已上传并预检，等待确认"), "queued": _l("排队等待处理"),
                    "started": _l("已开始"), "file read": _l("文件已读取"),
                    "judging the rows": _l("逐行校验中"),
                    "writing the loans and status reports": _l("写入贷款与报送记录"),
                    "simulating": _l("模拟中"), "taking the snapshot": _l("生成快照中"),
                    "scoring": _l("评分中"), "done": _l("完成"), "writing": _l("写入中"),
                    "reading the files on record": _l("比对已有户档案"),
                    "writing the household files": _l("写入户档案"),
                    "cancelled by its owner": _l("提交人已放弃，文件已删除"),
                    "not confirmed in time": _l("超时未确认，已自动放弃，文件已删除")},
    "claim_status": {"filed": _l("待审批"), "paid": _l("已支付"), "rejected": _l("已拒绝"),
                     "reversed": _l("已冲正")},
    "entry_kind": {"contribution": _l("注资"), "deposit_interest": _l("存款利息"),
                   "claim_draw": _l("代偿支出"), "recovery": _l("追偿回收"),
                   "reversal:contribution": _l("冲正：注资"),
                   "reversal:deposit_interest": _l("冲正：存款利息"),
                   "reversal:claim_draw": _l("冲正：代偿支出")},
    "dimension": {"bank": _l("按银行"), "town": _l("按乡镇"), "village": _l("按村"),
                  "grade": _l("按信用等级"), "purpose": _l("按用途"),
                  "classification": _l("按五级分类")},
    "suspension": {"fund_not_initialised": _l("基金尚未注资"),
                   "npl_tolerance_reached": _l("不良率达到容忍度"),
                   "balance_below_floor": _l("基金余额低于注资额的下限比例")},
    # Household files, their change record and the officer's loan list.
    "loan_status": {"active": _l("在贷"), "repaid": _l("已结清"), "claimed": _l("已代偿"),
                    "written_off": _l("已核销")},
    "schedule": {"interest_quarterly": _l("按季付息、到期还本"),
                 "equal_instalments": _l("等额本息（按月）")},
    "subsidy_reason": {"overdue": _l("逾期"), "diverted": _l("挪用")},
    "subsidy_status": {"compiled": _l("待审核"), "reviewed": _l("已审核"), "announced": _l("已公告"),
                       "paid": _l("已拨付")},
    # A credit line's state on the business date (services/campaign/lists.py).
    "line_state": {"valid": _l("有效"), "expired": _l("已过期"), "replaced": _l("已替换"),
                   "revoked": _l("已撤销")},
    "yes_no": {True: _l("是"), False: _l("否")},
    # The lines above an export's header row (services/exports/run.py).
    "export_heading": {"filters": _l("筛选条件"), "by": _l("导出人"), "on": _l("导出日期"),
                       "masked": _l("个人信息已遮蔽"),
                       "revealed": _l("个人信息已按申请显示（已记录审计）"),
                       "none": _l("不含个人信息")},
    "export_filter": {"all": _l("全部")},
    "export_search": {"id": _l("按身份证号"), "phone": _l("按手机号"), "name": _l("按姓名"),
                      "name1": _l("按姓名开头"), "name2": _l("按姓名开头")},
    "model_source": {"bootstrap": _l("初始模型（随系统安装）"), "outcomes": _l("按项目还款结果训练"),
                     "csv": _l("按上传数据训练"), "file": _l("导入的模型文件")},
    # What a batch scoring or a monthly snapshot job reports (jobs/kinds.py); amounts end in _fen.
    "job_result": {"rows": _l("行数"), "on": _l("评分日期"), "filename": _l("文件名"),
                   "results_sha256": _l("结果文件校验码（SHA-256）"), "month": _l("月份"),
                   "as_of": _l("截至日期"), "loans": _l("贷款笔数"), "outstanding_fen": _l("担保余额"),
                   "npl_outstanding_fen": _l("不良贷款余额"), "par30_fen": _l("逾期 30 天以上余额"),
                   "par90_fen": _l("逾期 90 天以上余额"), "claims_paid": _l("代偿笔数"),
                   "claims_paid_fen": _l("代偿金额"), "claims_reversed_fen": _l("冲正代偿金额"),
                   "recoveries_fen": _l("追偿回收"), "fund_recoveries_fen": _l("追偿回收（基金份额）"),
                   "balance_fen": _l("基金余额"), "capital_fen": _l("注资总额"),
                   "sha256": _l("文件校验码（SHA-256）"), "member_rows": _l("家庭成员行数"),
                   "new": _l("新建户档案"), "changed": _l("更新户档案"), "unchanged": _l("无变化"),
                   "problem_count": _l("问题数"), "importable": _l("可导入")},
    "stress_method": {"exact": _l("逐笔精确模拟"), "conditional": _l("条件抽样模拟")},
    "audit_action": {"household.create": _l("建档"), "household.update": _l("修改档案"),
                     "household.monitoring_event": _l("记录监测事件"),
                     "household.reveal": _l("查看完整个人信息")},
    "field": {"head_name": _l("户主姓名"), "id_number": _l("身份证号"), "phone": _l("手机号"),
              "town": _l("镇"), "village": _l("村"), "status": _l("户类型"),
              "lifted_year": _l("脱贫年份"), "head_labour_capable": _l("户主有劳动能力"),
              "members": _l("家庭成员"), "per_capita_income_fen": _l("人均纯收入"),
              "income_sources": _l("收入来源"), "productive_assets_fen": _l("生产性资产"),
              "outside_debt_fen": _l("外债"), "food_secure": _l("不愁吃"),
              "clothing_secure": _l("不愁穿"), "education_secure": _l("义务教育有保障"),
              "medical_secure": _l("基本医疗有保障"), "housing_secure": _l("住房安全有保障"),
              "skills_training": _l("参加过技能培训"), "cooperative_member": _l("合作社成员"),
              "bad_credit_flag": _l("有重大不良信用记录"), "group_name": _l("组"),
              "labour_count": _l("劳动力人数"), "main_industry": _l("主要产业"),
              "willing": _l("贷款意愿"), "intended_amount_fen": _l("意向金额"),
              "purpose": _l("用途"), "term_months": _l("期限（月）"), "borrower": _l("贷款人"),
              "surveyor": _l("调查人"), "surveyed_on": _l("调查日期")},
}


def label(kind: str, code) -> str:
    """The label of CODE in the list KIND; the code itself when the list has none."""
    if code is None:
        return "—"
    found = LABELS.get(kind, {}).get(code)
    return str(found) if found is not None else str(code)


def choices(kind: str) -> list[tuple[str, str]]:
    """(code, label) pairs of a list, for a <select>."""
    return [(code, str(text)) for code, text in LABELS[kind].items()]
