"""What a glossary definition may cite, and how a citation reads.

A definition that is published cites either a Party regulation or official document by
its title, issuer and year (and, where verified, the article), or a page of an official
outlet: a site on the allow-list (:data:`DEFAULT_OUTLETS`, a site sets its own with
``shuzhi_glossary_outlets``). Any other address is refused with a message naming the
line; an entry without such a source is *pending* (待核实): it stays on the website, is
listed for the editors, and is left out of the printed appendix.

Pure Python (no Sphinx): :func:`parse` reads one entry's ``source`` mapping.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from ..report import kinds, urls

#: Official outlets by domain (a site and its subdomains). The longest matching domain names
#: the outlet: www.gov.cn is 中国政府网, ccdi.gov.cn 中央纪委国家监委网站, any other site under
#: gov.cn a government or 纪委 site, whose own name the entry gives in ``outlet``.
DEFAULT_OUTLETS: dict[str, str] = {
    "people.com.cn": "人民网",
    "news.cn": "新华网",
    "xinhuanet.com": "新华网",
    "12371.cn": "共产党员网",
    "qstheory.cn": "求是网",
    "www.gov.cn": "中国政府网",
    "ccdi.gov.cn": "中央纪委国家监委网站",
    "gov.cn": "政府网站",
    "china.com.cn": "中国网",
    "china.org.cn": "中国网",
}

#: The keys a ``source`` mapping may have.
KEYS = ("document", "issuer", "year", "article", "outlet", "title", "url", "note")
#: A source is a page on the web.
SCHEMES = frozenset({"http", "https"})
_YEAR = re.compile(r"(19|20)\d\d")
_TITLE_MARKS = re.compile(r"^《[^《》]+》$")


class Source(NamedTuple):
    """One entry's source. ``note`` is for the editors and is never printed."""

    title: str = ""
    url: str = ""
    note: str = ""
    document: str = ""
    issuer: str = ""
    year: str = ""
    article: str = ""
    outlet: str = ""

    @property
    def is_document(self) -> bool:
        return bool(self.document and self.issuer and self.year)

    @property
    def is_outlet(self) -> bool:
        return bool(self.outlet and self.url)

    def key(self) -> tuple[str, ...]:
        """What two entries citing the same work share: one line of the 参考依据 list."""
        if self.is_document:
            return ("document", self.document, self.issuer, self.year)
        return ("outlet", self.url)

    def citation(self) -> str:
        """The work, as the 参考依据 list prints it (the article is printed with the entry)."""
        if self.is_document:
            return f"{self.document}，{self.issuer}，{self.year}年。"
        if self.is_outlet:
            title = self.title or self.url
            return f"{self.outlet}：{title}。"
        return ""

    def reference(self) -> str:
        """The whole source on one line, as the website's 依据 line shows it."""
        if self.is_document:
            article = f"{self.article}" if self.article else ""
            return f"{self.document}{article}（{self.issuer}，{self.year}年）"
        if self.is_outlet:
            return f"{self.outlet}：{self.title or self.url}"
        return ""


class SourceProblem(NamedTuple):
    key: str  # the source key the problem is about ("" for the mapping itself)
    message: str
    subtype: kinds.Kind = kinds.GLOSSARY_SOURCE  # GLOSSARY_URL: an address that is no web address


def hostname(url: str) -> str:
    """The host a browser would contact for *url*, lower-case, without a trailing dot."""
    try:
        host = urlsplit(url.strip()).hostname or ""
    except ValueError:
        return ""
    return host.rstrip(".").lower()


def outlet_of(url: str, outlets: Mapping[str, str] = DEFAULT_OUTLETS) -> str:
    """The official outlet *url* is on (the longest matching domain), or "" when it is on none."""
    if not urls.is_safe_link(url, relative=False, schemes=SCHEMES):
        return ""
    host = hostname(url)
    matches = [domain for domain in outlets if host == domain or host.endswith("." + domain)]
    return outlets[max(matches, key=len)] if matches else ""


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def parse(term: str, raw: Any, outlets: Mapping[str, str] = DEFAULT_OUTLETS) -> tuple[Source, list[SourceProblem]]:
    """One entry's ``source`` as a :class:`Source`, and what is wrong with it.

    What cannot stand is dropped from the result (an address off the allow-list, a
    document without issuer or year), so that the entry is pending, never cited wrongly.
    """
    problems: list[SourceProblem] = []
    if raw is None or raw == "":
        return Source(), problems
    if not isinstance(raw, dict):
        problems.append(SourceProblem("", (
            f"术语“{term}”的 source 应是“字段: 值”的映射（document、issuer、year、article，"
            "或 outlet、title、url，以及 note）：请按编辑指南改写。")))
        return Source(note=_text(raw)), problems
    unknown = [str(key) for key in raw if str(key) not in KEYS]
    for key in unknown:
        problems.append(SourceProblem(key, (
            f"术语“{term}”的 source 中有未知字段“{urls.visible(key)[:30]}”：只能用 "
            f"{'、'.join(KEYS)}，请改正拼写或删去。")))
    values = {key: _text(raw.get(key)) for key in KEYS}

    document, issuer, year = values["document"], values["issuer"], values["year"]
    if document or issuer or year or values["article"]:
        missing = [name for name, value in (("document", document), ("issuer", issuer), ("year", year)) if not value]
        if missing:
            first = next(key for key in ("document", "issuer", "year", "article") if values[key])
            problems.append(SourceProblem(first, (
                f"术语“{term}”引用文件，但缺少 {'、'.join(missing)}：文件须写明标题（document，带书名号）、"
                "发文机关（issuer）和年份（year）。在补全之前，该条目列入待核实清单，不印入 PDF。")))
            document = issuer = year = ""
        elif not _TITLE_MARKS.match(document):
            problems.append(SourceProblem("document", (
                f"术语“{term}”的文件标题“{urls.visible(document)[:60]}”应带书名号，例如"
                "《中国共产党支部工作条例（试行）》：请加上书名号。")))
            document = issuer = year = ""
        elif not _YEAR.fullmatch(year):
            problems.append(SourceProblem("year", (
                f"术语“{term}”所引文件的年份“{urls.visible(year)[:20]}”不是四位数的年份：请写成如 2018。"
                "在改正之前，该条目列入待核实清单，不印入 PDF。")))
            document = issuer = year = ""

    url, outlet, title = values["url"], values["outlet"], values["title"]
    if url:
        if not urls.is_safe_link(url, relative=False, schemes=SCHEMES):
            problems.append(SourceProblem("url", (
                f"术语“{term}”的来源地址“{urls.visible(url)[:60]}”不是 http 或 https 网址，不会显示为链接："
                "请改为官方网站的网址，或把 url 留空、在 document 中写出文件名称。"), kinds.GLOSSARY_URL))
            url = ""
        elif not (official := outlet_of(url, outlets)):
            problems.append(SourceProblem("url", (
                f"术语“{term}”的来源网站“{urls.visible(hostname(url))[:60]}”不在官方来源名单中"
                "（人民网、新华网、共产党员网、求是网、中国政府网、中央纪委国家监委网站、中国网和 gov.cn 下的政府、纪委网站，"
                "见配置项 shuzhi_glossary_outlets）：请改引官方网站或党内法规、文件原文；"
                "文档分享网站、文库、博客、应用和小说网站一律不能引用。在改正之前，该条目列入待核实清单，不印入 PDF。")))
            url = ""
        else:
            outlet = outlet or official
            if not title:
                problems.append(SourceProblem("url", (
                    f"术语“{term}”的来源网页没有标题（title）：请写出网页的标题。")))
    if not url:
        outlet = ""
    return Source(title=title, url=url, note=values["note"], document=document, issuer=issuer, year=year,
                  article=values["article"] if document else "", outlet=outlet), problems
