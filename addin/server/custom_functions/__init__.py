"""KINERJA.* custom functions for xlwings Server: the udfs, exposed once in udfs.excel."""

from udfs.excel import *  # noqa: F401,F403
