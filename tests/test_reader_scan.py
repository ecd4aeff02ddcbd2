"""The worksheet scan (formulas, error values, the filled area) on hand-written sheet XML."""

from __future__ import annotations

from workbooks.reader import scan_sheet


def _sheet(cells: str, merges: str = "") -> bytes:
    return (f'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{cells}'
            f"</sheetData>{merges}</worksheet>").encode()


def test_formulas_texts_and_area_from_cells_in_schema_order():
    xml = _sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c><c r="B1"><f>SUM(A2:A3)</f><v>3</v></c>'
                 '<c r="Z40" s="2"/></row>'
                 '<row r="2"><c r="A2"><v>1</v></c><c r="C2" s="1"><f>IF(A2=&quot;&quot;,&quot;&quot;,A2&amp;&quot;'
                 ' &#8212; &quot;)</f><v>1 —</v></c></row>'
                 '<row r="3"><c r="A3"><v>2</v></c><c r="D3"><f/><v>0</v></c></row>')
    scan = scan_sheet(xml)
    assert scan.formulas == {(0, 1), (1, 2), (2, 3)}
    assert scan.texts == {(0, 1): "SUM(A2:A3)", (1, 2): 'IF(A2="","",A2&" — ")'}
    assert (scan.rows, scan.cols, scan.last) == (3, 4, "D3")  # the styled empty Z40 is not filled
    assert scan.errors == {}


def test_shared_formulas_are_translated_to_each_cell():
    xml = _sheet('<row r="5"><c r="E5"><f t="shared" ref="E5:E7" si="0">C5+D5</f><v>2</v></c></row>'
                 '<row r="6"><c r="E6"><f t="shared" si="0"/><v>2</v></c></row>'
                 '<row r="7"><c r="E7"><f t="shared" si="0"/><v>2</v></c></row>')
    scan = scan_sheet(xml)
    assert scan.texts == {(4, 4): "C5+D5", (5, 4): "C6+D6", (6, 4): "C7+D7"}


def test_a_formula_after_its_value_or_with_markup_is_still_found():
    usual = scan_sheet(_sheet('<row r="2"><c r="B2"><f>A2*2</f><v>4</v></c><c r="C2"><f>A2&amp;&quot;x&quot;</f>'
                              '<v>2x</v></c></row>'))
    odd = scan_sheet(_sheet('<row r="2"><c r="B2"><v>4</v><f>A2*2</f></c><c r="C2"><f>A2&amp;&quot;x&quot;</f>'
                            '<v>2x</v></c></row>'))
    assert odd.formulas == usual.formulas == {(1, 1), (1, 2)}
    assert odd.texts == usual.texts == {(1, 1): "A2*2", (1, 2): 'A2&"x"'}


def test_error_values_and_merged_ranges():
    xml = _sheet('<row r="3"><c r="B3" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="C3" t="e"><v>#N/A</v></c></row>',
                 '<mergeCells count="2"><mergeCell ref="A1:C1"/><mergeCell ref="A10:F12"/></mergeCells>')
    scan = scan_sheet(xml)
    assert scan.errors == {(2, 1): "#DIV/0!", (2, 2): "#N/A"}
    assert scan.texts == {(2, 1): "1/0"}
    assert (scan.merge_rows, scan.merge_cols, scan.merge_last) == (12, 6, "A10:F12")
