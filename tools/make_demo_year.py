"""Write kaohe/demo/year2016.json, the realistic demo year (seeded, deterministic).

    .venv/bin/python tools/make_demo_year.py

The departments, entries, adjustments, vetoes and last year's ranks are written out by hand below;
only the ballots are drawn, from a seeded generator, so running the script twice gives the same
bytes. tests/engine/test_demo_year.py works five departments' figures out by hand from this file:
if you change anything here, redo that arithmetic.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent.parent / "kaohe" / "demo" / "year2016.json"
SEED = 2016
RADIO = "无线电管理处"

# code, name, type, parent
DEPARTMENTS: list[tuple[str, str, str, str | None]] = [
    ("BG", "办公室", "general", None),
    ("RS", "组织人事处", "general", None),
    ("ZH", "综合处", "general", None),
    ("FG", "法规处", "general", None),
    ("CW", "财务审计处", "general", None),
    ("JC", "监察室", "general", None),
    ("DW", "机关党委", "general", None),
    ("YX", "经济运行处", "service", None),
    ("TZ", "投资与规划处", "service", None),
    ("CY", "产业发展处", "service", None),
    ("JS", "技术进步处", "service", None),
    ("XXH", "信息化推进处", "service", None),
    ("RJ", "软件和信息服务业处", "service", None),
    ("DZ", "电子信息产业处", "service", None),
    ("ZB", "装备工业处", "service", None),
    ("JN", "节能与综合利用处", "service", None),
    ("ZXQ", "中小企业处", "service", None),
    ("WX-ZH", "无线电管理处综合科", "general", RADIO),
    ("WX-PT", "无线电管理处频率台站管理科", "service", RADIO),
    ("WX-JC", "无线电管理处监测科", "service", RADIO),
]

# Meetings of the assessment office (考核办) that decided range amounts, and of the party group.
MEET_H1 = "考核办公室2016年第3次会议(2016-07-21)"
MEET_YEAR = "考核办公室2017年第1次会议(2017-01-12)"
MEET_PARTY = "委党组会议(2017-01-20)"

# Information items sent to the bulletins per half-year (3.info_shortfall, quota: service 6,
# general 2). The office records every department for both half-years; most met the quota.
INFO_SENT: dict[str, tuple[int, int]] = {
    "BG": (3, 2),
    "RS": (2, 2),
    "ZH": (4, 3),
    "FG": (2, 2),
    "CW": (2, 3),
    "JC": (2, 2),
    "DW": (1, 2),
    "YX": (9, 8),
    "TZ": (6, 5),
    "CY": (3, 4),
    "JS": (4, 7),
    "XXH": (11, 9),
    "RJ": (6, 6),
    "DZ": (7, 6),
    "ZB": (6, 7),
    "JN": (8, 6),
    "ZXQ": (7, 6),
    "WX-ZH": (2, 1),
    "WX-PT": (6, 6),
    "WX-JC": (6, 7),
}


def E(
    department: str, rule: str, period: str, office: str, description: str, **kw: Any
) -> dict[str, Any]:
    """One entry in bundle form; keyword arguments carry the optional fields."""
    entry: dict[str, Any] = {"department": department, "rule": rule, "period": period}
    for key in ("count", "amount", "actual", "modifiers", "same_work"):
        if key in kw:
            entry[key] = kw.pop(key)
    entry["office"] = office
    if "persons" in kw:
        entry["persons"] = kw.pop("persons")
    entry["description"] = description
    for key in ("evidence", "decided_by", "meeting"):
        if key in kw:
            entry[key] = kw.pop(key)
    assert not kw, kw
    return entry


def decided(amount: str, period: str, *, vote: bool = False) -> dict[str, Any]:
    """The fields of a range entry decided by the assessment office."""
    return {
        "amount": amount,
        "decided_by": "无记名投票" if vote else "集体评议",
        "meeting": MEET_H1 if period == "H1" else MEET_YEAR,
    }


ENTRIES: list[dict[str, Any]] = [
    # --- 技术进步处 JS: a service department with two same_work groups (hand-worked) ---
    E(
        "JS",
        "1.report_missed",
        "H1",
        "ZH",
        "上半年督查系统网上申报少报1次(技改投资月度进度)",
        count=1,
        evidence=["2016上半年督查系统申报情况通报.pdf"],
    ),
    E(
        "JS",
        "2.leader_instruction",
        "year",
        "ZH",
        "《关于加快我市工业企业技术改造的调研报告》获市长批示",
        evidence=["市长批示件-2016-118.pdf"],
    ),
    E(
        "JS",
        "2.paper_provincial",
        "H2",
        "ZH",
        "《智能制造示范车间建设路径探析》刊登于《江苏经济报》,正文约420字",
        modifiers=["short"],
        evidence=["江苏经济报-2016-10-14.pdf"],
    ),
    E(
        "JS",
        "3.news_provincial",
        "H1",
        "BG",
        "《常州规上工业企业技改投资增长两成》被新华日报录用",
        same_work="JS-技改投资报道",
    ),
    E(
        "JS",
        "3.news_national",
        "H1",
        "BG",
        "同一稿件被中国工业报录用(一稿多用,按最高奖项加分)",
        same_work="JS-技改投资报道",
        evidence=["中国工业报-2016-05-23.pdf"],
    ),
    E(
        "JS",
        "4.study_absence",
        "H1",
        "DW",
        "3月“学习日”集中学习无故缺席2人次",
        count=2,
        persons=["钱志刚", "陆晓雯"],
    ),
    E(
        "JS",
        "6.participation",
        "H2",
        "RS",
        "参加全市机关“智能制造”知识竞赛3人次",
        count=3,
        persons=["钱志刚", "陆晓雯", "沈家豪"],
    ),
    E("JS", "8.late_material", "H2", "BG", "全市技改工作推进会材料未按时报送", count=1),
    E("JS", "14.overdue_item", "H2", "FG", "三合一平台“技术改造项目备案”1项超时办理", count=1),
    E(
        "JS",
        "17.praised_meeting",
        "year",
        "ZH",
        "争取国家工业转型升级专项资金成效明显,全委大会通报表扬",
        evidence=["全委大会通报-2016-12.pdf"],
    ),
    E(
        "JS",
        "18.collective_prefecture",
        "year",
        "ZH",
        "获省经信委“智能制造示范推进工作先进集体”",
        same_work="JS-智能制造示范",
        evidence=["苏经信表彰-2016-37.pdf"],
    ),
    E(
        "JS",
        "18.collective_city",
        "year",
        "ZH",
        "同一工作获市级机关条线先进集体(同一工作按最高奖项加分)",
        modifiers=["line"],
        same_work="JS-智能制造示范",
    ),
    # --- 信息化推进处 XXH: large bonuses ---
    E(
        "XXH",
        "2.leader_instruction",
        "H1",
        "ZH",
        "《我市两化融合发展水平评估与对策》获分管副市长批示",
    ),
    E(
        "XXH",
        "2.paper_national",
        "H2",
        "ZH",
        "《以贯标促两化深度融合的常州实践》刊登于《中国信息化》",
        evidence=["中国信息化-2016-09.pdf"],
    ),
    E("XXH", "3.news_national", "H2", "BG", "“常州两化融合贯标”经验被人民网录用"),
    E("XXH", "3.news_provincial", "H1", "ZH", "“智慧园区”建设报道被江苏新闻网录用"),
    E("XXH", "12.website_missed", "H2", "BG", "9月、11月各有一个两周期未更新本处室栏目", count=2),
    E(
        "XXH",
        "17.promoted_ministry",
        "year",
        "BG",
        "两化融合管理体系贯标工作经验被工信部通报推广",
        evidence=["工信部信软函-2016-211.pdf"],
    ),
    E("XXH", "17.leader_instruction", "year", "BG", "“企业上云”试点成果得到市委书记批示"),
    E(
        "XXH",
        "18.collective_province",
        "year",
        "ZH",
        "获“江苏省两化融合工作先进集体”(省经信委条线表彰)",
        modifiers=["line"],
        evidence=["苏经信表彰-2016-12.pdf"],
    ),
    E(
        "XXH",
        "18.individual_prefecture",
        "year",
        "RS",
        "蒋文博获省经信委“信息化工作先进个人”",
        persons=["蒋文博"],
    ),
    # --- 经济运行处 YX ---
    E("YX", "1.report_missed", "H2", "ZH", "下半年目标完成情况迟报视同少报1次", count=1),
    E("YX", "3.news_municipal", "year", "BG", "工业经济运行分析稿件被常州日报录用3篇", count=3),
    E("YX", "11.late_early", "H1", "RS", "考勤检查迟到1人次", count=1, persons=["许振华"]),
    E(
        "YX",
        "17.praised_meeting",
        "year",
        "ZH",
        "争取省工业和信息产业转型升级专项资金,全委大会通报表扬",
    ),
    E("YX", "18.individual_city", "year", "RS", "顾佳琪获市级机关“优秀公务员”", persons=["顾佳琪"]),
    # --- 投资与规划处 TZ ---
    E(
        "TZ",
        "12.openness_failure",
        "H1",
        "BG",
        "一件依申请公开事项在法定期限内未答复",
        **decided("1", "H1"),
    ),
    E("TZ", "14.overdue_item", "H2", "FG", "三合一平台2项行政权力事项超时办理", count=2),
    E(
        "TZ",
        "5.test_failed",
        "H2",
        "RS",
        "公务员网络学习年度考核不达标1人次",
        count=1,
        persons=["吕国庆"],
    ),
    E("TZ", "2.paper_municipal", "H2", "ZH", "《“十三五”工业投资结构优化研究》刊登于《常州经济》"),
    # --- 产业发展处 CY: deductions in 作风建设 above its 10 points (hand-worked) ---
    E(
        "CY",
        "1.target_unmet",
        "year",
        "ZH",
        "年度考核目标“新开工亿元以上工业项目”完成不好",
        **decided("2", "year"),
        evidence=["2016年度目标完成情况核查表.xlsx"],
    ),
    E(
        "CY",
        "5.unregistered",
        "H2",
        "RS",
        "参加省厅条线培训未向组织人事处备案1人次",
        count=1,
        persons=["丁海峰"],
    ),
    E(
        "CY",
        "7.commitment_violation",
        "H1",
        "BG",
        "企业反映项目服务超过承诺时限,投诉经查属实",
        count=1,
        evidence=["12345投诉件-2016-0415.pdf"],
    ),
    E(
        "CY",
        "7.commitment_violation",
        "H2",
        "BG",
        "重点项目协调服务未按承诺办结,投诉经查属实",
        count=1,
    ),
    E("CY", "7.attitude_complaint", "H2", "RS", "来访企业反映接待态度生硬,经查属实", count=1),
    E(
        "CY",
        "8.overdue_task",
        "H1",
        "BG",
        "市政府办文单2件未在规定时间内办结",
        count=2,
        evidence=["委督查通报-2016-06.pdf"],
    ),
    E(
        "CY",
        "10.efficiency_complaint",
        "H2",
        "JC",
        "行政效能投诉1起,经查属实",
        **decided("3", "H2", vote=True),
        evidence=["效能投诉调查报告-2016-11.pdf"],
    ),
    E(
        "CY",
        "11.late_early",
        "H2",
        "RS",
        "考勤检查迟到早退3人次",
        count=3,
        persons=["丁海峰", "邹立新", "邹立新"],
    ),
    # --- 电子信息产业处 DZ ---
    E("DZ", "2.topic_unmet", "year", "ZH", "年度经信重点课题“集成电路产业配套”未完成"),
    E("DZ", "3.news_municipal", "H1", "BG", "光伏产业稿件被常州日报录用"),
    E("DZ", "17.promoted_province", "year", "BG", "光伏企业“领跑者”培育做法被省经信委通报推广"),
    E(
        "DZ",
        "4.study_absence",
        "H2",
        "RS",
        "党员学习活动无故缺席1人次",
        count=1,
        persons=["韩志远"],
    ),
    # --- 装备工业处 ZB: vetoed (hand-worked) ---
    E("ZB", "2.leader_instruction", "H2", "ZH", "《我市轨道交通装备产业发展调研》获市领导批示"),
    E(
        "ZB",
        "6.award_collective",
        "H2",
        "RS",
        "全市机关“智能制造”知识竞赛团体一等奖",
        **decided("2", "H2"),
    ),
    E(
        "ZB",
        "16.sanctioned",
        "year",
        "JC",
        "1名工作人员违反廉洁纪律受警告处分",
        **decided("3", "year"),
        persons=["马国栋"],
        evidence=["处分决定书-2016-09.pdf"],
    ),
    E("ZB", "17.promoted_province", "year", "ZH", "首台(套)重大装备推广应用做法被省经信委推广"),
    E("ZB", "18.collective_prefecture", "year", "ZH", "获省经信委“装备制造业发展工作先进集体”"),
    # --- 节能与综合利用处 JN ---
    E(
        "JN",
        "3.news_provincial",
        "H2",
        "BG",
        "工业节能稿件被新华日报、江苏新闻广播录用2篇",
        count=2,
    ),
    E(
        "JN",
        "5.unregistered",
        "H1",
        "RS",
        "参加省节能监察培训未事先备案1人次",
        count=1,
        persons=["潘志伟"],
    ),
    E(
        "JN",
        "13.rule_of_law",
        "year",
        "FG",
        "节能监察执法案卷评查未达到省考核要求",
        **decided("1", "year"),
    ),
    E(
        "JN",
        "18.collective_province",
        "year",
        "ZH",
        "获“江苏省工业节能工作先进集体”(省经信委条线)",
        modifiers=["line"],
    ),
    # --- 中小企业处 ZXQ ---
    E(
        "ZXQ",
        "2.paper_provincial",
        "H1",
        "ZH",
        "《小微企业融资难的常州破解》刊登于《江苏中小企业》",
    ),
    E(
        "ZXQ",
        "6.participation",
        "H2",
        "RS",
        "参加全市机关知识竞赛4人次",
        count=4,
        persons=["叶晓东", "曹丽娟", "彭程", "叶晓东"],
    ),
    E(
        "ZXQ",
        "6.award_collective",
        "H2",
        "RS",
        "全市机关知识竞赛团体二等奖",
        **decided("1.5", "H2"),
    ),
    E(
        "ZXQ",
        "7.attitude_complaint",
        "H1",
        "BG",
        "服务对象反映电话咨询答复不耐心,经查属实",
        count=1,
    ),
    E(
        "ZXQ",
        "18.collective_prefecture",
        "year",
        "ZH",
        "获省中小企业公共服务平台建设单项先进集体",
        modifiers=["single"],
    ),
    # --- 软件和信息服务业处 RJ (new this year) ---
    E(
        "RJ",
        "2.paper_municipal",
        "H2",
        "ZH",
        "《常州软件园发展的几点思考》刊登于《常州经济》,不足1000字",
        modifiers=["short"],
    ),
    E(
        "RJ",
        "6.participation",
        "H2",
        "RS",
        "参加全市机关知识竞赛2人次",
        count=2,
        persons=["唐宇航", "范雅琴"],
    ),
    E("RJ", "2.research_unmet", "year", "ZH", "部门年度调研任务未完成"),
    # --- 无线电管理处 sections ---
    E(
        "WX-PT",
        "11.passport_unsubmitted",
        "H1",
        "RS",
        "因私护照出境返回后未按时上交",
        count=1,
        persons=["蔡建国"],
    ),
    E("WX-PT", "12.website_missed", "year", "BG", "本科室栏目全年3次未按两周一条更新", count=3),
    E(
        "WX-PT",
        "18.individual_province",
        "year",
        "RS",
        "蔡建国获全国无线电管理“频谱监管”单项先进个人",
        modifiers=["single"],
        persons=["蔡建国"],
    ),
    E(
        "WX-JC",
        "6.participation",
        "H1",
        "RS",
        "参加全省无线电监测技能竞赛3人次",
        count=3,
        persons=["戴俊", "卢鹏飞", "魏晨"],
    ),
    E(
        "WX-JC",
        "6.award_individual",
        "H1",
        "RS",
        "戴俊获全省无线电监测技能竞赛一等奖",
        persons=["戴俊"],
        **decided("2", "H1"),
    ),
    E(
        "WX-JC",
        "15.responsibility",
        "year",
        "JC",
        "党风廉政建设责任书中“廉政风险点排查”完成不好",
        **decided("1", "year"),
    ),
    E(
        "WX-JC",
        "16.exempted",
        "H2",
        "JC",
        "1名工作人员违规使用公务用车,免予处分",
        count=1,
        persons=["魏晨"],
    ),
    E("WX-ZH", "4.study_absence", "H1", "DW", "“学习日”无故缺席1人次", count=1, persons=["谢红梅"]),
    E(
        "WX-ZH",
        "10.non_cooperation",
        "H2",
        "JC",
        "未按要求配合公务用车使用情况专项检查",
        **decided("1", "H2"),
    ),
    E("WX-ZH", "8.late_material", "H2", "BG", "2次未按时报送督查材料", count=2),
    # --- 办公室 BG: a general department (hand-worked) ---
    E("BG", "1.report_missed", "H1", "ZH", "上半年完成情况、督查系统网上申报共少报2次", count=2),
    E(
        "BG",
        "3.news_municipal",
        "year",
        "ZH",
        "经信工作宣传稿被常州日报、常州电视台录用4篇",
        count=4,
    ),
    E(
        "BG",
        "5.training_absence",
        "H2",
        "RS",
        "委机关公文写作培训无故缺席1人次",
        count=1,
        persons=["宋佳慧"],
    ),
    E(
        "BG",
        "7.environment_failed",
        "H1",
        "RS",
        "办公室安全卫生检查不合格1次",
        count=1,
        evidence=["机关安全卫生检查记录-2016-05.pdf"],
    ),
    E(
        "BG",
        "12.openness_failure",
        "H2",
        "BG",
        "依申请公开事项答复超过法定时限,考核办评议",
        **decided("2", "H2"),
    ),
    E(
        "BG",
        "18.collective_city",
        "year",
        "RS",
        "获全市机关档案工作单项先进集体",
        modifiers=["single"],
    ),
    # --- other general departments ---
    E(
        "ZH",
        "2.paper_provincial",
        "H1",
        "BG",
        "《常州工业经济转型升级路径研究》刊登于《群众》",
        count=1,
    ),
    E("ZH", "17.leader_instruction", "year", "BG", "“工业经济运行监测平台”创新成果得到市长批示"),
    E("ZH", "8.late_material", "H1", "BG", "人大代表建议办理材料迟报1次", count=1),
    E("RS", "11.leave_violation", "H2", "RS", "请假逾期未销假1人次", count=1, persons=["冯雪"]),
    E("RS", "18.collective_city", "year", "ZH", "获“市级机关人事工作先进集体”"),
    E("FG", "2.research_unmet", "year", "ZH", "部门年度调研任务未完成"),
    E("FG", "3.news_municipal", "H2", "BG", "“七五”普法宣传稿被常州日报录用2篇", count=2),
    E("JC", "4.study_absence", "H2", "RS", "党员学习活动无故缺席1人次", count=1, persons=["郑毅"]),
    E(
        "JC",
        "18.individual_city",
        "year",
        "ZH",
        "郑毅获市级机关纪检监察单项先进个人",
        modifiers=["single"],
        persons=["郑毅"],
    ),
    E(
        "DW",
        "5.training_absence",
        "H1",
        "RS",
        "委机关安排的党务培训无故缺席2人次",
        count=2,
        persons=["袁振宇", "邵敏"],
    ),
    E(
        "DW",
        "6.participation",
        "H2",
        "RS",
        "参加全市机关党建知识竞赛5人次",
        count=5,
        persons=["袁振宇", "邵敏", "邵敏", "严晓峰", "金丽"],
    ),
    E(
        "DW",
        "18.collective_city",
        "year",
        "ZH",
        "获“市级机关先进基层党组织”(条线表彰)",
        modifiers=["line"],
    ),
    E("CW", "8.late_material", "H2", "BG", "部门预算调整材料未按时报送", count=1),
    E(
        "CW",
        "9.morality",
        "H2",
        "RS",
        "工作人员酒后在公共场所与他人争执,造成不良影响",
        **decided("1", "H2"),
        persons=["储永明"],
    ),
]


def shortfall_entries() -> list[dict[str, Any]]:
    """One 3.info_shortfall entry per department and half-year, recorded by 办公室."""
    out = []
    for period, index in (("H1", 0), ("H2", 1)):
        for code, *_ in DEPARTMENTS:
            sent = INFO_SENT[code][index]
            out.append(
                E(
                    code,
                    "3.info_shortfall",
                    period,
                    "BG",
                    f"{'上' if period == 'H1' else '下'}半年报送简报信息{sent}条",
                    actual=sent,
                )
            )
    return out


# Grade weights (excellent, good, fair, poor) per department: how voters see it.
PROFILES: dict[str, tuple[int, int, int, int]] = {
    "BG": (60, 32, 8, 0),
    "RS": (55, 35, 10, 0),
    "ZH": (62, 30, 8, 0),
    "FG": (45, 42, 13, 0),
    "CW": (40, 45, 15, 0),
    "JC": (50, 40, 10, 0),
    "DW": (45, 40, 15, 0),
    "YX": (58, 34, 8, 0),
    "TZ": (42, 44, 14, 0),
    "CY": (22, 48, 25, 5),
    "JS": (62, 30, 8, 0),
    "XXH": (72, 24, 4, 0),
    "RJ": (45, 42, 13, 0),
    "DZ": (50, 38, 12, 0),
    "ZB": (60, 32, 8, 0),
    "JN": (55, 36, 9, 0),
    "ZXQ": (52, 38, 10, 0),
    "WX-ZH": (35, 45, 18, 2),
    "WX-PT": (48, 40, 12, 0),
    "WX-JC": (50, 40, 10, 0),
}
GRADES = ("excellent", "good", "fair", "poor")
DISTRICTS = [
    "溧阳市经信局",
    "金坛区经信局",
    "武进区经信局",
    "新北区经信局",
    "天宁区经信局",
    "钟楼区经信局",
    "常州经开区经发局",
]
ENTERPRISES = 8
LEADERS = 7


def _grade(rng: random.Random, code: str) -> str:
    return rng.choices(GRADES, weights=PROFILES[code])[0]


def _ballot(
    rng: random.Random,
    kind: str,
    period: str,
    ident: str,
    group: str,
    rated: list[str],
    abstain: dict[str, float],
) -> dict[str, Any]:
    grades = {c: _grade(rng, c) for c in rated if rng.random() >= abstain.get(c, 0.0)}
    return {"id": ident, "kind": kind, "round": period, "group": group, "grades": grades}


def ballots() -> list[dict[str, Any]]:
    """Democratic H1 (32 cadres) and year (34, one blank), style (15), leader (7)."""
    rng = random.Random(SEED)
    everyone = [c for c, *_ in DEPARTMENTS]
    service = [c for c, _, t, _ in DEPARTMENTS if t == "service"]
    # Cadres know the radio sections less well and sometimes leave them unmarked.
    cadre_abstain = {"WX-ZH": 0.12, "WX-PT": 0.1, "WX-JC": 0.1}
    out = []
    for period, heads, deputies in (("H1", 18, 14), ("year", 19, 15)):
        groups = ["中层正职"] * heads + ["中层副职"] * deputies
        for n, group in enumerate(groups, start=1):
            ident = f"democratic-{period}-{n:02d}"
            if period == "year" and n == len(groups):
                out.append(
                    {
                        "id": ident,
                        "kind": "democratic",
                        "round": period,
                        "group": group,
                        "grades": {},
                    }
                )  # handed in without a mark: blank
                continue
            out.append(_ballot(rng, "democratic", period, ident, group, everyone, cadre_abstain))
    voters = [(d, "区经信局") for d in DISTRICTS] + [
        (f"企业代表{n}", "企业代表") for n in range(1, ENTERPRISES + 1)
    ]
    # Enterprises mostly do not deal with the radio sections.
    enterprise_abstain = {"WX-PT": 0.5, "WX-JC": 0.5, "RJ": 0.2}
    for n, (_, group) in enumerate(voters, start=1):
        abstain = enterprise_abstain if group == "企业代表" else {}
        out.append(_ballot(rng, "style", "year", f"style-{n:02d}", group, service, abstain))
    for n in range(1, LEADERS + 1):
        out.append(_ballot(rng, "leader", "year", f"leader-{n:02d}", "委领导", everyone, {}))
    return out


ADJUSTMENTS = [
    {
        "id": "2016-adj-1",
        "department": "BG",
        "amount": "1",
        "reason": "牵头承办全市工业经济工作会议并完成国务院大督查迎检工作,党组研究决定加1分",
        "meeting": MEET_PARTY,
    }
]
VETOES = [
    {
        "id": "2016-veto-1",
        "department": "ZB",
        "reason": "staff_investigated",
        "note": "1名工作人员违反廉洁纪律受警告处分(见16.sanctioned记录),当年不得评为先进",
    }
]
# 2015 (trial run) ranks; 软件和信息服务业处 RJ was set up in 2016 and is left out.
PREVIOUS_RANKS: dict[str, int] = {
    "ZH": 1,
    "XXH": 2,
    "YX": 3,
    "JS": 4,
    "JN": 5,
    "RS": 6,
    "BG": 7,
    "ZB": 8,
    "ZXQ": 9,
    "DW": 10,
    "WX-JC": 11,
    "CW": 12,
    "WX-ZH": 13,
    "TZ": 14,
    "CY": 15,
    "WX-PT": 16,
    "DZ": 17,
    "FG": 18,
    "JC": 19,
}


def document() -> dict[str, Any]:
    """The whole bundle."""
    entries = ENTRIES + shortfall_entries()
    for n, e in enumerate(entries, start=1):
        e["id"] = f"2016-{n:05d}"
    return {
        "format": "kaohe-bundle/1",
        "year": 2016,
        "scheme": "cz-jxw-2016",
        "departments": [
            {"code": c, "name": n, "type": t, **({"parent": p} if p else {})}
            for c, n, t, p in DEPARTMENTS
        ],
        "entries": entries,
        "ballots": ballots(),
        "adjustments": ADJUSTMENTS,
        "vetoes": VETOES,
        "previous_ranks": PREVIOUS_RANKS,
    }


def dump(doc: dict[str, Any]) -> str:
    """JSON with one list element per line, so the file reads and diffs well."""
    lines = ["{"]
    keys = list(doc)
    for i, key in enumerate(keys):
        comma = "," if i < len(keys) - 1 else ""
        value = doc[key]
        if isinstance(value, list) and value:
            lines.append(f"  {json.dumps(key)}: [")
            for j, item in enumerate(value):
                sep = "," if j < len(value) - 1 else ""
                lines.append("    " + json.dumps(item, ensure_ascii=False) + sep)
            lines.append("  ]" + comma)
        else:
            lines.append(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main() -> None:
    """Write the file."""
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(dump(document()), encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
