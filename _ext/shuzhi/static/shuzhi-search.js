/* 述职报告汇编: the search page (search.html) on Pagefind's chunked index (shuzhi.pagefind_search).
 *
 * The theme's search box submits its query here as ?q=…. A search downloads Pagefind's
 * script and WebAssembly once, then only the index chunks of the query's words and the
 * fragments (title, snippet) of the results shown: what it costs does not grow with the
 * number of reports.
 *
 * Order of the results, one per page:
 *  1. the glossary entry whose term, alias, pinyin (sanhuiyike) or initials (shyk) is the
 *     query, from window.SHUZHI_GLOSSARY (shuzhi-glossary.js, which every page loads);
 *  2. the pages (Pagefind's ranking, 类别 页面), ten at a time;
 *  3. the other glossary entries that contain the query (类别 术语), at most three.
 * Filters: 年度 and 单位类型 (reports only).
 */
(() => {
  "use strict";
  const PAGE_SIZE = 10;
  const MORE_ENTRIES = 3;
  const root = document.getElementById("shuzhi-search");
  if (!root) return;
  const form = root.querySelector("form");
  const input = root.querySelector("input[type=search]");
  const status = root.querySelector(".shuzhi-search-status");
  const list = root.querySelector(".shuzhi-search-results");
  const more = root.querySelector(".shuzhi-search-more");
  const filterBox = root.querySelector(".shuzhi-search-filters");
  const absolute = (path) => new URL(path, document.baseURI).pathname;
  const bundle = absolute(root.dataset.bundle);
  const glossaryPage = root.dataset.glossary || "";

  let pagefind = null;
  const load = async () => {
    if (!pagefind) {
      pagefind = await import(bundle + "pagefind.js");
      await pagefind.options({ baseUrl: absolute(root.dataset.base || "./"), excerptLength: 40 });
      await pagefind.init();
    }
    return pagefind;
  };

  const normalize = (text) => text.normalize("NFKC").toLowerCase().replace(/[\s\u3000'’·・-]+/g, "");
  const exactEntry = (query) => {
    const key = normalize(query);
    if (!key) return null;
    for (const [anchor, entry] of Object.entries(window.SHUZHI_GLOSSARY || {})) {
      const forms = [entry.term, ...(entry.aliases || []), entry.pinyin || "", entry.initials || ""];
      if (forms.some((form) => form && normalize(form.replace(/[“”"「」]/g, "")) === key)) return [anchor, entry];
    }
    return null;
  };

  const item = (href, title, excerpt, kind) => {
    const li = document.createElement("li");
    li.className = `shuzhi-search-result shuzhi-search-${kind}`;
    const link = document.createElement("a");
    link.href = href;
    link.textContent = title;
    li.append(link);
    if (kind === "entry" || kind === "term") {
      const badge = document.createElement("span");
      badge.className = "shuzhi-search-badge";
      badge.textContent = "术语表";
      li.append(" ", badge);
    }
    const p = document.createElement("p");
    p.className = "shuzhi-search-excerpt";
    // Pagefind's excerpt is the indexed text, HTML-escaped, with <mark> around the query's words.
    if (excerpt.html) p.innerHTML = excerpt.html;
    else p.textContent = excerpt.text;
    li.append(p);
    return li;
  };

  const resultItem = async (result, kind) => {
    const data = await result.data();
    const href = data.meta.url || data.url;
    return item(href, data.meta.title || href, { html: data.excerpt }, kind);
  };

  const selected = () => {
    const filters = {};
    filterBox.querySelectorAll("select").forEach((select) => {
      if (select.value) filters[select.dataset.filter] = select.value;
    });
    return filters;
  };

  const showFilters = async (pf) => {
    if (filterBox.dataset.ready) return;
    filterBox.dataset.ready = "1";
    const available = await pf.filters();
    for (const name of ["年度", "单位类型"]) {
      const values = Object.keys(available[name] || {}).sort().reverse();
      if (!values.length) continue;
      const label = document.createElement("label");
      label.textContent = `${name} `;
      const select = document.createElement("select");
      select.dataset.filter = name;
      select.append(new Option("全部", ""));
      values.forEach((value) => select.append(new Option(value, value)));
      select.addEventListener("change", () => run(input.value));
      label.append(select);
      filterBox.append(label);
    }
  };

  let generation = 0;
  const run = async (query) => {
    const mine = ++generation;
    query = query.trim();
    list.replaceChildren();
    more.hidden = true;
    if (!query) {
      status.textContent = "";
      return;
    }
    status.textContent = `正在搜索“${query}”……`;
    let pf;
    try {
      pf = await load();
    } catch (error) {
      status.textContent = "站内搜索暂不可用：网站构建时没有生成搜索索引（pagefind/）。请联系网站维护人员。";
      return;
    }
    await showFilters(pf);
    const filters = selected();
    const narrowed = Object.keys(filters).length > 0;
    const exact = narrowed ? null : exactEntry(query);
    const [pages, terms] = await Promise.all([
      pf.search(query, { filters: { ...filters, 类别: "页面" } }),
      narrowed ? Promise.resolve({ results: [] }) : pf.search(query, { filters: { 类别: "术语" } }),
    ]);
    if (mine !== generation) return;
    const exactHref = exact ? `${glossaryPage}#${exact[0]}` : null;
    const items = [];
    if (exact) {
      const [, entry] = exact;
      items.push(item(exactHref, entry.term, { text: `${entry.category} · ${entry.definition}` }, "entry"));
    }
    let shown = 0;
    const showPages = async () => {
      const batch = pages.results.slice(shown, shown + PAGE_SIZE);
      shown += batch.length;
      const rendered = await Promise.all(batch.map((result) => resultItem(result, "page")));
      return rendered;
    };
    items.push(...(await showPages()));
    const others = [];
    for (const result of terms.results.slice(0, MORE_ENTRIES + 1)) {
      const li = await resultItem(result, "term");
      if (li.querySelector("a").getAttribute("href") !== exactHref) others.push(li);
    }
    if (mine !== generation) return;
    items.push(...others.slice(0, MORE_ENTRIES));
    list.replaceChildren(...items);
    const total = pages.results.length + (exact ? 1 : 0) + others.length;
    status.textContent = total ? `找到 ${pages.results.length} 个页面${exact || others.length ? "和术语条目" : ""}。`
                               : `没有找到与“${query}”相关的页面。`;
    more.hidden = shown >= pages.results.length;
    more.onclick = async () => {
      const extra = await showPages();
      const firstTerm = list.querySelector(".shuzhi-search-term");
      extra.forEach((li) => list.insertBefore(li, firstTerm));
      more.hidden = shown >= pages.results.length;
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
