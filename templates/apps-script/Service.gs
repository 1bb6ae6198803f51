/**
 * Calling the sheetsync service (UrlFetchApp) and showing its answer in the sidebar.
 * (Code.gs says how the project's files fit together.)
 */

// ---- calling the service ----

/** The saved address and token, or null when either is missing. */
function sheetsyncSettings_() {
  var props = PropertiesService.getDocumentProperties();
  var address = props.getProperty(ADDRESS_KEY);
  var token = props.getProperty(TOKEN_KEY);
  return address && token ? { address: address, token: token } : null;
}

/**
 * POST `body` to /v1/sheets/{this sheet}/{action}: {ok, code, answer} or {ok: false, error}.
 * Errors are one line in the sheet's language unless the service said its own.
 */
function sheetsyncCall_(action, body, settings, lang) {
  if (!tokenAllowed_(settings.token)) {  // saved before the Settings dialog checked it: an HTTP header takes ASCII only
    return { ok: false, code: 401, error: t_(lang, 'badToken') };
  }
  var ss = SpreadsheetApp.getActiveSpreadsheet();
  var url = settings.address + '/v1/sheets/' + encodeURIComponent(ss.getId()) + '/' + action;
  var response;
  try {
    response = UrlFetchApp.fetch(url, {
      method: 'post',
      contentType: 'application/json',
      payload: JSON.stringify(body || {}),
      headers: {
        Authorization: 'Bearer ' + settings.token,
        'Accept-Language': lang === 'zh' ? 'zh-CN' : 'en'
      },
      muteHttpExceptions: true,
      followRedirects: false
    });
  } catch (err) {
    // Google's own words ("Exception: Address unavailable: URL…") are English and name the sheet's key:
    // one line in the sheet's language, and theirs folded away for whoever runs the service.
    var reason = String(err && err.message ? err.message : err).split('\n')[0];
    return { ok: false, error: t_(lang, 'unreachable', { address: settings.address }), detail: reason };
  }
  var code = response.getResponseCode();
  var answer = null;
  try {
    answer = JSON.parse(response.getContentText());
  } catch (err) {
    answer = null;
  }
  if (code === 200 && answer) {
    return { ok: true, code: code, answer: answer };
  }
  if (code === 404 || code === 405) {  // the script builds the path itself: the address is wrong, not the path
    return { ok: false, code: code, error: t_(lang, 'wrongPath', { address: settings.address, code: code }) };
  }
  var said = answer && typeof answer.error === 'string' ? withoutSheetName_(answer.error.split('\n')[0], ss.getId()) : '';
  // No {"error"} of the service's: a proxy's page (502 when the service behind it is down) or a redirect.
  return { ok: false, code: code, error: said || t_(lang, 'answered', { address: settings.address, code: code }) };
}

/**
 * The service's line without its CLI prefix naming this very sheet ("gsheet:KEY: " / "gsheet:KEY：", as
 * `sheetsync sync gsheet:KEY` says it): in the sheet, the key is noise nobody typed.
 */
function withoutSheetName_(line, id) {
  var prefix = 'gsheet:' + id;
  if (line.indexOf(prefix) !== 0) {
    return line;
  }
  return line.slice(prefix.length).replace(/^\s*[:：]\s*/, '');
}

/** Run one menu action: settings first, then the call, then its sidebar (or the error in one). */
function sheetsyncRun_(action, body, titleKey, render) {
  var lang = sheetLang_();
  var settings = sheetsyncSettings_();
  if (!settings) {
    sheetsyncShowSettings(t_(lang, 'needSettings'));
    return;
  }
  var result = sheetsyncCall_(action, body, settings, lang);
  if (!result.ok) {
    var wrongSettings = !result.code || result.code === 401 || result.code === 403 || result.code === 404
      || (result.code >= 300 && result.code < 400);
    sheetsyncShowSidebar_(lang, t_(lang, 'errorTitle'), '<p class="error">' + esc_(result.error) + '</p>'
      + (wrongSettings ? '<p class="none">' + esc_(t_(lang, 'seeSettings')) + '</p>' : '')
      + (result.detail ? '<details><summary>' + esc_(t_(lang, 'details')) + '</summary>' + esc_(result.detail)
        + '</details>' : ''));
    return;
  }
  var answerLang = sheetsyncLang_(result.answer.lang || lang);
  sheetsyncShowSidebar_(answerLang, t_(answerLang, titleKey), render(result.answer, answerLang));
}

// ---- the sidebar ----

function sheetsyncShowSidebar_(lang, title, body) {
  var template = HtmlService.createTemplateFromFile('Sidebar');
  template.lang = lang;
  template.body = body;
  SpreadsheetApp.getUi().showSidebar(template.evaluate().setTitle(title));
}

/**
 * The content of the project's HTML file `name`, for a page's template to include (`<?!= include('Style') ?>`):
 * Sidebar.html and Settings.html share Style.html so. Google's documented helper, under its usual name.
 */
function include(name) {
  return HtmlService.createHtmlOutputFromFile(name).getContent();
}

/** A link that selects `cell` on `sheet` when clicked (see Sidebar.html). */
function cellLink_(sheet, cell) {
  return '<a href="#" class="cell" data-sheet="' + esc_(sheet) + '" data-cell="' + esc_(cell) + '">'
    + esc_(sheet + '!' + cell) + '</a>';
}

/** The launch line as the CLI says it, with its "provisional" note when the plan rests on a guess. */
function launchLine_(launch, lang) {
  if (!launch) {
    return t_(lang, 'launchNone');
  }
  var line = launch.at_risk
    ? t_(lang, launch.slip_days === 1 ? 'launchAtRiskOne' : 'launchAtRisk',
      { date: launch.date, n: launch.slip_days, projected: launch.projected })
    : t_(lang, 'launchOnTrack', { date: launch.date });
  var guesses = launch.provisional || [];
  if (!guesses.length) {
    return line;
  }
  var named = guesses.slice(0, PROVISIONAL_NAMED).map(function (p) {
    var words = PROVISIONAL.hasOwnProperty(p.reason) ? PROVISIONAL[p.reason][lang === 'zh' ? 1 : 0] : '{task} ({cell})';
    return words.replace('{task}', p.task).replace('{cell}', p.sheet + '!' + p.cell);
  });
  if (guesses.length > named.length) {
    named.push(t_(lang, 'provisionalMore', { n: guesses.length - named.length }));
  }
  return t_(lang, 'provisional', { line: line, reasons: named.join(lang === 'zh' ? '；' : '; ') });
}

function renderSync_(answer, lang) {
  var html = '<p class="launch">' + esc_(launchLine_(answer.launch, lang)) + '</p>';
  if (answer.written) {
    html += '<p class="written">' + esc_(t_(lang, 'written', { n: answer.changed_cells })) + '</p>';
  }
  var attention = answer.attention || [];
  html += '<h3>' + esc_(t_(lang, 'attention')) + '</h3>';
  if (!attention.length) {
    html += '<p class="none">' + esc_(t_(lang, 'nothingFlagged')) + '</p>';
  } else {
    html += '<ul class="attention">' + attention.map(function (row) {
      var due = row.due ? ' · ' + t_(lang, 'due', { date: row.due }) : '';
      var what = [row.id, row.what].filter(function (part) { return part; }).join(' ');
      return '<li data-flag="' + esc_(row.flag) + '"><b>' + esc_(row.label || row.flag) + '</b> '
        + esc_(what + due) + ' ' + cellLink_(row.sheet, row.cell) + '</li>';
    }).join('') + '</ul>';
  }
  var problems = answer.problems || [];
  html += '<h3>' + esc_(t_(lang, 'problems')) + '</h3>';
  if (!problems.length) {
    html += '<p class="none">' + esc_(t_(lang, 'noProblems')) + '</p>';
  } else {
    html += '<ul class="problems">' + problems.map(function (p) {
      return '<li>' + cellLink_(p.sheet, p.cell) + ' ' + esc_(p.problem)
        + (p.fix ? ' <i>' + esc_(p.fix) + '</i>' : '') + '</li>';
    }).join('') + '</ul>';
  }
  return html;
}

function renderLint_(answer, lang) {
  var results = answer.results || [];
  if (!results.length) {
    return '<p class="none">' + esc_(t_(lang, 'noCopy')) + '</p>';
  }
  var flagged = results.filter(function (r) { return r.findings && r.findings.length; });
  // What was checked, said once: the selection, or (nothing selected) every Copy cell of the Reviews sheet.
  var said = answer.selected ? (flagged.length ? 'checkedSelected' : 'cleanSelected')
    : (flagged.length ? 'checkedReviews' : 'cleanReviews');
  var html = '<p' + (flagged.length ? '' : ' class="none"') + '>' + esc_(t_(lang, said, { n: results.length })) + '</p>';
  if (answer.truncated) {
    html += '<p class="note">' + esc_(t_(lang, 'tooManyCells', { n: results.length })) + '</p>';
  }
  if (answer.oneCell) {  // in Sheets the cursor is always a selection: say how to check everything
    html += '<p class="note">' + esc_(t_(lang, 'oneCellHint')) + '</p>';
  }
  if (!flagged.length) {
    return html;
  }
  return html + '<ul class="findings">' + flagged.map(function (r) {
    var bang = r.cell.lastIndexOf('!');
    var items = r.findings.map(function (f) {
      var severity = TEXT['severity_' + f.severity] ? t_(lang, 'severity_' + f.severity) : f.severity;
      var words = '<b class="severity">' + esc_(severity) + '</b> ' + esc_(categoryName_(lang, f.category))
        + ' “' + esc_(f.term) + '”' + (f.message ? ' ' + esc_(f.message) : '');
      if (f.suggestion) {
        words += ' → ' + esc_(f.suggestion);
      }
      return '<li>' + words + (f.source ? ' <small>' + esc_(f.source) + '</small>' : '') + '</li>';
    }).join('');
    return '<li>' + cellLink_(r.cell.slice(0, bang), r.cell.slice(bang + 1)) + ' <q>' + esc_(r.text) + '</q><ul>'
      + items + '</ul></li>';
  }).join('') + '</ul>';
}

function renderDigest_(answer, lang) {
  var digests = answer.digests || [];
  if (!digests.length) {
    return '<p class="none">' + esc_(t_(lang, 'noDigests')) + '</p>';
  }
  // The digest HTML is the service's own rendering; it is shown in a sandboxed frame, scripts off.
  return digests.map(function (d) {
    var kind = d.kind === 'brief' || d.kind === 'detailed' ? t_(lang, d.kind) : d.kind;
    return '<section class="digest"><h3>' + esc_(d.person) + ' · ' + esc_(kind) + '</h3>'
      + '<p class="subject">' + esc_(d.subject) + '</p>'
      + '<iframe sandbox="" class="digest-body" srcdoc="' + esc_(d.html) + '"></iframe></section>';
  }).join('');
}

