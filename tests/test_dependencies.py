"""Dependencies between features point one way (STYLE.md convention 18; the rule and the layer order are
in docs/architecture.md, "Rules of the road").

A feature is a package under ``timebank/``. Each has two layers: its **front** (``views``, ``api``,
``forms``, ``schemas``, ``cli``; every module of the ``api`` package, which is the JSON API's shared
front) and its **core** (models, services and every other module). The graph has one node per feature
and layer, and an edge for each import between features, read from the source: module-level and
function-level imports alike, and those under ``TYPE_CHECKING`` too (a type a module names is a
dependency all the same). A feature's front imports its own core. The rule:

* the graph has no cycle. So a feature's front may import any feature's core (nothing below imports
  it back), and the cores are ordered: a service imports only features below it;
* a core module imports no other feature's front: a service is below every page;
* the cores' order is the one docs/architecture.md gives ("Layers, bottom first"), so that the page
  stays true: a core imports only cores of lower layers.

``timebank/api/__init__.py`` is left out: it is wiring, listing every feature's API blueprint as the
app factory lists their pages.
"""

from __future__ import annotations

import ast
import itertools
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "timebank"
ARCHITECTURE = PACKAGE.parent / "docs" / "architecture.md"
FRONT_MODULES = frozenset({"views", "api", "forms", "schemas", "cli"})
#: Packages that are all front.
FRONT_PACKAGES = frozenset({"api"})
#: Modules that only wire features together, like the app factory, and so import them all.
WIRING = frozenset({"api/__init__.py"})

Node = tuple[str, str]  # (feature, "front" | "core")


@dataclass(frozen=True)
class Import:
    source: str  # path under timebank/, with the line
    target: str  # the module imported from

    def __str__(self) -> str:
        return f"{self.source} imports {self.target}"


def _features() -> frozenset[str]:
    return frozenset(path.parent.name for path in PACKAGE.glob("*/__init__.py"))


def _layer(feature: str, module: str) -> str:
    return "front" if feature in FRONT_PACKAGES or module in FRONT_MODULES else "core"


def _imported(path: Path, node: ast.Import | ast.ImportFrom) -> list[list[str]]:
    """Each module (or name in a module) the statement imports, as dotted parts."""
    if isinstance(node, ast.Import):
        return [alias.name.split(".") for alias in node.names]
    if node.level:  # relative: from the package the module is in
        package = list(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
        base = package[: len(package) - node.level + 1] + (node.module.split(".") if node.module else [])
    else:
        base = (node.module or "").split(".")
    return [[*base, alias.name] for alias in node.names]


def import_graph() -> dict[Node, dict[Node, list[Import]]]:
    """Edges between (feature, layer) nodes, each with the imports that make it."""
    features = _features()
    graph: dict[Node, dict[Node, list[Import]]] = defaultdict(dict)
    for feature in features:
        graph[(feature, "front")][(feature, "core")] = []
    for path in sorted(PACKAGE.glob("*/**/*.py")):
        relative = path.relative_to(PACKAGE)
        if relative.as_posix() in WIRING:
            continue
        feature, module = relative.parts[0], relative.with_suffix("").parts[1]
        source = (feature, _layer(feature, module))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            for parts in _imported(path, node):
                if len(parts) < 2 or parts[0] != "timebank" or parts[1] not in features or parts[1] == feature:
                    continue
                target = (parts[1], _layer(parts[1], parts[2] if len(parts) > 2 else "__init__"))
                imported = Import(f"timebank/{relative.as_posix()}:{node.lineno}", ".".join(parts[:3]))
                if imported not in graph[source].setdefault(target, []):
                    graph[source][target].append(imported)
    return graph


def strongly_connected(graph: dict[Node, dict[Node, list[Import]]]) -> list[list[Node]]:
    """Tarjan's algorithm, without recursion: the components of more than one node (the cycles)."""
    index: dict[Node, int] = {}
    low: dict[Node, int] = {}
    stack: list[Node] = []
    on_stack: set[Node] = set()
    found: list[list[Node]] = []
    counter = itertools.count()
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = next(counter)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = next(counter)
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(graph.get(successor, {})))))
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def _name(node: Node) -> str:
    return f"{node[0]} ({node[1]})"


def test_no_import_cycle_between_features() -> None:
    graph = import_graph()
    problems = []
    for component in strongly_connected(graph):
        members = set(component)
        lines = [f"cycle between {', '.join(_name(node) for node in component)}:"]
        for source in component:
            for target in sorted(graph[source]):
                if target in members:
                    lines += [f"    {imported}" for imported in graph[source][target]]
        problems.append("\n".join(lines))
    assert not problems, "\n".join(problems)


def test_no_service_imports_a_front() -> None:
    graph = import_graph()
    problems = [str(imported) for (feature, layer), targets in sorted(graph.items()) if layer == "core"
                for (target, target_layer), imports in sorted(targets.items())
                if target_layer == "front" and target != feature for imported in imports]
    assert not problems, "\n".join(problems)


def documented_layers() -> dict[str, int]:
    """Each feature's layer, from the numbered list after "Layers, bottom first" (to its first blank line)."""
    lines = ARCHITECTURE.read_text(encoding="utf-8").split("Layers, bottom first", 1)[1].splitlines()[1:]
    layers: dict[str, int] = {}
    for line in itertools.dropwhile(lambda text: not text.strip(), lines):
        if not line.strip():
            break
        if item := re.match(r"\s*(\d+)\. ([^(]*)", line):
            for feature in re.findall(r"`(\w+)`", item.group(2)):
                assert feature not in layers, f"{feature} is in two layers"
                layers[feature] = int(item.group(1))
    return layers


def test_services_import_only_lower_layers() -> None:
    layers = documented_layers()
    assert set(layers) == _features() - FRONT_PACKAGES, "docs/architecture.md lists other features than there are"
    graph = import_graph()
    problems = [f"{imported} (layer {layers[feature]} imports layer {layers[target]})"
                for (feature, layer), targets in sorted(graph.items()) if layer == "core"
                for (target, target_layer), imports in sorted(targets.items())
                if target_layer == "core" and target != feature and layers[target] >= layers[feature]
                for imported in imports]
    assert not problems, "\n".join(problems)


def test_the_graph_sees_cycles() -> None:
    """The check itself: a cycle of three, one through a front, and a front importing a core are told apart."""
    def graph(*edges: tuple[Node, Node]) -> dict[Node, dict[Node, list[Import]]]:
        made: dict[Node, dict[Node, list[Import]]] = defaultdict(dict)
        for source, target in edges:
            made[source][target] = []
        return made

    a, b, c = ("a", "core"), ("b", "core"), ("c", "core")
    assert strongly_connected(graph((a, b), (b, c), (c, a))) == [[a, b, c]]
    assert strongly_connected(graph((("a", "front"), b), (b, ("a", "front")))) == [[("a", "front"), b]]
    assert strongly_connected(graph((("a", "front"), a), (("a", "front"), b), (b, a))) == []
