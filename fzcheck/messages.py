"""The bilingual message catalog: every error and warning a user sees, in Chinese and in English.

A message is made where the problem is found as a :class:`Msg` — a catalog id and its named
parameters — and rendered only at output time in the report's language (``--lang``, Chinese by
default), so both languages carry the same file, row, field, value and limit. A parameter may itself
be a :class:`Msg` or a :class:`Term` (a word with its two translations, such as a field's label),
rendered in the same language. ``tests/test_messages.py`` checks that every entry has both languages
with the same placeholders.

A :class:`Msg` is a ``str`` whose value is its English text: code that compares or logs messages
(and the Python API's callers) sees stable text, while every renderer asks for ``text(lang)``.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import Any, Self

#: message id -> (Chinese template, English template), named ``str.format`` placeholders
CATALOG: dict[str, tuple[str, str]] = {
    # reading files (engine/sources/files.py)
    "file.too_large": (
        "文件过大：{size}；JSON 和 YAML 文件整体读取，最多 {limit}（请拆分文件，或改用逐行读取的 JSON Lines）",
        (
            "file too large: {size}; JSON and YAML files are read whole and may have at most {limit} "
            "(split it, or write JSON Lines, which is read line by line)"
        ),
    ),
    "file.not_utf8": ("不是 UTF-8 文本（第 {byte} 字节）", "not UTF-8 text (byte {byte})"),
    "file.not_utf8_gb18030": ("不是 UTF-8 或 GB18030 文本", "not UTF-8 or GB18030 text"),
    "file.too_deep": (
        "嵌套超过 {depth} 层（列表和对象相互嵌套）",
        "nested more than {depth} levels deep (lists and objects in one another)",
    ),
    "json.long_number": ("JSON 无效：数字超过 {digits:,} 位", "invalid JSON: a number of more than {digits:,} digits"),
    "json.invalid": ("JSON 无效：{detail}", "invalid JSON: {detail}"),
    "json.invalid_at": ("JSON 无效（第 {column} 列）：{detail}", "invalid JSON at column {column}: {detail}"),
    "json.not_object": ("应为对象（一条记录），实际为{got}", "expected an object (one record), got {got}"),
    "jsonl.line_too_long": (
        "行过长：{size}；JSON Lines 的一条记录最多 {limit}",
        "line too long: {size}; a JSON Lines record may have at most {limit}",
    ),
    "yaml.self_alias": ("通过 YAML 别名包含自身", "contains itself through a YAML alias"),
    "yaml.too_many_values": (
        "通过 YAML 别名计数，值超过 {limit:,} 个",
        "more than {limit:,} values, counted through its YAML aliases",
    ),
    "yaml.invalid": ("YAML 无效：{detail}", "invalid YAML: {detail}"),
    "csv.duplicate_column": ("列名重复：“{name}”", "duplicate column '{name}'"),
    "csv.unclosed_quote": (
        "引号未闭合：第 {quote} 行开始的单元格一直延续到文件末尾；本行未读取，第 {quote} 行之后的各行按行读取",
        (
            "unclosed quote: the cell opened on line {quote} runs to the end of the file; this row "
            "is not read, the lines after line {quote} are read as rows"
        ),
    ),
    "csv.cell_too_large": (
        "单元格过大：{length:,} 个字符，最多 {limit:,} 个；本行未读取",
        "cell too large: {length:,} characters, at most {limit:,}; the row is not read",
    ),
    "csv.row_too_large": (
        "行过大：{size:,} 个字符，最多 {limit:,} 个；本行未读取",
        "row too large: {size:,} characters, at most {limit:,}; the row is not read",
    ),
    "csv.invalid": ("CSV 无效：{detail}", "invalid CSV: {detail}"),
    "csv.invalid_header": ("表头无效（第 1 行）：{detail}", "invalid header (row 1): {detail}"),
    "column.numbered": ("第 {index} 列", "column {index}"),
    "xlsx.unreadable": ("不是可读取的 XLSX 工作簿（{detail}）", "not a readable XLSX workbook ({detail})"),
    "xlsx.zip_bomb": (
        "未读取：该工作簿解压后将达 {size}，超过登记表允许的 {limit}（疑为压缩炸弹）",
        (
            "not read: the workbook would expand to {size} when unzipped, more than the {limit} a "
            "register may have (a zip bomb?)"
        ),
    ),
    "xlsx.entities": (
        "不是可读取的 XLSX 工作簿：其 XML 声明了实体，已拒绝（实体炸弹会无限展开：{detail}）",
        (
            "not a readable XLSX workbook: its XML declares entities, which are refused (an entity "
            "bomb would expand without bound: {detail})"
        ),
    ),
    "xlsx.broken_xml": (
        "不是可读取的 XLSX 工作簿：XML 损坏（{detail}）",
        "not a readable XLSX workbook: broken XML ({detail})",
    ),
    "xlsx.sheet_ignored": (
        "已忽略工作表“{sheet}”：只读取第一个工作表",
        "sheet '{sheet}' ignored: only the first sheet is read",
    ),
    "xlsx.formula_no_value": (
        "单元格 {cell} 的公式“{formula}”没有缓存值，按空值读取（请在 Excel 或 WPS 中打开并保存该文件以保存计算结果）",
        (
            "formula '{formula}' in cell {cell} has no cached value and reads as empty (open "
            "and save the file in Excel or WPS to store the values)"
        ),
    ),
    "xlsx.rows_before_read": ("{problem}；此行之前的各行已读取", "{problem}; the rows before this one were read"),
    "file.unsupported": (
        "不支持的文件类型；应为以下之一：{expected}",
        "unsupported file type; expected one of {expected}",
    ),
    "file.cannot_read": ("无法读取文件：{detail}", "cannot read file: {detail}"),
    "file.read_failed_past": (
        "无法读取第 {line} 行之后的内容：{reason}",
        "cannot read the file past line {line}: {reason}",
    ),
    "file.read_failed": ("无法读取该文件：{reason}", "cannot read the file: {reason}"),
    "file.out_of_memory": ("内存不足", "out of memory"),
    "file.not_found": ("文件或文件夹不存在", "no such file or folder"),
    "file.skipped": (
        "已跳过：不是 JSON、JSON Lines、YAML、CSV、XLSX、Word（.docx）或 PDF 文件（文件夹中的 .txt 文件须单独指定）",
        "skipped: not a JSON, JSON Lines, YAML, CSV, XLSX, Word (.docx) or PDF file "
        "(a .txt file in a folder is read only when named)",
    ),
    "record.unreadable": ("无法读取该记录：{reason}", "cannot read this record: {reason}"),
    "agency.id_unknown": (
        "机关编号“{agency_id}”不在机关名录中；该行不计入任何机关",
        "agency id '{agency_id}' is not in the agency registry; the row counts for no agency",
    ),
    "agency.none_given": (
        "未填写机关编号或机关名称；该行不计入任何机关",
        "neither agency id nor agency name given; the row counts for no agency",
    ),
    "agency.ambiguous": (
        "机关名称“{agency}”在行政区划{region_code}内不唯一（名录编号 {ids}）；请填写机关编号；该行不计入任何机关",
        "agency name '{agency}' is ambiguous in region {region_code} (registry ids {ids}); give the "
        "agency id; the row counts for no agency",
    ),
    "agency.unknown": (
        "行政区划{region_code}的机关“{agency}”不在机关名录中；该行不计入任何机关",
        "agency '{agency}' of region {region_code} is not in the agency registry; the row counts for no agency",
    ),
    "record.kind_inferred": (
        "没有“类型”列：按{kind}读取（依据列 {columns}）；可用 --kind 指定",
        "no kind column: read as {kind} (columns {columns}); use --kind to choose",
    ),
    "record.kind_inferred_keys": (
        "没有“类型”字段：按{kind}读取（依据字段 {columns}）；可用 --kind 指定",
        "no kind key: read as {kind} (keys {columns}); use --kind to choose",
    ),
    "record.kind_ambiguous": (
        "缺少类型；这些列同时符合 {kinds}：请用 --kind 指定",
        "missing kind; the columns fit {kinds}: use --kind to choose",
    ),
    "record.kind_ambiguous_keys": (
        "缺少类型；这些字段同时符合 {kinds}：请用 --kind 指定",
        "missing kind; the keys fit {kinds}: use --kind to choose",
    ),
    "record.duplicate_id": ("编号“{id}”重复（首次出现于 {first}）", "duplicate id '{id}' (first at {first})"),
    "record.given_twice": ("重复给出：既有“{first}”又有“{second}”", "given twice, as '{first}' and '{second}'"),
    "unknown.ignored": ("未知{noun}“{key}”，已忽略", "unknown {noun} '{key}' ignored"),
    "unknown.hint": (
        "未知{noun}“{key}”，已忽略；是否应为“{column}”？",
        "unknown {noun} '{key}' ignored; did you mean '{column}'?",
    ),
    "unknown.hint_named": (
        "未知{noun}“{key}”，已忽略；是否应为“{column}”（{name}）？",
        "unknown {noun} '{key}' ignored; did you mean '{column}' ({name})?",
    ),
    # validating values (models/)
    "value.missing": ("缺少{field}", "missing {field}"),
    "value.int": ("应为整数，实际为{value}", "expected a whole number, got {value}"),
    "value.number": ("应为数字，实际为{value}", "expected a number, got {value}"),
    "value.text": ("应为文本，实际为{value}", "expected text, got {value}"),
    "value.list": ("应为列表，实际为{value}", "expected a list, got {value}"),
    "value.object": ("应为对象，实际为{value}", "expected an object, got {value}"),
    "value.literal": ("取值{value}无效；应为 {expected}", "invalid value {value}; expected {expected}"),
    "value.invalid": ("取值{value}无效", "invalid value {value}"),
    "value.inside": ("{where}：{message}", "{where}: {message}"),
    "value.item": ("第 {index} 项", "item {index}"),
    "shown.object": ("一个对象", "an object"),
    "shown.list": ("一个列表", "a list"),
    "shown.value": ("“{value}”", "'{value}'"),
    "value.lost_digits": (
        "数字“{value}”已丢失精度（数字单元格或浮点数中超过 15 位有效数字）；请写成文本",
        (
            "the number '{value}' has lost digits (more than 15 significant digits in a number "
            "cell or a float); write it as text"
        ),
    ),
    "value.region_code": (
        "行政区划代码“{value}”无效；应为 6 位数字（GB/T 2260）",
        "invalid region code '{value}'; expected 6 digits (GB/T 2260)",
    ),
    "value.enum": (
        "未知的{what}“{value}”；应为以下之一：{expected}",
        "unknown {what} '{value}'; expected one of {expected}",
    ),
    "value.not_list": ("应为列表，实际为“{value}”", "expected a list, got '{value}'"),
    "value.date_range": (
        "日期超出范围：“{value}”（应在 {earliest} 至 {latest} 之间）",
        "date out of range: '{value}' (from {earliest} to {latest})",
    ),
    "value.at_least": ("应不少于 {low} {unit}，实际为“{value}”", "expected {low} or more {unit}, got '{value}'"),
    "value.at_most": ("应不超过 {high:,} {unit}，实际为“{value}”", "expected at most {high:,} {unit}, got '{value}'"),
    "value.date": ("日期“{value}”无效", "invalid date '{value}'"),
    "value.ocr_suspect": (
        "文号“{value}”中{characters}疑为识别错误（数字{digits}？），请核对原件",
        "文号 '{value}': {characters} may be misread by OCR (digit {digits}?); check the original",
    ),
    "value.date_type": ("日期无效：{value}", "invalid date: {value}"),
    "value.bool": (
        "是/否取值“{value}”无效；应为 true/false、是/否、1/0、Y/N 或 yes/no",
        "invalid boolean '{value}'; expected true/false, 是/否, 1/0, Y/N or yes/no",
    ),
    "shown.mapping": ("一个映射", "a mapping"),
    # waiver files (engine/outcomes/waivers.py)
    "waiver.cannot_read": ("无法读取豁免文件：{detail}", "cannot read waiver file: {detail}"),
    "waiver.not_utf8": (
        "不是 UTF-8 文本：字节 0x{byte} 无法解码；请将文件另存为 UTF-8",
        "not UTF-8: byte 0x{byte} cannot be decoded; save the file as UTF-8",
    ),
    "waiver.unknown_field": ("未知字段“{key}”；可用字段：{allowed}", "unknown field '{key}'; allowed: {allowed}"),
    "waiver.given_twice": ("重复给出（写作“{key}”）", "given twice (as '{key}')"),
    "waiver.required": ("必填", "required"),
    "waiver.cells": (
        "本行有 {cells} 个单元格，但表头只有 {columns} 列",
        "{cells} cells but {columns} columns in the header",
    ),
    "waiver.invalid_csv": ("CSV 无效：{detail}", "not valid CSV: {detail}"),
    "waiver.invalid_yaml": ("YAML 无效：{detail}", "not valid YAML: {detail}"),
    "waiver.root": (
        "应为列表，或只有一个键“waivers”的映射",
        "expected a list or a mapping with the single key 'waivers'",
    ),
    "waiver.not_list": ("“waivers”应为列表", "'waivers' must be a list"),
    "waiver.not_mapping": ("每条豁免应为映射（字段: 值）", "each waiver must be a mapping"),
    "waiver.key_not_text": ("字段名应为文本", "a field name must be text"),
    "waiver.value_not_text": ("应为文本，而不是{shape}", "must be text, not {shape}"),
    "waiver.expired": ("豁免已于 {date} 到期；未应用", "waiver expired on {date}; not applied"),
    "waiver.matched_none": (
        "针对 {rule} / {record} 的豁免没有匹配任何结果",
        "waiver for {rule} / {record} matched no outcome",
    ),
    "waiver.not_applied": (
        "{problem}（豁免文件未应用：本报告中没有任何结果被豁免）",
        "{problem} (waiver file not applied: no outcome in this report is waived)",
    ),
    # holiday files (engine/derive/calendar.py): its messages come in both languages
    "holidays.not_used": (
        "{problem}（未使用该节假日文件：本次检查按内置的国务院放假安排和法定节假日计算期限）",
        (
            "{problem} (holiday file not used: this check counts periods by the packaged State "
            "Council schedule and the statutory holidays)"
        ),
    ),
    # bounded YAML (engine/sources/yamlsrc.py: rule, waiver and holiday files)
    "yaml.alias_refused": (
        "{what}中不允许使用别名（&锚点 / *别名）：“{token}”",
        "aliases (&anchor / *alias) are not allowed in {what}: '{token}'",
    ),
    "yaml.recursive_alias": (
        "递归别名“{token}”（在其自身的锚点之内）",
        "recursive alias '{token}' (inside its own anchor)",
    ),
    "yaml.limit_nodes": ("{what}最多 {limit:,} 个值{expanded}", "{what} may hold at most {limit:,} values{expanded}"),
    "yaml.limit_text": (
        "{what}最多 {limit:,} 个字符的文本{expanded}",
        "{what} may hold at most {limit:,} characters of text{expanded}",
    ),
    "yaml.limit_depth": ("{what}最多嵌套 {limit} 层{expanded}", "{what} may nest at most {limit} levels{expanded}"),
    "yaml.too_many_nodes": ("值过多：{problem}", "too many values: {problem}"),
    "yaml.too_much_text": ("文本过多：{problem}", "too much text: {problem}"),
    "yaml.too_deep": ("嵌套过深：{problem}", "nested too deeply: {problem}"),
    "yaml.alias_expands": ("别名“{token}”展开过多：{problem}", "alias '{token}' expands too far: {problem}"),
    "yaml.file_too_large": (
        "文件过大（{size:.1f} MB）：{what}最大 {limit:g} MB",
        "file too large ({size:.1f} MB): {what} are limited to {limit:g} MB",
    ),
    # the command line (cli/)
    "cli.known_bad": (
        "{file}：{count} 行已被第 {by} 次导入隔离（文件内容相同），不再重复隔离：fzcheck db quarantine --import-id {first}",
        (
            "{file}: {count} row(s) already quarantined by import {by} (same file content); not "
            "quarantined again: fzcheck db quarantine --import-id {first}"
        ),
    ),
    "cli.warning": ("警告：{issue}", "warning: {issue}"),
    "cli.skipped": ("已跳过：{issue}", "skipped: {issue}"),
    "cli.more_warnings": ("… 另有 {count} 条警告", "… {count} more warning(s)"),
    "cli.more_quarantined": (
        "… 另有 {count} 条隔离行消息：fzcheck db quarantine{where}",
        "… {count} more quarantined row message(s): fzcheck db quarantine{where}",
    ),
    "cli.quarantine_written": ("已将 {count} 条隔离行写入 {path}", "{count} quarantined rows written to {path}"),
    "cli.quarantine_count": ("共 {count} 条隔离行", "{count} quarantined rows"),
    "cli.report_written": ("报告已写入 {path}", "report written to {path}"),
    "cli.error": ("错误：{issue}", "Error: {issue}"),
    "cli.rules_invalid": ("规则文件有误：\n{errors}", "rule files are invalid:\n{errors}"),
    "cli.unknown_ruleset": ("未知的规则集“{id}”；已有：{known}", "unknown ruleset '{id}'; known: {known}"),
    "cli.unknown_kind": (
        "未知的类型“{kind}”；应为以下之一：{expected}",
        "unknown kind '{kind}'; expected one of {expected}",
    ),
    "cli.template_needs_output": (
        "--format xlsx 须用 -o FILE 指定输出文件（例如 -o {code}.xlsx）：工作簿不写到标准输出",
        ("-o FILE is required for --format xlsx (e.g. -o {code}.xlsx): a workbook is not written to standard output"),
    ),
    "cli.unknown_rule": ("未知的规则“{rule}”{where}；已有：{known}", "unknown rule '{rule}'{where}; known: {known}"),
    "cli.unknown_rule_see_list": (
        "未知的规则“{rule}”；参见 `fzcheck rules list`",
        "unknown rule '{rule}'; see `fzcheck rules list`",
    ),
    "cli.in_ruleset": ("（规则集 {ruleset}）", " in {ruleset}"),
    "cli.bad_month": (
        "“{value}”不是 YYYY-MM 格式的月份，例如 2023-07",
        "'{value}' is not a month written YYYY-MM, e.g. 2023-07",
    ),
    "cli.bad_region": ("“{value}”不是 6 位数字的行政区划代码", "'{value}' is not a 6-digit region code"),
    "cli.template_written": ("{code} 的模板已写入 {path}", "template for {code} written to {path}"),
    # the records database (engine/store/database.py, cli/db.py); no URL is shown with its password
    "db.not_found": (
        "数据库不存在：{path}；请用 fzcheck db init 创建",
        "database not found: {path}; create it with fzcheck db init",
    ),
    "db.invalid_url": (
        "数据库 URL“{url}”无效：{detail}；请使用 {supported}",
        "invalid database URL '{url}': {detail}; use {supported}",
    ),
    "db.unsupported": (
        "不支持的数据库 URL {url}：fzcheck 只支持 SQLite、PostgreSQL 和 DuckDB；请使用 {supported}",
        "unsupported database URL {url}: fzcheck works with SQLite, PostgreSQL and DuckDB; use {supported}",
    ),
    "db.locked": (
        "数据库 {url} 正被另一个进程（{holder}）打开：DuckDB 文件同一时间只能由一个进程打开；"
        "请等该进程结束后再试，多个进程同时使用请改用 PostgreSQL",
        "database {url} is open in another process ({holder}): a DuckDB file can be open in only one "
        "process at a time; try again when that process has finished, or use PostgreSQL for several "
        "processes at once",
    ),
    "db.no_driver": (
        "没有 {url} 的数据库驱动（{driver}）；请用 {command} 安装",
        "no driver for {url} ({driver}); install it with {command}",
    ),
    "db.cannot_connect": ("无法连接数据库 {url}：{reason}", "cannot connect to database {url}: {reason}"),
    "db.cannot_open": ("无法打开数据库 {url}：{detail}", "cannot open database {url}: {detail}"),
    "db.no_schema": (
        "数据库 {url} 中没有 fzcheck 的表结构；请先运行 `fzcheck db init`",
        "database {url} has no fzcheck schema; run `fzcheck db init` first",
    ),
    "db.old_schema": (
        "数据库 {url} 的表结构版本为 {revision}，本版 fzcheck 需要 {head}；请运行 `fzcheck db upgrade`",
        "database {url} is at schema revision {revision}, this fzcheck needs {head}; run `fzcheck db upgrade`",
    ),
    "db.already_initialised": (
        "数据库 {url} 已初始化；请用 `fzcheck db upgrade` 升级",
        "database {url} already initialised; use `fzcheck db upgrade`",
    ),
    "db.initialised": ("已初始化 {url}，表结构版本 {revision}", "initialised {url} at schema revision {revision}"),
    "db.upgraded": ("{url}：表结构版本 {before} -> {after}", "{url}: schema revision {before} -> {after}"),
    "db.status": ("{url}（表结构版本 {revision}）", "{url} (schema revision {revision})"),
    "db.status_count": ("  {kind}：{count} 条", "  {kind}: {count}"),
    # rule files (engine/rules/packs.py): each error names file, line and dotted path before these
    "rules.invalid_yaml": ("YAML 无效：{detail}", "not valid YAML: {detail}"),
    "rules.unknown_key": ("未知的键“{key}”", "unknown key '{key}'"),
    "rules.unknown_key_allowed": (
        "未知的键“{key}”；可用的键：{allowed}",
        "unknown key '{key}'; allowed keys: {allowed}",
    ),
    "rules.key_missing": ("缺少必填的键", "required key is missing"),
    "rules.bad_value": ("{detail}（实际为 {got}）", "{detail} (got {got})"),
    "rules.absent_step_violation_only": (
        "absent_step 只能标在违规（violation）分支上",
        "absent_step marks a violation branch only",
    ),
    "rules.one_outcome": (
        "每个结果分支须恰好给出 {keys} 之一；实际为 {found}",
        "an outcome needs exactly one of {keys}; found {found}",
    ),
    "rules.unknown_kind": (
        "未知的记录类型“{kind}”；可用：{allowed}",
        "unknown record kind '{kind}'; allowed: {allowed}",
    ),
    "rules.param_shadows_field": ("参数“{name}”与 {kind} 的字段同名", "parameter '{name}' shadows a field of {kind}"),
    "rules.act_date_not_date": ("行为日期（act_date）须为日期", "the act date must be a date"),
    "rules.derived_shadows": (
        "派生值“{name}”与字段或参数同名",
        "derived value '{name}' shadows a field or parameter",
    ),
    "rules.unknown_name": ("未知的名称“{name}”；可用：{allowed}", "unknown name '{name}'; allowed: {allowed}"),
    "rules.not_a_message": (
        "消息无效：{detail}（字面的花括号写作 {{{{ 和 }}}}）",
        "not a valid message: {detail} (write {{{{ and }}}} for a literal brace)",
    ),
    "rules.placeholder_plain": (
        "占位符只能是简单名称：{{name}}；不允许格式说明和转换：“{written}”",
        "placeholders take a plain name: {{name}}; format specs and conversions are not allowed: '{written}'",
    ),
    "rules.unknown_placeholder": (
        "未知的占位符“{{{placeholder}}}”；可用：{allowed}",
        "unknown placeholder '{{{placeholder}}}'; allowed: {allowed}",
    ),
    "rules.dated_value_keys": (
        "分时段的取值须有 from 和 value，可选 until；可用的键：from、until、value",
        "a dated value needs from, value and optionally until; allowed keys: from, until, value",
    ),
    "rules.dated_value_dates": ("from 和 until 须为日期（YYYY-MM-DD）", "from and until must be dates (YYYY-MM-DD)"),
    "rules.until_before_from": ("until {until} 早于 from {since}", "until {until} is before from {since}"),
    "rules.dated_overlap_open": (
        "分时段的取值重叠：自 {since} 起的取值没有截止日期，下一个取值自 {next} 起",
        "dated values overlap: the value from {since} has no end, the next starts {next}",
    ),
    "rules.dated_overlap": (
        "分时段的取值重叠：自 {since} 起的取值截至 {until}，下一个取值自 {next} 起",
        "dated values overlap: the value from {since} runs until {until}, the next starts {next}",
    ),
    "rules.dated_gap": (
        "分时段的取值有空档：{start} 至 {end} 没有取值",
        "dated values leave a gap: {start} to {end} has no value",
    ),
    "rules.dated_types": (
        "同一参数的各时段取值须为同一类型，实际为 {types}",
        "dated values of one parameter must have one type, got {types}",
    ),
    "rules.unknown_function": ("未知的函数“{name}”；可用：{allowed}", "unknown function '{name}'; allowed: {allowed}"),
    "rules.argument_count": (
        "{function}() 需要 {expected} 个参数，实际为 {got} 个",
        "{function}() takes {expected} argument(s), got {got}",
    ),
    "rules.argument_type": (
        "{function}() 的第 {index} 个参数应为 {want}，实际为 {got}",
        "{function}() argument {index} must be {want}, got {got}",
    ),
    "rules.deadline_nested": (
        "{function}() 计算期限，其结果须单独派生为一个值（期限顺延与暂定的说明随该值显示），不能作为 {outer}() 的参数",
        "{function}() computes a deadline: derive it as a value of its own (its moves and provisional days are"
        " shown beside that value), not as an argument of {outer}()",
    ),
    "rules.list_compared": (
        "列表不能比较；请用 count_items/count_missing 派生计数",
        "a list cannot be compared; derive a count with count_items/count_missing",
    ),
    "rules.cannot_compare": ("{left} 不能与 {right} 比较", "cannot compare {left} with {right}"),
    "rules.order_needs_numbers": ("“{op}”需要数字或日期，实际为 {got}", "'{op}' needs numbers or dates, got {got}"),
    "rules.duplicate_template": ("模板编号“{id}”重复", "duplicate template id '{id}'"),
    "rules.duplicate_pack": ("规则集编号“{id}”重复", "duplicate pack id '{id}'"),
    "rules.no_pack_yaml": ("规则集文件夹中没有 pack.yaml", "pack folder without pack.yaml"),
    "rules.engine_limit": (
        "规则 {rule} 无法在规则引擎上运行：{problem}",
        "rule {rule} cannot run on the rule engine: {problem}",
    ),
    "rules.pack_id_folder": (
        "规则集编号“{id}”与其文件夹名“{folder}”不同",
        "pack id '{id}' differs from its folder name '{folder}'",
    ),
    "rules.duplicate_rule": (
        "规则编号“{id}”在规则集 {pack} 中重复（首次出现于 {first}）",
        "duplicate rule id '{id}' in pack {pack} (first in {first})",
    ),
    "rules.no_template": (
        "没有模板“{id}”，也没有内联逻辑（kind、title、outcomes）",
        "no template '{id}' and no inline logic (kind, title, outcomes)",
    ),
    "rules.inline_needs": ("内联规则须有 {missing}", "an inline rule needs {missing}"),
    "rules.id_differs_template": (
        "规则编号“{id}”与模板“{template}”不同",
        "rule id '{id}' differs from template '{template}'",
    ),
    "rules.unknown_param": ("未知的参数“{name}”；可用：{allowed}", "unknown parameter '{name}'; allowed: {allowed}"),
    "rules.one_citation": (
        "每条规则须恰好给出 citation 或 citations 之一",
        "a rule needs exactly one of citation, citations",
    ),
    "rules.label_needs_style": (
        "clause_label 须配合含 {{n}} 的 clause_style（条款编号的写法）",
        "clause_label needs a clause_style with {{n}} (how the clause numbers are written)",
    ),
    "rules.label_placeholders": (
        "clause_label 只能使用 {{n}} 和 {{n_zh}}：{template}（{detail}）",
        "clause_label may use only {{n}} and {{n_zh}}: {template} ({detail})",
    ),
    "yaml.duplicate_key": ("键“{key}”重复", "duplicate key '{key}'"),
    # `fzcheck rules lint` and `fzcheck rules test` (engine/rules/lint.py, cli/rules.py)
    "lint.engine_limit_close": (
        "{rule}：接近规则引擎的限制（已用其 {share} 以上）：{problem}",
        "{rule}: close to a limit of the rule engine (over {share} of it): {problem}",
    ),
    "lint.params_order": (
        "{pack}：{left} = {low} 大于 {right} = {high}",
        "{pack}: {left} = {low} exceeds {right} = {high}",
    ),
    "lint.no_quote": ("{rule}：依据没有引用原文", "{rule}: citation has no quoted sentence"),
    "lint.no_examples": ("{rule}：没有示例", "{rule}: no examples"),
    "lint.pass_and_violation": (
        "{rule}：至少需要一个通过（pass）示例和一个违规（violation）示例",
        "{rule}: needs at least one pass and one violation example",
    ),
    "lint.example_mislabelled": (
        "示例 {label} 的结果已与标注不符：实际为 {got}（{message}）",
        "example {label} no longer behaves as labelled: got {got} ({message})",
    ),
    "lint.summary": (
        "{packs} 个规则集，{rules} 条规则，{problems} 个问题",
        "{packs} packs, {rules} rules, {problems} problems",
    ),
    "rules.example_ok": ("ok   {label}，基准日 {as_of}", "ok   {label} as of {as_of}"),
    "rules.example_failed": (
        "FAIL {label}，基准日 {as_of}：应为 {expected}，实际为 {got} — {message}",
        "FAIL {label} as of {as_of}: expected {expected}, got {got} — {message}",
    ),
    "rules.examples_summary": ("通过 {passed} 个，失败 {failed} 个", "{passed} passed, {failed} failed"),
    # condition and derive expressions (engine/rules/language.py)
    "syntax.error": ("{reason}（表达式 {text} 第 {column} 列）", "{reason} at column {column} in {text}"),
    "syntax.unexpected_character": ("意外的字符 {char}", "unexpected character {char}"),
    "syntax.invalid_date": ("日期 {value} 无效", "invalid date {value}"),
    "syntax.too_deep": (
        "嵌套超过 {limit} 层（括号、not、函数调用）",
        "nested more than {limit} levels deep (parentheses, not, calls)",
    ),
    "syntax.expected": ("应为 {expected}，实际为 {found}", "expected {expected}, found {found}"),
    "syntax.unexpected": ("多余的 {token}", "unexpected {token}"),
    "syntax.expected_comparison": ("应为比较式", "expected a comparison"),
    "syntax.expected_operand": ("应为名称或字面量，实际为 {found}", "expected a name or a literal, found {found}"),
}

#: words used as message parameters: units, what an enum is, a value's shape
TERMS: dict[str, tuple[str, str]] = {
    "days": ("日", "days"),
    "hours": ("小时", "hours"),
    "years": ("年", "years"),
    "yuan": ("元", "yuan"),
    "kind": ("类型", "kind"),
    "status": ("状态", "status"),
    "action type": ("执法行为类型", "action type"),
    "training kind": ("培训类别", "training kind"),
    "risk level": ("风险等级", "risk level"),
    "basis type": ("依据类型", "basis type"),
    "procedure": ("程序", "procedure"),
    "recorded stage": ("记录环节", "recorded stage"),
    "value": ("取值", "value"),
    "column": ("列", "column"),
    "key": ("字段", "key"),
    "rule files": ("规则文件", "rule files"),
    "waiver files": ("豁免文件", "waiver files"),
    "holiday files": ("节假日文件", "holiday files"),
    "record files": ("记录文件", "record files"),
    "YAML files": ("YAML 文件", "YAML files"),
    " with aliases expanded": ("（别名展开后计）", " with aliases expanded"),
    "none": ("无", "none"),
    # `fzcheck db import`'s count table
    "file": ("文件", "file"),
    "inserted": ("新增", "inserted"),
    "updated": ("更新", "updated"),
    "unchanged": ("未变", "unchanged"),
    "quarantined": ("隔离", "quarantined"),
    "known bad": ("已隔离过", "known bad"),
    "total": ("合计", "total"),
    "end of expression": ("表达式结尾", "end of expression"),
    "a field name": ("字段名", "a field name"),
}

LANGS = ("zh", "en")
_LIST_SEPARATOR = {"zh": "、", "en": ", "}


class Term:
    """A word or name with its Chinese and English forms (a field's label, a unit), shown in the
    message's language."""

    __slots__ = ("en", "zh")

    def __init__(self, zh: str, en: str | None = None):
        self.zh, self.en = zh, en if en is not None else zh

    @classmethod
    def of(cls, word: str) -> Term:
        """The catalog's term for ``word`` (:data:`TERMS`), else the word itself in both languages."""
        return cls(*TERMS[word]) if word in TERMS else cls(word)

    def text(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Term) and (self.zh, self.en) == (other.zh, other.en)

    def __hash__(self) -> int:
        return hash((self.zh, self.en))

    def __repr__(self) -> str:
        return f"Term({self.zh!r}, {self.en!r})"

    def __reduce__(self):
        return Term, (self.zh, self.en)


class Items:
    """A list of values shown joined: 、 in Chinese, commas in English (or by ``separator`` in both)."""

    __slots__ = ("separator", "values")

    def __init__(self, values, separator: str | None = None):
        self.values, self.separator = tuple(values), separator

    def text(self, lang: str = "zh") -> str:
        separator = self.separator if self.separator is not None else _LIST_SEPARATOR.get(lang, "、")
        return separator.join(str(render_value(value, lang)) for value in self.values)

    def __reduce__(self):
        return Items, (self.values, self.separator)


def render_value(value: Any, lang: str) -> Any:
    """A parameter as shown in ``lang``: messages and terms translated, numbers kept for format specs."""
    if isinstance(value, (Msg, Term, Items)):
        return value.text(lang)
    return value


class Msg(str):
    """A catalog message with its parameters. Its ``str`` value is the English text; ``text(lang)``
    renders it in either language."""

    __slots__ = ("id", "params")
    id: str
    params: dict[str, Any]

    def __new__(cls, id: str, /, **params: Any) -> Self:
        if id not in CATALOG:
            raise KeyError(f"no message {id!r} in the catalog")
        self = super().__new__(cls, _render(id, params, "en"))
        self.id, self.params = id, params
        return self

    def text(self, lang: str = "zh") -> str:
        return _render(self.id, self.params, lang)

    def __reduce__(self):
        return _rebuild, (self.id, self.params)

    def to_data(self) -> dict[str, Any]:
        """The message as JSON-ready data (its id and parameters) for storing; :func:`from_data` reads it."""
        return {"id": self.id, "params": {name: _param_data(value) for name, value in self.params.items()}}


def _rebuild(id: str, params: Mapping[str, Any]) -> Msg:
    return Msg(id, **params)


def _param_data(value: Any) -> Any:
    if isinstance(value, Msg):
        return {"msg": value.to_data()}
    if isinstance(value, Term):
        return {"term": [value.zh, value.en]}
    if isinstance(value, Items):
        return {"items": [_param_data(item) for item in value.values], "separator": value.separator}
    return value if isinstance(value, (int, float, str, bool)) or value is None else str(value)


def _param_from(data: Any) -> Any:
    if isinstance(data, dict):
        if "msg" in data:
            return from_data(data["msg"])
        if "term" in data:
            return Term(*data["term"])
        if "items" in data:
            return Items((_param_from(item) for item in data["items"]), data.get("separator"))
    return data


def from_data(data: Mapping[str, Any]) -> Msg:
    """The message :meth:`Msg.to_data` stored."""
    return Msg(data["id"], **{name: _param_from(value) for name, value in data.get("params", {}).items()})


def _render(id: str, params: Mapping[str, Any], lang: str) -> str:
    zh, en = CATALOG[id]
    template = en if lang == "en" else zh
    return template.format(**{name: render_value(value, lang) for name, value in params.items()})


def text(message: Any, lang: str = "zh") -> str:
    """A message (a :class:`Msg`, or plain text made elsewhere) in ``lang``."""
    return message.text(lang) if isinstance(message, (Msg, Term, Items)) else str(message)


def placeholders(template: str) -> set[str]:
    """The named placeholders of a template (their format specs aside)."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def message_data(message: Any) -> dict[str, Any] | None:
    """A catalog message as stored beside its text (None for plain text), so that stored rows (the
    import's quarantine and warnings, a run's warnings) are shown in either language."""
    return message.to_data() if isinstance(message, Msg) else None


def stored_message(text: str, data: Any) -> Any:
    """The message a stored row keeps: the catalog message when its data was stored (and is still in
    the catalog), else the text as it was stored."""
    if data:
        try:
            return from_data(data)
        except (KeyError, ValueError, TypeError, IndexError, AttributeError):  # another fzcheck version's
            pass
    return text
