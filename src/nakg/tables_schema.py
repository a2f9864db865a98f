"""The column schema of the tidy tables: one definition drives dtypes, Parquet types and the data dictionary.

Every table of :data:`nakg.tables.TABLES` has its columns here, in order, each
with a dtype, a unit, a meaning and an example. :func:`nakg.dataframes.to_dataframe`
types the columns from it, :func:`arrow_type` gives the Parquet type,
:func:`nakg.tables_docs.dictionary_markdown` writes ``docs/tables.md`` and ``nakg table NAME
--describe`` prints :func:`dictionary_rows`.

Dtypes are the pandas nullable ones: ``string``, ``Float64``, ``Int64``,
``boolean``; lists are ``list[string]`` / ``list[Int64]`` (Python lists in a
DataFrame, Parquet lists, JSON arrays in CSV), element amounts are
``map[Float64]`` (a dict element → amount; a Parquet map; a JSON object in CSV).

>>> [c.name for c in columns("references")][:3]
['number', 'authors', 'et_al']
>>> column("measurements", "temperature_C").unit
'°C'
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Column", "SCHEMAS", "columns", "column", "pandas_dtype", "arrow_type", "dictionary_rows",
           "SCALAR_DTYPES", "LIST_DTYPES"]

SCALAR_DTYPES = ("string", "Float64", "Int64", "boolean")
LIST_DTYPES = ("list[string]", "list[Int64]", "map[Float64]")


@dataclass(frozen=True)
class Column:
    """One column: name, dtype (see the module docstring), unit, meaning and an example value."""

    name: str
    dtype: str
    meaning: str
    unit: str = ""
    example: str = ""

    def __post_init__(self) -> None:
        if self.dtype not in SCALAR_DTYPES + LIST_DTYPES:
            raise ValueError(f"column {self.name}: unknown dtype {self.dtype}")


def _s(name, meaning, example="", unit=""):
    return Column(name, "string", meaning, unit, example)


def _f(name, meaning, unit="", example=""):
    return Column(name, "Float64", meaning, unit, example)


def _i(name, meaning, unit="", example=""):
    return Column(name, "Int64", meaning, unit, example)


def _b(name, meaning, example="true"):
    return Column(name, "boolean", meaning, "", example)


def _ls(name, meaning, example=""):
    return Column(name, "list[string]", meaning, "", example)


_QUALIFIER = "exact, approx, lower_bound, upper_bound, order_of_magnitude or range (see nakg.rules)"


def _material(what: str) -> tuple[Column, ...]:
    """Family and composition columns of the table's material (``what`` says which material that is)."""
    return (
        _s("material_label", f"display label of {what}", "NZSP"),
        _s("family", f"electrolyte family key of {what} (the most specific family)", "nasicon"),
        _s("family_label", "label of that family", "NASICON"),
        _s("top_family", "top-level family key (the family itself when it has no parent)", "beta_alumina"),
        Column("composition", "map[Float64]", f"element amounts per formula unit of {what}, when its formula parses",
               "atoms per formula unit", '{"Na": 3.0, "Zr": 2.0, "Si": 2.0, "P": 1.0, "O": 12.0}'),
        _s("formula_normalized", "the parsed formula in written element order, accepted by pymatgen's Composition",
           "Na3Zr2Si2PO12"),
        _ls("dopants", 'dopants of a material written in words ("Ca-doped Na2Zn2TeO6")', '["Ca"]'),
        _s("host_formula", "the host as written in such a name", "Na2Zn2TeO6"),
        Column("host_composition", "map[Float64]", "element amounts of that host, when it parses", "atoms per formula unit",
               '{"Na": 2.0, "Zn": 2.0, "Te": 1.0, "O": 6.0}'),
        _s("host_formula_normalized", "the host's normalised formula", "Na2Zn2TeO6"),
        _s("series_variable", "the variable of a composition series formula", "x"),
        _f("series_min", "lowest value of the series variable stated (name or members)", "", "0"),
        _f("series_max", "highest value of the series variable stated (name or members)", "", "3"),
    )


_PROV = (
    Column("references", "list[Int64]", "numbers of the references the review cites for the fact", "", "[37, 38]"),
    _ls("sections", "review sections stating the fact", '["1", "2.2.2"]'),
    _s("note", "curation note (inconsistencies of the text, kept values)", ""),
)


def _temperature(prefix: str, what: str, room: bool = True) -> tuple[Column, ...]:
    cols = (
        _f(f"{prefix}_K", f"{what} in kelvin (NA for r.t. without a number and for ranges)", "K", "298.15"),
        _f(f"{prefix}_C", f"{what} in degrees Celsius", "°C", "25"),
        _f(f"{prefix}_min_K", f"lower end of a stated {what} range", "K", "420"),
        _f(f"{prefix}_max_K", f"upper end of a stated {what} range", "K", "450"),
        _s(f"{prefix}_as_written", f"{what} as written in the review", "25 °C"),
        _s(f"{prefix}_qualifier", f"qualifier of the {what}: exact or approx (\"around 485 K\")", "exact"),
    )
    return cols + ((_b(f"{prefix}_room", f"{what} is room temperature: r.t. or within 20–30 °C (nakg.rules)"),) if room else ())


MEASUREMENTS = (
    _s("measurement_id", "record id of the measurement; derived rows: derived/<material>/<property>", "nasicon-nzsp-sigma-25c"),
    _s("subject", "label of what was measured (material, cell, structure, interface, cycling result)", "Na3Zr2Si2PO12"),
    _s("subject_id", "record id of the subject (NA for cycling results and transitions)", "na3zr2si2po12"),
    _s("subject_kind", "Material, Cell, CyclingResult, CrystalStructure, InterfaceModification or PhaseTransition",
       "Material"),
    _s("material_id", "the material: the subject itself, the material of a structure or transition, the electrolyte of an "
       "interface, cell or cycling result (NA when a cell has two electrolytes)", "na3zr2si2po12"),
    _s("material_formula", "formula of that material as written", "Na3Zr2Si2PO12"),
    *_material("that material"),
    _s("property", "measured property (record key)", "ionic_conductivity"),
    _f("value", "representative value in the stated unit: the value, or the lower end of a range (nakg.rules)", "unit",
       "0.00067"),
    _f("value_min", "lower end of a stated range, in the stated unit", "unit", "8e-4"),
    _f("value_max", "upper end of a stated range, in the stated unit", "unit", "3.4e-3"),
    _s("unit", "the stated unit", "S/cm"),
    _f("uncertainty", "stated uncertainty in the stated unit (13.6148(3) Å gives 0.0003)", "unit", "0.0003"),
    _s("value_as_written", "the value as written, with qualifier sign and unit", "~1e-4 S/cm"),
    _f("canonical_value", "representative value in the canonical unit (the value, or the lower end of a range)",
       "canonical_unit", "0.00067"),
    _f("canonical_min", "lower end of a range in the canonical unit", "canonical_unit", "8e-4"),
    _f("canonical_max", "upper end of a range in the canonical unit", "canonical_unit", "3.4e-3"),
    _s("canonical_unit", "canonical unit of the property (S/cm, eV, V, K, Å, mAh/g, mg/cm2 …)", "S/cm"),
    _s("qualifier", _QUALIFIER, "exact"),
    *_temperature("temperature", "measurement temperature", room=False),
    _b("room_temperature", "stated at room temperature: r.t., or a temperature (range) within 20–30 °C (nakg.rules)"),
    _s("basis", "experimental or computational", "experimental"),
    _b("derived", "computed by the project (load(inferred=True)): not stated in the review", "false"),
    _ls("derived_from", "measurement ids a derived value was computed from", '["nasicon-nzsp-sigma-25c"]'),
    _s("conditions", "short condition in the curator's words", "hot-pressed"),
    *_PROV,
)

DOPINGS = (
    _s("doping_id", "record id of the doping", "nzsp-zn-si-codoping"),
    _s("host", "host formula as written", "Na3Zr2Si2PO12"),
    _s("host_id", "host record id", "na3zr2si2po12"),
    _s("product", "doped product formula as written", "Na3.4Zr1.9Zn0.1Si2.2P0.8O12"),
    _s("product_id", "product record id", "na3.4zr1.9zn0.1si2.2p0.8o12"),
    *_material("the product"),
    _ls("substitutions", "substitutions: dopant, charge and site as labelled in the graph", '["Zn2+ on Zr"]'),
    _s("valence", "aliovalent, isovalent, mixed or unspecified", "aliovalent"),
    _ls("mechanisms", "mechanisms the review gives", '["lattice_expansion"]'),
    _s("outcome", "increased, decreased, unchanged or not_stated (as curated)", "increased"),
    _s("basis", "experimental or computational", "experimental"),
    _s("tier", "evidence tier of the outcome: stated_values, stated_factor, same_work, arrhenius, across_works, "
       "temperature_assumed, different_temperatures, direction_only or none (nakg.analytics.outcomes)", "stated_values"),
    _s("direction", "increased, decreased, unchanged or undetermined: stated, else from the ratio", "increased"),
    _f("sigma_before_S_cm", "ionic conductivity of the host compared", "S/cm", "6.7e-4"),
    _f("sigma_after_S_cm", "ionic conductivity of the product compared", "S/cm", "5.27e-3"),
    _f("enhancement", "sigma_after / sigma_before (computed)", "1", "7.9"),
    _f("log10_enhancement", "log10 of the enhancement (computed)", "1", "0.895"),
    _s("ratio_qualifier", "exact, approx, order of magnitude, at least, at most or not comparable", "exact"),
    _f("temperature_K", "temperature of the comparison", "K", "298.15"),
    _f("temperature_C", "temperature of the comparison", "°C", "25"),
    _s("comparison", "how before and after were paired (same work, across works, Arrhenius-normalised …)", "stated"),
    _b("derived", "the ratio was computed by the project from stated values (only a factor the review states is not)",
       "true"),
    _s("assumption", "the assumption a comparison rests on, when it rests on one", ""),
    _f("delta_Ea_eV", "activation energy after minus before (computed)", "eV", "-0.05"),
    *_PROV,
)

SYNTHESES = (
    _s("synthesis_id", "record id of the synthesis", "nzsp-naf-sintering"),
    _s("material", "product formula as written", "Na3Zr2Si2PO12-NaF"),
    _s("material_id", "product record id", "na3zr2si2po12-naf"),
    *_material("the product"),
    _ls("routes", "synthesis routes", '["solid_state_reaction"]'),
    _ls("steps", "steps in order: kind, temperature, duration and atmosphere as written", '["sintering at 1450 °C for 17 h"]'),
    _f("max_temperature_K", "highest stated step temperature (upper end of ranges)", "K", "1723.15"),
    _f("max_temperature_C", "highest stated step temperature", "°C", "1450"),
    _ls("precursors", "precursor formulas", '["Y-ZrO2"]'),
    _ls("additives", "additive / sintering-aid formulas", '["NaF"]'),
    _s("solvent", "solvent formula", "water"),
    _ls("impurities", "impurity phases formed", '["ZrO2"]'),
    _ls("effects", "effects of the synthesis", '["densification"]'),
    _ls("outcomes", "labels of the outcome measurements", '["ionic conductivity of …"]'),
    *_PROV,
)


def _lattice(axis: str) -> tuple[Column, ...]:
    return (
        _f(f"lattice_{axis}_angstrom", f"lattice parameter {axis} (lower end of a stated range)", "Å", "13.6148"),
        _f(f"lattice_{axis}_min_angstrom", f"lower end of a stated range of {axis}", "Å", "5.2"),
        _f(f"lattice_{axis}_max_angstrom", f"upper end of a stated range of {axis}", "Å", "5.28"),
        _f(f"lattice_{axis}_uncertainty_angstrom", f"stated uncertainty of {axis} (the digits in brackets)", "Å", "0.0003"),
        _s(f"lattice_{axis}_as_written", f"lattice parameter {axis} as written", "13.6148(3) Å"),
    )


STRUCTURES = (
    _s("structure_id", "record id of the structure", "nzsp-monoclinic"),
    _s("material", "formula as written", "Na3Zr2Si2PO12"),
    _s("material_id", "material record id", "na3zr2si2po12"),
    *_material("the material"),
    _s("phase", "phase label as the review names it", "monoclinic"),
    _s("crystal_system", "crystal system", "monoclinic"),
    _s("space_group", "space group as written", "C2/c"),
    *_lattice("a"), *_lattice("b"), *_lattice("c"),
    _s("conduction", "conduction dimensionality (1D, 2D, 3D)", "3D"),
    _ls("na_sites", "Na sites", '["Na1", "Na2"]'),
    _s("composition_range", "composition range as written", "1.6 ≤ x ≤ 2.2"),
    _s("transforms_to", "structure id it transforms into", "nzsp-rhombohedral"),
    _f("transition_temperature_K", "transition temperature (lower end of a range)", "K", "420"),
    _f("transition_temperature_C", "transition temperature (lower end of a range)", "°C", "146.85"),
    _f("transition_temperature_min_K", "lower end of a stated transition range", "K", "420"),
    _f("transition_temperature_max_K", "upper end of a stated transition range", "K", "450"),
    _s("transition_temperature_as_written", "transition temperature as written", "420–450 K"),
    *_PROV,
)

INTERFACES = (
    _s("interface_id", "record id of the interface modification", "nasicon-alf3-coating"),
    _s("electrolyte", "electrolyte formula as written", "Na3Zr2Si2PO12"),
    _s("electrolyte_id", "electrolyte record id", "na3zr2si2po12"),
    *_material("the electrolyte"),
    _s("side", "anode, cathode or both", "anode"),
    _s("electrode", "electrode formula", "Na"),
    _s("strategy", "interface strategy", "coating"),
    _ls("materials", "materials used (formulas)", '["AlF3"]'),
    _ls("effects", "effects", '["dendrite_suppression"]'),
    _ls("results", "labels of the result measurements and results", '["interfacial resistance …"]'),
    *_PROV,
)

CELLS = (
    _s("cell_id", "record id of the cell", "t1-r01"),
    _s("kind", "full or symmetric", "full"),
    _s("notation", "cell notation as written", "Na0.66Ni0.33Mn0.67O2/β''-Al2O3/Na"),
    _s("cathode", "cathode formula", "Na0.66Ni0.33Mn0.67O2"),
    _ls("electrolytes", "electrolyte formulas", "[\"Na-β''-Al2O3\"]"),
    _ls("electrolyte_ids", "electrolyte record ids", '["na-beta-double-prime-alumina"]'),
    _s("material_id", "the electrolyte's record id (NA when the cell has two)", "na-beta-double-prime-alumina"),
    *_material("the electrolyte (family columns also when two electrolytes share a family)"),
    _ls("families", "family keys of all electrolytes", '["na_beta_double_prime_alumina"]'),
    _s("anode", "anode formula", "Na"),
    _ls("modifications", "interface modification ids", '["ionic-liquid-cathode"]'),
    _ls("components", "other component formulas", '["PVDF"]'),
    _f("first_cycle_capacity_mAh_g", "first-cycle capacity", "mAh/g", "60"),
    _s("first_cycle_capacity_qualifier", _QUALIFIER, "exact"),
    *_temperature("first_cycle_temperature", "temperature of the first-cycle capacity"),
    _f("theoretical_capacity_mAh_g", "theoretical capacity", "mAh/g", "1675"),
    _f("loading_mg_cm2", "areal loading (lower end of a range)", "mg/cm2", "2"),
    _f("loading_min_mg_cm2", "lower end of a stated loading range", "mg/cm2", "1"),
    _f("loading_max_mg_cm2", "upper end of a stated loading range", "mg/cm2", "2"),
    _s("loading_qualifier", _QUALIFIER, "exact"),
    _s("loading_as_written", "areal loading as written in the table or text", "2 mg (1.77 mg/cm2)"),
    _s("table", "review table the cell is a row of", "Table 1"),
    _i("table_row", "row number in that table", "", "1"),
    _i("cycling_index", "number of the cycling result of this cell (one row each)", "", "1"),
    _i("cycles", "number of cycles", "cycles", "10000"),
    _s("cycles_qualifier", "exact or lower_bound (\"more than 100 cycles\")", "exact"),
    _f("retention_percent", "capacity retention", "%", "90"),
    _s("retention_qualifier", _QUALIFIER, "exact"),
    _f("c_rate", "cycling rate as a C-rate", "C", "6"),
    _f("current_density_mA_g", "cycling rate as a specific current", "mA/g", "100"),
    _f("current_density_mA_cm2", "cycling rate as an areal current density", "mA/cm2", "0.1"),
    _s("rate_as_written", "rate as written", "6 C"),
    *_temperature("cycling_temperature", "cycling temperature"),
    _f("capacity_after_mAh_g", "capacity after cycling", "mAh/g", "94"),
    _s("capacity_after_qualifier", _QUALIFIER, "approx"),
    _f("cycling_duration_h", "duration of a symmetric-cell test", "h", "500"),
    _s("cycling_duration_qualifier", _QUALIFIER, "lower_bound"),
    *_PROV,
)

REFERENCES = (
    _i("number", "reference number in the review", "", "1"),
    _s("authors", "authors as listed", "K. Song, C. Liu, L. Mi"),
    _b("et_al", "the list ends with et al."),
    _s("journal", "journal", "Small"),
    _s("volume", "volume as written", "17"),
    _i("year", "publication year", "", "2021"),
    _s("pages", "pages or article number as written", "e1903194"),
    _i("cited_by_facts", "number of facts of the graph citing it", "facts", "3"),
    Column("duplicate_of", "list[Int64]", "numbers of references that are the same work", "", "[188]"),
    _s("note", "curation note", ""),
)

#: What a table leaves out, and why (printed under the table in docs/tables.md).
NOTES: dict[str, str] = {
    "measurements": "No `contribution` column: the review never says of a stated conductivity value whether it is "
                    "bulk, grain-boundary or total (it says so only of figures, e.g. Fig. 12b/c), so no record has "
                    "one; the record field stays available. `derived` rows exist only with `load(inferred=True)`. "
                    "A loading stated as a mass (mg) has no canonical (areal) value: the electrode area is not given. "
                    "A current density stated per gram and one per cm² have no common canonical unit.",
    "cells": "A cell with two electrolytes has NA in `material_id` and the composition columns (its family columns are "
             "filled when both share a family); `electrolyte_ids` and `families` list them all.",
    "references": "Not about a material: no family or composition columns.",
}

#: Table name → its columns, in order.
SCHEMAS: dict[str, tuple[Column, ...]] = {
    "measurements": MEASUREMENTS, "dopings": DOPINGS, "syntheses": SYNTHESES, "structures": STRUCTURES,
    "interfaces": INTERFACES, "cells": CELLS, "references": REFERENCES,
}


def columns(name: str) -> tuple[Column, ...]:
    """The columns of table ``name``."""
    from .errors import QueryError

    try:
        return SCHEMAS[name]
    except KeyError:
        raise QueryError(f"unknown table '{name}' (known: {', '.join(SCHEMAS)})") from None


def column(table: str, name: str) -> Column:
    """One column of a table."""
    for c in columns(table):
        if c.name == name:
            return c
    raise KeyError(f"table '{table}' has no column '{name}'")


def pandas_dtype(c: Column) -> str:
    """The pandas dtype of a column (``object`` for lists and maps)."""
    return c.dtype if c.dtype in SCALAR_DTYPES else "object"


def arrow_type(c: Column):
    """The pyarrow type of a column (pyarrow is imported here, lazily)."""
    import pyarrow as pa

    return {
        "string": pa.string(), "Float64": pa.float64(), "Int64": pa.int64(), "boolean": pa.bool_(),
        "list[string]": pa.list_(pa.string()), "list[Int64]": pa.list_(pa.int64()),
        "map[Float64]": pa.map_(pa.string(), pa.float64()),
    }[c.dtype]


def dictionary_rows(name: str) -> list[dict[str, str]]:
    """The data dictionary of one table: column, dtype, unit, meaning, example."""
    return [{"column": c.name, "dtype": c.dtype, "unit": c.unit, "meaning": c.meaning, "example": c.example}
            for c in columns(name)]
