"""Unit and calendar conversions: the only numbers the model's code may hold besides 0 and 1.

Every behavioural number is a parameter of the registry (``model.parameters``), with its
bounds and source; the dated record (prison density, arrivals, flights) is data in
``model/record.toml``. ``tests/model/test_literals.py`` fails on any other numeric literal.
"""

MONTHS_PER_YEAR = 12
DAYS_PER_MONTH = 365.25 / MONTHS_PER_YEAR
DECADE_YEARS = 10  # age effects are given per ten years of age
START_YEAR = 2014  # month 0 is January of this year
DEFAULT_END_YEAR = 2030
MAX_MONTHS = 1200  # a century: the longest horizon a run accepts
# recidivism as studies report it (model.outcomes): reconviction within a fixed window after the first release,
# and reconvictions per 100 person-years at risk
FOLLOW_UP_1Y_MONTHS = MONTHS_PER_YEAR
FOLLOW_UP_2Y_MONTHS = 2 * MONTHS_PER_YEAR
RATE_PERSON_YEARS = 100  # a rate is given per this many person-years
NONE = -1  # "no month yet", "no such tie": an index sentinel

# how one-line errors show long things (model.scenario, model.api)
MAX_PARENTS = 32  # a scenario's chain of parents; the catalogue's longest is 2
KIB = 1024  # bytes in a kibibyte (sizes in messages)
MAX_INPUT_BYTES = KIB * KIB  # a scenario or experiment file: the catalogue's largest is about 2 KB
MAX_MANIFEST_BYTES = 64 * KIB * KIB  # a results folder's manifest.json or comparison.json (a few hundred KB)
CHAIN_SHOWN = 3  # scenarios named at each end of a long chain of parents in an error
ERROR_TEXT_WIDTH = 160  # characters of an operating-system message kept in an error line

# memory one replicate takes in a batch over the full horizon (model.api.replicate_bytes), measured on
# 2 December 2026: 3.3 MB at cohort scale 1 (resident memory of a batch of 256), 45 MB at scale 100 (traced)
REPLICATE_BYTES_FIXED = 2.9e6
REPLICATE_BYTES_PER_SCALE = 0.42e6

# how results files are written (model.api)
RESULTS_FILE_MODE = 0o644  # results are meant to be shared: owner writes, everyone reads
JSON_INDENT = 2
SECONDS_DIGITS = 4  # wall times in run.json

# The counter-based generator of model/streams.py (SplitMix64): its published constants, and the
# conversion of its 64-bit output to a uniform number with 53 random bits.
SPLITMIX_GOLDEN = 0x9E3779B97F4A7C15
SPLITMIX_M1 = 0xBF58476D1CE4E5B9
SPLITMIX_M2 = 0x94D049BB133111EB
SPLITMIX_SHIFTS = (30, 27, 31)
WORD_BITS = 64
MANTISSA_BITS = 53
HALF = 0.5  # centre of a 53-bit cell: uniforms strictly inside (0, 1) for the inverse normal

# glibc's allocator (model/memory.py): mallopt options and the sizes a batch's month needs kept.
MALLOPT_TRIM_THRESHOLD = -1
MALLOPT_MMAP_THRESHOLD = -3
MMAP_THRESHOLD_MAX_BYTES = 32 * 1024 * 1024  # glibc's ceiling on 64-bit
KEEP_FREED_BYTES = 256 * 1024 * 1024  # freed memory kept for reuse before it is handed back
NAME_DIGEST_CHARS = 8  # hex digits of a content hash in the name of a file named like a catalogue scenario
NAME_MAX = 255  # bytes in one file or folder name (Linux, macOS, Windows file systems)
NAME_SHOWN = 24  # characters of an overlong name shown in its error
