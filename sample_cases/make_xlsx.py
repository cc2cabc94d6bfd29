"""Writes the sample XLSX register 楚雄市规范性文件台账.xlsx (run: python sample_cases/make_xlsx.py).

The register is kept as Excel registers usually are: real date cells formatted yyyy-mm-dd,
one 公布日期 typed as text (2019年3月4日), booleans as 是/否, an empty 施行日期 column.
The .xlsx is committed too; this script documents exactly what is in it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
from openpyxl.styles import Font

TARGET = Path(__file__).parent / "normative_documents" / "chuxiong-2016" / "楚雄市规范性文件台账.xlsx"

HEADER = [
    "类型",
    "编号",
    "行政区划代码",
    "制定机关",
    "文号",
    "标题",
    "征求意见开始日期",
    "征求意见结束日期",
    "合法性审查日期",
    "合法性审查结论",
    "集体讨论日期",
    "需听证",
    "设定许可",
    "设定处罚",
    "设定强制",
    "成文日期",
    "公布日期",
    "施行日期",
    "有效期至",
    "有效期年限",
    "报送备案日期",
    "状态",
]

D = dt.date
ROWS = [
    [
        "规范性文件",
        "cxs-nd-01",
        "532301",
        "楚雄市人民政府",
        "楚市政发〔2019〕3号",
        "楚雄市人民政府关于印发楚雄市城市绿化管理办法的通知",
        D(2018, 12, 20),
        D(2019, 1, 25),
        D(2019, 2, 13),
        "是",
        D(2019, 2, 20),
        "否",
        "否",
        "否",
        "否",
        D(2019, 2, 28),
        "2019年3月4日",
        None,
        D(2024, 3, 3),
        None,
        D(2019, 3, 15),
        "现行有效",
    ],
    [
        "规范性文件",
        "cxs-nd-02",
        "532301",
        "楚雄市人民政府办公室",
        "楚市政办发〔2019〕17号",
        "楚雄市人民政府办公室关于印发《楚雄市城区停车场管理办法（试行）》的通知",
        D(2019, 4, 1),
        D(2019, 5, 6),
        D(2019, 5, 20),
        "是",
        D(2019, 5, 27),
        "否",
        "否",
        "否",
        "否",
        D(2019, 6, 3),
        D(2019, 6, 10),
        None,
        None,
        5,
        D(2019, 6, 18),
        "现行有效",
    ],
    [
        "规范性文件",
        "cxs-nd-03",
        "532301",
        "楚雄市住房和城乡建设局",
        "楚市建发〔2019〕41号",
        "楚雄市住房和城乡建设局关于加强住宅小区物业服务管理的通知",
        D(2019, 5, 10),
        D(2019, 6, 15),
        D(2019, 7, 1),
        "是",
        D(2019, 7, 12),
        "否",
        "否",
        "否",
        "否",
        D(2019, 7, 5),
        D(2019, 7, 8),
        None,
        D(2022, 7, 7),
        None,
        D(2019, 7, 16),
        "现行有效",
    ],
    [
        "规范性文件",
        "cxs-nd-04",
        "532301",
        "楚雄市教育体育局",
        "楚市教体发〔2019〕55号",
        "楚雄市教育体育局关于规范校外培训机构管理的通知",
        D(2019, 6, 3),
        D(2019, 7, 8),
        D(2019, 7, 30),
        "是",
        D(2019, 8, 6),
        "否",
        "否",
        "否",
        "否",
        D(2019, 8, 26),
        D(2019, 9, 2),
        None,
        None,
        5,
        D(2019, 9, 12),
        "现行有效",
    ],
]


def build(target: Path = TARGET) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "规范性文件台账"
    sheet.append(HEADER)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in ROWS:
        sheet.append(row)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    for column, width in {"D": 22, "E": 22, "F": 56}.items():
        sheet.column_dimensions[column].width = width
    book.properties.creator = "楚雄市司法局"
    book.properties.created = book.properties.modified = dt.datetime(2020, 12, 20, 9, 0, 0)
    book.save(target)
    return target


if __name__ == "__main__":
    print(build())
