# Type stubs of journeygraph._core, the pybind11 module over the C++ library.
from typing import Any, Dict, List, Optional, Tuple

import numpy as np
import numpy.typing as npt

__version__: str
header_version: str

class JourneyGraphError(ValueError):
    kind: str
    file: str
    line: int
    column: int
    field: str
    value: str

def version_string() -> str: ...
def all_models() -> List[str]: ...
def parse_model(name: str) -> str: ...
def parse_duration(text: str) -> float: ...

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
    @property
    def touch_count(self) -> int: ...
    @property
    def touchpoints(self) -> List[str]: ...
    @property
    def segments(self) -> List[str]: ...
    @property
    def has_timestamps(self) -> bool: ...
    @property
    def has_segments(self) -> bool: ...
    @property
    def time_unit(self) -> str: ...
    @property
    def total_conversions(self) -> float: ...
    @property
    def total_nulls(self) -> float: ...
    @property
    def total_value(self) -> float: ...
    @property
    def memory_bytes(self) -> int: ...
    @property
    def offsets(self) -> npt.NDArray[np.uint64]: ...
    @property
    def touches(self) -> npt.NDArray[np.uint32]: ...
    @property
    def timestamps(self) -> npt.NDArray[np.int64]: ...
    @property
    def conversions(self) -> npt.NDArray[np.float64]: ...
    @property
    def nulls(self) -> npt.NDArray[np.float64]: ...
    @property
    def values(self) -> npt.NDArray[np.float64]: ...
    @property
    def segment_ids(self) -> npt.NDArray[np.uint32]: ...
    def path_strings(self, separator: str = " > ") -> List[str]: ...
    def segment_subset(self, name: str) -> JourneySet: ...
    def slice(self, first: int, count: int) -> JourneySet: ...

def build_journeys(
    journey: npt.NDArray[np.int64],
    time: Optional[npt.NDArray[np.int64]],
    time_unit: str,
    touchpoint: npt.NDArray[Any],
    touchpoint_names: List[str],
    conversion: Optional[npt.NDArray[Any]],
    value: Optional[npt.NDArray[np.float64]],
    segment: Optional[npt.NDArray[Any]],
    segment_names: List[str],
    split_on_conversion: bool = True,
    lookback: Optional[float] = None,
    gap: Optional[float] = None,
    collapse_repeats: bool = False,
    max_touches: int = 0,
    threads: int = 0,
) -> Tuple[JourneySet, BuildReport]: ...
def journeys_from_paths(
    paths: npt.NDArray[np.object_],
    conversions: Optional[npt.NDArray[np.float64]],
    nulls: Optional[npt.NDArray[np.float64]],
    value: Optional[npt.NDArray[np.float64]],
    separator: str,
    names: List[str],
    notes: List[str],
) -> Tuple[JourneySet, BuildReport]: ...
def read_events_csv(
    file: str,
    journey: Tuple[str, bool],
    time: Tuple[str, bool],
    touchpoint: Tuple[str, bool],
    conversion: Tuple[str, bool],
    value: Tuple[str, bool],
    segment: Tuple[str, bool],
    time_unit: str,
    delimiter: str,
    skip_bad_rows: bool,
    split_on_conversion: bool,
    lookback: Optional[float],
    gap: Optional[float],
    collapse_repeats: bool,
    max_touches: int,
    threads: int,
) -> Tuple[JourneySet, BuildReport]: ...
def read_paths_csv(
    file: str,
    path: Tuple[str, bool],
    conversions: Tuple[str, bool],
    nulls: Tuple[str, bool],
    value: Tuple[str, bool],
    separator: str,
    delimiter: str,
    skip_bad_rows: bool,
    threads: int,
) -> Tuple[JourneySet, BuildReport]: ...

class MarkovModel:
    def __init__(self) -> None: ...
    @staticmethod
    def fit(
        journeys: JourneySet, order: int = 1, smoothing: float = 0.0, self_loops: str = "drop", threads: int = 0
    ) -> MarkovModel: ...
    @property
    def fitted(self) -> bool: ...
    @property
    def order(self) -> int: ...
    @property
    def smoothing(self) -> float: ...
    @property
    def self_loops(self) -> str: ...
    @property
    def touchpoints(self) -> List[str]: ...
    @property
    def n_states(self) -> int: ...
    @property
    def conversion_probability(self) -> float: ...
    @property
    def expected_value(self) -> float: ...
    @property
    def solve_residual(self) -> float: ...
    @property
    def journeys(self) -> float: ...
    @property
    def total_conversions(self) -> float: ...
    @property
    def total_nulls(self) -> float: ...
    @property
    def total_value(self) -> float: ...
    def state_names(self) -> List[str]: ...
    def transitions(self) -> Dict[str, Any]: ...
    def rows(self) -> Dict[str, npt.NDArray[Any]]: ...
    def removal_effects(self, threads: int = 0) -> Dict[str, Any]: ...

def attribute(
    journeys: JourneySet,
    models: List[str],
    order: int = 1,
    smoothing: float = 0.0,
    self_loops: str = "drop",
    threads: int = 0,
) -> Dict[str, Any]: ...

class EventTable:
    def __len__(self) -> int: ...
    @property
    def journey(self) -> npt.NDArray[np.int64]: ...
    @property
    def time(self) -> npt.NDArray[np.int64]: ...
    @property
    def time_unit(self) -> str: ...
    @property
    def touchpoint(self) -> npt.NDArray[np.uint32]: ...
    @property
    def touchpoint_names(self) -> List[str]: ...
    @property
    def conversion(self) -> npt.NDArray[np.uint8]: ...
    @property
    def value(self) -> npt.NDArray[np.float64]: ...
    @property
    def segment(self) -> npt.NDArray[np.uint32]: ...
    @property
    def segment_names(self) -> List[str]: ...
    def build(
        self,
        split_on_conversion: bool = True,
        lookback: Optional[float] = None,
        gap: Optional[float] = None,
        collapse_repeats: bool = False,
        max_touches: int = 0,
        threads: int = 0,
    ) -> Tuple[JourneySet, BuildReport]: ...

def sample_events(customers: int = 20000, seed: int = 42) -> EventTable: ...
def sample_stages() -> List[Tuple[str, str]]: ...
def sample_stage_order() -> List[str]: ...
def synthetic_events(
    journeys: int = 100000,
    touchpoints: int = 12,
    mean_touches: float = 4.0,
    min_touches: int = 1,
    zipf: float = 1.0,
    stickiness: float = 0.3,
    base_conversion: float = 0.08,
    seed: int = 1,
) -> EventTable: ...
