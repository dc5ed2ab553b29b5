import numpy as np
from conftest import slots

from model.agencies import TIE_TYPES
from model.state import FREE
from model.submodels import coordination


def test_meetings_refresh_ties_in_scope_only(fresh_model):
    none = fresh_model(coordination_per_year=0.0, coordination_scope="local")
    full = fresh_model(coordination_per_year=24.0, coordination_scope="full")
    assert none.world.meetings[0] == 0 and (none.world.tie_freshness == 0).all()
    assert full.world.meetings[0] == len(full.ag.tie_a) and (full.world.tie_freshness == 1).all()
    local = fresh_model(coordination_per_year=24.0, coordination_scope="local")
    in_local = local.ag.tie_scope == 0
    assert (local.world.tie_freshness[0, in_local] == 1).all() and (local.world.tie_freshness[0, ~in_local] == 0).all()


def test_meetings_take_staff_time_from_both_agencies(fresh_model):
    m = fresh_model(coordination_per_year=24.0, coordination_scope="local", meeting_staff_time=2.0)
    met = np.zeros(m.ag.n)
    np.add.at(met, m.ag.tie_a[m.ag.tie_scope == 0], 2.0)
    np.add.at(met, m.ag.tie_b[m.ag.tie_scope == 0], 2.0)
    np.testing.assert_allclose(m.world.staff_time[0], met)


def test_a_file_passes_a_fresh_tie_and_otherwise_only_on_paper(fresh_model):
    m = fresh_model(coordination_scope="full", coordination_per_year=24.0, info_flow=0.4, paper_share=0.5)
    np.testing.assert_allclose(coordination.hop(m, "prison", "justice_house"), 1.0)
    stale = fresh_model(coordination_scope="full", coordination_per_year=0.0, info_flow=0.4, paper_share=0.5)
    np.testing.assert_allclose(coordination.hop(stale, "prison", "justice_house"), 0.2)  # federal to regional
    np.testing.assert_allclose(coordination.hop(stale, "local_cell", "police"), 0.5 * stale.p.local_info_flow[0, 0])
    knocked = fresh_model(coordination_scope="full", coordination_per_year=24.0, info_flow=0.4, paper_share=0.5,
                          local_info_flow=0.3, knockouts=("case_information",))
    np.testing.assert_allclose(coordination.hop(knocked, "prison", "justice_house"), 0.15)  # fixed paper rate


def test_a_component_arrives_by_any_of_its_routes(fresh_model):
    m = fresh_model(coordination_scope="local", coordination_per_year=0.0, info_flow=0.5, paper_share=1.0,
                    local_info_flow=1.0)
    # documents: prison -> social welfare (0.5), or prison -> justice house -> social welfare (0.5 x 0.5)
    np.testing.assert_allclose(coordination.deliver(m, "documents"), 1 - (1 - 0.5) * (1 - 0.25))


def test_every_tie_type_lies_on_a_route_or_a_community_exchange():
    used = {pair for routes in coordination.ROUTES.values() for route in routes for pair in zip(route[:-1], route[1:])}
    used |= set(coordination.COMMUNITY_HOPS)
    undirected = {frozenset(p) for p in used}
    assert {frozenset(t) for t in TIE_TYPES} <= undirected


def test_files_discussed_in_a_living_lab_pass_between_the_professionals_present(fresh_model):
    m = fresh_model(coordination_scope="local", coordination_per_year=0.0, paper_share=0.0)
    s = slots(10)
    m.pop.custody[s] = FREE
    m.pop.municipality[s] = 0
    m.pop.ll_file[s] = 1.0
    m.world.ll_met[0, m.ag.tables["social_welfare"][0]] = True
    m.world.ll_met[0, m.ag.tables["housing_service"][0]] = True
    coordination.forget(m)
    np.testing.assert_allclose(coordination.hop(m, "social_welfare", "housing_service")[s], 1.0)


def test_a_knocked_out_tie_type_never_meets(fresh_model):
    m = fresh_model(coordination_scope="full", coordination_per_year=24.0, knockouts=("tie:local_cell-police",))
    gone = m.ag.tie_type == TIE_TYPES.index(("local_cell", "police"))
    assert (m.world.tie_freshness[0, gone] == 0).all() and (m.world.tie_freshness[0, ~gone] == 1).all()


def test_a_hop_follows_a_move_to_another_municipality(fresh_model):
    """Hops keep each person's agencies between months: a move must make them look the agencies up again."""
    settings = dict(coordination_scope="full", coordination_per_year=6.0)  # some ties fresh, others not
    cached, fresh = fresh_model(**settings), fresh_model(**settings)
    before = coordination.hop(cached, "justice_house", "housing_service").copy()
    for m in (cached, fresh):
        m.pop.municipality[:] = (m.pop.municipality + 1) % m.structure["n_municipalities"]
        coordination.forget(m)
    after = coordination.hop(cached, "justice_house", "housing_service")
    assert not np.array_equal(after, before)
    np.testing.assert_array_equal(after, coordination.hop(fresh, "justice_house", "housing_service"))
