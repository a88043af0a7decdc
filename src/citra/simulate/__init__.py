"""The city simulator: realistic tweet-harvest exports of a fictional city with a planted crisis and
interventions of known effect, plus their ground truth, for the demo, the tests and the benchmarks."""

from __future__ import annotations

from citra.simulate.generator import Simulation, generate
from citra.simulate.scenario import Scenario
from citra.simulate.writer import write_csv, write_truth

__all__ = ["Scenario", "Simulation", "generate", "write_csv", "write_truth"]
