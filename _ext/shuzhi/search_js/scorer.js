/* 述职报告汇编: ranking of search results (html_search_scorer; embedded in language_data.js).
 *
 * Sphinx's scores: an object (here: a glossary term or alias) whose name is the
 * query gets objNameMatch + objPrio[0]; a page with a query word in its title
 * gets `title`, in its text `term`. So a concept query shows its glossary entry
 * first (26), then pages. Glossary entries that merely contain the query (党建
 * is inside 党建引领) are shown after the pages, and among pages with equal
 * scores, reports come before the site's own pages.
 */
var Scorer = {
  objNameMatch: 11,
  objPartialMatch: -12,
  objPrio: { 0: 15, 1: 5, 2: -5 },
  objPrioDefault: 0,
  title: 15,
  partialTitle: 7,
  term: 5,
  partialTerm: 2,

  score: (result) => {
    const [docname, _title, _anchor, _descr, score, _filename, kind] = result;
    if (kind === "object") return score;
    const settings = window.SHUZHI_SEARCH || { reportDirs: [] };
    const isReport = settings.reportDirs.some((dir) => docname.startsWith(dir));
    return isReport ? score + 1 : score;
  },
};
