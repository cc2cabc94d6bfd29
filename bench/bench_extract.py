"""Benchmark for `fzcheck extract` (issue #13 target: 100 documents in < 10 s on 2 cores).

Writes 100 documents — the corpus texts (tests/data/documents) and generated .docx drafts of
realistic length (a cover notice and an attached 办法 of 30 articles) — into a temporary folder, then
times one `fzcheck extract` process over all of them (start-up included), as a user would run it.

Usage: python bench/bench_extract.py [--documents 100] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data" / "documents"
REGIONS = [
    ("楚雄市人民政府办公室", "楚政办发"),
    ("盘锦市人民政府", "盘政发"),
    ("长春市绿园区人民政府", "绿政发"),
    ("邵东市人民政府", "邵政发"),
    ("泉州市丰泽区人民政府", "丰政发"),
]
ARTICLES = [
    "第{n}条 各有关部门应当按照职责分工，加强协调配合，做好相关工作。",
    "第{n}条 设置户外广告须经城市管理部门批准后方可设置。",
    "第{n}条 违反本办法规定的，由城市管理部门责令改正，处五百元以上二千元以下罚款。",
    "第{n}条 违反本办法规定的，依照《中华人民共和国城乡规划法》第六十四条的规定处罚。",
    "第{n}条 申请人应当提交申请书和相关材料，受理机关应当在十个工作日内作出决定。",
]


def draft(rng: random.Random, index: int) -> list[str]:
    agency, prefix = rng.choice(REGIONS)
    year = rng.randrange(2016, 2025)
    lines = [
        f"{prefix}〔{year}〕{rng.randrange(1, 99)}号",
        f"{agency}关于印发某某管理办法（第{index}号样本）的通知",
        "各有关单位：",
        "现将《某某管理办法》印发给你们，请认真遵照执行。",
        agency,
        f"{year}年{rng.randrange(1, 13)}月{rng.randrange(1, 29)}日",
        "某某管理办法",
    ]
    lines += [rng.choice(ARTICLES).format(n=f"第{n}条"[1:-1]) for n in range(1, 30)]
    lines.append(f"第三十条 本办法自{year}年{rng.randrange(1, 13)}月1日起施行，有效期5年。")
    return lines


def write_documents(folder: Path, count: int) -> list[str]:
    import docx

    rng = random.Random(13)
    files = []
    corpus = sorted(CORPUS.glob("*.txt"))
    for path in corpus[: min(len(corpus), count // 2)]:
        target = folder / path.name
        shutil.copy(path, target)
        files.append(str(target))
    while len(files) < count:
        document = docx.Document()
        for line in draft(rng, len(files)):
            document.add_paragraph(line)
        target = folder / f"draft-{len(files):03d}.docx"
        document.save(target)
        files.append(str(target))
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        files = write_documents(Path(folder), args.documents)
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-m", "fzcheck", "extract", *files, "--format", "jsonl"],
                check=False,
                capture_output=True,
                text=True,
            )
            times.append(time.perf_counter() - start)
            records = sum(1 for line in done.stdout.splitlines() if '"record": {' in line)
            if done.returncode not in (0, 2):
                sys.exit(f"fzcheck extract failed ({done.returncode}): {done.stderr[-500:]}")
    median = statistics.median(times)
    print(
        f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores; python {platform.python_version()}"
    )
    print(
        f"{len(files)} documents ({sum(f.endswith('.docx') for f in files)} .docx, "
        f"{sum(f.endswith('.txt') for f in files)} .txt), {records} made into records"
    )
    print(
        f"extract: median {median:.2f} s over {args.runs} runs ({', '.join(f'{t:.2f}' for t in times)}); "
        f"{len(files) / median:.0f} documents/s; target < 10 s: {'met' if median < 10 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
