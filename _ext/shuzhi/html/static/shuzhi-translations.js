/* 述职报告汇编: Sphinx's translations (translations.js) without evaluating a string as code.
 * doctools.js makes the catalog's plural rule a function with `new Function`, which the
 * server's Content-Security-Policy forbids (script-src has no 'unsafe-eval'): the rule was
 * lost and with it the translated search messages. This replacement knows the rules of
 * gettext catalogs as plain text ("0" for Chinese, "n != 1", "n > 1") and reads any other
 * rule as English's. Loaded after doctools.js and before translations.js. */
(function () {
  "use strict";
  if (typeof Documentation === "undefined") return;

  function pluralRule(expression) {
    var rule = String(expression).replace(/[\s()]/g, "");
    if (/^\d+$/.test(rule)) {
      var form = Number(rule);
      return function () { return form; };
    }
    if (rule === "n>1") return function (n) { return n > 1 ? 1 : 0; };
    return function (n) { return n !== 1 ? 1 : 0; };
  }

  Documentation.addTranslations = function (catalog) {
    Object.assign(Documentation.TRANSLATIONS, catalog.messages);
    Documentation.PLURAL_EXPR = pluralRule(catalog.plural_expr);
    Documentation.LOCALE = catalog.locale;
  };
})();
