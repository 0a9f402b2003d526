/* 述职报告汇编: the search page (search.html) on the site's chunked index (shuzhi.search.chunked).
 *
 * Written out as _static/shuzhi-search.js after segment.js (one file, one request).
 *
 * The theme's search box submits its query here as ?q=…. What a search downloads does not
 * grow with the number of reports: meta.json (the kinds of the documents), the chunks of the
 * terms that can start at each position of the query (t/<hash of two characters>.json), and
 * the title and text of the results shown (d/<n>.json).
 *
 * The query is cut into the index's own words: the fewest, longest terms of the index
 * (phrases of two words included), so 党建工作 is the phrase 党建工作 and 重难点项目 is
 * 重难点 + 项目; a single Chinese character alone is no term. Several words (with or without
 * spaces) must all be in a page. A Latin word matches the terms it begins (dangjian →
 * dangjiandaituanjian, the pinyin of 党建带团建).
 *
 * Order of the results, one per page:
 *  1. the glossary entry whose term, alias, pinyin (sanhuiyike) or initials (shyk) is the
 *     query (window.SHUZHI_GLOSSARY, from shuzhi-glossary.js, which every page loads);
 *  2. the reports, then the site's other pages, by score (a query word in the title counts
 *     15, in the text 5 × log2(1 + occurrences)), seven at a time ("更多结果" for the next);
 *  3. at most two other glossary entries that contain the query.
 * Filters: 年度 and 单位类型 (reports only).
 */
(() => {
  "use strict";
  // At most 7 pages and 2 other entries: with the page's own files (about 26), a search stays
  // within 40 requests.
  const PAGE_SIZE = 7;
  const MORE_ENTRIES = 2;
  const root = document.getElementById("shuzhi-search");
  if (!root) return;
  const form = root.querySelector("form");
  const input = root.querySelector("input[type=search]");
  const status = root.querySelector(".shuzhi-search-status");
  const list = root.querySelector(".shuzhi-search-results");
  const more = root.querySelector(".shuzhi-search-more");
  const filterBox = root.querySelector(".shuzhi-search-filters");
  const index = new URL(root.dataset.index, document.baseURI);
  const base = (root.dataset.base || "").replace(/^\.\/$/, ""); // from this page to the site's root
  const glossaryPage = root.dataset.glossary || "";

  const cache = new Map();
  const fetchJson = (path) => {
    if (!cache.has(path)) {
      cache.set(path, fetch(new URL(path, index)).then((response) => {
        if (!response.ok) throw new Error(`${path}: ${response.status}`);
        return response.json();
      }));
    }
    return cache.get(path);
  };

  let chunks = 1; // from meta.json
  // The same hash as chunk_key() in search/index_files.py: of the first two characters.
  const chunkKey = (term) => {
    const [first, second = " "] = [...term.toLowerCase()];
    return (first.codePointAt(0) * 31 + second.codePointAt(0)) % chunks;
  };
  const chunk = async (term) => (await fetchJson(`t/${chunkKey(term)}.json`)) || {};

  const HAN = /\p{Script=Han}/u;
  // A run of Chinese characters in the fewest terms the index has (shuzhiCheapestCut, segment.js,
  // written in front of this file; a lone character costs 3): the terms that can start at each
  // position are all in the chunk of the two characters there.
  const segmentHan = async (text) => {
    const starts = await Promise.all([...Array(text.length).keys()].map((i) =>
      i + 1 < text.length ? chunk(text.slice(i, i + 2)) : Promise.resolve({})));
    return shuzhiCheapestCut(text, (start, end) =>
      Object.prototype.hasOwnProperty.call(starts[start], text.slice(start, end)));
  };

  const segment = async (query) => {
    const words = [];
    for (const chunkText of query.toLowerCase().split(/[^\p{Letter}\p{Number}_]+/u).filter(Boolean)) {
      for (const run of chunkText.match(/\p{Script=Han}+|[^\p{Script=Han}]+/gu)) {
        if (HAN.test(run)) words.push(...(await segmentHan(run)));
        else words.push(run);
      }
    }
    const useful = words.filter((word) => word.length > 1);
    return useful.length ? [...new Set(useful)] : [];
  };

  // Postings of a word: {document: [occurrences, in title]}; a Latin word also gets the terms it begins.
  const postings = async (word) => {
    const terms = await chunk(word);
    const found = new Map();
    const add = (list) => list.forEach(([doc, count, title]) => {
      const before = found.get(doc) || [0, 0];
      found.set(doc, [before[0] + count, Math.max(before[1], title)]);
    });
    if (HAN.test(word)) add(terms[word] || []);
    else Object.keys(terms).filter((term) => term.startsWith(word)).forEach((term) => add(terms[term]));
    return found;
  };

  const normalize = (text) => text.normalize("NFKC").toLowerCase().replace(/[\s\u3000'’·・“”"「」-]+/g, "");
  const exactEntry = (query) => {
    const key = normalize(query);
    if (!key) return null;
    for (const [anchor, entry] of Object.entries(window.SHUZHI_GLOSSARY || {})) {
      const forms = [entry.term, ...(entry.aliases || []), entry.pinyin || "", entry.initials || ""];
      if (forms.some((form) => form && normalize(form) === key)) return [anchor, entry];
    }
    return null;
  };

  // The stretch of *text* around the first query word it holds, the words marked.
  const excerpt = (text, words) => {
    const lower = text.toLowerCase();
    const hits = words.map((word) => lower.indexOf(word)).filter((at) => at >= 0);
    const at = hits.length ? Math.min(...hits) : 0;
    const start = Math.max(0, at - 30);
    const slice = text.slice(start, start + 120);
    const p = document.createElement("p");
    p.className = "shuzhi-search-excerpt";
    if (start > 0) p.append("…");
    const pattern = words.length
      ? new RegExp(words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "giu") : null;
    let last = 0;
    if (pattern) {
      for (const match of slice.matchAll(pattern)) {
        p.append(slice.slice(last, match.index));
        const mark = document.createElement("mark");
        mark.textContent = match[0];
        p.append(mark);
        last = match.index + match[0].length;
      }
    }
    p.append(slice.slice(last));
    if (start + 120 < text.length) p.append("…");
    return p;
  };

  const item = (href, title, kind, body) => {
    const li = document.createElement("li");
    li.className = `shuzhi-search-result shuzhi-search-${kind}`;
    const link = document.createElement("a");
    link.href = href;
    link.textContent = title;
    li.append(link);
    if (kind === "entry") {
      const badge = document.createElement("span");
      badge.className = "shuzhi-search-badge";
      badge.textContent = "术语表";
      li.append(" ", badge);
    }
    li.append(body);
    return li;
  };

  const documentItem = async (number, words) => {
    const doc = await fetchJson(`d/${number}.json`);
    const href = base + doc.u;
    return item(href, doc.t, doc.k === "g" ? "entry" : "page", excerpt(doc.x, words));
  };

  const showFilters = (meta) => {
    if (filterBox.dataset.ready) return;
    filterBox.dataset.ready = "1";
    for (const name of ["年度", "单位类型"]) {
      const values = (meta.filters || {})[name] || [];
      if (!values.length) continue;
      const label = document.createElement("label");
      label.append(`${name} `);
      const select = document.createElement("select");
      select.dataset.filter = name;
      select.append(new Option("全部", ""));
      values.forEach((value) => select.append(new Option(value, value)));
      select.addEventListener("change", () => run(input.value));
      label.append(select);
      filterBox.append(label);
    }
  };

  const allowed = async () => {
    const chosen = [...filterBox.querySelectorAll("select")].filter((select) => select.value);
    if (!chosen.length) return null;
    const filters = await fetchJson("f.json");
    let docs = null;
    for (const select of chosen) {
      const these = new Set(((filters[select.dataset.filter] || {})[select.value]) || []);
      docs = docs === null ? these : new Set([...docs].filter((doc) => these.has(doc)));
    }
    return docs;
  };

  let generation = 0;
  const run = async (raw) => {
    const mine = ++generation;
    const query = raw.trim();
    list.replaceChildren();
    more.hidden = true;
    if (!query) {
      status.textContent = "";
      return;
    }
    status.textContent = `正在搜索“${query}”……`;
    // The concept's own entry needs nothing from the index: it is shown at once.
    const chosenFilters = [...filterBox.querySelectorAll("select")].some((select) => select.value);
    const exact = chosenFilters ? null : exactEntry(query);
    const exactHref = exact ? `${glossaryPage}#${exact[0]}` : null;
    if (exact) {
      const [, entry] = exact;
      const body = document.createElement("p");
      body.className = "shuzhi-search-excerpt";
      body.textContent = `术语表 · ${entry.category} · ${entry.definition}`;
      list.append(item(exactHref, entry.term, "entry", body));
    }
    let meta;
    try {
      meta = await fetchJson("meta.json");
      if (!meta) throw new Error("no index");
      chunks = meta.chunks;
    } catch (error) {
      status.textContent = "站内搜索暂不可用：网站构建时没有生成搜索索引。请联系网站维护人员。";
      return;
    }
    showFilters(meta);
    const only = await allowed();
    const words = await segment(query);
    const lists = await Promise.all(words.map(postings));
    if (mine !== generation) return;
    // Every word in the page (AND); the score as the header says.
    const scores = new Map();
    if (lists.length) {
      for (const [doc] of lists[0]) {
        if (only && !only.has(doc)) continue;
        if (!lists.every((found) => found.has(doc))) continue;
        scores.set(doc, lists.reduce((sum, found) => {
          const [count, title] = found.get(doc);
          return sum + (title ? 15 : 0) + 5 * Math.log2(1 + count);
        }, 0));
      }
    }
    const kinds = meta.kinds || "";
    const anchors = meta.anchors || {};
    const rank = (kind) => ({ r: 0, p: 1, g: 2 })[kind] ?? 1;
    const ordered = [...scores.keys()].sort((a, b) =>
      rank(kinds[a]) - rank(kinds[b]) || scores.get(b) - scores.get(a) || a - b);
    const pages = ordered.filter((doc) => kinds[doc] !== "g");
    const entries = ordered.filter((doc) => kinds[doc] === "g" && !(exact && anchors[doc] === exact[0]))
      .slice(0, MORE_ENTRIES);
    // In order, each as soon as its text has come (they are fetched together).
    const show = async (docs, before = null) => {
      const pending = docs.map((doc) => documentItem(doc, words));
      for (const promise of pending) {
        const li = await promise;
        if (mine !== generation) return;
        list.insertBefore(li, before);
      }
    };
    let shown = Math.min(PAGE_SIZE, pages.length);
    await show(pages.slice(0, shown));
    await show(entries);
    if (mine !== generation) return;
    const entryCount = (exact ? 1 : 0) + entries.length;
    const found = [pages.length ? `${pages.length} 个页面` : "", entryCount ? `${entryCount} 个术语条目` : ""];
    status.textContent = list.children.length
      ? `找到 ${found.filter(Boolean).join("、")}。`
      : `没有找到与“${query}”相关的页面。`;
    more.hidden = shown >= pages.length;
    more.onclick = async () => {
      const next = pages.slice(shown, shown + PAGE_SIZE);
      shown += next.length;
      const firstOther = list.querySelector(".shuzhi-search-entry:not(:first-child)");
      await show(next, firstOther);
      more.hidden = shown >= pages.length;
    };
  };

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const url = new URL(window.location.href);
    url.searchParams.set("q", input.value);
    window.history.replaceState(null, "", url);
    run(input.value);
  });
  const query = new URLSearchParams(window.location.search).get("q") || "";
  input.value = query;
  if (query.trim()) run(query);
  else input.focus();
})();
