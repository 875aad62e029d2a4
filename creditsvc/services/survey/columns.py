"""The survey sheet's columns as county sheets have them, and the words their cells may hold.

Headers are matched by name, not position: spaces, a leading `*` (required) and a unit in
brackets (意向金额（元）) are ignored, and a few other names county sheets use are accepted.
Cells with fixed values take the Chinese word the template's drop-down offers, or the code.
"""

import re
import unicodedata
from dataclasses import dataclass

from scoring.vocab import ALLOWED_PURPOSES

MAIN_SHEET, MEMBERS_SHEET, NOTES_SHEET = "调查表", "家庭成员", "填写说明"


@dataclass(frozen=True)
class Column:
    """One column: its field, its header in the template, whether it must be filled, aliases."""

    key: str
    header: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    hint: str = ""


MAIN = (
    Column("town", "乡镇", True, ("镇", "乡镇(街道)"), "本区的乡镇，从下拉列表选"),
    Column("village", "村", True, ("行政村", "村(社区)"), "行政村名，从下拉列表选或填写"),
    Column("group_name", "组", False, ("村民小组", "组别"), "村民小组，如 3 或 三组"),
    Column("head_name", "户主姓名", True, ("户主",), "1 至 30 个汉字或字母"),
    Column("id_number", "身份证号", True, ("户主身份证号", "身份证号码"), "18 位，末位可为 X"),
    Column("phone", "联系电话", False, ("电话", "手机号"), "11 位手机号，可空"),
    Column("size", "家庭人口", True, ("家庭人数", "人口数"), "整数；填了家庭成员表时须与其人数相符"),
    Column("labour_count", "劳动力人数", False, ("劳动力",), "整数"),
    Column("status", "户类型/监测类别", True, ("户类型", "监测类别", "户属性"), "从下拉列表选"),
    Column("lifted_year", "脱贫年份", False, ("脱贫年度",), "已脱贫户必填，如 2019"),
    Column("main_industry", "主要产业", False, ("产业",), "如 种植水稻、养鸡"),
    Column("per_capita_income", "人均纯收入", False, ("人均收入",), "元/年"),
    Column("willing", "贷款意愿", True, ("是否有贷款意愿",), "是 / 否"),
    Column("intended_amount", "意向金额", False, ("意向贷款金额", "贷款金额"), "元"),
    Column("purpose", "用途", False, ("贷款用途",), "从下拉列表选"),
    Column("term_months", "期限", False, ("贷款期限",), "月数，1 至 36"),
    Column("borrower_id", "贷款人身份证号", False, ("贷款人",), "空 = 户主；否则为家庭成员表中的成员"),
    Column("surveyor", "调查人", False, (), "调查的干部或专干"),
    Column("surveyed_on", "调查日期", False, (), "2026-03-05、2026/3/5 或 2026年3月5日"),
)
MEMBERS = (
    Column("head_id", "户主身份证号", True, (), "调查表中的户主身份证号"),
    Column("name", "姓名", True, ("成员姓名",), ""),
    Column("id_number", "身份证号", True, ("成员身份证号", "身份证号码"), ""),
    Column("relation", "与户主关系", True, ("关系",), "从下拉列表选；户主本人可列出（关系填 户主）"),
    Column("labour_capable", "劳动能力", False, ("是否有劳动能力",), "是 / 否"),
    Column("chronic_illness", "慢性病", False, (), "是 / 否"),
    Column("disability", "残疾", False, (), "是 / 否"),
    Column("in_school", "在校生", False, ("在校",), "是 / 否"),
)
UNITS = {"per_capita_income": "元", "intended_amount": "元", "term_months": "月"}

# The words of each fixed-value cell -> the code kept. The first word of each is the template's.
STATUS_WORDS = {"建档立卡贫困户": "registered_poor", "贫困户": "registered_poor",
                "已脱贫户": "lifted", "脱贫户": "lifted", "脱贫不稳定户": "monitored_edge",
                "边缘易致贫户": "monitored_edge", "监测户": "monitored_edge",
                "突发严重困难户": "monitored_edge"}
PURPOSE_WORDS = {"种植": "planting", "养殖": "husbandry", "加工": "processing",
                 "个体经营/商贸": "small_business", "个体经营": "small_business",
                 "商贸": "small_business", "乡村旅游": "rural_tourism",
                 "其他生产经营": "other_production"}
RELATION_WORDS = {"户主": "head", "配偶": "spouse", "子女": "child", "子": "child", "女": "child",
                  "儿子": "child", "女儿": "child", "父母": "parent", "父亲": "parent",
                  "母亲": "parent", "孙辈": "grandchild", "孙子": "grandchild",
                  "孙女": "grandchild", "兄弟姐妹": "sibling", "其他": "other"}
YES_WORDS = {"是": True, "有": True, "愿意": True, "y": True, "yes": True, "1": True,
             "否": False, "无": False, "不愿意": False, "n": False, "no": False, "0": False}
DROPDOWN = {"status": ("建档立卡贫困户", "已脱贫户", "脱贫不稳定户", "边缘易致贫户", "突发严重困难户"),
            "purpose": ("种植", "养殖", "加工", "个体经营/商贸", "乡村旅游", "其他生产经营"),
            "relation": ("户主", "配偶", "子女", "父母", "孙辈", "兄弟姐妹", "其他"),
            "yes_no": ("是", "否")}
YES_NO_KEYS = {"willing", "labour_capable", "chronic_illness", "disability", "in_school"}
assert set(PURPOSE_WORDS.values()) == set(ALLOWED_PURPOSES)

_DROP = re.compile(r"[\s*＊]|[（(][^）)]*[）)]$")


def header_key(text) -> str:
    """A header as matched: NFKC, no spaces or `*`, no trailing unit in brackets."""
    return _DROP.sub("", unicodedata.normalize("NFKC", str(text or "")).lstrip("\ufeff"))


def lookup(columns: tuple[Column, ...]) -> dict[str, str]:
    """Header name (and aliases, and the key itself) -> field key."""
    out = {}
    for col in columns:
        for name in (col.header, col.key, *col.aliases):
            out[header_key(name)] = col.key
    return out


def header_of(columns: tuple[Column, ...], key: str) -> str:
    """The template's header of field KEY."""
    return next(c.header for c in columns if c.key == key)
