"""``fzcheck sample generate``: realistic sample registers for demos and benchmarks."""

from __future__ import annotations

from pathlib import Path

import click


@click.group("sample")
def sample_group() -> None:
    """示例数据 / Sample data."""


@sample_group.command("generate")
@click.option(
    "--records", "count", type=click.IntRange(min=1), default=10_000, show_default=True, help="Number of records."
)
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same records.")
@click.option(
    "--output", "-o", type=click.Path(path_type=Path, dir_okay=False), required=True, help="JSON Lines file to write."
)
@click.option(
    "--agencies",
    "agencies_output",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Also write the agency registry and the agency-level registers (annual reports, study "
    "sessions, counsel, lawsuits, ...) of the five regions to this JSON Lines file.",
)
def generate_command(count, seed, output, agencies_output):
    """生成一年的示例台账记录 / Generate a year of mixed sample records (JSON Lines).

    \b
    Five regions (one per rule pack), all six record kinds, dates over the year, deadlines next
    to holidays, cited documents, officers with trainings, and a few percent of each violation.

    \b
    Example:
      fzcheck sample generate --records 100000 --seed 7 --output sample.jsonl
    """
    from ..engine.sources.generator import write_sample

    output.parent.mkdir(parents=True, exist_ok=True)
    written = write_sample(output, count, seed)
    click.echo(f"{written} records written to {output}", err=True)
    if agencies_output is not None:
        from ..engine.sources.generator import write_agency_sample

        agencies_output.parent.mkdir(parents=True, exist_ok=True)
        written = write_agency_sample(agencies_output, seed)
        click.echo(f"{written} agency records written to {agencies_output}", err=True)
