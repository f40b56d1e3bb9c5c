"""`papi db …` and `papi users …`: the multi-user write store's commands (psycopg loaded lazily)."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path


def _fail(msg: str, code: int = 2) -> int:
    print(f"LỖI / ERROR: {msg}", file=sys.stderr)
    return code


def _db_init(args: argparse.Namespace) -> int:
    from etl.pg import db
    from etl.pg.cluster import ClusterError

    try:
        done = db.init(args.dir, tcp=args.tcp, port=args.port)
    except (ClusterError, OSError) as exc:
        return _fail(str(exc))
    where = done.get("dir") or "PAPI_PG"
    print(f"papi db: {where}: cụm {'mới tạo' if done.get('created') else 'đã có'} / cluster "
          f"{'created' if done.get('created') else 'present'}; pid {done.get('pid', '-')}; "
          f"migrations applied: {', '.join(done['migrations']) or 'none (up to date)'}")
    print(f"papi db: app connection / kết nối của ứng dụng: {db.app_dsn(args.dir)}")
    return 0


def _db_stop(args: argparse.Namespace) -> int:
    from etl.pg import db

    c = db.local_cluster(args.dir)
    pid = c.pid
    c.stop()
    print(f"papi db: {'stopped pid ' + str(pid) if pid else 'not running'} ({c.data_dir})")
    return 0


def _db_status(args: argparse.Namespace) -> int:
    from etl.pg import db

    c = db.local_cluster(args.dir)
    print(f"papi db: {c.data_dir}: {'running, pid ' + str(c.pid) if c.pid else 'stopped'}")
    return 0 if c.pid else 1


def _db_load_plans(args: argparse.Namespace) -> int:
    import psycopg

    from etl.pg import bridge, db

    if not Path(args.db).exists():
        return _fail(f"warehouse {args.db} not found: run `papi etl` first")
    with psycopg.connect(db.admin_dsn(args.dir)) as con:
        n = bridge.load_plans(con, Path(args.db))
    print(f"papi db: {n} nhiệm vụ mới / new tasks loaded from {args.db}")
    return 0


def _db_refresh(args: argparse.Namespace) -> int:
    """Accepted reports → filled templates, plan corrections → correction sheets, in <input>/store
    → `papi etl` (same path, same checks)."""
    import psycopg

    from etl.cli import main as etl_main
    from etl.paths import DEFAULT_RAW_DIR
    from etl.pg import bridge, db

    inputs = args.input or [DEFAULT_RAW_DIR]
    with psycopg.connect(db.admin_dsn(args.dir)) as con:
        files = bridge.export_accepted(con, Path(inputs[0]) / "store")
        fixes = bridge.export_corrections(con, Path(inputs[0]) / "store")
    print(f"papi db: {len(files)} tệp báo cáo đã chấp nhận / accepted-report workbooks → "
          f"{Path(inputs[0]) / 'store'}")
    print(f"papi db: {len(fixes)} bảng hiệu chỉnh kế hoạch / plan correction sheets → "
          f"{Path(inputs[0]) / 'store'}")
    argv = ["etl", "--db", str(args.db), *[a for p in inputs for a in ("--input", str(p))]]
    return etl_main(argv + (["--keep-going"] if args.keep_going else []))


def _users_add(args: argparse.Namespace) -> int:
    import psycopg

    from etl.pg import db, users

    if args.oidc and sys.stdin.isatty():
        password = None  # signs in through the province's identity provider only
    elif sys.stdin.isatty():
        password = getpass.getpass("Mật khẩu / password: ")
    else:
        password = sys.stdin.readline().rstrip("\r\n") or (None if args.oidc else "")
    if args.role != "province_office" and not args.unit:
        return _fail("--unit is required for this role / vai trò này cần --unit")
    try:
        with psycopg.connect(db.admin_dsn(args.dir)) as con:
            uid = users.add_user(con, args.name, password, args.province, args.unit, args.role,
                                 oidc=args.oidc)
    except ValueError as exc:
        return _fail(str(exc))
    except psycopg.errors.UniqueViolation as exc:
        if args.oidc and "oidc" in (exc.diag.constraint_name or ""):
            return _fail(f"tài khoản OIDC {args.oidc} đã gắn với người dùng khác / OIDC subject "
                         f"{args.oidc} is already linked to another user")
        return _fail(f"người dùng {args.name} đã có / user {args.name} already exists")
    except psycopg.errors.CheckViolation as exc:
        return _fail(f"tên người dùng không hợp lệ / invalid user name {args.name!r} "
                     f"(letters, digits . _ @ -): {exc.diag.message_primary}")
    linked = f", OIDC {users.oidc_key(args.oidc)}" if args.oidc else ""
    print(f"papi users: {args.name} (id {uid}, {args.role}{linked}) added")
    return 0


def _users_disable(args: argparse.Namespace) -> int:
    import psycopg

    from etl.pg import db, users

    with psycopg.connect(db.admin_dsn(args.dir)) as con:
        if not users.disable_user(con, args.name):
            return _fail(f"không có người dùng / no user {args.name}")
    print(f"papi users: {args.name} disabled; their sessions are revoked")
    return 0


def add_subcommands(sub: argparse._SubParsersAction) -> None:
    from etl.paths import DEFAULT_DB

    dir_help = "thư mục cụm PostgreSQL cục bộ / local cluster folder (default data/pg/, env PAPI_PG_DIR)"
    d = sub.add_parser("db", help="kho ghi nhiều người dùng / multi-user write store (PostgreSQL)")
    dsub = d.add_subparsers(dest="db_command", required=True)
    i = dsub.add_parser("init", help="tạo, khởi động, cập nhật lược đồ / create, start, migrate")
    i.add_argument("--dir", type=Path, help=dir_help)
    i.add_argument("--tcp", metavar="ADDRESS", help="also listen on TCP (e.g. 127.0.0.1)")
    i.add_argument("--port", type=int)
    i.set_defaults(func=_db_init)
    for name, func, what in [("stop", _db_stop, "dừng / stop"), ("status", _db_status, "trạng thái")]:
        p = dsub.add_parser(name, help=what)
        p.add_argument("--dir", type=Path, help=dir_help)
        p.set_defaults(func=func)
    lp = dsub.add_parser("load-plans", help="nạp kế hoạch từ kho phân tích / plans from the warehouse")
    lp.add_argument("--dir", type=Path, help=dir_help)
    lp.add_argument("--db", type=Path, default=DEFAULT_DB)
    lp.set_defaults(func=_db_load_plans)
    r = dsub.add_parser("refresh", help="báo cáo đã chấp nhận → kho phân tích / accepted reports "
                                        "→ warehouse (through `papi etl`)")
    r.add_argument("--dir", type=Path, help=dir_help)
    r.add_argument("--db", type=Path, default=DEFAULT_DB)
    r.add_argument("--input", action="append", type=Path)
    r.add_argument("--keep-going", action="store_true")
    r.set_defaults(func=_db_refresh)

    u = sub.add_parser("users", help="tài khoản / accounts of the multi-user app")
    usub = u.add_subparsers(dest="users_command", required=True)
    a = usub.add_parser("add", help="thêm người dùng (mật khẩu từ stdin) / add a user (password on stdin)")
    a.add_argument("name")
    a.add_argument("--province", required=True, help="mã tỉnh (34 tỉnh) / 34-province code, e.g. 25")
    a.add_argument("--unit", help='đơn vị / unit, e.g. "Sở Nội vụ"')
    a.add_argument("--role", required=True, choices=("reporter", "approver", "province_office",
                                                     "viewer"))
    a.add_argument("--oidc", metavar="SUBJECT",
                   help="e-mail hoặc 'sub' của người dùng ở hệ thống đăng nhập của tỉnh (OIDC) / "
                        "the identity provider's e-mail or subject that signs in as this user; "
                        "no password needed")
    a.add_argument("--dir", type=Path, help=dir_help)
    a.set_defaults(func=_users_add)
    x = usub.add_parser("disable", help="khóa tài khoản / disable a user")
    x.add_argument("name")
    x.add_argument("--dir", type=Path, help=dir_help)
    x.set_defaults(func=_users_disable)
