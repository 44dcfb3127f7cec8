"""Scorecard pages: ranked tables (communes of a district, districts of a province), a unit's
page, and the ranked table as an XLSX file."""

from __future__ import annotations

import io

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from chongdich.command import scorecards
from chongdich.command.scorecards import Column, Number
from chongdich.core import clock
from chongdich.core.errors import DomainError
from chongdich.core.web import add_domain_error, or_404, template_for
from chongdich.dashboard.templatetags.numbers import num
from chongdich.geography.models import UnitLevel
from chongdich.geography.selectors import unit_get

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PeriodForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("Từ ngày"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=gettext_lazy("Đến ngày"), required=False,
                          widget=forms.DateInput(attrs={"type": "date"}))
    sort = forms.ChoiceField(label=gettext_lazy("Xếp hạng theo"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sort"].choices = [(c.key, c.label) for c in scorecards.all_columns() if c.better]

    def period(self) -> scorecards.Period:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return scorecards.period_from(data.get("start"), data.get("end"), today=clock.today())

    def sort_key(self) -> str:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return data.get("sort") or scorecards.DEFAULT_SORT


def display(value: Number, col: Column) -> str:
    """A value as the tables show it; '—' for no data (never a number made up in its place)."""
    if value is None:
        return "—"
    if col.kind == "ratio":
        return f"{round(value * 100)} %"
    if col.kind == "change":
        sign = "+" if value > 0 else ("−" if value < 0 else "±")
        return f"{sign}{abs(round(value * 100))} %"
    if col.kind == "rate":
        decimal = "." if (get_language() or "vi").startswith("en") else ","
        return f"{value:.1f}".replace(".", decimal)
    return num(value)


def _cells(values: dict[str, Number], indicators) -> list[dict]:
    return [{"column": c, "value": values.get(c.key), "text": display(values.get(c.key), c)}
            for i in indicators for c in i.columns]


def _parent(request):
    """The unit whose subunits are ranked: ?unit=code, else the actor's own unit (none: the
    provinces of the country, for national accounts)."""
    actor = request.user
    code = request.GET.get("unit", "").strip()
    if code:
        return or_404(unit_get, actor=actor, code=code)
    return actor.unit


def _query(request, **override) -> str:
    params = request.GET.copy()
    for key, value in override.items():
        params[key] = value
    return params.urlencode()


@login_required
def ranking(request):
    actor = request.user
    parent = _parent(request)
    if parent is not None and parent.level == UnitLevel.COMMUNE:
        return redirect(f"{reverse('scorecards:unit', args=[parent.code])}?{_query(request)}")
    form = PeriodForm(request.GET or None)
    try:
        result = scorecards.scorecard_ranking(actor=actor, parent=parent, period=form.period(),
                                              sort=form.sort_key())
    except DomainError as exc:
        if exc.status == 404:
            raise Http404(exc.message) from exc
        add_domain_error(form, exc)
        result = scorecards.scorecard_ranking(actor=actor, parent=parent,
                                              period=scorecards.period_from(None, None, today=clock.today()))
    rows = [{"row": r, "cells": _cells(r.values, result.indicators)} for r in result.rows]
    header = [{"indicator": i, "columns": [
        {"column": c, "active": c.key == result.sort.key,
         "url": f"?{_query(request, sort=c.key)}" if c.better else ""} for c in i.columns]}
        for i in result.indicators]
    context = {"form": form, "result": result, "rows": rows, "parent": parent, "header": header,
               "indicators": result.indicators, "query": _query(request),
               "unavailable": [i for i in result.indicators if not i.available()]}
    return render(request, template_for(request, "command/scorecard_ranking.html", "results"), context)


@login_required
def unit_page(request, code: str):
    actor = request.user
    unit = or_404(unit_get, actor=actor, code=code)
    form = PeriodForm(request.GET or None)
    try:
        period = form.period()
    except DomainError as exc:
        add_domain_error(form, exc)
        period = scorecards.period_from(None, None, today=clock.today())
    card = scorecards.scorecard_unit(actor=actor, unit=unit, period=period)
    sections = [
        {"indicator": i, "available": i.available(),
         "rows": [{"column": c, "now": display(card.values.get(c.key), c),
                   "before": display(card.previous.get(c.key), c)} for c in i.columns]}
        for i in card.indicators
    ]
    task_columns = [c for i in card.indicators if i.key in ("tasks", "reports") for c in i.columns]
    agencies = [{"agency": a, "head": a.head_name or (a.head_account.display_name if a.head_account else ""),
                 "cells": [display(values.get(c.key, 0 if c.kind == "count" else None), c) for c in task_columns]}
                for a, values in card.agencies]
    context = {"form": form, "card": card, "unit": unit, "sections": sections, "agencies": agencies,
               "task_columns": task_columns, "query": _query(request),
               "can_rank": unit.level != UnitLevel.COMMUNE}
    return render(request, "command/scorecard_unit.html", context)


@login_required
def export_xlsx(request):
    """The ranked table as it is on screen, one row per unit, for the committee's own files."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    actor = request.user
    parent = _parent(request)
    form = PeriodForm(request.GET or None)
    try:
        result = scorecards.scorecard_ranking(actor=actor, parent=parent, period=form.period(),
                                              sort=form.sort_key())
    except DomainError as exc:
        if exc.status == 404:
            raise Http404(exc.message) from exc
        return HttpResponseBadRequest(exc.message)
    period = result.period
    book = Workbook()
    sheet = book.active
    sheet.title = _("Xếp hạng")[:31]
    area = str(parent) if parent else _("Toàn quốc")
    sheet.append([_("Bảng đánh giá: %(area)s") % {"area": area}])
    sheet.append([_("Kỳ: %(start)s – %(end)s (%(days)s ngày)") % {
        "start": period.start.strftime("%d/%m/%Y"), "end": period.end.strftime("%d/%m/%Y"), "days": period.days}])
    sheet.append([_("Xếp hạng theo: %(column)s") % {"column": result.sort.label}])
    sheet["A1"].font = Font(bold=True, size=13)
    fixed = [_("Hạng"), _("Mã"), _("Đơn vị"), _("Người đứng đầu"), _("Chức vụ")]
    groups = [""] * len(fixed)
    labels = list(fixed)
    columns = []
    for indicator in result.indicators:
        for i, col in enumerate(indicator.columns):
            groups.append(str(indicator.label) if i == 0 else "")
            labels.append(str(col.label))
            columns.append(col)
    sheet.append(groups)
    sheet.append(labels)
    for cell in sheet[4] + sheet[5]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    no_data = _("không có dữ liệu")
    formats = {"ratio": "0%", "change": "+0%;-0%;0%", "rate": "0.0", "count": "#,##0"}
    for row in result.rows:
        head = row.head
        line = [row.rank, row.unit.code, row.unit.name_with_type, head.name if head else "",
                head.title if head else ""]
        line += [no_data if row.values.get(c.key) is None else row.values[c.key] for c in columns]
        sheet.append(line)
        for offset, col in enumerate(columns, start=len(fixed) + 1):
            sheet.cell(row=sheet.max_row, column=offset).number_format = formats.get(col.kind, "General")
    sheet.freeze_panes = "C6"
    sheet.column_dimensions["C"].width = 28
    sheet.column_dimensions["D"].width = 24
    out = io.BytesIO()
    book.save(out)
    name = f"xep-hang-{parent.code if parent else 'toan-quoc'}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx"
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
