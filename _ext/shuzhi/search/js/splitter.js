/* 述职报告汇编: the search query, segmented the way the index was (Sphinx's splitQuery hook).
 *
 * Embedded by Sphinx in language_data.js (SearchChineseJieba.js_splitter_code),
 * after segment.js, which it shares with the site's own search page.
 * Sphinx's default splitter keeps an unspaced Chinese query as one term, which
 * the index (segmented by jieba) rarely contains: 党建工作 finds nothing. Here
 * each run of Chinese characters is cut into the fewest pieces that the index
 * (Search._index, loaded before any query runs) or the glossary
 * (window.SHUZHI_GLOSSARY) knows as words; Intl.Segmenter proposes words for
 * the rest. Single characters are dropped (the index holds none), unless
 * nothing else is left. Letters and digits are split as Sphinx splits them.
 */
var splitQuery = (() => {
  "use strict";
  const HAN = /\p{Script=Han}/u;
  let glossaryForms = null;

  const has = (object, key) =>
    Boolean(object) && Object.prototype.hasOwnProperty.call(object, key);

  const forms = () => {
    if (glossaryForms === null) {
      glossaryForms = new Set();
      Object.values(window.SHUZHI_GLOSSARY || {}).forEach((entry) =>
        [entry.term, ...(entry.aliases || [])].forEach((form) =>
          form
            .split(/[^\p{Letter}\p{Number}_]+/u)
            .filter((run) => run.length >= 2)
            .forEach((run) => glossaryForms.add(run.toLowerCase())),
        ),
      );
    }
    return glossaryForms;
  };

  const known = (word) => {
    const index = (typeof Search !== "undefined" && Search._index) || {};
    return forms().has(word.toLowerCase()) || has(index.terms, word) || has(index.titleterms, word);
  };

  // Words Intl.Segmenter finds: start -> end.
  const proposedWords = (text) => {
    const ends = new Map();
    if (typeof Intl !== "undefined" && Intl.Segmenter) {
      const segmenter = new Intl.Segmenter("zh", { granularity: "word" });
      for (const part of segmenter.segment(text))
        if (part.segment.length > 1) ends.set(part.index, part.index + part.segment.length);
    }
    return ends;
  };

  // The cheapest cut (shuzhiCheapestCut, segment.js): a known word costs 1, a
  // word only Intl.Segmenter proposes 2, a lone character 3.
  const segmentHan = (text) =>
    shuzhiCheapestCut(text, (start, end) => known(text.slice(start, end)), proposedWords(text));

  return (query) => {
    const words = [];
    query
      .split(/[^\p{Letter}\p{Number}_\p{Emoji_Presentation}]+/gu)
      .filter((chunk) => chunk)
      .forEach((chunk) => {
        // Chinese and non-Chinese runs, as jieba cuts "2023年度" into 2023 and 年度.
        for (const run of chunk.match(/\p{Script=Han}+|[^\p{Script=Han}]+/gu)) {
          if (HAN.test(run)) words.push(...segmentHan(run));
          else words.push(run);
        }
      });
    const useful = words.filter((word) => word.length > 1 || !HAN.test(word));
    return useful.length ? useful : words;
  };
})();
