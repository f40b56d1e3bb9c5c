"""A small province for the store tests: two departments, their people, one plan of four tasks."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import psycopg

from etl.pg.users import add_user, ensure_unit

PROVINCE = "25"  # Phú Thọ (34-province code)
NOI_VU, THANH_TRA = "Sở Nội vụ", "Thanh tra tỉnh"
PASSWORD = "-".join(["mật", "khẩu", secrets.token_hex(6)])  # made per run, never committed


@dataclass
class Seed:
    ids: dict[str, int]
    tasks: dict[str, list[str]]  # unit → its action ids


def seed(admin_dsn: str) -> Seed:
    ids: dict[str, int] = {}
    with psycopg.connect(admin_dsn) as con:
        for name, unit, role in [("nv.hoa", NOI_VU, "reporter"), ("nv.lan", NOI_VU, "reporter"),
                                 ("nv.truong", NOI_VU, "approver"),
                                 ("tt.minh", THANH_TRA, "reporter"),
                                 ("tt.chanh", THANH_TRA, "approver"),
                                 ("vp.ubnd", None, "province_office")]:
            ids[name] = add_user(con, name, PASSWORD, PROVINCE, unit, role)
        with con.transaction():
            con.execute("INSERT INTO papi.plan (plan_id, number, year, province_code) VALUES "
                        "('KH-25-2026', '240/KH-UBND', 2026, %s)", (PROVINCE,))
            tasks: dict[str, list[str]] = {NOI_VU: [], THANH_TRA: []}
            for seq, unit, text in [(1, NOI_VU, "Hướng dẫn tổ chức hội nghị thôn"),
                                    (2, NOI_VU, "Công khai danh sách hộ nghèo"),
                                    (3, THANH_TRA, "Duy trì đường dây nóng"),
                                    (4, THANH_TRA, "Công khai kết luận thanh tra")]:
                aid = f"KH-25-2026-A{seq:02d}"
                con.execute("INSERT INTO papi.action (action_id, plan_id, seq, text, fingerprint, "
                            "lead_unit, unit_id) VALUES (%s, 'KH-25-2026', %s, %s, %s, %s, %s)",
                            (aid, seq, text, f"fp{seq}", unit, ensure_unit(con, PROVINCE, unit)))
                tasks[unit].append(aid)
    return Seed(ids, tasks)
