/* 述职报告汇编: ranking of search results (html_search_scorer; embedded in language_data.js).
 *
 * Sphinx's own scores are kept: a glossary entry is an index entry, scored
 * 100 × (query length / entry length), so an entry that *is* the query (a term
 * or an alias) scores 100 and comes first; pages follow, scored `title` when a
 * query word is in their title and `term` when it is in their text. Two changes:
 * an entry that merely contains the query (党建 is inside 党建引领) goes after
 * the pages, and among pages with equal scores reports come before the site's
 * own pages.
 */
var Scorer = {
  objNameMatch: 11,
  objPartialMatch: 6,
  objPrio: { 0: 15, 1: 5, 2: -5 },
  objPrioDefault: 0,
  title: 15,
  partialTitle: 7,
  term: 5,
  partialTerm: 2,

  score: (result) => {
    const [docname, _title, _anchor, _descr, score, _filename, kind] = result;
    if (kind === "index") return score >= 100 ? score : Math.round(score / 25);
    const settings = window.SHUZHI_SEARCH || { reportDirs: [] };
    const isReport =
      settings.reportDirs.some((dir) => docname.startsWith(dir)) && !docname.endsWith("/index");
    return isReport ? score + 1 : score;
  },
};
