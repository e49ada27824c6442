"""From a parsed query to the engine's full-text expression, by way of a tree of matches.

Words become terms (Chinese ones with the shorter words inside them), phrases become the
engine's phrase match for words in Latin script and an exact substring test for Chinese
(jieba's overlapping words have no single order to match in), and names of countries,
groups, recommendations and projects become the names of the same record in every
language. The expression quotes every token, so no character of the user's reaches the
engine as an operator; it is passed as a bound parameter. SQL is plain text run through a
`devagenda.core.sqlreader.Reader`, so that the command line searches without SQLAlchemy.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from devagenda.core.sqlreader import bound_list
from devagenda.search.query import Clause, ParsedQuery, Phrase, Prefix, Words
from devagenda.search.segment import (
    Span,
    fold,
    is_han,
    name_key,
    plain_words,
    runs,
    token_spans,
    words,
)

if TYPE_CHECKING:
    from devagenda.core.sqlreader import Reader

LONG_STEM = 8  # stems this long also find longer words: entrepreneur, entrepreneurship
# English words that a snippet never marks on their own (as folded and stemmed): a name
# expanded across languages ("United Republic of Tanzania") or a phrase matches them only
# in place, and a lone "of" marked all over a text says nothing.
_STOP_WORDS = (
    "a an the of and or nor but to in on at by for from with within without into onto "
    "upon about over under between among against through during per via as than that "
    "this these those it its is are was were be been has have had do does not no de "
    "du des la le les et el los las y"
)
STOP_WORDS = frozenset(token for word in _STOP_WORDS.split(" ") for token in fold(word))
MAX_NAME_WORDS = 40
MAX_ALTERNATIVES = 24
# The spaces of a name key that Chinese writing does not have: next to a Han character.
_WRITTEN = re.compile(r"(?<=[\u3400-\u9fff]) | (?=[\u3400-\u9fff])")


@dataclass(frozen=True)
class Term:
    """One word: the word itself or, failing that, every shorter word jieba finds inside
    it (a query word the dictionary keeps whole, 发展中国家, still finds a text where the
    context made jieba cut it otherwise); `prefix` also matches longer words."""

    word: str
    parts: tuple[str, ...] = ()
    prefix: bool = False


@dataclass(frozen=True)
class InOrder:
    """Tokens in this order, next to each other."""

    tokens: tuple[str, ...]


@dataclass(frozen=True)
class Contains:
    """The entry's text holds this string (a quoted Chinese phrase)."""

    text: str


@dataclass(frozen=True)
class All:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Any_:
    children: tuple[Node, ...]


Node = Term | InOrder | Contains | All | Any_


@dataclass(frozen=True)
class Matches:
    required: Node | None
    excluded: Node | None
    marked: frozenset[str]  # tokens to highlight wherever they occur
    marked_prefixes: frozenset[str]
    marked_phrases: frozenset[tuple[str, ...]]  # tokens to highlight only where in order
    names: tuple[str, ...]  # other-language names of names in the query (as keys)


def compile_query(reader: Reader, parsed: ParsedQuery) -> Matches:
    names: list[str] = []
    expanded: list[tuple[Node, list[str]]] = []
    required = _clauses(reader, parsed.required, names, expanded)
    excluded = [_clause(clause) for clause in parsed.excluded]
    marked: set[str] = set()
    prefixes: set[str] = set()
    phrases: set[tuple[str, ...]] = set()
    if required is not None:
        named = frozenset(node for node, _ in expanded)
        _collect(required, marked, prefixes, phrases, named)
    for _, keys in expanded:
        _mark_names(keys, marked, phrases)
    return Matches(
        required=required,
        excluded=_any(excluded) if excluded else None,
        marked=frozenset(marked),
        marked_prefixes=frozenset(prefixes),
        marked_phrases=frozenset(phrases),
        names=tuple(names),
    )


# -- words, phrases and prefixes ---------------------------------------------------------


def latin_term(token: str) -> Term:
    """A stemmed word; long ones also match as a prefix, without Porter2's final y -> i
    (gastronomy -> gastronom, to find gastronomic)."""
    if len(token) >= LONG_STEM:
        return Term(token[:-1] if token.endswith("i") else token, prefix=True)
    return Term(token)


def han_terms(run: str) -> list[Term]:
    """The words of a Han run, each with the shorter words jieba's search mode finds in it."""
    spans = token_spans(run)
    terms: list[Term] = []
    for span in spans:
        if any(other.contains(span) for other in spans):
            continue
        terms.append(Term(span.token, _covering_parts(span, spans)))
    return list(dict.fromkeys(terms))


def _covering_parts(word: Span, spans: Sequence[Span]) -> tuple[str, ...]:
    """The shorter words inside `word`, with its characters that none of them holds as
    words of their own: the parts must cover the whole word, or 冈比亚 (parts: 比亚) would
    find every text naming 赞比亚 or 哥伦比亚. Without shorter words, none."""
    inside = [p for p in spans if word.contains(p)]
    if not inside:
        return ()
    covered = {i for p in inside for i in range(p.start, p.end)}
    single = [
        Span(word.token[i - word.start], i, i + 1)
        for i in range(word.start, word.end)
        if i not in covered
    ]
    ordered = sorted([*inside, *single], key=lambda p: (p.start, p.end))
    return tuple(dict.fromkeys(p.token for p in ordered))


def text_terms(text: str) -> list[Node]:
    """What a word the user typed must match: all of its tokens."""
    nodes: list[Node] = []
    for piece in words(text):
        nodes.extend(han_terms(piece) if is_han(piece) else [latin_term(piece)])
    return nodes


def _phrase(text: str) -> Node | None:
    """Latin words in order; each Han run as terms plus the exact run."""
    nodes: list[Node] = []
    latin: list[str] = []

    def flush() -> None:
        if len(latin) == 1:
            nodes.append(Term(latin[0]))
        elif latin:
            nodes.append(InOrder(tuple(latin)))
        latin.clear()

    for piece in runs(text):
        if is_han(piece):
            flush()
            nodes.extend(han_terms(piece))
            nodes.append(Contains(piece))
        else:
            latin.extend(fold(piece))
    flush()
    return _all(nodes) if nodes else None


def _prefix(text: str) -> Node | None:
    """Words starting with the text, as typed and as stemmed (happy* finds happi)."""
    pieces = plain_words(text)
    if not pieces:
        return None
    *whole, last = pieces
    nodes: list[Node] = [latin_term(p) if not is_han(p) else Term(p) for p in whole]
    stems = dict.fromkeys([last, *fold(last)])
    nodes.append(_any([Term(s, prefix=True) for s in stems]))
    return _all(nodes)


def _item(item: Words | Phrase | Prefix) -> Node | None:
    if isinstance(item, Phrase):
        return _phrase(item.text)
    if isinstance(item, Prefix):
        return _prefix(item.text)
    nodes = text_terms(item.text)
    return _all(nodes) if nodes else None


def _clause(clause: Clause) -> Node:
    nodes = [node for node in map(_item, clause.items) if node is not None]
    return _any(nodes) if nodes else All(())


# -- names in either language ------------------------------------------------------------


def _clauses(
    reader: Reader,
    clauses: Iterable[Clause],
    names: list[str],
    expanded: list[tuple[Node, list[str]]],
) -> Node | None:
    """All the clauses; runs of plain words are first looked up as names."""
    nodes: list[Node] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            nodes.extend(_named(reader, " ".join(run), names, expanded))
            run.clear()

    for clause in clauses:
        (item, *others) = clause.items
        if not others and isinstance(item, Words):
            run.append(item.text)
            continue
        flush()
        nodes.append(_clause(clause))
    flush()
    return _all(nodes) if nodes else None


def _named(
    reader: Reader, text: str, names: list[str], expanded: list[tuple[Node, list[str]]]
) -> list[Node]:
    """The words of `text`; a stretch of them that is the whole name of a record becomes
    any of that record's names, in every language (Uganda: also 乌干达). `expanded` gets
    each such match with the names it stands for, which snippets mark whole."""
    pieces = words(text)[:MAX_NAME_WORDS]
    spans = {
        name_key(pieces[start:end]): (start, end)
        for start in range(len(pieces))
        for end in range(start + 1, len(pieces) + 1)
    }
    alternatives = _alternatives(reader, list(spans))
    covered: list[tuple[int, int, str]] = []
    for key in sorted(alternatives, key=lambda k: spans[k][0] - spans[k][1]):
        start, end = spans[key]
        if all(end <= s or e <= start for s, e, _ in covered):
            covered.append((start, end, key))
    nodes: list[Node] = []
    position = 0
    for start, end, key in sorted(covered):
        nodes.extend(_piece_terms(pieces[position:start]))
        names.extend(other for other in alternatives[key] if other != key)
        node = _any([_name_node(k) for k in alternatives[key]])
        expanded.append((node, alternatives[key]))
        nodes.append(node)
        position = end
    nodes.extend(_piece_terms(pieces[position:]))
    return nodes


def _piece_terms(pieces: list[str]) -> list[Node]:
    nodes: list[Node] = []
    for piece in pieces:
        nodes.extend(han_terms(piece) if is_han(piece) else [latin_term(piece)])
    return nodes


_NAMED = (
    "SELECT search_name.name_key, search_entry.record FROM search_name"
    " JOIN search_entry ON search_entry.id = search_name.entry_id"
)


def _alternatives(reader: Reader, keys: list[str]) -> dict[str, list[str]]:
    """For each key that is a stored name: every name of the records it names."""
    if not keys:
        return {}
    params: dict[str, object] = {}
    found = reader.rows(
        f"{_NAMED} WHERE search_name.name_key IN {bound_list(params, 'key', keys)}", **params
    )
    if not found:
        return {}
    params = {}
    records = bound_list(params, "record", sorted({record for _, record in found}))
    by_record: dict[int, list[str]] = {}
    for key, record in reader.rows(
        f"{_NAMED} WHERE search_entry.record IN {records}"
        " ORDER BY search_entry.id, search_name.name_key",
        **params,
    ):
        by_record.setdefault(record, []).append(key)
    result: dict[str, list[str]] = {}
    for key, record in found:
        merged = result.setdefault(key, [key])
        for other in by_record.get(record, []):
            if other not in merged and len(merged) < MAX_ALTERNATIVES:
                merged.append(other)
    return result


def _name_node(key: str) -> Node:
    """A stored name as a match: Chinese words as terms plus the name as written, other
    words in order. Without the written name, 冈比亚 (冈 + 比亚) would find every text
    naming 赞比亚 or 哥伦比亚 that also holds a 冈 anywhere."""
    nodes: list[Node] = []
    latin: list[str] = []
    han: list[str] = []

    def written() -> None:
        if len(han) > 1:
            nodes.append(Contains("".join(han)))
        han.clear()

    for segment in key.split(" "):
        if is_han(segment):
            nodes.extend(han_terms(segment))
            han.append(segment)
        else:
            written()
            latin.append(segment)
    written()
    if len(latin) > 1:
        nodes.append(InOrder(tuple(latin)))
    elif latin:
        nodes.append(Term(latin[0]))
    return _all(nodes)


# -- the tree ----------------------------------------------------------------------------


def _all(nodes: list[Node]) -> Node:
    flat = tuple(
        dict.fromkeys(
            n for node in nodes for n in (node.children if isinstance(node, All) else (node,))
        )
    )
    return flat[0] if len(flat) == 1 else All(flat)


def _any(nodes: list[Node]) -> Node:
    flat = tuple(
        dict.fromkeys(
            n for node in nodes for n in (node.children if isinstance(node, Any_) else (node,))
        )
    )
    return flat[0] if len(flat) == 1 else Any_(flat)


def _collect(
    node: Node,
    marked: set[str],
    prefixes: set[str],
    phrases: set[tuple[str, ...]],
    named: frozenset[Node],
) -> None:
    """What snippets mark: words (never a stop word alone), prefixes, whole phrases; not
    the words of names in `named`, which are marked as whole names."""
    if node in named:
        return
    if isinstance(node, Term):
        if node.prefix:
            prefixes.add(node.word)
        elif not is_stop_word(node.word):
            marked.add(node.word)
        marked.update(node.parts)
    elif isinstance(node, InOrder):
        phrases.add(node.tokens)
    elif isinstance(node, All | Any_):
        for child in node.children:
            _collect(child, marked, prefixes, phrases, named)


def _mark_names(keys: list[str], marked: set[str], phrases: set[tuple[str, ...]]) -> None:
    """A name is marked whole: in Chinese as it is written (第12项建议), in other scripts
    as a phrase of its words, never as its single characters or short words alone."""
    for key in keys:
        if is_han(key):
            marked.add(_WRITTEN.sub("", key))
        elif " " in key:
            phrases.add(tuple(key.split(" ")))
        elif not is_stop_word(key):
            marked.add(key)


def is_stop_word(token: str) -> bool:
    """A folded token too common to mark alone: a stop word or a single Latin letter."""
    return token in STOP_WORDS or (len(token) == 1 and token.isascii() and token.isalpha())


def has_contains(node: Node) -> bool:
    if isinstance(node, Contains):
        return True
    return isinstance(node, All | Any_) and any(map(has_contains, node.children))


# -- engine expressions ------------------------------------------------------------------


@dataclass(frozen=True)
class Syntax:
    """How one engine writes a full-text expression."""

    quote: Callable[[str], str]
    prefix: Callable[[str], str]
    in_order: Callable[[tuple[str, ...]], str]
    all_of: str
    any_of: str


FTS5 = Syntax(
    quote=lambda token: '"' + token.replace('"', '""') + '"',
    prefix=lambda token: '"' + token.replace('"', '""') + '" *',
    in_order=lambda tokens: '"' + " ".join(t.replace('"', '""') for t in tokens) + '"',
    all_of=" AND ",
    any_of=" OR ",
)


def _lexeme(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


TSQUERY = Syntax(
    quote=_lexeme,
    prefix=lambda token: _lexeme(token) + ":*",
    in_order=lambda tokens: "(" + " <-> ".join(map(_lexeme, tokens)) + ")",
    all_of=" & ",
    any_of=" | ",
)
# The same, for title words only (weight A in the vector).
TSQUERY_TITLE = Syntax(
    quote=lambda token: _lexeme(token) + ":A",
    prefix=lambda token: _lexeme(token) + ":*A",
    in_order=lambda tokens: "(" + " <-> ".join(_lexeme(t) + ":A" for t in tokens) + ")",
    all_of=" & ",
    any_of=" | ",
)


def expression(node: Node, syntax: Syntax) -> str | None:
    """The engine's expression for `node`, with Contains left out (tested separately);
    None when nothing is left."""
    if isinstance(node, Term):
        own = syntax.prefix(node.word) if node.prefix else syntax.quote(node.word)
        if not node.parts:
            return own
        parts = syntax.all_of.join(map(syntax.quote, node.parts))
        return f"({own}{syntax.any_of}({parts}))"
    if isinstance(node, InOrder):
        return syntax.in_order(node.tokens)
    if isinstance(node, Contains):
        return None
    children = [e for e in (expression(c, syntax) for c in node.children) if e is not None]
    if not children:
        return None
    joiner = syntax.all_of if isinstance(node, All) else syntax.any_of
    return children[0] if len(children) == 1 else "(" + joiner.join(children) + ")"


def contains_condition(
    node: Node, matches: Callable[[Node], str], params: dict[str, object]
) -> str:
    """An SQL condition on search_entry that, with the full-text match of `node`, is
    exactly `node`: Contains tested by LIKE, and each alternative that holds one checked
    with its own full-text match (`matches`, which binds what it needs in `params`)."""
    if isinstance(node, Contains):
        name = f"contains_{len(params)}"
        params[name] = (
            "%" + node.text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        )
        return (
            f"(search_entry.body LIKE :{name} ESCAPE '\\'"
            f" OR search_entry.title LIKE :{name} ESCAPE '\\')"
        )
    if isinstance(node, All):
        parts = [contains_condition(c, matches, params) for c in node.children if has_contains(c)]
        return "(" + " AND ".join(["1 = 1", *parts]) + ")"
    if isinstance(node, Any_):
        parts = [
            f"({matches(c)} AND {contains_condition(c, matches, params)})"
            if has_contains(c)
            else matches(c)
            for c in node.children
        ]
        return "(" + " OR ".join(["1 = 0", *parts]) + ")"
    return "1 = 1"
