"""XLSForm expressions (the XPath subset form authors write) to the form language's JsonLogic, and back.

Supported both ways: ``${name}`` and ``.`` (the question itself), numbers, quoted strings, ``or``, ``and``,
``= != < <= > >=``, ``+ - * div mod``, unary ``-``, parentheses, and the functions ``not``, ``true``,
``false``, ``selected``, ``count-selected``, ``string-length``, ``count`` (of a repeat), ``sum`` (of a question
in a repeat), ``concat``, ``if``, ``min`` and ``max`` (of two or more values). Anything else is refused with
what and where, never approximated. ``${x} = ''`` is "x is blank" (``missing``), since XForms reads an
unanswered question as the empty string and JsonLogic reads it as null.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

COMPARISONS = {"=": "==", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}
ARITHMETIC = {"+": "+", "-": "-", "*": "*", "div": "/", "mod": "%"}
#: Binary operators from the loosest to the tightest (XPath 1.0 §3.4–3.5).
LEVELS: tuple[tuple[str, ...], ...] = (("or",), ("and",), ("=", "!="), ("<", "<=", ">", ">="), ("+", "-"),
                                       ("*", "div", "mod"))
_TOKEN = re.compile(r"""\s*(?:
    (?P<ref>\$\{(?P<refname>[^}]*)\})
  | (?P<number>\d+(?:\.\d+)?|\.\d+)
  | (?P<string>'[^']*'|"[^"]*")
  | (?P<op>!=|<=|>=|=|<|>|\+|-|\*|\(|\)|,)
  | (?P<dot>\.(?![\w.]))
  | (?P<name>[A-Za-z_][\w:.-]*)
)""", re.VERBOSE)


class XPathError(ValueError):
    """An expression outside the supported subset; ``position`` is the character it fails at, when known."""

    def __init__(self, message: str, position: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.position = position


@dataclass(frozen=True)
class Reference:
    """A question an expression may name: its dotted key, its type and the repeat holding it (or None)."""

    key: str
    type: str
    repeat: str | None


# --- XLSForm → JsonLogic ------------------------------------------------------------------------------

def to_jsonlogic(expression: str, *, refs: Mapping[str, Reference], own: Reference) -> Any:
    """The JsonLogic of ``expression``, written for the question ``own``; raises XPathError."""
    return _Translator(refs, own).translate(_Parser(expression).parse())


@dataclass(frozen=True)
class _Node:
    kind: str                 # ref, dot, number, string, call, binary, negate
    value: Any
    args: tuple[_Node, ...] = ()
    position: int = 0


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = self._tokenize(text)
        self.index = 0

    @staticmethod
    def _tokenize(text: str) -> list[tuple[str, str, int]]:
        tokens, position = [], 0
        while position < len(text):
            if text[position:].strip() == "":
                break
            match = _TOKEN.match(text, position)
            if not match or match.end() == position:
                raise XPathError(f"cannot read {text[position:].strip()[:20]!r}", position)
            kind = next(k for k in ("ref", "number", "string", "op", "dot", "name") if match.group(k) is not None)
            start = match.start(kind)
            tokens.append((kind, match.group("refname") if kind == "ref" else match.group(kind), start))
            position = match.end()
        return tokens

    def peek(self) -> tuple[str, str, int] | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self) -> tuple[str, str, int]:
        token = self.peek()
        if token is None:
            raise XPathError("the expression ends too early", len(self.text))
        self.index += 1
        return token

    def expect(self, value: str) -> None:
        kind, text, position = self.take()
        if text != value:
            raise XPathError(f"expected {value!r}, found {text!r}", position)

    def parse(self) -> _Node:
        if not self.tokens:
            raise XPathError("the expression is empty", 0)
        node = self.binary(0)
        if self.peek() is not None:
            raise XPathError(f"unexpected {self.peek()[1]!r}", self.peek()[2])
        return node

    def binary(self, level: int) -> _Node:
        if level == len(LEVELS):
            return self.unary()
        node = self.binary(level + 1)
        while (token := self.peek()) is not None and token[0] in ("op", "name") and token[1] in LEVELS[level]:
            self.take()
            node = _Node("binary", token[1], (node, self.binary(level + 1)), token[2])
        return node

    def unary(self) -> _Node:
        token = self.peek()
        if token is not None and token[:2] == ("op", "-"):
            self.take()
            return _Node("negate", "-", (self.unary(),), token[2])
        return self.primary()

    def primary(self) -> _Node:
        kind, text, position = self.take()
        if kind == "ref":
            return _Node("ref", text, (), position)
        if kind == "dot":
            return _Node("dot", ".", (), position)
        if kind == "number":
            return _Node("number", text, (), position)
        if kind == "string":
            return _Node("string", text[1:-1], (), position)
        if kind == "op" and text == "(":
            node = self.binary(0)
            self.expect(")")
            return node
        if kind == "name" and self.peek() is not None and self.peek()[1] == "(":
            self.take()
            args: list[_Node] = []
            if self.peek() is not None and self.peek()[1] == ")":
                self.take()
            else:
                args.append(self.binary(0))
                while self.peek() is not None and self.peek()[1] == ",":
                    self.take()
                    args.append(self.binary(0))
                self.expect(")")
            return _Node("call", text, tuple(args), position)
        if kind == "name":
            raise XPathError(f"{text!r} is an XPath path; refer to a question as ${{name}}", position)
        raise XPathError(f"unexpected {text!r}", position)


class _Translator:
    def __init__(self, refs: Mapping[str, Reference], own: Reference) -> None:
        self.refs = refs
        self.own = own

    def translate(self, node: _Node) -> Any:
        handler = getattr(self, f"_{node.kind}")
        return handler(node)

    def reference(self, node: _Node) -> Reference:
        if node.kind == "dot":
            return self.own
        if node.kind != "ref":
            raise XPathError("expected a question reference ${name}", node.position)
        found = self.refs.get(node.value)
        if found is None:
            raise XPathError(f"${{{node.value}}} names no question of the form", node.position)
        return found

    def path(self, ref: Reference, node: _Node) -> str:
        if ref.type in ("group", "repeat", "note"):
            raise XPathError(f"${{{ref.key.rsplit('.', 1)[-1]}}} is a {ref.type}, not an answer", node.position)
        if ref.repeat is None:
            return ref.key
        if ref.repeat == self.own.repeat:
            return f"{ref.repeat}.${ref.key[len(ref.repeat):]}"
        raise XPathError(f"${{{node.value}}} is inside repeat {ref.repeat}; from outside it, use sum() or count()",
                         node.position)

    def _ref(self, node: _Node) -> Any:
        return {"var": self.path(self.reference(node), node)}

    def _dot(self, node: _Node) -> Any:
        return {"var": self.path(self.own, node)}

    @staticmethod
    def _number(node: _Node) -> Any:
        value = Decimal(node.value)
        return int(value) if value == value.to_integral_value() and "." not in node.value else float(value)

    @staticmethod
    def _string(node: _Node) -> Any:
        return node.value

    def _negate(self, node: _Node) -> Any:
        return {"-": [self.translate(node.args[0])]}

    def _binary(self, node: _Node) -> Any:
        left, right = node.args
        if node.value in ("or", "and"):
            parts = [self.translate(arg) for arg in (left, right)]
            flat = [p for part in parts for p in (part[node.value] if isinstance(part, dict)
                                                  and set(part) == {node.value} else [part])]
            return {node.value: flat}
        if node.value in ("=", "!=") and {left.kind, right.kind} & {"string"}:
            blank_test = self._blank(left, right, node.value)
            if blank_test is not None:
                return blank_test
        operator = COMPARISONS.get(node.value) or ARITHMETIC[node.value]
        return {operator: [self.translate(left), self.translate(right)]}

    def _blank(self, left: _Node, right: _Node, operator: str) -> Any:
        question, other = (left, right) if right.kind == "string" else (right, left)
        if other.value != "" or question.kind not in ("ref", "dot"):
            return None
        missing = {"missing": [self.path(self.reference(question), question)]}
        return {"!!": [missing]} if operator == "=" else {"!": [missing]}

    def _call(self, node: _Node) -> Any:
        name, args = node.value, node.args
        simple = {"not": ("!", 1), "if": ("if", 3), "concat": ("cat", None), "min": ("min", None),
                  "max": ("max", None)}
        if name in ("true", "false"):
            self.arity(node, 0)
            return name == "true"
        if name in simple:
            operator, count = simple[name]
            if count is not None:
                self.arity(node, count)
            elif len(args) < (1 if name == "concat" else 2):
                raise XPathError(f"{name}() takes {'one' if name == 'concat' else 'two'} or more arguments here",
                                 node.position)
            return {operator: [self.translate(arg) for arg in args]}
        if name == "selected":
            self.arity(node, 2)
            if args[1].kind != "string":
                raise XPathError("selected() takes a choice name in quotes", args[1].position)
            return {"in": [args[1].value, self.translate(args[0])]}
        if name in ("count-selected", "string-length"):
            self.arity(node, 1)
            ref = self.reference(args[0])
            wanted = ("select_multiple",) if name == "count-selected" else ("text",)
            if ref.type not in wanted:
                raise XPathError(f"{name}() reads a {' or '.join(wanted)} question", args[0].position)
            return {"var": f"{self.path(ref, args[0])}.length"}
        if name == "count":
            self.arity(node, 1)
            ref = self.reference(args[0])
            if ref.type != "repeat":
                raise XPathError("count() counts the entries of a repeat", args[0].position)
            return {"var": f"{ref.key}.length"}
        if name == "sum":
            self.arity(node, 1)
            ref = self.reference(args[0])
            if ref.repeat is None or ref.repeat == self.own.repeat:
                raise XPathError("sum() adds up a question inside a repeat, from outside that repeat",
                                 args[0].position)
            return {"reduce": [{"var": ref.repeat},
                               {"+": [{"var": "accumulator"}, {"var": f"current{ref.key[len(ref.repeat):]}"}]}, 0]}
        raise XPathError(f"the function {name}() has no equivalent in the form language", node.position)

    @staticmethod
    def arity(node: _Node, count: int) -> None:
        if len(node.args) != count:
            raise XPathError(f"{node.value}() takes {count} argument{'s' if count != 1 else ''}", node.position)


# --- JsonLogic → XLSForm ------------------------------------------------------------------------------

def to_xpath(logic: Any, *, name_of: Callable[[str], str], own_key: str,
             type_of: Callable[[str], str | None]) -> str:
    """The XLSForm expression of ``logic`` (JsonLogic written for the question ``own_key``); raises XPathError.

    ``name_of`` gives the XLSForm name of a question key (raising XPathError when it is ambiguous) and
    ``type_of`` its type (None for no question).
    """
    return _Writer(name_of, own_key, type_of).write(logic)


_XPATH_OF = {**{v: k for k, v in COMPARISONS.items()}, **{v: k for k, v in ARITHMETIC.items()}}
#: How tightly each written operator binds, to add only the parentheses needed.
_PRECEDENCE = {op: level for level, ops in enumerate(LEVELS) for op in ops}


class _Writer:
    def __init__(self, name_of: Callable[[str], str], own_key: str, type_of: Callable[[str], str | None]) -> None:
        self.name_of = name_of
        self.own_key = own_key
        self.type_of = type_of

    def write(self, logic: Any) -> str:
        return self.node(logic)[0]

    def ref(self, path: Any) -> str:
        if not isinstance(path, str):
            raise XPathError(f"a var with a default or a computed path ({path!r}) has no XLSForm form")
        key = path.replace(".$", "")
        if key == self.own_key:
            return "."
        if self.type_of(key) is None:
            raise XPathError(f"the path {path!r} reads into an answer; XLSForm has no equivalent")
        return f"${{{self.name_of(key)}}}"

    def node(self, logic: Any) -> tuple[str, int]:
        """The text and how tightly it binds (len(LEVELS) + 1: an atom)."""
        atom = len(LEVELS) + 1
        if isinstance(logic, bool):
            return ("true()" if logic else "false()"), atom
        if isinstance(logic, (int, float)):
            return (str(logic) if logic >= 0 else f"-{-logic}"), atom
        if isinstance(logic, str):
            if "'" in logic and '"' in logic:
                raise XPathError(f"the string {logic!r} holds both quote marks")
            return (f"'{logic}'" if "'" not in logic else f'"{logic}"'), atom
        if not isinstance(logic, dict) or len(logic) != 1:
            raise XPathError(f"{logic!r} has no XLSForm form")
        [(operator, args)] = logic.items()
        args = args if isinstance(args, list) else [args]
        return self.operation(operator, args)

    def operation(self, operator: str, args: list) -> tuple[str, int]:
        atom = len(LEVELS) + 1
        if operator == "var" and len(args) == 1:
            path = args[0]
            if isinstance(path, str) and path.endswith(".length"):
                key = path[: -len(".length")].replace(".$", "")
                function = {"select_multiple": "count-selected", "text": "string-length",
                            "repeat": "count"}.get(self.type_of(key) or "")
                if function:
                    target = f"${{{self.name_of(key)}}}" if key != self.own_key else "."
                    return f"{function}({target})", atom
            return self.ref(path), atom
        if operator in ("!!", "!") and len(args) == 1 and isinstance(args[0], dict) and "missing" in args[0]:
            paths = args[0]["missing"]
            paths = paths[0] if len(paths) == 1 and isinstance(paths[0], list) else paths
            if len(paths) == 1:
                test = "=" if operator == "!!" else "!="
                return f"{self.ref(paths[0])} {test} ''", _PRECEDENCE["="]
        if operator == "!" and len(args) == 1:
            return f"not({self.write(args[0])})", atom
        if operator == "in" and len(args) == 2 and isinstance(args[0], str) and isinstance(args[1], dict):
            return f"selected({self.write(args[1])}, {self.write(args[0])})", atom
        if operator == "reduce" and len(args) == 3 and args[2] == 0:
            total = self.sum(args)
            if total:
                return total, atom
        if operator in ("<", "<=") and len(args) == 3:
            # JsonLogic's "between": a ≤ b ≤ c is written as two comparisons, which read back as an "and".
            return self.chain("and", [{operator: args[:2]}, {operator: args[1:]}])
        if operator in ("and", "or") and args:
            return self.chain(operator, args)
        if operator == "-" and len(args) == 1:
            text, level = self.node(args[0])
            return f"-{text if level == atom else f'({text})'}", atom
        if operator in _XPATH_OF and len(args) == 2:
            return self.chain(_XPATH_OF[operator], args)
        if operator in ("+", "*") and len(args) > 2:
            return self.chain(_XPATH_OF[operator], args)
        functions = {"if": ("if", 3), "cat": ("concat", None), "min": ("min", None), "max": ("max", None)}
        if operator in functions:
            name, count = functions[operator]
            if (count is None and len(args) >= (1 if name == "concat" else 2)) or len(args) == count:
                return f"{name}({', '.join(self.write(arg) for arg in args)})", atom
        raise XPathError(f"the operation {operator!r} with {len(args)} argument(s) has no XLSForm form here")

    def sum(self, args: list) -> str | None:
        source, body, _ = args
        expected_var = isinstance(source, dict) and set(source) == {"var"} and isinstance(source["var"], str)
        if not expected_var or not isinstance(body, dict) or set(body) != {"+"} or len(body["+"]) != 2:
            return None
        accumulator, current = body["+"]
        if accumulator != {"var": "accumulator"} or not isinstance(current, dict) or set(current) != {"var"}:
            return None
        field = current["var"]
        if not isinstance(field, str) or not field.startswith("current."):
            return None
        key = f"{source['var']}.{field[len('current.'):]}"
        return f"sum(${{{self.name_of(key)}}})"

    def chain(self, operator: str, args: list) -> tuple[str, int]:
        level = _PRECEDENCE[operator]
        parts = []
        for position, arg in enumerate(args):
            text, binds = self.node(arg)
            # Left-associative: the right operand of the same level needs parentheses (a - (b - c)).
            needs = binds < level or (binds == level and position > 0 and operator not in ("and", "or", "+", "*"))
            parts.append(f"({text})" if needs else text)
        return f" {operator} ".join(parts), level
