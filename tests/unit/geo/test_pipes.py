"""DN from a measured diameter: every row of every shipped pipe table, and the lookup's refusals."""
import math
from decimal import Decimal

import pytest

from geo import GeometryError, check_segments, pipe_tables, propose_dn
from policy.catalogue import DN_SERIES

ROWS = [pytest.param(table, size, id=f"{table.material}-{size.dn or 'de' + str(size.de)}")
        for table in pipe_tables().values() for size in table.sizes]


def test_the_tables_cite_the_standards_the_issue_names():
    assert {table.material: table.standard.split("-")[0] for table in pipe_tables().values()} == {
        "pe": "GB/T 13663.2", "pp_r": "GB/T 18742.2", "welded_steel": "GB/T 3091", "seamless_steel": "GB/T 8163",
        "ductile_iron": "GB/T 13295"}
    assert all(table.title and table.tolerance and table.dn_note for table in pipe_tables().values())


@pytest.mark.parametrize("table", pipe_tables().values(), ids=lambda table: table.material)
def test_a_table_runs_up_in_order_with_bands_that_never_overlap(table):
    for smaller, larger in zip(table.sizes, table.sizes[1:], strict=False):
        assert smaller.max_mm < larger.min_mm
        assert smaller.dn is None or larger.dn is None or smaller.dn < larger.dn
    for size in table.sizes:
        assert size.min_mm <= size.od_mm <= size.max_mm
        assert size.dn is None or size.dn in DN_SERIES


@pytest.mark.parametrize(("table", "size"), ROWS)
def test_the_specified_diameter_proposes_its_size(table, size):
    proposal = propose_dn(table.material, outside_diameter_mm=size.od_mm, accuracy_mm=0)
    assert (proposal.status, proposal.proposed) == ("match", size)
    # A plastic size with no customary DN agrees with no declared DN: the crew should write its dn.
    assert proposal.agrees_with(size.dn or 100) is bool(size.dn)


@pytest.mark.parametrize(("table", "size"), ROWS)
def test_a_tape_round_the_pipe_proposes_its_size(table, size):
    circumference = (size.od_mm * Decimal(str(math.pi))).quantize(Decimal("0.1"))
    proposal = propose_dn(table.aliases[0].upper(), circumference_mm=circumference)
    assert proposal.proposed == size
    assert proposal.to_dict()["proposed"]["dn"] == size.dn


@pytest.mark.parametrize(("table", "size"), ROWS)
def test_the_band_edges_hold_and_beyond_them_does_not(table, size):
    for edge in (size.min_mm, size.max_mm):
        assert propose_dn(table.material, outside_diameter_mm=edge, accuracy_mm=0).proposed == size
    outside = propose_dn(table.material, outside_diameter_mm=size.max_mm + Decimal("0.01"), accuracy_mm=0)
    assert size not in outside.matches
    assert propose_dn(table.material, outside_diameter_mm=size.max_mm + Decimal("0.01"),
                      accuracy_mm="0.01").proposed == size


def test_a_measurement_between_sizes_proposes_none_and_names_the_nearest():
    proposal = propose_dn("PE100", outside_diameter_mm=104, accuracy_mm=1)
    assert (proposal.status, proposal.proposed, proposal.nearest.de) == ("none", None, 110)
    assert proposal.agrees_with(100) is None
    assert proposal.to_dict()["deviation_mm"] == "-6.00"


def test_a_coarse_measurement_may_allow_two_sizes():
    proposal = propose_dn("无缝钢管", outside_diameter_mm=28.5, accuracy_mm=3)
    assert proposal.status == "ambiguous"
    assert [size.dn for size in proposal.matches] == [20, 25]


@pytest.mark.parametrize(("kwargs", "code", "field"), [
    pytest.param({"material": "copper", "outside_diameter_mm": 22}, "unknown_material", "material", id="copper"),
    pytest.param({"material": "PE"}, "measurement_required", "outside_diameter_mm", id="nothing measured"),
    pytest.param({"material": "PE", "outside_diameter_mm": 110, "circumference_mm": 345},
                 "measurement_required", "outside_diameter_mm", id="both measured"),
    pytest.param({"material": "PE", "outside_diameter_mm": 0}, "invalid_value", "outside_diameter_mm", id="zero"),
    pytest.param({"material": "PE", "circumference_mm": "12 cm"}, "invalid_value", "circumference_mm", id="units"),
    pytest.param({"material": "PE", "outside_diameter_mm": True}, "invalid_value", "outside_diameter_mm",
                 id="boolean"),
    pytest.param({"material": "PE", "outside_diameter_mm": 110, "accuracy_mm": -1}, "invalid_value", "accuracy_mm",
                 id="negative accuracy"),
])
def test_a_bad_measurement_is_refused_naming_the_field(kwargs, code, field):
    material = kwargs.pop("material")
    with pytest.raises(GeometryError) as caught:
        propose_dn(material, **kwargs)
    assert (caught.value.code, caught.value.field) == (code, field)


def test_segments_are_checked_where_measured_and_flagged_where_the_dn_disagrees():
    segments = [{"dn": 100, "material": "PE100", "circumference_mm": "345.5"},
                {"dn": 50, "material": "PE100", "outside_diameter_mm": "110.2"},
                {"dn": 50, "material": "PE100", "tape_length_m": "12"},
                {"dn": 50, "material": "陶土管", "outside_diameter_mm": "60"},
                {"dn": 50, "material": "焊接钢管", "outside_diameter_mm": "70"}]
    checked = check_segments(segments)
    assert [(entry["segment"], entry["flag"]) for entry in checked] == [
        (0, None), (1, "dn_disagrees"), (3, "unknown_material"), (4, "not_in_table")]
    assert checked[1]["proposal"]["proposed"]["dn"] == 100
    assert checked[1]["declared_dn"] == 50
