"""Command demo data for the demo province (Vĩnh Phúc, 26): the agencies that receive tasks, their
accounts, and the documents of February 2020 — above all the Standing Committee's notice of
19-02-2020 (seeds/004) with every task it gives, transcribed — in various states: verified,
in progress, reported done, sent back, one overdue and escalated; a daily report with on-time,
late and missing days; inspection teams, a check with findings and corrective tasks, and a
leader's surprise check.

Built through the command services on a clock set to the days of February 2020, so every
history entry carries its day. Idempotent: agencies and accounts are put right on each run; the
documents are made once (found again by the notice of 19-02-2020). `demo_command_ensure` runs on
its own, and from `chongdich demo`.

Real: the notice's text, number references, dates and its signer. Synthetic (marked so in their
text): the contents of notices 2032-TB/TU and 2033-TB/TU, the dispatch on daily reports, every
report, deadline, inspection and every person's name."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from chongdich.accounts.models import User
from chongdich.command import services
from chongdich.command.domain import Cadence, Recurrence, Timing
from chongdich.command.models import Agency, AgencyKind, Document, DocumentKind, Task
from chongdich.command.services import NewTask
from chongdich.core import clock
from chongdich.demo.services import DEMO_PASSWORD, _province
from chongdich.geography.models import AdminUnit, UnitLevel

SEED_TEXT = Path(__file__).resolve().parents[1] / "command" / "data" / "thong_bao_btv_2020_02_19.txt"
SEED_TITLE = ("Ý kiến của Ban Thường vụ Tỉnh ủy về tiếp tục quyết liệt, chủ động trong công tác "
              "phòng, chống dịch bệnh Covid-19")
SEED_DAY = dt.date(2020, 2, 19)
BTV = "Ban Thường vụ Tỉnh ủy"
SYNTHETIC = "(Nội dung mô phỏng cho dữ liệu thử; không phải văn bản thật.)"
RECIPIENTS = """- Các đồng chí UVBTVTU (b/c),
- BCSD UBND tỉnh,
- Đảng đoàn MTTQ tỉnh,
- Các sở, ban, ngành, các đoàn thể;
- Các huyện, thành ủy;
- CPVP, CVTH,
- Lưu VT."""


@dataclass(frozen=True)
class CommandDemoSummary:
    documents: int
    tasks: int
    escalations: int
    accounts: list[tuple[str, str, str, str]]  # username, full name, role, where
    skipped: bool = False


def at(day: int, hour: int = 9, minute: int = 0, month: int = 2) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2020, month, day, hour, minute))


# --- Accounts and agencies ----------------------------------------------------------------------


def _accounts(province: AdminUnit) -> dict[str, tuple[str, str, AdminUnit]]:
    binh_xuyen = AdminUnit.objects.get(code="249")
    son_loi = AdminUnit.objects.get(code="08959")
    return {
        "thuky": ("Nguyễn Thị Mai", User.Role.SECRETARY, province),
        "soyte": ("Lê Văn Bình", User.Role.OFFICER, province),
        "tuyengiao": ("Đỗ Thu Trang", User.Role.OFFICER, province),
        "mattran": ("Phan Văn Lợi", User.Role.OFFICER, province),
        "ubndtinh": ("Trịnh Quang Vinh", User.Role.OFFICER, province),
        "binhxuyen": ("Cao Minh Đức", User.Role.LEADER, binh_xuyen),
        "sonloi": ("Ngô Thị Hạnh", User.Role.OFFICER, son_loi),
    }


def _ensure_accounts(province: AdminUnit) -> dict[str, User]:
    people = {}
    for username, (full_name, role, unit) in _accounts(province).items():
        user = User.objects.filter(username=username).first() or User(username=username)
        user.full_name, user.role, user.unit, user.is_active = full_name, role, unit, True
        user.set_password(DEMO_PASSWORD)
        user.save()
        people[username] = user
    for username in ("lanhdao", "dichte", "huyen", "xa"):
        if (user := User.objects.filter(username=username).first()) is not None:
            people[username] = user
    return people


def _agency(secretary, unit, name, kind, **extra) -> Agency:
    agency = Agency.objects.filter(unit=unit, name=name).first()
    if agency is None:
        return services.agency_create(actor=secretary, unit=unit, name=name, kind=kind, **extra)
    return services.agency_update(actor=secretary, agency=agency, **extra)


def _ensure_agencies(province: AdminUnit, p: dict[str, User]) -> dict[str, Agency]:
    s = p["thuky"]
    a: dict[str, Agency] = {}
    a["ttu"] = _agency(s, province, "Thường trực Tỉnh ủy", AgencyKind.PARTY_COMMITTEE,
                       head_title="Bí thư Tỉnh ủy", head_account=p.get("lanhdao"))
    a["bcd"] = _agency(s, province, "Ban Chỉ đạo phòng, chống dịch tỉnh", AgencyKind.STEERING_COMMITTEE,
                       head_title="Chủ tịch UBND tỉnh, Trưởng Ban Chỉ đạo", members=[s])
    a["bcsd"] = _agency(s, province, "Ban cán sự đảng UBND tỉnh", AgencyKind.PARTY_COMMITTEE, short_name="BCSĐ UBND tỉnh",
                        head_title="Bí thư Ban cán sự đảng, Chủ tịch UBND tỉnh", superior=a["ttu"],
                        members=[p["ubndtinh"]])
    a["mttq"] = _agency(s, province, "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", AgencyKind.FRONT, short_name="MTTQ tỉnh",
                        head_name="Hoàng Thị Nga", head_title="Chủ tịch Ủy ban MTTQ tỉnh", members=[p["mattran"]])
    a["btg"] = _agency(s, province, "Ban Tuyên giáo Tỉnh ủy", AgencyKind.PROPAGANDA, head_name="Đỗ Văn Hùng",
                       head_title="Trưởng Ban Tuyên giáo Tỉnh ủy, người phát ngôn của tỉnh",
                       members=[p["tuyengiao"]])
    a["syt"] = _agency(s, province, "Sở Y tế", AgencyKind.HEALTH, head_name="Vũ Đình Khoa",
                       head_title="Giám đốc Sở Y tế", members=[p["soyte"]])
    a["cdc"] = _agency(s, province, "Trung tâm Kiểm soát bệnh tật tỉnh", AgencyKind.HEALTH, short_name="CDC",
                       superior=a["syt"], members=[u for u in (p.get("dichte"),) if u])
    a["ca"] = _agency(s, province, "Công an tỉnh", AgencyKind.POLICE, head_title="Giám đốc Công an tỉnh")
    a["qs"] = _agency(s, province, "Bộ Chỉ huy Quân sự tỉnh", AgencyKind.MILITARY, head_title="Chỉ huy trưởng")
    for district in AdminUnit.objects.filter(parent=province, level=UnitLevel.DISTRICT).order_by("code"):
        a[f"ubnd{district.code}"] = _agency(s, district, f"UBND {district.name_with_type}", AgencyKind.PEOPLES_COMMITTEE,
                                            head_title="Chủ tịch UBND")
    binh_xuyen, son_loi = AdminUnit.objects.get(code="249"), AdminUnit.objects.get(code="08959")
    a["ubnd249"] = services.agency_update(actor=s, agency=a["ubnd249"], head_account=p["binhxuyen"])
    a["ttyt249"] = _agency(s, binh_xuyen, "Trung tâm Y tế huyện Bình Xuyên", AgencyKind.HEALTH,
                           superior=a["ubnd249"])
    a["sonloi"] = _agency(s, son_loi, "UBND xã Sơn Lôi", AgencyKind.PEOPLES_COMMITTEE, head_title="Chủ tịch UBND xã",
                          members=[p["sonloi"]])
    tich_son = AdminUnit.objects.filter(code="08707").first()
    if tich_son is not None and "xa" in p:
        a["tichson"] = _agency(s, tich_son, "UBND phường Tích Sơn", AgencyKind.PEOPLES_COMMITTEE, members=[p["xa"]])
    if "huyen" in p:
        services.agency_update(actor=s, agency=a["ubnd243"], members=[p["huyen"]])
    return a


# --- Documents and what became of their tasks ---------------------------------------------------


def _then(moment: dt.datetime, call, **kwargs):
    with clock.frozen_at(moment):
        return call(**kwargs)


def _report(task, who, moment, text, done=False, period=None):
    return _then(moment, services.task_report, actor=who, task=task, text=text, done=done, period=period)


def _verify(task, who, moment, note=""):
    return _then(moment, services.task_verify, actor=who, task=task, note=note)


def _earlier_notices(province, p, a) -> tuple[Document, Document]:
    s = p["thuky"]
    first = _then(at(10, 15), services.document_create, actor=s, unit=province, kind=DocumentKind.NOTICE,
                  number="2032-TB/TU", issuing_body=BTV, issued_on=dt.date(2020, 2, 10),
                  title="Ý kiến của Ban Thường vụ Tỉnh ủy về công tác phòng, chống dịch bệnh Covid-19",
                  text=SYNTHETIC, tasks=[NewTask(agency=a["ttu"], point="1", deadline=at(12, 17), description=(
                      "Thành lập 04 đoàn kiểm tra công tác lãnh đạo, tổ chức thực hiện phòng, chống dịch của "
                      "cấp ủy, chính quyền các cấp."))])
    second = _then(at(12, 15), services.document_create, actor=s, unit=province, kind=DocumentKind.NOTICE,
                   number="2033-TB/TU", issuing_body=BTV, issued_on=dt.date(2020, 2, 12), follows_up=[first],
                   title="Ý kiến của Ban Thường vụ Tỉnh ủy về chính sách hỗ trợ người dân vùng cách ly",
                   text=SYNTHETIC, tasks=[NewTask(agency=a["bcsd"], point="1", deadline=at(14, 17), description=(
                       "Ban hành chính sách hỗ trợ cho người dân xã Sơn Lôi và các trường hợp thực hiện cách ly y "
                       "tế tập trung."))])
    [t1], [t2] = first.tasks.all(), second.tasks.all()
    _report(t1, p["lanhdao"], at(11, 16), "Đã ban hành quyết định thành lập 04 đoàn kiểm tra.", done=True)
    _verify(t1, p["lanhdao"], at(12, 8))
    _report(t2, p["ubndtinh"], at(14, 10), "UBND tỉnh đã ban hành chính sách hỗ trợ.", done=True)
    _verify(t2, p["lanhdao"], at(14, 16))
    return first, second


def _seed_notice(province, p, a, follows) -> Document:
    """The notice of 19-02-2020 as the Standing Committee's office would enter it."""
    districts = list(AdminUnit.objects.filter(parent=province, level=UnitLevel.DISTRICT).order_by("code"))
    daily_checks = Recurrence(cadence=Cadence.DAILY, due_time=dt.time(20, 0), starts_on=dt.date(2020, 2, 20),
                              ends_on=dt.date(2020, 2, 29))
    tasks = [
        NewTask(agency=a["bcd"], point="1", description=(
            "Tiếp tục tăng cường trực tiếp kiểm tra việc thực hiện kế hoạch, phương án phòng, chống dịch của các "
            "cơ quan, địa phương; việc thực hiện nhiệm vụ hàng ngày của các lực lượng, đặc biệt đối với lực lượng "
            "y tế và của cấp xã.")),
        NewTask(agency=a["ttu"], point="1", timing=Timing.RECURRING, recurrence=daily_checks, description=(
            "Riêng các đồng chí trong Thường trực Tỉnh ủy sẽ luân phiên hàng ngày kiểm tra đột xuất tại một số "
            "đơn vị, địa phương.")),
        NewTask(agency=a["bcd"], point="1", partners=[a["syt"]], description=(
            "Rà soát, đảm bảo cung cấp đầy đủ, kịp thời các vật tư, trang thiết bị y tế, bảo hộ cần thiết cho công "
            "tác phòng, chống dịch của các cơ quan, địa phương.")),
        NewTask(agency=a["bcd"], point="1", deadline=at(25, 17), description=(
            "Chỉ đạo chuẩn bị các điều kiện của khu cách ly y tế tập trung để sẵn sàng tiếp nhận các công dân là "
            "người Vĩnh Phúc từ Trung Quốc trở về.")),
        NewTask(agency=a["bcd"], point="1", description=(
            "Chủ động chỉ đạo giải quyết tốt việc xử lý rác thải sinh hoạt tại xã Sơn Lôi, các khu cách ly y tế tập "
            "trung, các cơ sở khám chữa bệnh hiện đang điều trị cho người mắc bệnh, nghi ngờ mắc bệnh.")),
        NewTask(agency=a["mttq"], point="2", partners=[a["syt"]], description=(
            "Là đầu mối tổ chức tiếp nhận hàng viện trợ từ các tổ chức, cá nhân; phối hợp với Sở Y tế để có phương "
            "án phân bổ kịp thời, phù hợp cho các địa phương, đơn vị.")),
        NewTask(agency=a["btg"], point="3", officer_name="Trưởng Ban Tuyên giáo Tỉnh ủy", description=(
            "Đồng chí Trưởng Ban Tuyên giáo Tỉnh ủy (không ủy quyền cho cấp phó) là người phát ngôn của tỉnh về các "
            "vấn đề liên quan đến công tác phòng, chống dịch bệnh Covid-19 trên địa bàn tỉnh.")),
        NewTask(agency=a["btg"], point="3", description=(
            "Tuyên truyền sâu, rộng về công tác lãnh đạo, chỉ đạo, kết quả đạt được; khẳng định quyết tâm của các "
            "cấp ủy, chính quyền, hệ thống chính trị trong công tác phòng, chống dịch để củng cố lòng tin của nhân "
            "dân, ủng hộ, tự giác thực hiện các chủ trương, biện pháp của tỉnh; kịp thời phản ánh những gương người "
            "tốt, việc tốt trong công tác phòng, chống dịch bệnh.")),
        NewTask(agency=a["btg"], point="3", description=(
            "Bám sát tình hình thông tin trên báo chí, mạng xã hội; Báo cáo, đề nghị Ban Tuyên giáo Trung ương để "
            "chấn chỉnh một số cơ quan báo chí phản ánh, đăng tải thông tin chưa đúng, chưa phù hợp đã gây tác động "
            "không tích cực đến tâm lý, tình cảm của người dân, gây khó khăn cho công tác phòng, chống dịch bệnh và "
            "dễ bị các thế lực thù địch lợi dụng xuyên tạc, chống phá.")),
        NewTask(agency=a["btg"], point="3", deadline=at(29, 17), description=(
            "Làm việc với Đài Truyền hình Việt Nam để truyền thông cho tỉnh về tình hình, kết quả công tác lãnh "
            "đạo, chỉ đạo trong phòng, chống dịch tại tỉnh; về hoạt động sản xuất, kinh doanh trong thời gian qua "
            "của tỉnh.")),
        NewTask(agency=a["bcsd"], point="4", deadline=at(26, 17), description=(
            "Chỉ đạo xây dựng phương án ứng phó với dịch bệnh ở cấp độ cao hơn, báo cáo Thường trực Tỉnh ủy để "
            "luôn chủ động, sẵn sàng cho mọi tình huống.")),
        NewTask(agency=a["bcsd"], point="4", description=(
            "Có ý kiến với Chính phủ, Bộ Y tế có phương án giải quyết phù hợp, hạn chế thấp nhất ảnh hưởng đến "
            "nguồn nhân lực của các doanh nghiệp, nhất là doanh nghiệp trên địa bàn các xã có người mắc bệnh "
            "Covid-19.")),
    ] + [
        NewTask(agency=a[f"ubnd{d.code}"], point="5", description=(
            "Đồng thời với công tác phòng, chống dịch bệnh Covid-19, tiếp tục tập trung lãnh đạo, chỉ đạo phát "
            "triển sản xuất, nhất là phòng, chống dịch bệnh gia súc, gia cầm; các hoạt động dịch vụ, du lịch; tháo "
            "gỡ khó khăn cho sản xuất công nghiệp, nhất là tình trạng thiếu hụt về lao động hiện nay; lãnh đạo, tổ "
            "chức tốt Đại hội thi đua yêu nước các cấp, Đại hội Đảng bộ các cấp theo kế hoạch."))
        for d in districts
    ]
    return _then(at(20, 10), services.document_create, actor=p["thuky"], unit=province, kind=DocumentKind.NOTICE,
                 number="", issuing_body=BTV, issued_on=SEED_DAY, title=SEED_TITLE,
                 text=SEED_TEXT.read_text(encoding="utf-8"),
                 signer="T/L Ban Thường vụ, Chánh Văn phòng Trần Quốc Huy", recipients_text=RECIPIENTS,
                 references_text="Báo cáo số 36/BC-UBND ngày 18-02-2020 của UBND tỉnh; các báo cáo của 04 đoàn kiểm tra.",
                 recipient_agencies=[a[k] for k in ("bcsd", "mttq", "btg", "syt", "cdc", "ca", "qs")],
                 recipient_units=districts, follows_up=list(follows), tasks=tasks)


def _carry_out(notice: Document, p, a) -> None:
    """What the agencies did with the notice's tasks, day by day (synthetic)."""
    t = list(notice.tasks.order_by("order"))
    check, checks, supplies, quarantine, waste, aid, speaker, outreach, _press, vtv, plan, labour = t[:12]
    by_district = {task.agency_id: task for task in t[12:]}
    office, leader = p["thuky"], p["lanhdao"]
    _report(check, office, at(21, 17), "Đã kiểm tra 3 huyện, 5 xã; lực lượng y tế xã Sơn Lôi trực 24/24.")
    for day in range(20, 30):
        if day == 22:
            continue  # no check reported that day
        hour = 21 if day == 21 else 19  # the 21st came in late
        _report(checks, leader, at(day, hour), f"Ngày {day}/02: kiểm tra đột xuất một đơn vị, địa phương.",
                period=dt.date(2020, 2, day))
    _report(checks, leader, at(29, 20, 30), "Kết thúc đợt kiểm tra đột xuất luân phiên.", done=True)
    _verify(checks, leader, at(1, 9, month=3))
    _report(supplies, office, at(22, 11), "Đã cấp bổ sung 20.000 khẩu trang, 500 bộ đồ bảo hộ cho các huyện.")
    _report(quarantine, office, at(24, 16), "Khu cách ly tập trung sẵn sàng 300 giường.", done=True)
    _verify(quarantine, leader, at(25, 9), "Đã kiểm tra thực tế.")
    _report(waste, office, at(26, 10), "Đã hợp đồng thu gom, xử lý rác thải riêng tại xã Sơn Lôi.", done=True)
    _report(aid, p["mattran"], at(24, 15), "Đã tiếp nhận 1,2 tỷ đồng và 30.000 khẩu trang; phân bổ đợt 1.")
    _then(at(20, 14), services.task_start, actor=p["tuyengiao"], task=speaker)
    _report(outreach, p["tuyengiao"], at(23, 10), "Đã đăng 45 tin, bài trên báo, đài tỉnh.")
    _report(vtv, p["tuyengiao"], at(27, 16), "Đã làm việc với VTV1, phóng sự phát ngày 27/02.", done=True)
    _verify(vtv, leader, at(28, 9))
    _report(plan, p["ubndtinh"], at(24, 11), "Đang xây dựng phương án theo 3 cấp độ; lấy ý kiến các sở.")
    _report(labour, p["ubndtinh"], at(25, 10), "UBND tỉnh đã có văn bản gửi Chính phủ, Bộ Y tế.", done=True)
    _then(at(26, 9), services.task_send_back, actor=leader, task=labour,
          reason="Cần nêu rõ số lao động bị ảnh hưởng tại các doanh nghiệp trên địa bàn xã Sơn Lôi.")
    binh_xuyen = by_district[a["ubnd249"].pk]
    _report(binh_xuyen, p["binhxuyen"], at(24, 16), "Huyện đã họp với các doanh nghiệp về thiếu hụt lao động.")
    if "huyen" in p:
        _then(at(21, 9), services.task_start, actor=p["huyen"], task=by_district[a["ubnd243"].pk])


def _daily_reports(province, p, a) -> Document:
    """A dispatch asking for a daily report by 17:00 (synthetic), with on-time, late and missing days."""
    until = Recurrence(cadence=Cadence.DAILY, due_time=dt.time(17, 0), starts_on=dt.date(2020, 2, 20),
                       ends_on=dt.date(2020, 2, 29))
    commune = Recurrence(cadence=Cadence.DAILY, due_time=dt.time(16, 0), starts_on=dt.date(2020, 2, 20),
                         ends_on=dt.date(2020, 2, 29))
    doc = _then(at(20, 8), services.document_create, actor=p["thuky"], unit=province, kind=DocumentKind.DISPATCH,
                number="01/CĐ-BCĐ", issuing_body="Ban Chỉ đạo phòng, chống dịch tỉnh", issued_on=dt.date(2020, 2, 20),
                title="Về việc báo cáo tình hình dịch bệnh Covid-19 hằng ngày", text=SYNTHETIC, tasks=[
                    NewTask(agency=a["syt"], point="1", recurrence=until,
                            description="Báo cáo tình hình dịch bệnh, người cách ly trên địa bàn tỉnh trước 17 giờ hằng ngày."),
                    NewTask(agency=a["sonloi"], point="2", recurrence=commune,
                            description="Báo cáo tình hình người cách ly, chốt kiểm soát tại xã trước 16 giờ hằng ngày."),
                ])
    health, son_loi = doc.tasks.order_by("order")
    for day in range(20, 30):
        if day == 25:
            continue  # the day the report never came
        hour = 19 if day == 22 else 16
        _report(health, p["soyte"], at(day, hour), f"Ngày {day}/02: không có ca mắc mới; {120 - day} người cách ly.",
                period=dt.date(2020, 2, day))
        _report(son_loi, p["sonloi"], at(day, 15), f"Ngày {day}/02: chốt kiểm soát trực đủ; 212 hộ được giám sát.",
                period=dt.date(2020, 2, day))
    _report(health, p["soyte"], at(29, 17, 30), "Kết thúc đợt báo cáo hằng ngày theo công điện.", done=True)
    _verify(health, p["lanhdao"], at(29, 20))
    _report(son_loi, p["sonloi"], at(29, 16, 30), "Kết thúc đợt báo cáo hằng ngày.", done=True)
    return doc


def _inspections(province, p, a) -> None:
    s, leader = p["thuky"], p["lanhdao"]
    binh_xuyen, son_loi = AdminUnit.objects.get(code="249"), AdminUnit.objects.get(code="08959")
    teams = [_then(at(11, 9), services.team_create, actor=s, unit=province, name=f"Đoàn kiểm tra số {n}",
                   leader=leader if n == 1 else None, leader_name="" if n == 1 else f"Ủy viên Ban Thường vụ (đoàn {n})",
                   members=[u for u in (p.get("dichte"),) if u] if n == 1 else [])
             for n in range(1, 5)]
    first = _then(at(13, 8), services.inspection_schedule, actor=s, team=teams[0], inspected_unit=binh_xuyen,
                  scheduled_on=dt.date(2020, 2, 17), topic="Kiểm tra công tác phòng, chống dịch tại huyện Bình Xuyên")
    _then(at(17, 9), services.inspection_checklist_draft, actor=leader, inspection=first)
    _then(at(17, 17), services.inspection_complete, actor=leader, inspection=first, carried_out_on=dt.date(2020, 2, 17),
          conclusion="Huyện chỉ đạo quyết liệt; việc thu gom rác thải tại vùng cách ly còn chậm.")
    finding = _then(at(17, 17, 30), services.finding_record, actor=leader, inspection=first, severity="serious",
                    agency=a["ubnd249"], text="Thu gom rác thải sinh hoạt tại khu vực xã Sơn Lôi chưa kịp thời.")
    fix = _then(at(18, 8), services.finding_assign_task, actor=s, finding=finding, spec=NewTask(
        agency=a["ubnd249"], description="Bố trí thu gom rác thải hằng ngày tại xã Sơn Lôi.", deadline=at(21, 17)))
    _report(fix, p["binhxuyen"], at(20, 16), "Đã bố trí xe thu gom riêng, 2 chuyến mỗi ngày.", done=True)
    _verify(fix, leader, at(21, 9))
    second = _then(at(22, 8), services.inspection_schedule, actor=s, team=teams[1], inspected_unit=son_loi,
                   scheduled_on=dt.date(2020, 2, 24), topic="Kiểm tra việc thực hiện Thông báo ngày 19-02-2020")
    _then(at(24, 8), services.inspection_checklist_draft, actor=s, inspection=second)
    _then(at(24, 17), services.inspection_complete, actor=s, inspection=second, carried_out_on=dt.date(2020, 2, 24),
          conclusion="Xã thực hiện nghiêm; sổ theo dõi người cách ly tại nhà ghi chưa đầy đủ.")
    *met, daily = second.checklist.order_by("order")
    for item in met:
        _then(at(24, 16), services.checklist_item_update, actor=s, item=item, result="met")
    open_finding = _then(at(24, 17, 30), services.finding_record, actor=s, inspection=second, agency=a["sonloi"],
                         checklist_item=daily, text="Sổ theo dõi người cách ly tại nhà ghi chưa đầy đủ thông tin.")
    fix2 = _then(at(25, 8), services.finding_assign_task, actor=s, finding=open_finding, spec=NewTask(
        agency=a["sonloi"], description="Bổ sung đầy đủ sổ theo dõi người cách ly tại nhà.", deadline=at(28, 17)))
    _report(fix2, p["sonloi"], at(27, 15), "Đã bổ sung sổ theo dõi, 212 hộ.", done=True)
    _then(at(21, 19), services.inspection_record_surprise, actor=leader, inspected_unit=son_loi,
          inspected_agency=a["sonloi"], carried_out_on=dt.date(2020, 2, 21), topic="Kiểm tra đột xuất chốt kiểm soát",
          conclusion="Chốt trực đủ người, đo thân nhiệt 100% người qua lại.")


def _summary(accounts: dict[str, User], skipped: bool, escalations: int = 0) -> CommandDemoSummary:
    docs = Document.objects.filter(issued_on__year=2020).count()
    rows = [(u.username, u.full_name, str(u.role), u.unit.name_with_type if u.unit else "")
            for name, u in accounts.items() if name in _ACCOUNT_NAMES]
    return CommandDemoSummary(documents=docs, tasks=Task.objects.count(), escalations=escalations, accounts=rows,
                              skipped=skipped)


_ACCOUNT_NAMES = ("thuky", "soyte", "tuyengiao", "mattran", "ubndtinh", "binhxuyen", "sonloi")


def demo_command_ensure(*, province_code: str = "26", now: dt.datetime | None = None) -> CommandDemoSummary:
    """Agencies, accounts, documents, tasks and inspections for the demo province (once), then the
    escalation of whatever is overdue at `now` (default: the clock)."""
    if province_code != "26":  # the notice is Vĩnh Phúc's; other provinces get no command data
        return CommandDemoSummary(0, 0, 0, [], skipped=True)
    province = _province(province_code)
    with transaction.atomic():
        people = _ensure_accounts(province)
        agencies = _ensure_agencies(province, people)
        if Document.objects.filter(unit=province, issuing_body=BTV, issued_on=SEED_DAY, title=SEED_TITLE).exists():
            return _summary(people, skipped=True)
        follows = _earlier_notices(province, people, agencies)
        _daily_reports(province, people, agencies)
        notice = _seed_notice(province, people, agencies, follows)
        _carry_out(notice, people, agencies)
        _inspections(province, people, agencies)  # after the documents: checklists draw on them
    made = services.task_escalate_overdue(now=now or clock.now())
    return _summary(people, skipped=False, escalations=len(made))
