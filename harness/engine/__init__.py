"""The grading engine: what a kata's grader.py imports. Runs only in the grading child."""
from .compare import Close, array_diff, close, exact
from .errors import Fail
from .grader import Case, Context, Grader
from .stats import assert_binomial, assert_uniform, chi2_sf, chi_square

__all__ = ["Case", "Close", "Context", "Fail", "Grader", "array_diff", "assert_binomial", "assert_uniform",
           "chi2_sf", "chi_square", "close", "exact"]
