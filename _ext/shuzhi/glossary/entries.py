"""The glossary: one YAML file of concepts, validated, with pinyin keys and stable anchors.

Pure Python (no Sphinx), so that the build and the command-line checks read
the glossary the same way. :func:`load` never raises on bad input: every
problem becomes a :class:`Problem` with the file's line, and the entries that
are usable are kept.

Entries are edited by many hands and are untrusted input: YAML aliases are refused,
each entry is built on its own (one that cannot be, such as a 5000-digit number, is a
problem at its line), control characters are removed (``glossary_control``), HTML in
a field shown to readers is a problem (``glossary_html``; it is shown as text), and
source URLs must be http(s).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from ..report import controls, kinds, urls
from ..report.frontmatter import HTML_TAG, SAFE_LOADER, first_alias
from ..report.mentions import Terms
from .sources import DEFAULT_OUTLETS, Source, parse as parse_source

#: Default categories; a site sets its own with ``shuzhi_glossary_categories``.
DEFAULT_CATEGORIES = ("政治要求", "组织制度", "作风纪律", "工作方法", "学习教育", "乡村振兴", "地方提法")
#: A ``pinyin`` override: lower-case syllables, each with an optional tone number. It
#: becomes the entry's anchor, so nothing else may pass.
PINYIN_OVERRIDE = re.compile(r"[a-z]+[1-5]?(?: [a-z]+[1-5]?)*")
#: Shorter terms would match inside too many unrelated words.
MIN_TERM_LENGTH = 2


class Problem(NamedTuple):
    line: int
    subtype: kinds.Kind  # GLOSSARY_SYNTAX, GLOSSARY_DUPLICATE, GLOSSARY_ALIAS, …
    message: str


@dataclass(frozen=True)
class Concept:
    term: str
    aliases: tuple[str, ...]
    category: str
    definition: str
    related: tuple[str, ...]
    source: Source
    line: int
    syllables: tuple[str, ...]  # pinyin without tones, e.g. ("san", "hui", "yi", "ke")
    tones: tuple[str, ...]  # pinyin with tone numbers, for sorting and disambiguation
    anchor: str = ""

    @property
    def verified(self) -> bool:
        """Whether the definition cites an official document or outlet: it may be printed.

        Otherwise the entry is pending (待核实): listed for the editors, not printed.
        """
        return self.source.is_document or self.source.is_outlet

    @property
    def pinyin(self) -> str:
        return " ".join(self.syllables)

    @property
    def initials(self) -> str:
        return "".join(syllable[0] for syllable in self.syllables)

    @property
    def letter(self) -> str:
        """The A–Z group of the concept (``#`` when its pinyin starts with no letter)."""
        return initial_letter(self.syllables)

    @property
    def forms(self) -> tuple[str, ...]:
        """The term and its aliases: every string that links to this concept."""
        return (self.term, *self.aliases)


@dataclass
class Glossary:
    """The validated glossary. ``concepts`` are sorted by pinyin."""

    path: str
    concepts: tuple[Concept, ...] = ()
    problems: tuple[Problem, ...] = ()
    digest: str = ""
    _terms: Terms | None = field(default=None, repr=False, compare=False)

    def __getstate__(self) -> dict[str, Any]:
        # The matcher is rebuilt lazily in each process; it is not pickled with the environment.
        state = dict(self.__dict__)
        state["_terms"] = None
        return state

    def by_term(self) -> dict[str, Concept]:
        return {concept.term: concept for concept in self.concepts}

    def forms(self) -> dict[str, str]:
        """Every linkable string (term or alias) → its concept's term."""
        return {form: concept.term for concept in self.concepts for form in concept.forms
                if len(form) >= MIN_TERM_LENGTH}

    def terms(self) -> Terms:
        """The glossary as the report pipeline reads it (forms and anchors), made once per process."""
        if self._terms is None:
            self._terms = Terms(self.forms(), {concept.term: concept.anchor for concept in self.concepts})
        return self._terms


# --------------------------------------------------------------------------- pinyin


def initial_letter(plain: Sequence[str]) -> str:
    """The A–Z group of a text from its pinyin *plain* (``#`` when it starts with no letter)."""
    first = plain[0][0].upper() if plain else "#"
    return first if "A" <= first <= "Z" else "#"


def syllables(text: str, override: str | None = None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Pinyin of *text* (without tones, with tone numbers); punctuation dropped.

    *override* ("san zhong yi da") fixes readings that pypinyin gets wrong for
    a phrase (三重一大 is zhòng, not chóng).
    """
    from pypinyin import Style, lazy_pinyin

    if override:
        plain = tuple(override.lower().split())
        return plain, plain
    plain = [s.lower() for s in lazy_pinyin(text, errors="ignore") if re.fullmatch(r"[A-Za-z]+", s)]
    toned = [s.lower() for s in lazy_pinyin(text, style=Style.TONE3, errors="ignore") if re.fullmatch(r"[A-Za-z]+[1-5]?", s)]
    return tuple(plain), tuple(toned)


def _assign_anchors(concepts: list[Concept]) -> list[Concept]:
    """``term-san-hui-yi-ke``: readable, and independent of the other terms' order.

    Homophones get tone numbers (term-dang3-fei4); a clash even then gets a
    hash of the term, so adding a term never renames another's anchor except
    its exact homophones.
    """
    def plain(concept: Concept) -> str:
        return "term-" + "-".join(concept.syllables or ("x" + hashlib.sha1(concept.term.encode()).hexdigest()[:8],))

    def toned(concept: Concept) -> str:
        return "term-" + "-".join(concept.tones)

    plain_count: dict[str, int] = {}
    for concept in concepts:
        plain_count[plain(concept)] = plain_count.get(plain(concept), 0) + 1
    first = [plain(c) if plain_count[plain(c)] == 1 else toned(c) for c in concepts]
    count: dict[str, int] = {}
    for anchor in first:
        count[anchor] = count.get(anchor, 0) + 1
    result = []
    for concept, anchor in zip(concepts, first):
        if count[anchor] > 1:
            anchor += "-" + hashlib.sha1(concept.term.encode()).hexdigest()[:6]
        result.append(Concept(**{**concept.__dict__, "anchor": anchor}))
    return result


# --------------------------------------------------------------------------- loading


def _syntax_problem(error: yaml.YAMLError, text: str) -> Problem:
    """The problem for YAML that does not parse, at the line of the error."""
    mark = getattr(error, "problem_mark", None)
    line = mark.line + 1 if mark else 0
    if isinstance(error, yaml.reader.ReaderError):  # a character YAML does not accept: no mark
        character = chr(error.character) if isinstance(error.character, int) else str(error.character)
        line = text[:max(text.find(character), 0)].count("\n") + 1
    reason = getattr(error, "problem", None) or getattr(error, "reason", None) or str(error)
    # PyYAML notices an unclosed bracket or quote lines later: name where it was opened too.
    context = getattr(error, "context_mark", None)
    opened = f"，问题始于第 {context.line + 1} 行" if context and mark and context.line != mark.line else ""
    return Problem(line, kinds.GLOSSARY_SYNTAX, f"YAML 语法错误（{reason}{opened}）：请检查缩进、冒号和引号。")


def _entries(node: yaml.SequenceNode, problems: list[Problem]) -> list[tuple[Any, int, dict[str, int]]]:
    """Each entry of the top-level list, built on its own: (value, line, line of each key).

    An entry that cannot be built (a tag PyYAML's safe loader refuses, an integer of 5000
    digits) is a problem at its line; the other entries are kept.
    """
    loader = yaml.SafeLoader("")
    entries = []
    for item in node.value:
        line = item.start_mark.line + 1
        keys: dict[str, int] = {}
        if isinstance(item, yaml.MappingNode):
            for key, value in item.value:
                keys[str(key.value)] = key.start_mark.line + 1
                if str(key.value) == "source" and isinstance(value, yaml.MappingNode):
                    keys.update({f"source.{subkey.value}": subkey.start_mark.line + 1 for subkey, _ in value.value})
        try:
            value = loader.construct_object(item, deep=True)
        except (yaml.YAMLError, ValueError, RecursionError) as error:
            mark = getattr(error, "problem_mark", None)
            reason = getattr(error, "problem", None) or str(error)
            problems.append(Problem(mark.line + 1 if mark else line, kinds.GLOSSARY_SYNTAX,
                                    f"这个条目无法读取（{reason}）：请把值写成加引号的文字。"))
            continue
        entries.append((value, line, keys))
    return entries


#: Fields shown to readers: HTML in them is a finding, control characters are removed.
_SHOWN = {"term": "term", "aliases": "aliases", "category": "category", "definition": "definition",
          **{key: f"source 的 {key}" for key in ("document", "issuer", "year", "article", "outlet", "title", "note")}}


def _clean(text: str, field: str, term: str, line: int, problems: list[Problem]) -> str:
    """*text* of a shown field without control characters; a problem for them and for HTML."""
    chars = controls.CONTROL.findall(text)
    if chars:
        names = "、".join(dict.fromkeys(f"U+{ord(char):04X}" for char in chars))
        problems.append(Problem(line, kinds.GLOSSARY_CONTROL, (
            f"术语“{controls.strip(term)}”的 {_SHOWN[field]} 中有 {len(chars)} 个看不见的控制字符（{names}），已删除："
            "请删除它们（也包括 \\v、\\0 这样的 YAML 转义）。")))
        text = controls.strip(text)
    if HTML_TAG.search(text):
        problems.append(Problem(line, kinds.GLOSSARY_HTML, (
            f"术语“{controls.strip(term)}”的 {_SHOWN[field]} 中的 HTML 代码“{text[:40]}”不会被执行，已按文字显示："
            "术语表应为纯文字，请删除这段代码。")))
    return text


def _as_text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    if isinstance(value, list):
        return [_as_text(item) for item in value if _as_text(item)]
    return [_as_text(value)]


class Configured(NamedTuple):
    """The glossary a site names, and what to tell about it (:func:`load_configured`)."""

    glossary: Glossary | None
    path: Path | None  # the glossary file; None when the site has none
    #: (location, subtype, message): a location "path:line", or None for the file as a whole.
    warnings: tuple[tuple[str | None, kinds.Kind, str], ...] = ()
    info: str = ""  # said, never a warning: why there is no glossary


def load_configured(root: Path, name: str, categories: Sequence[str], outlets: Mapping[str, str], *,
                    required: bool, previous: Glossary | None = None) -> Configured:
    """The glossary file *name* (``shuzhi_glossary_file``) of the site in *root*, loaded and validated.

    The one loading of a site's glossary: the build (:mod:`shuzhi.glossary.loading`) logs
    what it returns, ``shuzhi check`` prints it. A missing file is a warning when the site
    named it (*required*), and only a note when it is the default one.
    """
    if not name:
        return Configured(None, None)
    path = root / name
    if not path.exists():
        if not required:
            return Configured(None, path, info=f"没有术语表文件 {path}：报告中的概念不会自动链接。")
        return Configured(None, path, ((None, kinds.GLOSSARY_SYNTAX,
                                        f"找不到术语表文件 {path}：请检查 conf.py 中的 shuzhi_glossary_file。"),))
    loaded = load(path, name, tuple(categories), previous, outlets=dict(outlets))
    # Always "path:line": a bare path would be taken for a docname.
    return Configured(loaded, path, tuple((f"{path}:{max(problem.line, 1)}", problem.subtype, problem.message)
                                          for problem in loaded.problems))


def load(path: Path, display: str | None = None, categories: Sequence[str] = DEFAULT_CATEGORIES,
         previous: Glossary | None = None, outlets: Mapping[str, str] = DEFAULT_OUTLETS) -> Glossary:
    """Read and validate the glossary at *path* (*display* is the name used in messages).

    *outlets* are the official sites a source may be on (domain → outlet name).

    *previous* (the glossary of the last build) is returned as it is when the file and the
    categories are unchanged: parsing and pinyin are the cost of a no-change rebuild.
    """
    display = display or str(path)
    problems: list[Problem] = []
    try:
        raw = path.read_bytes()
    except OSError as error:
        return Glossary(display, problems=(Problem(0, kinds.GLOSSARY_SYNTAX, f"无法读取术语表文件：{error.strerror}。"),))
    settings = "\0".join(("", *categories, *(f"{domain}={name}" for domain, name in sorted(outlets.items()))))
    digest = hashlib.sha256(raw + settings.encode()).hexdigest()
    if previous is not None and previous.digest == digest and previous.path == display:
        return previous
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return Glossary(display, problems=(Problem(line, kinds.GLOSSARY_SYNTAX, "术语表不是 UTF-8 编码：请另存为 UTF-8。"),), digest=digest)
    # Characters no reader sees (copied from Word): found per line and removed before parsing,
    # as in reports, so that one vertical tab does not cost the whole glossary.
    problems += [Problem(found.line, kinds.GLOSSARY_CONTROL, found.message) for found in controls.findings(text, display)]
    text = controls.strip(text)
    alias = first_alias(text)
    if alias is not None:
        return Glossary(display, problems=(*problems, Problem(alias[0], kinds.GLOSSARY_SYNTAX, (
            f"术语表中使用了 YAML 别名“*{alias[1]}”：术语表不接受别名（会被展开成巨大的文字）。"
            "请把要重复的内容直接写出来。")),), digest=digest)
    try:
        node = yaml.compose(text, Loader=SAFE_LOADER)
    except yaml.YAMLError as error:
        return Glossary(display, problems=(*problems, _syntax_problem(error, text)), digest=digest)
    if node is not None and not isinstance(node, yaml.SequenceNode):
        return Glossary(display, problems=(*problems, Problem(1, kinds.GLOSSARY_SYNTAX, "术语表的顶层应是列表：每个条目以“- term: …”开头。")),
                        digest=digest)
    entries = _entries(node, problems) if node is not None else []

    concepts: list[Concept] = []
    related_lines: dict[str, int] = {}
    seen_terms: dict[str, int] = {}
    seen_forms: dict[str, tuple[str, int]] = {}
    for entry, line, keys in entries:
        if not isinstance(entry, dict):
            problems.append(Problem(line, kinds.GLOSSARY_SYNTAX, "条目应是“字段: 值”的映射，例如“- term: 三会一课”。"))
            continue
        raw_term = _as_text(entry.get("term"))
        term = _clean(raw_term, "term", raw_term, keys.get("term", line), problems)
        if not term:
            problems.append(Problem(line, kinds.GLOSSARY_TERM, "条目缺少 term（术语）：请填写规范术语。"))
            continue
        if term in seen_terms:
            problems.append(Problem(line, kinds.GLOSSARY_DUPLICATE,
                                    f"术语“{term}”重复（第 {seen_terms[term]} 行已有）：请合并这两个条目。"))
            continue
        if len(term) < MIN_TERM_LENGTH:
            problems.append(Problem(line, kinds.GLOSSARY_TERM,
                                    f"术语“{term}”只有一个字，会在报告中到处误链接：请写出完整的提法。"))
        seen_terms[term] = line
        definition = _clean(_as_text(entry.get("definition")), "definition", term, keys.get("definition", line), problems)
        if not definition:
            problems.append(Problem(keys.get("definition", line), kinds.GLOSSARY_DEFINITION,
                                    f"术语“{term}”没有释义（definition）：请写一至三句释义。"))
        category = _clean(_as_text(entry.get("category")), "category", term, keys.get("category", line), problems)
        if category not in categories:
            problems.append(Problem(keys.get("category", line), kinds.GLOSSARY_CATEGORY,
                                    f"术语“{term}”的分类“{category}”不在允许的分类中（{'、'.join(categories)}）：请改用其中之一。"))
        aliases = []
        for alias in [_clean(alias, "aliases", term, keys.get("aliases", line), problems)
                      for alias in _as_list(entry.get("aliases"))]:
            owner = seen_forms.get(alias)
            if alias == term or alias in seen_terms or owner:
                other = owner[0] if owner else alias
                problems.append(Problem(keys.get("aliases", line), kinds.GLOSSARY_ALIAS,
                                        f"术语“{term}”的别名“{alias}”与“{other}”冲突：一个写法只能属于一个术语，请删去或改写。"))
                continue
            aliases.append(alias)
        if term in seen_forms:
            owner_term, _ = seen_forms[term]
            problems.append(Problem(line, kinds.GLOSSARY_ALIAS,
                                    f"术语“{term}”已是“{owner_term}”的别名：请删去那个别名或合并条目。"))
        for form in (term, *aliases):
            seen_forms.setdefault(form, (term, line))
        source, source_problems = parse_source(term, entry.get("source"), outlets)
        for problem in source_problems:
            if problem.subtype == kinds.GLOSSARY_URL:
                # Named at the source, as ever: the address is dropped, the title stays.
                problems.append(Problem(keys.get("source", line), problem.subtype, problem.message))
            else:
                at = keys.get(f"source.{problem.key}") or keys.get("source", line)
                problems.append(Problem(at, problem.subtype, problem.message))
        source = source._replace(**{key: _clean(getattr(source, key), key, term,
                                                keys.get(f"source.{key}") or keys.get("source", line), problems)
                                    for key in source._fields if key != "url" and getattr(source, key)})
        related_lines[term] = keys.get("related", line)
        pinyin = _as_text(entry.get("pinyin"))
        if pinyin and not PINYIN_OVERRIDE.fullmatch(pinyin):
            problems.append(Problem(keys.get("pinyin", line), kinds.GLOSSARY_PINYIN, (
                f"术语“{term}”的 pinyin“{urls.visible(pinyin)[:60]}”不是拼音：只能写小写字母的音节，"
                "用空格分开，可带声调数字，例如 pinyin: san zhong yi da。已改用自动生成的拼音。")))
            pinyin = ""
        plain, toned = syllables(term, pinyin or None)
        concepts.append(Concept(
            term=term, aliases=tuple(aliases), category=category, definition=definition,
            related=tuple(_as_list(entry.get("related"))),
            source=source,
            line=line, syllables=plain, tones=toned,
        ))

    known = {concept.term for concept in concepts}
    for index, concept in enumerate(concepts):
        for other in concept.related:
            if other == concept.term:
                problems.append(Problem(related_lines[concept.term], kinds.GLOSSARY_RELATED, f"术语“{concept.term}”的相关条目指向自身：请删去。"))
            elif other not in known:
                problems.append(Problem(related_lines[concept.term], kinds.GLOSSARY_RELATED,
                                        f"术语“{concept.term}”的相关条目“{other}”不在术语表中：请先添加该术语，或改用已有术语。"))
        # Keep only resolvable relations, so the page has no dangling references.
        concepts[index] = Concept(**{**concept.__dict__,
                                     "related": tuple(o for o in concept.related if o in known and o != concept.term)})
    concepts.sort(key=lambda c: (c.tones, c.term))
    return Glossary(display, tuple(_assign_anchors(concepts)), tuple(problems), digest)


def group_by_letter(concepts: Iterable[Concept]) -> list[tuple[str, list[Concept]]]:
    """Concepts grouped under A–Z (already sorted by pinyin)."""
    groups: dict[str, list[Concept]] = {}
    for concept in concepts:
        groups.setdefault(concept.letter, []).append(concept)
    return sorted(groups.items(), key=lambda item: (item[0] == "#", item[0]))
