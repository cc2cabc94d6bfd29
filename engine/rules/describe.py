"""Plain-text description of a rule for ``fzcheck rules show``."""

from __future__ import annotations

import json

from ..sql.lower import functions_without_lowering
from .packs import Rule

LABELS = {
    "zh": {
        "pack": "规则集",
        "kind": "记录类型",
        "severity": "严重程度",
        "params": "参数",
        "effective": "生效",
        "applies": "适用条件",
        "needs": "所需字段",
        "derive": "推导值",
        "outcomes": "判定",
        "citation": "依据",
        "quote": "原文",
        "examples": "示例",
        "otherwise": "否则：通过",
        "missing": "缺少所需字段：无法判定",
        "act_date": "所判定行为的日期",
        "history": "按日期取值",
        "since": "起",
        "citations": "各时期依据",
        "absent": "未见记录时：默认无法判定，--absent-steps violation 时违规",
        "sql": "SQL 下推",
        "sql_all": "推导函数均可下推为 SQL",
        "sql_missing": "以下推导函数尚无 SQL 下推：",
    },
    "en": {
        "pack": "ruleset",
        "kind": "record kind",
        "severity": "severity",
        "params": "parameters",
        "effective": "effective",
        "applies": "applies when",
        "needs": "needs",
        "derive": "derived",
        "outcomes": "outcomes",
        "citation": "citation",
        "quote": "quote",
        "examples": "examples",
        "otherwise": "otherwise: pass",
        "missing": "a needed field missing: indeterminate",
        "act_date": "date of the act judged",
        "history": "values by date",
        "since": "from",
        "citations": "citations by period",
        "absent": "no record: indeterminate by default, a violation with --absent-steps violation",
        "sql": "SQL lowering",
        "sql_all": "every derive function has a SQL lowering",
        "sql_missing": "derive functions with no SQL lowering yet: ",
    },
}


def _expression(node: dict) -> str:
    op = node.get("op")
    if op in ("and", "or"):
        return "(" + f" {op} ".join(_expression(arg) for arg in node["args"]) + ")"
    if op in ("present", "missing"):
        return f"{op}({node['name']})"
    if op == "const":
        return "true" if node["value"] else "false"
    if op == "cmp":
        return f"{_operand(node['left'])} {node['cmp']} {_operand(node['right'])}"
    if "call" in node:
        return f"{node['call']}(" + ", ".join(_expression(arg) for arg in node["args"]) + ")"
    if "list" in node:
        return json.dumps(node["list"], ensure_ascii=False)
    return _operand(node)


def _operand(operand: dict) -> str:
    if "name" in operand:
        return operand["name"]
    value = operand["value"]
    if operand.get("type") == "str":
        return repr(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def describe_rule(rule: Rule, lang: str = "zh") -> str:
    text = LABELS[lang]
    lines = [
        f"{rule.id}  {rule.title.get(lang, rule.title.get('zh', ''))}",
        f"  {text['pack']}: {rule.pack}    {text['kind']}: {rule.kind}    {text['severity']}: {rule.severity}",
    ]
    if rule.params:
        lines.append(f"  {text['params']}: " + ", ".join(f"{k} = {v}" for k, v in rule.params.items()))
    for name, history in rule.dated_params.items():
        lines.append(f"  {text['history']}: {name}")
        for entry in history:
            lines.append(f"    {entry.since} – {entry.until or '…'}: {entry.value}")
    if rule.effective_from or rule.effective_until:
        lines.append(f"  {text['effective']}: {rule.effective_from or '…'} – {rule.effective_until or '…'}")
    lines.append(f"  {text['act_date']}: {rule.act_date_text}")
    if rule.applies is not None:
        lines.append(f"  {text['applies']}: {_expression(rule.applies)}")
    if rule.needs:
        lines.append(f"  {text['needs']}: {', '.join(rule.needs)}  ({text['missing']})")
    for name, tree, kind in rule.derive:
        if name == "act_date" or name in rule.dated_params:
            continue
        lines.append(f"  {text['derive']}: {name} = {_expression(tree)}  [{kind}]")
    missing = functions_without_lowering(rule.derive)
    lines.append(f"  {text['sql']}: " + (text["sql_missing"] + ", ".join(missing) if missing else text["sql_all"]))
    lines.append(f"  {text['outcomes']}:")
    for branch in rule.branches:
        lines.append(f"    {branch.outcome}: {_expression(branch.condition)}")
        lines.append(f"      → {branch.message.get(lang, branch.message.get('zh'))}")
        if branch.absent_step:
            lines.append(f"      ({text['absent']}: {', '.join(branch.absent_step)})")
    lines.append(f"    {text['otherwise']}")
    if rule.citation_history:
        lines.append(f"  {text['citations']}:")
        for since, citation in rule.citation_history:
            lines.append(
                f"    {since} {text['since']}: 《{citation.document}》{citation.doc_number or ''} {citation.clause_label(lang)}"
            )
            lines.append(f"      {text['quote']}: “{citation.quote}”")
    else:
        citation = rule.citation
        lines.append(
            f"  {text['citation']}: 《{citation.document}》{citation.doc_number or ''} {citation.clause_label(lang)}"
        )
        lines.append(f"  {text['quote']}: “{citation.quote}”")
    if rule.examples:
        lines.append(f"  {text['examples']}:")
        for example in rule.examples:
            record = json.dumps(example.record, ensure_ascii=False, default=str)
            as_of = f" as_of={example.as_of}" if example.as_of else ""
            lines.append(f"    {example.expect:<15}{record}{as_of}")
            for other in example.batch:
                lines.append(f"    {'':<15}+ {json.dumps(other, ensure_ascii=False, default=str)}")
            if example.subject:
                lines.append(f"    {'':<15}subject: {example.subject}")
            if example.note:
                lines.append(f"    {'':<15}({example.note})")
    return "\n".join(lines)
