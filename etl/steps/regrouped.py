"""The publisher's files regrouped by the 34: never a source for what the originals withhold."""

from __future__ import annotations

from etl.problems import ProblemLog
from etl.readers.base import Dataset
from etl.readers.columns_layout import REGROUPED


def drop_uncovered(datasets: list[Dataset], problems: ProblemLog) -> None:
    """Where an original source has the same year and vintage, a regrouped sheet's values for a
    province that no original source gives (a province-year PAPI withheld) are not loaded, nor
    are its 'not published' markers (gaps of the regrouping): the originals decide."""
    for ds in datasets:
        if ds.layout != REGROUPED or ds.refused:
            continue
        originals = [d for d in datasets if d.layout != REGROUPED and not d.refused
                     and (d.year, d.vintage) == (ds.year, ds.vintage)]
        if not originals:
            continue
        covered = set().union(*(d.cols.province_code for d in originals))
        c = ds.cols
        markers = [i for i, s in enumerate(c.status) if s != "published"]
        if markers:  # a gap marker of the regrouping never withholds what an original gives
            problems.info(ds.file, f"{len(markers)} 'not published' cell(s) of the regrouped "
                          f"{ds.year} sheet ignored: the original {ds.year} source(s) decide",
                          sheet=ds.sheet, cell=c.cell[markers[0]],
                          message_vi=f"bỏ qua {len(markers)} ô 'không công bố' của trang năm "
                                     f"{ds.year} đã gộp theo tỉnh mới: (các) nguồn gốc năm "
                                     f"{ds.year} quyết định")
            c = ds.cols = c.kept([s == "published" for s in c.status])
        dropped = [i for i, p in enumerate(c.province_code) if p not in covered]
        if not dropped:
            continue
        ds.cols = c.kept([p in covered for p in c.province_code])
        for prov in sorted({c.province_code[i] for i in dropped}):
            cells = [c.cell[i] for i in dropped if c.province_code[i] == prov]
            problems.warning(ds.file, f"province {prov} in {ds.year}: no original source gives it "
                             f"(PAPI withheld it); the regrouped file's values are not loaded",
                             sheet=ds.sheet, cell=f"{cells[0]}…{cells[-1]}",
                             found=f"{len(cells)} value(s)",
                             action="keep it not published unless the publisher's own "
                                    f"{ds.year} file gives it",
                             message_vi=f"tỉnh {prov} năm {ds.year}: không nguồn gốc nào cho số "
                                        "này (PAPI không công bố); không nạp số của tệp đã gộp",
                             action_vi="để là không công bố, trừ khi chính tệp năm "
                                       f"{ds.year} của nhà xuất bản có số này")
