#!/usr/bin/env python3
"""Score Vega-Lite predictions against gold answers (copied unchanged in logic from ../shared/bench/realworld/score.py).

    python score.py predictions.jsonl [--gold gold.jsonl] [--show-failures 10] [--details out.jsonl]

predictions.jsonl: one JSON object per line: {"id": "rw001", "spec": {...Vega-Lite...} or null, "error": "..." or null}

Per item the scorer checks (see README.md for the full definitions):
  mark    the view's mark is one of gold "mark_ok"
  fields  the positional fields equal gold x/y as a set (axis swap allowed, count = no field; for arc
          theta = y and color = x), plus the color/facet rule, the time unit on a date field and binning
  agg     the measure's aggregate is one of gold "aggregate_ok"
  filter  the spec's filter transforms, executed on the real table, keep the same rows as the gold filter
          (and, for top-N gold, the same top-N categories)
  full    all four
Only pandas is needed.
"""
import argparse
import json
import math
import os
import re
from collections import OrderedDict, defaultdict

import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
MARK_ALIASES = {"circle": "point", "square": "point", "trail": "line"}
GROUP_CHANNELS = ("color", "fill", "stroke", "column", "row", "facet", "shape", "strokeDash", "xOffset", "yOffset",
                  "detail")
AGG_ALIASES = {"average": "mean", "avg": "mean", "valid": "count"}
TU_PARTS = ["year", "quarter", "month", "week", "dayofyear", "date", "day", "hours", "minutes", "seconds",
            "milliseconds"]
UNBINNED_OK_MAX_DISTINCT = 20   # a "histogram" of a field with this few values may be plain counts per value


# ----------------------------------------------------------------------------- small helpers

def as_list(v):
    if v is None:
        return [None]
    return list(v) if isinstance(v, (list, tuple)) else [v]


def unescape_field(f):
    if not isinstance(f, str):
        return f
    return re.sub(r"\\(.)", r"\1", f)


def is_missing(v):
    if v is None:
        return True
    if isinstance(v, float) and math.isnan(v):
        return True
    if v is pd.NaT:
        return True
    return False


def norm_tu(tu):
    if tu is None:
        return None
    if isinstance(tu, dict):
        tu = tu.get("unit")
        if tu is None:
            return None
    tu = str(tu).lower()
    for p in ("binned", "utc"):
        if tu.startswith(p):
            tu = tu[len(p):]
    return tu or None


def tu_parts(unit):
    """'yearmonthdate' -> ['year', 'month', 'date']"""
    unit = norm_tu(unit) or ""
    out = []
    i = 0
    names = sorted(TU_PARTS, key=len, reverse=True)
    while i < len(unit):
        for n in names:
            if unit.startswith(n, i):
                out.append(n)
                i += len(n)
                break
        else:
            return None
    return sorted(out, key=TU_PARTS.index)


# ----------------------------------------------------------------------------- tables

_TABLES = {}


def load_table(name, tables_dir):
    if name in _TABLES:
        return _TABLES[name]
    df = pd.read_csv(os.path.join(tables_dir, name))
    date_cols = set()
    for c in df.columns:
        if pd.api.types.is_numeric_dtype(df[c]):
            continue
        s = df[c].dropna().astype(str)
        if len(s) and s.str.match(r"^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?)?$").all():
            df[c] = pd.to_datetime(df[c], errors="coerce")
            date_cols.add(c)
    records = []
    cols = list(df.columns)
    for tup in df.itertuples(index=False, name=None):
        records.append({c: (None if is_missing(v) else (v.item() if hasattr(v, "item") and not isinstance(v, pd.Timestamp) else v))
                        for c, v in zip(cols, tup)})
    _TABLES[name] = (df, date_cols, records)
    return _TABLES[name]


# ----------------------------------------------------------------------------- JS-ish value semantics

def to_ts(v):
    """Value -> pandas Timestamp or None (numbers are epoch milliseconds, as in JavaScript)."""
    if isinstance(v, pd.Timestamp):
        return v
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, (int, float)):
        if isinstance(v, float) and math.isnan(v):
            return None
        try:
            return pd.Timestamp(v, unit="ms")
        except Exception:
            return None
    if isinstance(v, str):
        try:
            t = pd.Timestamp(v)
            if t.tzinfo is not None:
                t = t.tz_convert(None)
            return t
        except Exception:
            return None
    return None


def to_num(v):
    if v is None:
        return 0.0
    if isinstance(v, bool):
        return float(v)
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, pd.Timestamp):
        return v.value / 1e6
    if isinstance(v, str):
        try:
            return float(v.strip()) if v.strip() else 0.0
        except ValueError:
            return float("nan")
    return float("nan")


def looks_like_date(s):
    return isinstance(s, str) and re.match(r"^\d{4}-\d{1,2}(-\d{1,2})?([ T].*)?$", s.strip()) is not None


def js_eq(a, b):
    """Loose equality, lenient about dates vs ISO strings and numbers vs numeric strings."""
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, float) and math.isnan(a) or isinstance(b, float) and math.isnan(b):
        return False
    if isinstance(a, pd.Timestamp) or isinstance(b, pd.Timestamp):
        ta, tb = to_ts(a), to_ts(b)
        return ta is not None and tb is not None and ta == tb
    if isinstance(a, str) and isinstance(b, str):
        return a == b
    if isinstance(a, str) or isinstance(b, str) or isinstance(a, bool) or isinstance(b, bool):
        return to_num(a) == to_num(b)
    try:
        return a == b
    except Exception:
        return False


def js_cmp(a, b, op):
    if a is None or b is None:
        # JavaScript compares null as 0; a missing value should never pass a range test here
        return False
    if isinstance(a, str) and isinstance(b, str):
        if looks_like_date(a) and looks_like_date(b):
            a, b = to_ts(a), to_ts(b)
            if a is None or b is None:
                return False
    elif isinstance(a, pd.Timestamp) or isinstance(b, pd.Timestamp):
        ta, tb = to_ts(a), to_ts(b)
        if ta is None or tb is None:
            return False
        a, b = ta, tb
    else:
        a, b = to_num(a), to_num(b)
        if math.isnan(a) or math.isnan(b):
            return False
    try:
        return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]
    except TypeError:
        return False


def truthy(v):
    if v is None:
        return False
    if isinstance(v, float) and math.isnan(v):
        return False
    if isinstance(v, (str, list)):
        return len(v) > 0
    return bool(v)


# ----------------------------------------------------------------------------- Vega expressions

TOKEN_RE = re.compile(r"""\s*(?:
    (?P<num>\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|
    (?P<str>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|
    (?P<name>[A-Za-z_$][A-Za-z0-9_$]*)|
    (?P<op>===|!==|==|!=|<=|>=|&&|\|\||[-+*/%<>!?:.,()\[\]])
)""", re.X)


class ExprError(Exception):
    pass


def tokenize(s):
    pos, out = 0, []
    s = s.rstrip()
    while pos < len(s):
        m = TOKEN_RE.match(s, pos)
        if not m or m.end() == pos:
            raise ExprError(f"cannot tokenize at {s[pos:pos + 20]!r}")
        pos = m.end()
        kind = m.lastgroup
        val = m.group(kind)
        if kind == "num":
            out.append(("num", float(val)))
        elif kind == "str":
            out.append(("str", re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)),
                                      val[1:-1])))
        else:
            out.append((kind, val))
    out.append(("end", None))
    return out


BINARY_PREC = {"||": 1, "&&": 2, "==": 3, "!=": 3, "===": 3, "!==": 3, "<": 4, "<=": 4, ">": 4, ">=": 4,
               "+": 5, "-": 5, "*": 6, "/": 6, "%": 6}


class Parser:
    def __init__(self, s):
        self.toks = tokenize(s)
        self.i = 0

    def peek(self):
        return self.toks[self.i]

    def take(self, val=None):
        t = self.toks[self.i]
        if val is not None and t[1] != val:
            raise ExprError(f"expected {val!r}, got {t[1]!r}")
        self.i += 1
        return t

    def parse(self):
        e = self.expr()
        if self.peek()[0] != "end":
            raise ExprError(f"trailing {self.peek()[1]!r}")
        return e

    def expr(self, min_prec=0):
        left = self.unary()
        while True:
            t = self.peek()
            if t[0] == "op" and t[1] == "?" and min_prec == 0:
                self.take("?")
                a = self.expr()
                self.take(":")
                b = self.expr()
                left = ("?", left, a, b)
                continue
            if t[0] == "op" and t[1] in BINARY_PREC and BINARY_PREC[t[1]] > min_prec:
                op = self.take()[1]
                right = self.expr(BINARY_PREC[op])
                left = ("bin", op, left, right)
                continue
            return left

    def unary(self):
        t = self.peek()
        if t[0] == "op" and t[1] in ("!", "-", "+"):
            self.take()
            return ("un", t[1], self.unary())
        return self.postfix(self.primary())

    def primary(self):
        t = self.take()
        if t[0] in ("num", "str"):
            return ("lit", t[1])
        if t[0] == "name":
            if t[1] == "true":
                return ("lit", True)
            if t[1] == "false":
                return ("lit", False)
            if t[1] in ("null", "undefined"):
                return ("lit", None)
            if t[1] == "NaN":
                return ("lit", float("nan"))
            return ("name", t[1])
        if t[1] == "(":
            e = self.expr()
            self.take(")")
            return e
        if t[1] == "[":
            items = []
            while self.peek()[1] != "]":
                items.append(self.expr())
                if self.peek()[1] == ",":
                    self.take(",")
            self.take("]")
            return ("arr", items)
        raise ExprError(f"unexpected {t[1]!r}")

    def postfix(self, node):
        while True:
            t = self.peek()
            if t[1] == ".":
                self.take(".")
                name = self.take()
                node = ("get", node, ("lit", name[1]))
            elif t[1] == "[":
                self.take("[")
                key = self.expr()
                self.take("]")
                node = ("get", node, key)
            elif t[1] == "(" and node[0] == "name":
                self.take("(")
                args = []
                while self.peek()[1] != ")":
                    args.append(self.expr())
                    if self.peek()[1] == ",":
                        self.take(",")
                self.take(")")
                node = ("call", node[1], args)
            else:
                return node


def _dt_part(name):
    def f(v, *_):
        t = to_ts(v)
        if t is None:
            return float("nan")
        return {"year": t.year, "month": t.month - 1, "date": t.day, "day": (t.weekday() + 1) % 7,
                "hours": t.hour, "minutes": t.minute, "seconds": t.second, "milliseconds": t.microsecond // 1000,
                "quarter": (t.month - 1) // 3 + 1, "dayofyear": t.timetuple().tm_yday, "week": int(t.strftime("%U"))}[name]
    return f


def _datetime(*a):
    a = [to_num(x) for x in a] + [0] * 7
    y, mo, d = int(a[0]), int(a[1]), int(a[2]) if len(a) > 2 and a[2] else 1
    try:
        return pd.Timestamp(year=y, month=1, day=1) + pd.DateOffset(months=mo, days=d - 1, hours=int(a[3]),
                                                                     minutes=int(a[4]), seconds=int(a[5]))
    except Exception:
        return None


def _indexof(a, v):
    if isinstance(a, list):
        for i, x in enumerate(a):
            if js_eq(x, v):
                return i
        return -1
    if isinstance(a, str):
        return a.find(str(v))
    return -1


def _inrange(v, r, *_):
    if not isinstance(r, list) or len(r) < 2:
        return False
    lo, hi = min(to_num(r[0]), to_num(r[1])), max(to_num(r[0]), to_num(r[1]))
    x = to_num(v) if v is not None else float("nan")
    return lo <= x <= hi


FUNCS = {
    "isValid": lambda v: not is_missing(v) and not (isinstance(v, float) and math.isnan(v)),
    "isNaN": lambda v: isinstance(to_num(v), float) and math.isnan(to_num(v)),
    "isDate": lambda v: isinstance(v, pd.Timestamp),
    "isNumber": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "isString": lambda v: isinstance(v, str),
    "isFinite": lambda v: math.isfinite(to_num(v)),
    "toNumber": lambda v: None if v is None else to_num(v),
    "toString": lambda v: None if v is None else (str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)),
    "toDate": lambda v: None if v is None else to_ts(v),
    "toBoolean": truthy,
    "time": lambda v: None if to_ts(v) is None else to_ts(v).value / 1e6,
    "datetime": _datetime,
    "utc": _datetime,
    "now": lambda: pd.Timestamp.now(),
    "indexof": _indexof,
    "inrange": _inrange,
    "lower": lambda s: str(s).lower() if s is not None else None,
    "upper": lambda s: str(s).upper() if s is not None else None,
    "trim": lambda s: str(s).strip() if s is not None else None,
    "length": lambda s: len(s) if s is not None else 0,
    "abs": lambda v: abs(to_num(v)),
    "round": lambda v: math.floor(to_num(v) + 0.5),
    "floor": lambda v: math.floor(to_num(v)),
    "ceil": lambda v: math.ceil(to_num(v)),
    "sqrt": lambda v: math.sqrt(to_num(v)),
    "log": lambda v: math.log(to_num(v)),
    "exp": lambda v: math.exp(to_num(v)),
    "pow": lambda a, b: to_num(a) ** to_num(b),
    "min": lambda *a: min(to_num(x) for x in a),
    "max": lambda *a: max(to_num(x) for x in a),
    "parseInt": lambda v, *_: float(int(to_num(v))),
    "parseFloat": lambda v: to_num(v),
}
for _p in ("year", "month", "date", "day", "hours", "minutes", "seconds", "milliseconds", "quarter", "dayofyear",
           "week"):
    FUNCS[_p] = _dt_part(_p)
    FUNCS["utc" + _p] = _dt_part(_p)


def eval_expr(node, row):
    k = node[0]
    if k == "lit":
        return node[1]
    if k == "name":
        if node[1] == "datum":
            return row
        if node[1] in ("Math",):
            return {"PI": math.pi, "E": math.e}
        raise ExprError(f"unknown name {node[1]}")
    if k == "get":
        obj = eval_expr(node[1], row)
        key = eval_expr(node[2], row)
        if isinstance(obj, dict):
            return obj.get(key if not isinstance(key, float) else str(int(key)))
        if isinstance(obj, (list, str)) and isinstance(key, (int, float)):
            i = int(key)
            return obj[i] if 0 <= i < len(obj) else None
        if key == "length" and isinstance(obj, (list, str)):
            return len(obj)
        return None
    if k == "arr":
        return [eval_expr(x, row) for x in node[1]]
    if k == "call":
        name = node[1]
        if name == "test":
            return False
        if name not in FUNCS:
            raise ExprError(f"unsupported function {name}")
        return FUNCS[name](*[eval_expr(a, row) for a in node[2]])
    if k == "un":
        v = eval_expr(node[2], row)
        if node[1] == "!":
            return not truthy(v)
        n = to_num(v)
        return -n if node[1] == "-" else n
    if k == "?":
        return eval_expr(node[2], row) if truthy(eval_expr(node[1], row)) else eval_expr(node[3], row)
    if k == "bin":
        op = node[1]
        if op == "&&":
            a = eval_expr(node[2], row)
            return eval_expr(node[3], row) if truthy(a) else a
        if op == "||":
            a = eval_expr(node[2], row)
            return a if truthy(a) else eval_expr(node[3], row)
        a, b = eval_expr(node[2], row), eval_expr(node[3], row)
        if op in ("==", "==="):
            return js_eq(a, b)
        if op in ("!=", "!=="):
            return not js_eq(a, b)
        if op in ("<", "<=", ">", ">="):
            return js_cmp(a, b, op)
        if op == "+":
            if isinstance(a, str) or isinstance(b, str):
                return ("" if a is None else str(a)) + ("" if b is None else str(b))
            return to_num(a) + to_num(b)
        x, y = to_num(a), to_num(b)
        try:
            return {"-": x - y, "*": x * y, "/": x / y if y else float("nan"), "%": math.fmod(x, y) if y else float("nan")}[op]
        except Exception:
            return float("nan")
    raise ExprError(f"bad node {k}")


_PARSED = {}


def compile_expr(s):
    if s not in _PARSED:
        _PARSED[s] = Parser(s).parse()
    return _PARSED[s]


def expr_refs(s):
    """Field names referenced as datum.x / datum['x'] in an expression string."""
    refs = re.findall(r"datum\.([A-Za-z_$][A-Za-z0-9_$]*)|datum\[\s*['\"]((?:[^'\"\\]|\\.)*)['\"]\s*\]", s or "")
    return [a or unescape_field(b) for a, b in refs]


# ----------------------------------------------------------------------------- Vega-Lite predicates

MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]


def is_datetime_obj(v):
    return isinstance(v, dict) and any(k in v for k in ("year", "quarter", "month", "date", "day", "hours", "minutes",
                                                        "seconds", "milliseconds"))


def dt_obj_parts(v):
    """Vega-Lite DateTime object -> dict of parts (month 1-based)."""
    out = {}
    for k, x in v.items():
        if k == "utc":
            continue
        if k == "month" and isinstance(x, str):
            x = MONTHS.index(x.strip().lower()[:3]) + 1
        elif k == "day" and isinstance(x, str):
            x = DAYS.index(x.strip().lower()[:3])
        out[k] = to_num(x)
    return out


def dt_obj_to_ts(v):
    p = dt_obj_parts(v)
    y = int(p.get("year", 2012))
    m = int(p["month"]) if "month" in p else (int(p["quarter"] - 1) * 3 + 1 if "quarter" in p else 1)
    d = int(p.get("date", 1))
    try:
        return pd.Timestamp(year=y, month=m, day=d, hour=int(p.get("hours", 0)), minute=int(p.get("minutes", 0)),
                            second=int(p.get("seconds", 0)))
    except Exception:
        return None


def ts_parts(t):
    return {"year": t.year, "quarter": (t.month - 1) // 3 + 1, "month": t.month, "week": int(t.strftime("%U")),
            "dayofyear": t.timetuple().tm_yday, "date": t.day, "day": (t.weekday() + 1) % 7, "hours": t.hour,
            "minutes": t.minute, "seconds": t.second, "milliseconds": t.microsecond // 1000}


DEFAULT_PART = {"year": 2012, "quarter": 1, "month": 1, "week": 0, "dayofyear": 1, "date": 1, "day": 0, "hours": 0,
                "minutes": 0, "seconds": 0, "milliseconds": 0}


def tu_key_of_data(v, parts):
    t = to_ts(v)
    if t is None:
        return None
    p = ts_parts(t)
    return tuple(p[x] for x in parts)


def tu_key_of_value(v, parts):
    if is_datetime_obj(v):
        p = dt_obj_parts(v)
        return tuple(p.get(x, DEFAULT_PART[x]) for x in parts)
    if len(parts) == 1 and ((isinstance(v, (int, float)) and not isinstance(v, bool) and v < 10000) or
                            (isinstance(v, str) and to_ts(v) is None)):
        return tu_key_of_value({parts[0]: v}, parts)
    t = to_ts(v)
    if t is None:
        return None
    p = ts_parts(t)
    return tuple(p[x] for x in parts)


def value_of(v):
    if is_datetime_obj(v):
        return dt_obj_to_ts(v)
    return v


class Unsupported(Exception):
    pass


def make_predicate(pred):
    """Vega-Lite filter predicate -> function(row) -> bool."""
    if isinstance(pred, str):
        ast = compile_expr(pred)
        return lambda row: truthy(eval_expr(ast, row))
    if not isinstance(pred, dict):
        raise Unsupported(f"predicate {pred!r}")
    if "expr" in pred and len(pred) == 1:
        return make_predicate(pred["expr"])
    if "and" in pred:
        fs = [make_predicate(p) for p in pred["and"]]
        return lambda row: all(f(row) for f in fs)
    if "or" in pred:
        fs = [make_predicate(p) for p in pred["or"]]
        return lambda row: any(f(row) for f in fs)
    if "not" in pred:
        f = make_predicate(pred["not"])
        return lambda row: not f(row)
    if "param" in pred or "selection" in pred:
        return lambda row: True   # interactive selection: keeps everything until the user acts
    if "field" not in pred:
        raise Unsupported(f"predicate {pred!r}")
    field = unescape_field(pred["field"])
    parts = tu_parts(pred.get("timeUnit")) if pred.get("timeUnit") else None
    if pred.get("timeUnit") and not parts:
        raise Unsupported(f"timeUnit {pred.get('timeUnit')!r}")

    def get(row):
        v = row.get(field)
        if parts:
            return tu_key_of_data(v, parts)
        return v

    def conv(v):
        if isinstance(v, dict) and ("expr" in v or "signal" in v):
            raise Unsupported("expression value in predicate")
        if parts:
            return tu_key_of_value(v, parts)
        return value_of(v)

    def cmp(a, b, op):
        if parts:
            if a is None or b is None:
                return False
            return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]
        return js_cmp(a, b, op)

    def eq(a, b):
        if parts:
            return a is not None and a == b
        return js_eq(a, b)

    if "equal" in pred:
        b = conv(pred["equal"])
        return lambda row: eq(get(row), b)
    for key in ("oneOf", "in"):
        if key in pred:
            bs = [conv(x) for x in pred[key]]
            return lambda row: any(eq(get(row), b) for b in bs)
    if "range" in pred:
        r = pred["range"]
        if isinstance(r, dict):
            raise Unsupported("range expression")
        lo = None if r[0] is None else conv(r[0])
        hi = None if len(r) < 2 or r[1] is None else conv(r[1])
        return lambda row: (get(row) is not None and (lo is None or cmp(get(row), lo, ">=")) and
                            (hi is None or cmp(get(row), hi, "<=")))
    for key, op in (("lt", "<"), ("lte", "<="), ("gt", ">"), ("gte", ">=")):
        if key in pred:
            b = conv(pred[key])
            rest = [k for k in ("lt", "lte", "gt", "gte") if k in pred and k != key]
            f0 = (lambda b, op: (lambda row: cmp(get(row), b, op)))(b, op)
            if rest:
                others = make_predicate({k: v for k, v in pred.items() if k != key})
                return lambda row: f0(row) and others(row)
            return f0
    if "valid" in pred:
        want = bool(pred["valid"])
        return lambda row: (not is_missing(row.get(field))) == want
    raise Unsupported(f"predicate {pred!r}")


# ----------------------------------------------------------------------------- view extraction

def first_view(spec):
    """The first unit view of a (possibly layered / concatenated / faceted) spec, with inherited parts."""
    transforms, enc, facet_fields, data = [], {}, [], None
    node = spec
    for _ in range(25):
        if not isinstance(node, dict):
            return None
        if node.get("data") is not None:
            data = node["data"]
        transforms = transforms + list(node.get("transform") or [])
        if isinstance(node.get("encoding"), dict):
            merged = dict(enc)
            merged.update(node["encoding"])
            enc = merged
        if "spec" in node and ("facet" in node or "repeat" in node):
            fct = node.get("facet")
            if isinstance(fct, dict):
                if "field" in fct:
                    facet_fields.append(unescape_field(fct["field"]))
                for k in ("row", "column"):
                    if isinstance(fct.get(k), dict) and fct[k].get("field"):
                        facet_fields.append(unescape_field(fct[k]["field"]))
            node = node["spec"]
            continue
        if isinstance(node.get("layer"), list) and node["layer"]:
            # prefer the first layer that has a mark (or nests one)
            node = node["layer"][0]
            continue
        for k in ("hconcat", "vconcat", "concat"):
            if isinstance(node.get(k), list) and node[k]:
                enc = {}
                node = node[k][0]
                break
        else:
            if "mark" in node:
                mark = node["mark"]
                if isinstance(mark, dict):
                    mark = mark.get("type")
                return {"mark": mark, "encoding": enc, "transform": transforms, "data": data,
                        "facet": facet_fields}
            return None
    return None


class FieldInfo:
    __slots__ = ("field", "agg", "tu", "bin", "window")

    def __init__(self, field=None, agg=None, tu=None, bin=False, window=False):
        self.field, self.agg, self.tu, self.bin, self.window = field, agg, tu, bin, window

    def copy(self):
        return FieldInfo(self.field, self.agg, self.tu, self.bin, self.window)

    def __repr__(self):
        s = self.field or ""
        if self.agg:
            s = f"{self.agg}({self.field or ''})"
        if self.tu:
            s = f"{self.tu}({s})"
        if self.bin:
            s = f"bin({s})"
        return s


TIME_CALC_RE = re.compile(r"^\s*(?:utc)?(year|quarter|month|date|day|hours)\s*\(\s*(?:toDate\s*\()?\s*datum(?:\.([A-Za-z_$][\w$]*)|\[\s*['\"](.+?)['\"]\s*\])\s*\)?\s*\)\s*(?:\+\s*1\s*)?$")


def derivations(transforms):
    der = {}
    for t in transforms:
        if not isinstance(t, dict):
            continue
        if "calculate" in t and "as" in t:
            der[t["as"]] = ("calc", t["calculate"])
        elif "aggregate" in t and isinstance(t["aggregate"], list):
            for a in t["aggregate"]:
                if isinstance(a, dict) and a.get("as"):
                    der[a["as"]] = ("agg", a.get("op"), a.get("field"))
        elif "joinaggregate" in t:
            for a in t["joinaggregate"] or []:
                if isinstance(a, dict) and a.get("as"):
                    der[a["as"]] = ("win", a.get("op"), a.get("field"))
        elif "window" in t:
            for a in t["window"] or []:
                if isinstance(a, dict) and a.get("as"):
                    der[a["as"]] = ("win", a.get("op"), a.get("field"))
        elif "timeUnit" in t and "as" in t:
            der[t["as"]] = ("tu", t["timeUnit"], t.get("field"))
        elif "bin" in t and "as" in t:
            for n in as_list(t["as"]):
                der[n] = ("bin", t.get("field"))
        elif "fold" in t:
            k, v = (t.get("as") or ["key", "value"])[:2]
            der[k] = ("foldkey", t["fold"])
            der[v] = ("foldval", t["fold"])
        elif "density" in t:
            v, d = (t.get("as") or ["value", "density"])[:2]
            der[v] = ("bin", t["density"])
            der[d] = ("agg", "count", None)
        elif "quantile" in t:
            p, v = (t.get("as") or ["prob", "value"])[:2]
            der[v] = ("bin", t["quantile"])
    return der


def resolve(name, der, seen=()):
    """Follow a (possibly derived) field back to a table column, collecting aggregate / time unit / bin."""
    name = unescape_field(name)
    if name in seen or name not in der or len(seen) > 12:
        return FieldInfo(name)
    seen = seen + (name,)
    d = der[name]
    kind = d[0]
    if kind in ("agg", "win"):
        op = AGG_ALIASES.get(d[1], d[1])
        if op in ("count", "rank", "row_number", "dense_rank", "percent_rank", "cume_dist", "ntile") or not d[2]:
            r = FieldInfo(None, op)
        else:
            r = resolve(d[2], der, seen)
            if r.agg is None:
                r.agg = op
        r.window = r.window or kind == "win"
        return r
    if kind == "tu":
        r = resolve(d[2], der, seen) if d[2] else FieldInfo(None)
        r.tu = norm_tu(d[1])
        return r
    if kind == "bin":
        r = resolve(d[1], der, seen) if d[1] else FieldInfo(None)
        r.bin = True
        return r
    if kind == "calc":
        expr = d[1] if isinstance(d[1], str) else ""
        m = TIME_CALC_RE.match(expr)
        if m:
            r = resolve(m.group(2) or m.group(3), der, seen)
            r.tu = m.group(1)
            return r
        refs = expr_refs(expr)
        if name in refs:
            # rewrites its own column (e.g. lumping small groups into "Other"): still that column
            return resolve(name, {k: v for k, v in der.items() if k != name}, seen)
        infos = [resolve(x, der, seen) for x in refs]
        infos = [i for i in infos if i.field is not None or i.agg is not None]
        if not infos:
            return FieldInfo(name)
        non_window = [i for i in infos if not i.window]
        return (non_window or infos)[0]
    if kind == "foldval":
        return FieldInfo(None, "fold")
    if kind == "foldkey":
        return FieldInfo(None, "foldkey")
    return FieldInfo(name)


def channel_info(ch, der):
    if not isinstance(ch, dict):
        return None
    agg = ch.get("aggregate")
    if isinstance(agg, dict):
        agg = None
    agg = AGG_ALIASES.get(agg, agg)
    field = ch.get("field")
    if isinstance(field, dict):      # {"repeat": ...}
        return None
    if field is None:
        if agg == "count":
            return FieldInfo(None, "count")
        return None
    if agg == "count":
        r = FieldInfo(None, "count")
    else:
        r = resolve(field, der)
        if agg and r.agg is None:
            r.agg = agg
    if ch.get("bin"):
        r.bin = True
    if ch.get("timeUnit"):
        r.tu = norm_tu(ch["timeUnit"])
    return r


# ----------------------------------------------------------------------------- transform execution (filters)

def exec_transforms(transforms, table):
    """Run the spec's transforms on the table. Returns (kept_row_ids, note).

    Row-level transforms (filter, calculate, timeUnit, joinaggregate, window, fold) run per row; after the first
    aggregate the surviving groups are mapped back onto the rows they came from, so "having" filters and top-N
    (window rank + filter) restrict rows too."""
    df, date_cols, records = table
    rows = [dict(r, __row=i) for i, r in enumerate(records)]
    if not any(isinstance(t, dict) and ("filter" in t or "sample" in t) for t in transforms):
        return set(range(len(records))), None
    pre_rows, groupby = None, None
    note = None
    for t in transforms:
        if not isinstance(t, dict):
            continue
        if "filter" in t:
            try:
                f = make_predicate(t["filter"])
                rows = [r for r in rows if _safe(f, r)]
            except (Unsupported, ExprError) as e:
                return None, f"unsupported filter: {e}"
        elif "calculate" in t:
            try:
                ast = compile_expr(t["calculate"])
            except ExprError:
                ast = None
            for r in rows:
                try:
                    r[t["as"]] = eval_expr(ast, r) if ast else None
                except Exception:
                    r[t["as"]] = None
        elif "timeUnit" in t and "as" in t:
            parts = tu_parts(t["timeUnit"])
            for r in rows:
                k = tu_key_of_data(r.get(unescape_field(t.get("field"))), parts) if parts else None
                r[t["as"]] = None if k is None else dt_obj_to_ts(dict(zip(parts, k)))
        elif "fold" in t:
            k, v = (t.get("as") or ["key", "value"])[:2]
            new = []
            for r in rows:
                for fld in t["fold"]:
                    nr = dict(r)
                    nr[k], nr[v] = fld, r.get(unescape_field(fld))
                    new.append(nr)
            rows = new
        elif "joinaggregate" in t or "window" in t:
            rows = _window(rows, t)
        elif "aggregate" in t:
            gb = [unescape_field(g) for g in (t.get("groupby") or [])]
            if pre_rows is None:
                pre_rows, groupby = rows, gb
            elif not set(groupby) <= set(gb):
                groupby = [g for g in groupby if g in gb]
            rows = _aggregate(rows, t["aggregate"], gb)
        elif "sample" in t:
            note = "sample transform"
        elif any(k in t for k in ("density", "regression", "loess", "quantile", "pivot", "impute", "lookup",
                                  "flatten", "stack", "extent", "bin")):
            if "bin" in t and "as" in t:
                continue
            if any("filter" in x for x in transforms[transforms.index(t) + 1:] if isinstance(x, dict)):
                note = f"transform {sorted(t)[0]} before a filter is not executed"
            break
    if pre_rows is None:
        return {r["__row"] for r in rows}, note
    if not groupby:
        return ({r["__row"] for r in pre_rows} if rows else set()), note
    keys = {tuple(_hashable(r.get(g)) for g in groupby) for r in rows}
    return {r["__row"] for r in pre_rows if tuple(_hashable(r.get(g)) for g in groupby) in keys}, note


def _safe(f, r):
    try:
        return bool(f(r))
    except Exception:
        return False


def _hashable(v):
    if isinstance(v, list):
        return tuple(v)
    if isinstance(v, float) and math.isnan(v):
        return None
    return v


def _agg_values(op, vals):
    op = AGG_ALIASES.get(op, op)
    nums = [to_num(v) for v in vals if not is_missing(v)]
    nums = [x for x in nums if not math.isnan(x)]
    if op == "count":
        return len(vals)
    if op == "distinct":
        return len({_hashable(v) for v in vals})
    if not nums:
        return None
    if op == "sum":
        return sum(nums)
    if op in ("mean", "average"):
        return sum(nums) / len(nums)
    if op == "median":
        s = sorted(nums)
        n = len(s)
        return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2
    if op == "min":
        return min(nums)
    if op == "max":
        return max(nums)
    if op == "valid":
        return len(nums)
    return None


def _aggregate(rows, aggs, gb):
    groups = OrderedDict()
    for r in rows:
        groups.setdefault(tuple(_hashable(r.get(g)) for g in gb), []).append(r)
    out = []
    for key, rs in groups.items():
        o = dict(zip(gb, key))
        for a in aggs or []:
            if not isinstance(a, dict):
                continue
            fld = unescape_field(a.get("field"))
            o[a.get("as") or f"{a.get('op')}_{fld}"] = _agg_values(a.get("op"), [x.get(fld) for x in rs] if fld else rs)
        out.append(o)
    return out


def _window(rows, t):
    gb = [unescape_field(g) for g in (t.get("groupby") or [])]
    ops = t.get("joinaggregate") or t.get("window") or []
    sort = t.get("sort") or []
    frame = t.get("frame", [None, 0])
    is_join = "joinaggregate" in t
    groups = OrderedDict()
    for r in rows:
        groups.setdefault(tuple(_hashable(r.get(g)) for g in gb), []).append(r)
    for rs in groups.values():
        if sort and not is_join:
            for s in reversed(sort):
                fld = unescape_field(s.get("field"))
                desc = s.get("order") == "descending"
                present = [r for r in rs if not is_missing(r.get(fld))]
                missing = [r for r in rs if is_missing(r.get(fld))]
                present.sort(key=lambda r: _sort_key(r.get(fld)), reverse=desc)
                rs[:] = present + missing
        sort_keys = [tuple(_sort_key(r.get(unescape_field(s.get("field")))) for s in sort) for r in rs]
        for a in ops:
            if not isinstance(a, dict):
                continue
            op, fld, name = a.get("op"), unescape_field(a.get("field")), a.get("as") or a.get("op")
            if is_join or (op not in ("rank", "dense_rank", "row_number", "percent_rank", "cume_dist", "ntile",
                                      "lag", "lead", "first_value", "last_value") and frame == [None, None]):
                val = _agg_values(op, [r.get(fld) for r in rs] if fld else rs)
                for r in rs:
                    r[name] = val
                continue
            if op == "row_number":
                for i, r in enumerate(rs):
                    r[name] = i + 1
            elif op in ("rank", "dense_rank"):
                rank, dense, prev = 0, 0, object()
                for i, (r, k) in enumerate(zip(rs, sort_keys)):
                    if k != prev:
                        rank, dense, prev = i + 1, dense + 1, k
                    r[name] = rank if op == "rank" else dense
            else:   # cumulative aggregate (default frame [null, 0])
                for i, r in enumerate(rs):
                    r[name] = _agg_values(op, [x.get(fld) for x in rs[:i + 1]] if fld else rs[:i + 1])
    return [r for rs in groups.values() for r in rs]


def _sort_key(v):
    if isinstance(v, pd.Timestamp):
        return (0, v.value)
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return (0, v)
    if v is None:
        return (2, "")
    return (1, str(v))


# ----------------------------------------------------------------------------- gold execution

def gold_mask(df, date_cols, flt):
    mask = pd.Series(True, index=df.index)
    for f in flt:
        col = df[f["field"]]
        tu = f.get("time_unit")
        v = f["value"]
        if tu:
            dt = pd.to_datetime(col)
            col = {"year": dt.dt.year, "month": dt.dt.month, "quarter": dt.dt.quarter, "date": dt.dt.day,
                   "day": (dt.dt.day_of_week + 1) % 7, "hours": dt.dt.hour}[tu]
        elif f["field"] in date_cols:
            v = [pd.Timestamp(x) for x in v] if isinstance(v, list) else pd.Timestamp(v)
        op = f["op"]
        if op == "==":
            m = col == v
        elif op == "!=":
            m = col != v
        elif op == "in":
            m = col.isin(v)
        elif op == "not in":
            m = ~col.isin(v)
        elif op == "between":
            m = (col >= v[0]) & (col <= v[1])
        elif op in (">", ">=", "<", "<="):
            m = {"<": col < v, "<=": col <= v, ">": col > v, ">=": col >= v}[op]
        else:
            raise ValueError(f"bad gold op {op}")
        mask &= m.fillna(False).astype(bool)
    return mask


def gold_group_key(df, date_cols, g):
    x = as_list(g["x"])[0]
    s = df[x]
    if x in date_cols and g.get("time_unit"):
        parts = tu_parts(g["time_unit"])
        return s.map(lambda v: tu_key_of_data(v, parts))
    return s


def check_filter(g, view, table):
    df, date_cols, records = table
    xs = as_list(g["x"])[0]
    ys = as_list(g.get("y"))[0]
    valid = df[xs].notna()
    if ys is not None:
        valid &= df[ys].notna()
    base = gold_mask(df, date_cols, g.get("filter") or []) & valid
    kept, note = exec_transforms(view["transform"], table)
    if kept is None:
        return False, note
    pred = pd.Series(False, index=df.index)
    pred.iloc[sorted(kept)] = True
    pred &= valid
    limit = g.get("limit")
    if not limit:
        if (pred == base).all():
            return True, note
        extra, missing = int((pred & ~base).sum()), int((base & ~pred).sum())
        return False, f"rows differ: {missing} gold rows dropped, {extra} extra rows kept"
    # top-N: the kept rows must be whole groups of the gold base and form a valid top-N (ties allowed)
    if (pred & ~base).any():
        return False, "rows outside the gold filter are kept"
    key = gold_group_key(df, date_cols, g)
    agg = g.get("aggregate") or ("count" if ys is None else "mean")   # no aggregate: one value per group
    sub = df[base]
    measure = sub[ys] if ys is not None else pd.Series(1, index=sub.index)
    gkey = key[base]
    if agg == "count" or ys is None:
        vals = measure.groupby(gkey).size()
    else:
        vals = measure.groupby(gkey).agg({"mean": "mean", "sum": "sum", "median": "median", "min": "min",
                                          "max": "max"}.get(agg, "mean"))
    asc = g.get("limit_order") == "asc"
    ordered = vals.sort_values(ascending=asc)
    n = min(limit, len(ordered))
    if n == 0:
        return not pred.any(), None
    thr = ordered.iloc[n - 1]
    strict = set(ordered[(ordered < thr) if asc else (ordered > thr)].index)
    allowed = set(ordered[(ordered <= thr) if asc else (ordered >= thr)].index)
    shown = set(key[pred].unique())
    for k in shown:
        if (base & (key == k) & ~pred).any():
            return False, f"group {k!r} only partly kept"
    if strict <= shown <= allowed and len(shown) >= n:
        return True, note
    return False, f"top-{limit} not applied: {len(shown)} groups shown"


# ----------------------------------------------------------------------------- scoring one item

def gold_variants(g):
    out = [g]
    for a in g.get("alt") or []:
        v = dict(g)
        v.pop("alt", None)
        v.update(a)
        out.append(v)
    return out


def score_variant(g, view, table):
    df, date_cols, _ = table
    res = {"mark": False, "fields": False, "agg": False, "filter": False, "why": []}
    mark = MARK_ALIASES.get(view["mark"], view["mark"])
    res["mark"] = mark in g["mark_ok"]
    enc = view["encoding"] or {}
    der = derivations(view["transform"])
    infos = {ch: channel_info(enc.get(ch), der) for ch in ("x", "y", "theta", "radius", "color", "fill", "stroke",
                                                            "column", "row", "facet", "shape", "strokeDash",
                                                            "xOffset", "yOffset", "size")}
    detail = enc.get("detail")
    details = [channel_info(d, der) for d in (detail if isinstance(detail, list) else [detail])] if detail else []

    pos = [infos[c] for c in ("x", "y") if infos.get(c) is not None]
    group_chs = [c for c in GROUP_CHANNELS if c != "detail" and infos.get(c) is not None]
    if mark == "point":
        # a quantitative colour on a scatter is an extra encoding, not a split of the data
        group_chs = [c for c in group_chs if not (c in ("color", "fill", "stroke") and
                                                  isinstance(enc.get(c), dict) and enc[c].get("type") == "quantitative")]
    groups = [(c, infos[c]) for c in group_chs] + [("detail", d) for d in details if d is not None]
    groups += [("facet", FieldInfo(f)) for f in view.get("facet") or []]
    color_ch = next((c for c in ("color", "fill", "stroke") if infos.get(c) is not None), None)
    measure_color = None
    if mark == "arc":
        pos = [i for i in (infos.get("theta"), infos.get(color_ch) if color_ch else None) if i is not None]
        groups = [(c, i) for c, i in groups if c != color_ch]
    elif "arc" in g["mark_ok"] and color_ch and mark in ("bar", "area"):
        non_count = [i for i in pos if i.field is not None]
        if len(non_count) <= 1 and all(i.agg for i in non_count) and infos[color_ch].field is not None \
                and not infos[color_ch].agg:
            pos = pos + [infos[color_ch]]
            groups = [(c, i) for c, i in groups if c != color_ch]
    if mark == "rect" and color_ch and infos[color_ch] is not None and \
            (infos[color_ch].agg or infos[color_ch].field not in [p.field for p in pos]):
        measure_color = infos[color_ch]

    pred_fields = sorted((i.field for i in pos if i.field is not None), key=str)
    gx_alts, gy_alts = as_list(g["x"]), as_list(g.get("y"))
    dist_alone = g.get("bin") and mark in ("boxplot", "tick")
    matched = None
    for gx in gx_alts:
        for gy in ([None] if dist_alone else gy_alts):
            want = sorted([gx] + ([gy] if gy is not None else []), key=str)
            if want == pred_fields:
                matched = (gx, gy)
                break
        if matched:
            break
    fields_ok = matched is not None
    if not fields_ok:
        res["why"].append(f"fields {pred_fields} != {gx_alts} x {gy_alts}")
    else:
        gx = matched[0]
        xi = next(i for i in pos if i.field == gx)
        if g.get("bin") and not dist_alone:
            few = df[gx].nunique() <= UNBINNED_OK_MAX_DISTINCT if gx in df else False
            if not xi.bin and not few:
                fields_ok = False
                res["why"].append(f"{gx} not binned")
        if gx in date_cols:
            ok_units = g.get("time_unit_ok") or ([g["time_unit"]] if g.get("time_unit") else [])
            if ok_units and xi.tu not in ok_units:
                fields_ok = False
                res["why"].append(f"time unit {xi.tu} not in {ok_units}")
    # color / facet rule
    gcolors = [c for c in as_list(g.get("color")) if c is not None]
    group_fields = [i.field for _, i in groups if i is not None and i.field is not None]
    if measure_color is not None:
        if g.get("color_required"):
            if measure_color.field not in gcolors:
                fields_ok = False
                res["why"].append(f"color {measure_color.field} not in {gcolors}")
        elif measure_color.field is not None and measure_color.field not in gcolors:
            fields_ok = False
            res["why"].append(f"unexpected color measure {measure_color.field}")
        group_fields = [f for f in group_fields if f != measure_color.field]
    elif g.get("color_required"):
        if not set(gcolors) & set(group_fields):
            fields_ok = False
            res["why"].append(f"no color/facet by {gcolors} (got {group_fields})")
    allowed = set(gcolors) | {x for x in gx_alts if x} | {y for y in gy_alts if y}
    extra = [f for f in group_fields if f not in allowed]
    if extra:
        fields_ok = False
        res["why"].append(f"extra split by {extra}")
    if mark in ("line", "area") and matched:
        # a line coloured/split by its own x field falls apart into one-point series
        own_x = [f for f in group_fields if f in gx_alts and f not in gcolors]
        if own_x:
            fields_ok = False
            res["why"].append(f"{mark} split by its own x field {own_x}")
    res["fields"] = fields_ok

    if not res["mark"] and mark == "bar" and g.get("bar_ok_max_periods") and matched:
        # a trend drawn as bars is fine when it shows few periods (e.g. yearly means over 50 years)
        gx = matched[0]
        xi = next(i for i in pos if i.field == gx)
        base = gold_mask(df, date_cols, g.get("filter") or []) & df[gx].notna()
        vals = df.loc[base, gx]
        parts = tu_parts(xi.tu) if xi.tu else None
        n_periods = vals.map(lambda v: tu_key_of_data(v, parts)).nunique() if parts else vals.nunique()
        res["mark"] = n_periods <= g["bar_ok_max_periods"]
        if not res["mark"]:
            res["why"].append(f"bar over {n_periods} periods (at most {g['bar_ok_max_periods']})")
    if not res["mark"]:
        res["why"].insert(0, f"mark {mark} not in {g['mark_ok']}")

    # aggregate
    if dist_alone or mark == "boxplot":
        pagg = None
    else:
        cands = [i for i in pos if i.agg]
        if measure_color is not None and measure_color.agg:
            cands = [measure_color] + cands
        if matched and len(cands) > 1:
            cands = [i for i in cands if i.field != matched[0]] or cands
        pagg = cands[0].agg if cands else None
    ok_aggs = g.get("aggregate_ok") or [g.get("aggregate")]
    res["agg"] = bool(dist_alone) or pagg in ok_aggs
    if not res["agg"]:
        res["why"].append(f"aggregate {pagg} not in {ok_aggs}")

    # filter
    try:
        res["filter"], note = check_filter(g, view, table)
    except Exception as e:   # never let one odd spec stop the run
        res["filter"], note = False, f"filter check error: {type(e).__name__}: {e}"
    if note and not res["filter"]:
        res["why"].append(note)
    res["full"] = res["mark"] and res["fields"] and res["agg"] and res["filter"]
    return res


def score_item(g, pred, tables_dir):
    empty = {"mark": False, "fields": False, "agg": False, "filter": False, "full": False, "error": True, "why": []}
    if pred is None:
        empty["why"].append("no prediction")
        return empty
    spec = pred.get("spec")
    if not isinstance(spec, dict):
        empty["why"].append(f"error: {str(pred.get('error'))[:160]}")
        return empty
    view = first_view(spec)
    if view is None:
        empty["why"].append("no unit view with a mark")
        empty["error"] = False
        return empty
    table = load_table(g["table"], tables_dir)
    best = None
    for v in gold_variants(g):
        r = score_variant(v, view, table)
        rank = (r["full"], r["mark"] + r["fields"] + r["agg"] + r["filter"])
        if best is None or rank > best[0]:
            best = (rank, r)
    r = best[1]
    r["error"] = False
    return r


# ----------------------------------------------------------------------------- report

METRICS = ("full", "mark", "fields", "agg", "filter")


def print_table(title, rows_by_key):
    print(f"\n{title:<26}{'n':>5}" + "".join(f"{m:>8}" for m in METRICS) + f"{'errors':>8}")
    for key in sorted(rows_by_key):
        rs = rows_by_key[key]
        n = len(rs)
        print(f"{key:<26}{n:>5}" + "".join(f"{sum(r[m] for r in rs) / n:>8.2f}" for m in METRICS)
              + f"{sum(r['error'] for r in rs):>8}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("predictions")
    ap.add_argument("--gold", default=os.path.join(HERE, "questions.jsonl"))
    ap.add_argument("--tables", default=os.path.join(HERE, "tables"))
    ap.add_argument("--show-failures", type=int, default=0, help="print N failing items with reasons")
    ap.add_argument("--details", help="write per-item results (JSON lines) here")
    args = ap.parse_args()

    gold = [json.loads(l) for l in open(args.gold) if l.strip()]
    preds = {}
    for l in open(args.predictions):
        if l.strip():
            p = json.loads(l)
            preds[p.get("id")] = p
    results = []
    for g in gold:
        r = score_item(g, preds.get(g["id"]), args.tables)
        r["id"], r["category"], r["table"] = g["id"], g["category"], g["table"]
        results.append(r)

    by_cat, by_tab = defaultdict(list), defaultdict(list)
    for r in results:
        by_cat[r["category"]].append(r)
        by_tab[r["table"]].append(r)
    print_table("category", by_cat)
    print_table("table", by_tab)
    if args.show_failures:
        fails = [r for r in results if not r["full"]]
        print(f"\nfailures ({len(fails)}), first {args.show_failures}:")
        qs = {g["id"]: g["question"] for g in gold}
        for r in fails[:args.show_failures]:
            flags = " ".join(f"{m}={'Y' if r[m] else 'n'}" for m in METRICS[1:])
            print(f"  {r['id']} [{r['category']}] {qs[r['id']]!r}\n      {flags}  {'; '.join(r['why'])}")
    if args.details:
        with open(args.details, "w") as f:
            for r in results:
                f.write(json.dumps(r, default=str) + "\n")
    n = len(results)
    avg = {m: sum(r[m] for r in results) / n if n else 0.0 for m in METRICS}
    errors = sum(r["error"] for r in results)
    print(f"\nrealworld-kit: full={avg['full']:.3f} mark={avg['mark']:.3f} fields={avg['fields']:.3f} "
          f"agg={avg['agg']:.3f} filter={avg['filter']:.3f} errors={errors} n={n}")


if __name__ == "__main__":
    main()
