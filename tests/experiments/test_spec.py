"""Experiment files: designs expand to plans (seeds as ever); malformed files get one clear line."""

import numpy as np
import pytest
from file_errors import assert_rejected_in_one_line

from experiments.runner import uncertain_parameters
from experiments.spec import DUMMY, ExperimentError, load_experiment

HEAD = 'title = "t"\ndescription = "d"\n'
CASES = {
    "unknown_key": (HEAD + "replicates = 2\n[design]\nkind = 'grid'\n[design.grid]\nfamily_contact = [0.1]\n",
                    "replicates: unknown key (did you mean 'replications'?)"),
    "bad_kind": (HEAD + "[design]\nkind = 'sobolev'\n", "design.kind: 'sobolev' is not allowed; expected one of grid, lhs, morris, sobol"),
    "grid_value": (HEAD + "[design]\nkind = 'grid'\n[design.grid]\nfamily_contact = [0.1, 2.0]\n",
                   "design.grid.family_contact: [0.1, 2.0] has a value outside real in [0, 1]"),
    "unknown_param": (HEAD + "[design]\nkind = 'lhs'\nsamples = 4\nparameters = ['family_contakt']\n",
                      "design.parameters[0]: unknown parameter 'family_contakt' (did you mean 'family_contact'?)"),
    "categorical_sampled": (HEAD + "[design]\nkind = 'morris'\nsamples = 4\nparameters = ['living_lab']\n",
                            "living_lab is bool; sampled designs need real or int parameters"),
    "sobol_power": (HEAD + "[design]\nkind = 'sobol'\nsamples = 10\nparameters = ['family_contact']\n", "not a power of 2"),
    "sobol_too_few": (HEAD + "[design]\nkind = 'sobol'\nsamples = 16\nparameters = ['family_contact']\n",
                      "design.samples: 16 is too few for Sobol indices; at least 32 (then 64, 128, ...)"),
    "grid_value_twice": (HEAD + "[design]\nkind = 'grid'\n[design.grid]\nfamily_contact = [0.1, 0.5, 0.1]\n",
                         "design.grid.family_contact: 0.1 is listed twice; list each value once"),
    "grid_choice_twice": (HEAD + "[design]\nkind = 'grid'\n[design.grid]\nliving_lab = [true, false, true]\n",
                          "design.grid.living_lab: True is listed twice"),
    "grid_int_and_float_alike": (HEAD + "[design]\nkind = 'grid'\n[design.grid]\ncoordination_per_year = [1, 1.0]\n",
                                 "coordination_per_year: 1.0 is listed twice"),
    "range": (HEAD + "[design]\nkind = 'lhs'\nsamples = 4\nparameters = ['family_contact']\n[design.ranges]\nfamily_contact = [0.5, 1.5]\n",
              "design.ranges.family_contact: [0.5, 1.5] is not allowed; expected [low, high] with 0 <= low < high <= 1"),
    "outcome": (HEAD + "[outcomes]\nkeep = ['happiness']\n[design]\nkind = 'grid'\n[design.grid]\nfamily_contact = [0.1]\n",
                "outcomes.keep[0]: unknown outcome 'happiness'"),
    "at": (HEAD + "[outcomes]\nat = ['2040-01']\n[design]\nkind = 'grid'\n[design.grid]\nfamily_contact = [0.1]\n",
           "outcomes.at[0]: 2040-01 lies outside the horizon"),
    "scenario": (HEAD + "scenarios = ['nope']\n[design]\nkind = 'grid'\n[design.grid]\nfamily_contact = [0.1]\n",
                 "scenarios: unknown scenario 'nope'"),
    "reps_type": (HEAD + "replications = 'many'\n[design]\nkind = 'grid'\n", "replications: expected int, got str"),
    "missing_design": (HEAD, "design: missing"),
    "morris_odd_levels": (HEAD + "[design]\nkind = 'morris'\nsamples = 4\nlevels = 5\nparameters = ['family_contact']\n",
                          "design.levels: 5 is odd; a Morris design needs an even number of levels"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_malformed_experiment_files_give_one_clear_line(tmp_path, case):
    text, expected = CASES[case]
    assert_rejected_in_one_line(load_experiment, tmp_path / f"{case}.toml", text, ExperimentError, expected)


def test_grid_plan_crosses_scenarios_points_and_replications(tmp_path):
    path = tmp_path / "g.toml"
    path.write_text(HEAD + "scenarios = ['baseline', 'living_lab']\nreplications = 3\n[design]\nkind = 'grid'\n"
                    "[design.grid]\nfamily_contact = [0.1, 0.9]\ncoordination_scope = ['local', 'full']\n")
    exp = load_experiment(path)
    plan = exp.plan()
    assert exp.n_runs == len(plan) == 2 * 4 * 3 and [r.run_id for r in plan] == list(range(24))
    # replicate r has the same seed at every point and in every scenario (common random numbers)
    assert len({r.seed for r in plan}) == 3 and {r.seed for r in plan if r.rep == 1} == {plan[1].seed}
    assert plan[3].values == {"family_contact": 0.1, "coordination_scope": "full"}


def test_sensitivity_designs_add_a_dummy_and_assumptions_expand(tmp_path):
    path = tmp_path / "m.toml"
    path.write_text(HEAD + "[design]\nkind = 'morris'\nsamples = 2\nparameters = ['assumptions']\n")
    exp = load_experiment(path, reps=1, months=12)
    assert exp.parameters[-1] == DUMMY and exp.parameters[:-1] == uncertain_parameters()
    assert exp.points.shape == (2 * (len(exp.parameters) + 1), len(exp.parameters))
    assert DUMMY not in exp.point_values(0) and exp.replications == 1 and exp.months == 12


def test_shipped_experiment_files_validate():
    from pathlib import Path

    files = sorted((Path(__file__).resolve().parents[2] / "experiments").glob("*.toml"))
    assert {f.stem for f in files} >= {"morris_assumptions", "sobol_levers", "grid_overcrowding_coordination"}
    for f in files:
        assert load_experiment(f).n_runs > 0


def test_the_dummy_changes_only_the_seed(tmp_path):
    path = tmp_path / "m.toml"
    path.write_text(HEAD + "replications = 2\n[design]\nkind = 'morris'\nsamples = 3\nparameters = ['tie_gain']\n")
    exp = load_experiment(path)
    plan = exp.plan()
    col = exp.parameters.index(DUMMY)
    for a in plan:
        for b in plan:
            same_dummy = exp.points[a.point][col] == exp.points[b.point][col]
            if a.rep == b.rep:
                assert (a.seed == b.seed) == same_dummy
    assert all(DUMMY not in r.values for r in plan)


def test_runs_are_built_for_any_ids_as_in_the_plan(tmp_path):
    path = tmp_path / "g.toml"
    path.write_text(HEAD + "scenarios = ['baseline', 'living_lab']\nreplications = 3\n[design]\nkind = 'grid'\n"
                    "[design.grid]\nfamily_contact = [0.1, 0.9]\ncoordination_scope = ['local', 'full']\n")
    exp = load_experiment(path)
    plan, ids = exp.plan(), [23, 0, 7, 12, 13]
    assert exp.runs(np.array(ids)) == [plan[i] for i in ids]
