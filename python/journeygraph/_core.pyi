# Type stubs of journeygraph._core, the pybind11 module over the C++ library. Results are tables: a dict
# {"name": str, "columns": {name: ndarray (object arrays of str for text)}, "meta": {key: value}} (see
# _tables.frame).
from typing import Any, Callable, Dict, List, Optional, Tuple, Union

import numpy as np
import numpy.typing as npt

Buffer = Union[bytes, bytearray, memoryview]
Table = Dict[str, Any]

__version__: str
header_version: str
DEFAULT_REPLICATES: int
SAMPLE_CUSTOMERS: int
SAMPLE_SEED: int

class JourneyGraphError(ValueError):
    kind: str
    option: str
    file: str
    line: int
    column: int
    field: str
    value: str

def version_string() -> str: ...
def all_models() -> List[str]: ...
def default_models() -> List[str]: ...
def applicable_models(journeys: JourneySet) -> List[str]: ...
def parse_model(name: str) -> str: ...
def parse_duration(text: str) -> float: ...
def columns_note(columns: EventCsvOptions) -> str: ...
def write_text_file(file: str, text: str) -> None: ...

# ---------------------------------------------------------------------------------------------- options
# Every option struct: a default-made one holds the core's defaults; fields are read and written by name.

class Column:
    name: str
    required: bool
    def __init__(self, name: str, required: bool = ...) -> None: ...

class EventCsvOptions:
    journey: Column
    time: Column
    touchpoint: Column
    conversion: Column
    value: Column
    segment: Column
    skip_bad_rows: bool
    delimiter: str
    time_unit: Optional[str]
    time_format: str

class PathCsvOptions:
    path: Column
    conversions: Column
    nulls: Column
    value: Column
    separator: str
    check_separator: bool
    skip_bad_rows: bool
    delimiter: str

class JourneyOptions:
    split_on_conversion: bool
    lookback: Optional[float]
    gap: Optional[float]
    collapse_repeats: bool
    max_touches: int
    store_timestamps: bool

class ModelOptions:
    order: int
    smoothing: float
    self_loops: str

class AttributionOptions:
    models: List[str]
    order: int
    smoothing: float
    self_loops: str
    excluded: List[str]
    first_weight: float
    last_weight: float
    half_life: float
    max_coalition: int
    replicates: int
    confidence: float
    seed: int

class OrderChoiceOptions:
    max_order: int
    holdout: float
    seed: int
    smoothing: float
    self_loops: str
    floor: float

class SimulationOptions:
    journeys: int
    seed: int
    max_touches: int

class SyntheticOptions:
    journeys: int
    touchpoints: int
    mean_touches: float
    min_touches: int
    zipf: float
    stickiness: float
    base_conversion: float
    seed: int

class StageCsvOptions:
    touchpoint_column: str
    stage_column: str
    order: List[str]

class MapOptions:
    order: int
    smoothing: float
    self_loops: str
    other_stage: str

class PainPointOptions:
    rank_by: str
    min_journeys: float

class PathOptions:
    top: int
    most_probable: int

class CompareOptions:
    alpha: float
    label_a: str
    label_b: str

class RenderOptions:
    title: str
    max_edges: int
    by_stage: Optional[bool]
    max_steps: int
    top_paths: int
    pain_points: int
    pain: PainPointOptions
    segment_switch: bool

# ---------------------------------------------------------------------------------------------- journeys

class BuildReport:
    rows: int
    rows_skipped: int
    blank_lines: int
    journeys: int
    touches: int
    splits_at_conversion: int
    splits_at_gap: int
    touches_dropped_lookback: int
    touches_dropped_max_touches: int
    repeats_collapsed: int
    values_ignored: int
    duplicate_events: int
    reordered_events: int
    zero_weight_journeys: int
    segment_conflicts: int
    skipped_examples: List[str]
    notes: List[str]
    def summary(self) -> str: ...
    def to_dict(self) -> Dict[str, Any]: ...

class JourneySet:
    def __len__(self) -> int: ...
    touch_count: int
    touchpoints: List[str]
    segments: List[str]
    has_timestamps: bool
    has_segments: bool
    time_unit: str
    time_kind: str
    epoch_unit: str
    total_conversions: float
    total_nulls: float
    total_value: float
    memory_bytes: int
    offsets: npt.NDArray[np.uint64]
    touches: npt.NDArray[np.uint32]
    timestamps: npt.NDArray[np.int64]
    conversions: npt.NDArray[np.float64]
    nulls: npt.NDArray[np.float64]
    values: npt.NDArray[np.float64]
    segment_ids: npt.NDArray[np.uint32]
    def table(self, separator: str = ...) -> Table: ...
    def path_table(self, separator: str = ...) -> Table: ...
    def segment_subset(self, name: str) -> JourneySet: ...
    def slice(self, first: int, count: int) -> JourneySet: ...

Built = Tuple[JourneySet, BuildReport]

def build_journeys(journey: np.ndarray, time: Optional[np.ndarray], time_unit: str, touchpoint: np.ndarray,
                   touchpoint_names: List[str], conversion: Optional[np.ndarray], value: Optional[np.ndarray],
                   segment: Optional[np.ndarray], segment_names: List[str], options: JourneyOptions,
                   columns: EventCsvOptions, threads: int, time_kind: str = ...,
                   epoch_unit: Optional[str] = ..., journey_names: List[str] = ...) -> Built: ...
def convert_time_column(values: np.ndarray, missing: Optional[np.ndarray], columns: EventCsvOptions, column: str,
                        index: Any) -> Tuple[npt.NDArray[np.int64], str, str, str]: ...
def check_epoch_column(values: npt.NDArray[np.int64], columns: EventCsvOptions, column: str, index: Any) -> None: ...
def split_at_time(journeys: JourneySet, instant: str, pattern: str = ...) -> Tuple[JourneySet, JourneySet, int]: ...
def journeys_from_paths(paths: np.ndarray, conversions: Optional[np.ndarray], nulls: Optional[np.ndarray],
                        value: Optional[np.ndarray], columns: PathCsvOptions, notes: List[str]) -> Built: ...
def read_events_csv(file: str, columns: EventCsvOptions, options: JourneyOptions, threads: int) -> Built: ...
def read_paths_csv(file: str, columns: PathCsvOptions, threads: int) -> Built: ...
def time_window(journeys: JourneySet, start: int, end: int) -> JourneySet: ...
def parse_instant(journeys: JourneySet, instant: str, pattern: str = ...) -> int: ...

# ---------------------------------------------------------------------------------------------- chains

class MarkovModel:
    def __init__(self) -> None: ...
    @staticmethod
    def fit(journeys: JourneySet, options: ModelOptions, threads: int) -> MarkovModel: ...
    fitted: bool
    order: int
    smoothing: float
    self_loops: str
    touchpoints: List[str]
    n_states: int
    conversion_probability: float
    expected_value: float
    solve_residual: float
    def state_names(self) -> List[str]: ...
    def transitions(self) -> Table: ...
    def rows(self) -> Dict[str, np.ndarray]: ...
    def removal_effects(self, threads: int) -> Table: ...
    def analysis(self, threads: int) -> Tuple[Table, Table]: ...
    def graph(self, threads: int) -> Tuple[str, Table, Table]: ...
    def simulate(self, options: SimulationOptions, threads: int) -> Built: ...
    def to_bytes(self) -> bytes: ...
    @staticmethod
    def from_bytes(data: Buffer, name: str, threads: int) -> MarkovModel: ...
    def save(self, file: str) -> None: ...
    @staticmethod
    def load(file: str, threads: int) -> MarkovModel: ...
    def counts(self) -> TransitionCounts: ...

class TransitionCounts:
    @staticmethod
    def count(journeys: JourneySet, order: int, self_loops: str, threads: int) -> TransitionCounts: ...
    @staticmethod
    def merged(parts: List[TransitionCounts]) -> TransitionCounts: ...
    order: int
    self_loops: str
    touchpoints: List[str]
    n_states: int
    n_edges: int
    journeys: float
    total_conversions: float
    total_nulls: float
    total_value: float
    zero_weight_journeys: int
    rows: int
    def transitions(self) -> Table: ...
    def fit(self, smoothing: float, threads: int) -> MarkovModel: ...
    def to_bytes(self) -> bytes: ...
    @staticmethod
    def from_bytes(data: Buffer, name: str = ...) -> TransitionCounts: ...
    def save(self, file: str) -> None: ...
    @staticmethod
    def load(file: str) -> TransitionCounts: ...

def attribute(journeys: JourneySet, options: AttributionOptions, threads: int) -> Table: ...
def attribute_model(model: MarkovModel, threads: int) -> Table: ...
def choose_order(journeys: JourneySet, options: OrderChoiceOptions, threads: int) -> Table: ...

# ---------------------------------------------------------------------------------------------- data

class EventTable:
    def __len__(self) -> int: ...
    journey: npt.NDArray[np.int64]
    time: npt.NDArray[np.int64]
    time_unit: str
    touchpoint: npt.NDArray[np.uint32]
    touchpoint_names: List[str]
    conversion: npt.NDArray[np.uint8]
    value: npt.NDArray[np.float64]
    segment: npt.NDArray[np.uint32]
    segment_names: List[str]
    def table(self) -> Table: ...
    def build(self, options: JourneyOptions, threads: int) -> Built: ...

def sample_events(customers: int, seed: int) -> EventTable: ...
def sample_stages() -> List[Tuple[str, str]]: ...
def sample_stage_order() -> List[str]: ...
def synthetic_events(options: SyntheticOptions) -> EventTable: ...

# ---------------------------------------------------------------------------------------------- journey maps

class StageMap:
    def __init__(self, order: List[str], assignment: List[Tuple[str, str]]) -> None: ...
    stages: List[str]
    assignments: List[Tuple[str, str]]
    source: str

def read_stages_csv(file: str, options: StageCsvOptions) -> StageMap: ...
def sample_stage_map() -> StageMap: ...

class JourneyMap:
    @staticmethod
    def build(journeys: JourneySet, stages: Optional[StageMap], options: MapOptions, threads: int) -> JourneyMap: ...
    stages: List[str]
    order: int
    conversion_probability: float
    journeys: float
    touchpoint_count: int
    def nodes(self) -> Table: ...
    def edges(self) -> Table: ...
    def funnel(self, threads: int, journeys: str = ...) -> Tuple[Table, Table]: ...
    def pain_points(self, options: PainPointOptions) -> Table: ...
    def paths(self, options: PathOptions, threads: int) -> Tuple[Table, Table, Table, Table]: ...
    def sankey(self, by_stage: Optional[bool], max_steps: int) -> Table: ...
    def what_if(self, edits: List[Tuple[str, str, str, float]]) -> Table: ...
    def render(self, format: str, options: RenderOptions, threads: int) -> str: ...

def compare_maps(a: JourneyMap, b: JourneyMap, options: CompareOptions) -> Tuple[Table, Table]: ...

# Funnels, paths, drivers, cleaning
def event_funnel(*, journeys: JourneySet, steps: List[str], order: Optional[str], window: Optional[float],
                 exclusions: List[str], stages: Optional[StageMap], by_segment: bool, level: Optional[float],
                 alpha: Optional[float], threads: int) -> Table: ...
def funnel_trends(*, journeys: JourneySet, steps: List[str], order: Optional[str], window: Optional[float],
                  exclusions: List[str], stages: Optional[StageMap], period: Optional[str], horizon: Optional[float],
                  data_end: Optional[int], level: Optional[float], alpha: Optional[float],
                  threads: int) -> Tuple[Table, Table]: ...
def explore_paths(*, journeys: JourneySet, start: Optional[str], end: Optional[str], steps: List[str],
                  order: Optional[str], window: Optional[float], exclusions: List[str], from_step: Optional[int],
                  to_step: Optional[int], drop_off: bool, max_steps: Optional[int], top: Optional[int],
                  variants: Optional[int], stages: Optional[StageMap], threads: int) -> Tuple[Table, Table]: ...
class DriverOptions:
    touchpoints: bool
    kgrams: List[int]
    before: bool
    at_least: List[int]
    features: List[str]
    min_support: float
    target: str
    after: str
    length_strata: int
    level: float
    alpha: float
    def __init__(self) -> None: ...
def conversion_drivers(*, journeys: JourneySet, options: DriverOptions, stages: Optional[StageMap],
                       threads: int) -> Table: ...
def clean_journeys(*, journeys: JourneySet, rules: List[Tuple[str, str, str]],
                   collapse_repeats: bool) -> Tuple[JourneySet, Table]: ...
def report_event_funnel(options: RenderOptions, *, steps: List[str], order: Optional[str], window: Optional[float],
                        exclusions: List[str], by_segment: bool, level: Optional[float],
                        alpha: Optional[float]) -> None: ...
def report_path_explorer(options: RenderOptions, *, start: Optional[str], end: Optional[str], steps: List[str],
                         order: Optional[str], window: Optional[float], exclusions: List[str],
                         from_step: Optional[int], to_step: Optional[int], drop_off: bool, max_steps: Optional[int],
                         top: Optional[int], variants: Optional[int]) -> None: ...
def report_drivers(options: RenderOptions, *, drivers: DriverOptions, shown: Optional[int]) -> None: ...
def report_model_comparison(options: RenderOptions, *, attribution: AttributionOptions) -> None: ...
def report_spend(options: RenderOptions, touchpoints: List[str], spend: List[float], periods: List[str],
                 period: str) -> None: ...
def report_period_switch(options: RenderOptions, text: str, time_format: str) -> None: ...
def report_periods(journeys: JourneySet, text: str, time_format: str) -> Tuple[List[Tuple[str, int, int, int]], List[str]]: ...
def model_color(name: str) -> str: ...
def read_cleaning_rules_csv(file: str) -> List[Tuple[str, str, str]]: ...
def score_histories(model: MarkovModel, histories: JourneySet, next: int, threads: int) -> List[Table]: ...
def score_open(model: MarkovModel, journeys: JourneySet, window: float, next: int, threads: int) -> List[Table]: ...
def closed_journeys(journeys: JourneySet, window: float) -> JourneySet: ...
def default_open_window() -> float: ...
def default_baseline(models: List[str]) -> str: ...
def money_tables(journeys: JourneySet, options: AttributionOptions, threads: int, touchpoints: List[str],
                 spend: List[float], periods: List[str], period: str, baseline: str) -> List[Table]: ...

# Per-journey credit, calibration and sequence removal effects.
def journey_credit(journeys: JourneySet, options: AttributionOptions, max_iterations: int,
                   calibration_model: Optional[str], calibration_touchpoints: List[str],
                   calibration_conversions: List[float], threads: int) -> Dict[str, Any]: ...
def calibration_table(journeys: JourneySet, options: AttributionOptions, calibration_model: str,
                      calibration_touchpoints: List[str], calibration_conversions: List[float],
                      threads: int) -> Dict[str, Any]: ...
def sequence_removal_effects(journeys: JourneySet, sequences: List[List[str]], top_n: int, top_length: int,
                             markov: ModelOptions, threads: int) -> Dict[str, Any]: ...
def parse_sequences(text: str) -> List[List[str]]: ...
