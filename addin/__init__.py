"""The Excel front ends of kinerja.

- ``addin.server``: the xlwings Server project (Office.js add-in: ribbon tab "Kinerja",
  KINERJA.* custom functions, task pane), run with ``kinerja server``.
- ``addin.desktop``: entry points for classic xlwings on Windows (``RunPython``).
- ``addin.kerja``: the thin layer both use: an open book → the core (``macros``) → the
  returned plan applied back to the book through the xlwings object model.

The core never imports xlwings; only this package does.
"""
