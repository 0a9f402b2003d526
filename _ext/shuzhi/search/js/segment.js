/* 述职报告汇编: the cheapest cut of a run of Chinese characters into words, for both searches.
 *
 * Written once, put in front of each search's own script when it is written out: of
 * the site's search page (shuzhi-search.js, by shuzhi.search.chunked) and of Sphinx's
 * search (language_data.js, SearchChineseJieba.js_splitter_code, splitter.js).
 *
 * isWord(start, end): whether text.slice(start, end) is a word of the index (cost 1).
 * proposed: start → end of words another segmenter proposes (cost 2). A lone character
 * costs 3, so a word the index knows always wins over the characters it is made of.
 */
// eslint-disable-next-line no-unused-vars
function shuzhiCheapestCut(text, isWord, proposed = new Map()) {
  const MAX_WORD = 24;
  const best = [{ cost: 0, from: -1 }];
  for (let end = 1; end <= text.length; end++) best.push({ cost: Infinity, from: -1 });
  for (let start = 0; start < text.length; start++) {
    const here = best[start].cost;
    if (here === Infinity) continue;
    const consider = (end, cost) => {
      if (here + cost < best[end].cost) best[end] = { cost: here + cost, from: start };
    };
    consider(start + 1, 3);
    if (proposed.has(start)) consider(proposed.get(start), 2);
    for (let end = start + 2; end <= Math.min(text.length, start + MAX_WORD); end++)
      if (isWord(start, end)) consider(end, 1);
  }
  const words = [];
  for (let end = text.length; end > 0; end = best[end].from)
    words.unshift(text.slice(best[end].from, end));
  return words;
}
