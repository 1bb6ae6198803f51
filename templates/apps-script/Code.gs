/**
 * sheetsync menu for a Google Sheet: Sync now, Check copy, Preview digest, Hourly sync, Settings.
 *
 * Apps Script cannot run sheetsync (Python), so every button calls the sheetsync service the agency
 * runs (`sheetsync serve`), which reads and writes this sheet through its own service account.
 * The service address and this sheet's token live in the document's properties, never in a cell.
 *
 * @OnlyCurrentDoc
 */

var ADDRESS_KEY = 'sheetsync.address';
var TOKEN_KEY = 'sheetsync.token';
var HOURLY_HANDLER = 'sheetsyncHourly';
var HOURLY_KEY = 'sheetsync.hourly';  // when hourly sync last showed life (turned on, or ran): ms since 1970
var HOURLY_STALE_MS = 3 * 60 * 60 * 1000;  // three missed hours: the editor who turned it on has lost the trigger
var ZH_TIMELINE = '时间表';  // a Chinese book's Timeline tab (sheetsync.contract: TIMELINE.label('zh'))
var MAX_LINT_CELLS = 200;
var MAX_LINT_CHARS = 60000;  // the service takes bodies up to 256 KB; 60,000 CJK characters are ~180 KB of JSON

// Everything a person sees, in the sheet's language (a zh… locale reads Chinese).
var TEXT = {
  menu:            ['sheetsync', 'sheetsync'],
  syncNow:         ['Sync now', '立即同步'],
  checkCopy:       ['Check copy', '检查文案'],
  previewDigest:   ['Preview digest', '预览摘要'],
  hourly:          ['Hourly sync', '每小时同步'],
  hourlyOn:        ['Hourly sync ✓ (on)', '每小时同步 ✓（已开启）'],
  settings:        ['Settings', '设置'],
  settingsTitle:   ['sheetsync settings', 'sheetsync 设置'],
  address:         ['Service address', '服务地址'],
  token:           ['Token for this sheet', '本表的令牌'],
  tokenKept:       ['A token is saved ({hint}); leave empty to keep it.', '已保存令牌（{hint}）；留空则保持不变。'],
  save:            ['Save', '保存'],
  saved:           ['Saved.', '已保存。'],
  needSettings:    ['Set the sheetsync service address and this sheet\'s token first (ask whoever runs the service: sheetsync serve token add).',
                    '请先填写 sheetsync 服务地址和本表的令牌（向运行服务的人索取：sheetsync serve token add）。'],
  badAddress:      ['The address must start with https:// (http:// only for 127.0.0.1 or localhost, for a trial).',
                    '地址必须以 https:// 开头（仅试用时 127.0.0.1 或 localhost 可用 http://）。'],
  noToken:         ['Paste the token for this sheet.', '请粘贴本表的令牌。'],
  badToken:        ['A token holds only letters, digits and signs such as - and _; copy the whole token again from whoever runs the service.',
                    '令牌只能包含英文字母、数字和 - _ 等符号；请从运行服务的人那里重新复制完整的令牌。'],
  unreachable:     ['Could not reach the sheetsync service at {address}: is it running, and is the address right?',
                    '无法连接 sheetsync 服务 {address}：服务是否在运行？地址是否正确？'],
  details:         ['Details', '详情'],
  answered:        ['{address} answered HTTP {code}, but not as the sheetsync service: is the sheetsync service behind it running?',
                    '{address} 返回了 HTTP {code}，却不是 sheetsync 服务的应答：它后面的 sheetsync 服务是否在运行？'],
  wrongPath:       ['{address} answers, but there is no sheetsync service there (HTTP {code}): check the address in Settings.',
                    '{address} 有应答，但这里没有 sheetsync 服务（HTTP {code}）：请在「设置」中检查地址。'],
  seeSettings:     ['The address and token are in the sheetsync menu → Settings.', '地址和令牌可在 sheetsync 菜单 → 设置 中修改。'],
  syncTitle:       ['sheetsync: sync', 'sheetsync：同步'],
  lintTitle:       ['sheetsync: copy check', 'sheetsync：文案检查'],
  digestTitle:     ['sheetsync: digest preview', 'sheetsync：摘要预览'],
  errorTitle:      ['sheetsync', 'sheetsync'],
  launchOnTrack:   ['Launch {date}: on track', '上线日期 {date}：按计划进行'],
  launchAtRisk:    ['Launch {date}: AT RISK by {n} working days (projected {projected})',
                    '上线日期 {date}：有风险，将推迟 {n} 个工作日（预计 {projected}）'],
  launchAtRiskOne: ['Launch {date}: AT RISK by {n} working day (projected {projected})',
                    '上线日期 {date}：有风险，将推迟 {n} 个工作日（预计 {projected}）'],
  launchNone:      ['Launch: not planned (see problems).', '上线日期：未能排期（见问题）。'],
  provisional:     ['{line} — provisional: {reasons}', '{line}——暂定：{reasons}'],
  provisionalMore: ['{n} more', '另有 {n} 项'],
  written:         ['{n} cell(s) updated.', '已更新 {n} 个单元格。'],
  attention:       ['Needs attention', '需要关注'],  // overdue, blocked, triggered, at risk, due soon
  nothingFlagged:  ['Nothing overdue, blocked, triggered, at risk or due soon.', '没有逾期、受阻、已触发、有风险或临近截止的事项。'],
  due:             ['due {date}', '截止 {date}'],
  problems:        ['Problems', '问题'],
  noProblems:      ['No problems.', '没有问题。'],
  checkedSelected: ['{n} selected cell(s) checked.', '已检查所选的 {n} 个单元格。'],
  cleanSelected:   ['{n} selected cell(s) checked, nothing found.', '已检查所选的 {n} 个单元格，未发现问题。'],
  checkedReviews:  ['{n} copy cell(s) of the Reviews sheet checked.', '已检查审核表的 {n} 条文案。'],
  cleanReviews:    ['{n} copy cell(s) of the Reviews sheet checked, nothing found.', '已检查审核表的 {n} 条文案，未发现问题。'],
  noCopy:          ['No ad copy to check: the selected cells are empty, and so is the Copy column of the Reviews sheet.',
                    '没有可检查的文案：所选单元格是空的，审核表的“文案”列也没有内容。'],
  oneCellHint:     ['Only the selected cell was checked; to check all the copy of the Reviews sheet, click an empty cell first, then Check copy.',
                    '只检查了所选的这一个单元格；要检查审核表的全部文案，请先点一个空白单元格，再点「检查文案」。'],
  tooManyCells:    ['The selection holds more copy than one check takes: only the first {n} cells were checked.',
                    '所选文案超出一次检查的上限：只检查了前 {n} 个单元格。'],
  noDigests:       ['Nobody gets a digest today.', '今天没有人收到摘要。'],
  brief:           ['brief digest', '简要摘要'],
  detailed:        ['detailed digest', '详细摘要'],
  severity_critical: ['critical', '严重'],
  severity_high:   ['high', '高'],
  severity_medium: ['medium', '中'],
  severity_low:    ['low', '低'],
  noSheet:         ['There is no sheet named {sheet} any more; was it renamed?', '已没有名为 {sheet} 的工作表；是否改了名？'],
  hourlyNowOn:     ['Hourly sync is on: this sheet syncs every hour.', '每小时同步已开启：本表每小时同步一次。'],
  hourlyNowOff:    ['Hourly sync is off.', '每小时同步已关闭。'],
  hourlyOthers:    ['Hourly sync is already on: another editor turned it on, and only they can turn it off.',
                    '每小时同步已由另一位编辑者开启，只有该编辑者可以关闭。']
};

// Why a task is planned on a guess (sheetsync.engine.schedule._REASONS; the service sends the id).
var PROVISIONAL = {
  'duration unreadable': ['{task}\'s duration is unreadable ({cell})', '{task} 的工期无法识别（{cell}）'],
  'duration missing':    ['{task} has no duration ({cell})', '{task} 未填工期（{cell}）'],
  'depends unreadable':  ['{task}\'s dependencies are unreadable ({cell})', '{task} 的前置任务无法识别（{cell}）'],
  'depends not planned': ['{task} depends on a task that is not planned ({cell})', '{task} 的前置任务不在计划中（{cell}）'],
  'depends cycle':       ['{task} is on a dependency cycle ({cell})', '{task} 处于循环依赖中（{cell}）']
};
var PROVISIONAL_NAMED = 3;  // as the CLI's launch line: more are counted, not named

// A copy finding's category as the book names it (sheetsync.engine.compliance.CATEGORY_NAMES: an English
// book shows the id itself, as the Copy rules sheet writes it). The service's finding carries only the id.
var CATEGORY = {
  absolute_claim:            ['absolute_claim', '绝对化用语'],
  medical_efficacy_claim:    ['medical_efficacy_claim', '医疗功效宣称'],
  disease_claim_non_medical: ['disease_claim_non_medical', '非医疗产品宣称治病'],
  improper_endorsement:      ['improper_endorsement', '不当代言'],
  investment_return_promise: ['investment_return_promise', '投资收益承诺'],
  education_result_promise:  ['education_result_promise', '教育培训效果承诺'],
  guaranteed_outcome:        ['guaranteed_outcome', '保证效果'],
  before_after:              ['before_after', '使用前后对比'],
  personal_attribute:        ['personal_attribute', '暗示个人特征'],
  misleading_price_offer:    ['misleading_price_offer', '误导性价格'],
  missing_ad_disclosure:     ['missing_ad_disclosure', '未标明广告'],
  comparative_claim:         ['comparative_claim', '不当比较广告'],
  cosmetics_claim:           ['cosmetics_claim', '化妆品违规宣称']
};

/** A category's name in `lang`; an id the table does not know (a newer service) as it is. */
function categoryName_(lang, category) {
  return CATEGORY.hasOwnProperty(category) ? CATEGORY[category][lang === 'zh' ? 1 : 0] : String(category || '');
}

/** 'zh' or 'en' from a locale or language tag ("zh_CN", "zh-TW", "en_US"). */
function sheetsyncLang_(tag) {
  return String(tag || '').toLowerCase().indexOf('zh') === 0 ? 'zh' : 'en';
}

/** The text named `key` in `lang`, with {name} placeholders filled in. */
function t_(lang, key, params) {
  var text = TEXT[key][lang === 'zh' ? 1 : 0];
  return text.replace(/\{(\w+)\}/g, function (whole, name) {
    return params && params[name] !== undefined && params[name] !== null ? String(params[name]) : whole;
  });
}

function esc_(value) {
  return String(value === undefined || value === null ? '' : value)
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/**
 * The language a person here reads: the sheet's locale when it is Chinese, else the book's. A sheet made
 * by an en_US account and laid out by `sheetsync init URL --lang zh` keeps en_US, yet its tabs are Chinese.
 */
function sheetLang_() {
  var ss = SpreadsheetApp.getActiveSpreadsheet();
  if (sheetsyncLang_(ss.getSpreadsheetLocale()) === 'zh') {
    return 'zh';
  }
  return ss.getSheetByName(ZH_TIMELINE) ? 'zh' : 'en';
}

// ---- the menu ----

function onOpen(e) {
  sheetsyncBuildMenu_(sheetLang_());
}

function sheetsyncBuildMenu_(lang) {
  var on = false;
  try {
    on = hourlyAlive_(PropertiesService.getDocumentProperties());
  } catch (err) {
    on = false;  // AuthMode.NONE (never for a bound script's onOpen, which runs LIMITED): the plain label
  }
  SpreadsheetApp.getUi().createMenu(t_(lang, 'menu'))
    .addItem(t_(lang, 'syncNow'), 'sheetsyncSyncNow')
    .addItem(t_(lang, 'checkCopy'), 'sheetsyncCheckCopy')
    .addItem(t_(lang, 'previewDigest'), 'sheetsyncPreviewDigest')
    .addSeparator()
    .addItem(t_(lang, on ? 'hourlyOn' : 'hourly'), 'sheetsyncToggleHourly')
    .addItem(t_(lang, 'settings'), 'sheetsyncShowSettings')
    .addToUi();
}

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

// ---- the menu items ----

/**
 * Today in the sheet's time zone (File → Settings), as the sheet's own TODAY() has it: the service's
 * clock may be in UTC, where a Shanghai morning before 08:00 is still yesterday.
 */
function sheetToday_() {
  var ss = SpreadsheetApp.getActiveSpreadsheet();
  return Utilities.formatDate(new Date(), ss.getSpreadsheetTimeZone(), 'yyyy-MM-dd');
}

function sheetsyncSyncNow() {
  sheetsyncRun_('sync', { today: sheetToday_() }, 'syncTitle', renderSync_);
}

/** The selected cells' texts as [{cell: "Sheet!A1", text}]; `truncated` when the selection held more than fits. */
function selectedTexts_() {
  var ss = SpreadsheetApp.getActiveSpreadsheet();
  var list = ss.getActiveRangeList ? ss.getActiveRangeList() : null;
  var ranges = list ? list.getRanges() : [];
  if (!ranges.length && ss.getActiveRange()) {
    ranges = [ss.getActiveRange()];
  }
  var cells = [];
  var chars = 0;
  var truncated = false;
  ranges.forEach(function (range) {
    var sheet = range.getSheet().getName();
    var values = range.getDisplayValues();
    for (var r = 0; r < values.length; r++) {
      for (var c = 0; c < values[r].length; c++) {
        var text = String(values[r][c]).trim();
        if (!text) {
          continue;
        }
        if (cells.length >= MAX_LINT_CELLS || chars + text.length > MAX_LINT_CHARS) {
          truncated = true;
          continue;
        }
        chars += text.length;
        cells.push({ cell: sheet + '!' + columnLetters_(range.getColumn() + c) + (range.getRow() + r), text: text });
      }
    }
  });
  var oneCell = ranges.length === 1 && ranges[0].getNumRows() === 1 && ranges[0].getNumColumns() === 1;
  return { cells: cells, truncated: truncated, oneCell: oneCell };
}

function columnLetters_(column) {
  var letters = '';
  for (var n = column; n > 0; n = Math.floor((n - 1) / 26)) {
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  }
  return letters;
}

function sheetsyncCheckCopy() {
  var selected = selectedTexts_();
  var body = selected.cells.length ? { cells: selected.cells } : {};
  sheetsyncRun_('lint', body, 'lintTitle', function (answer, lang) {
    answer.truncated = selected.truncated;
    answer.selected = selected.cells.length > 0;
    answer.oneCell = selected.cells.length === 1 && selected.oneCell;
    return renderLint_(answer, lang);
  });
}

function sheetsyncPreviewDigest() {
  sheetsyncRun_('digest', { today: sheetToday_() }, 'digestTitle', renderDigest_);
}

/** Called by a sidebar link: select the problem's cell. */
function sheetsyncSelect(sheetName, cell) {
  var sheet = SpreadsheetApp.getActiveSpreadsheet().getSheetByName(String(sheetName));
  if (!sheet) {
    throw new Error(t_(sheetLang_(), 'noSheet', { sheet: sheetName }));
  }
  sheet.getRange(String(cell)).activate();
}

// ---- hourly sync ----

function hourlyTriggers_() {
  return ScriptApp.getProjectTriggers().filter(function (trigger) {
    return trigger.getHandlerFunction() === HOURLY_HANDLER;
  });
}

/** Whether some editor's hourly trigger is on: it was turned on, or last ran, within three hours. */
function hourlyAlive_(props) {
  var seen = Number(props.getProperty(HOURLY_KEY));
  return seen > 0 && Date.now() - seen < HOURLY_STALE_MS;
}

/**
 * Turn hourly sync on (exactly one time-driven trigger) or off (none), and say which in the menu.
 * Installable triggers belong to the editor who made them: only they see and remove theirs, so an
 * editor who finds another's trigger alive is told so rather than given a second one.
 */
function sheetsyncToggleHourly() {
  var lang = sheetLang_();
  var props = PropertiesService.getDocumentProperties();
  var mine = hourlyTriggers_();
  var said;
  if (mine.length) {
    mine.forEach(function (trigger) { ScriptApp.deleteTrigger(trigger); });
    props.deleteProperty(HOURLY_KEY);
    said = 'hourlyNowOff';
  } else if (hourlyAlive_(props)) {
    said = 'hourlyOthers';
  } else if (!sheetsyncSettings_()) {
    sheetsyncShowSettings(t_(lang, 'needSettings'));
    return;
  } else {
    ScriptApp.newTrigger(HOURLY_HANDLER).timeBased().everyHours(1).create();
    props.setProperty(HOURLY_KEY, String(Date.now()));
    said = 'hourlyNowOn';
  }
  sheetsyncBuildMenu_(lang);
  SpreadsheetApp.getUi().alert(t_(lang, said));
}

/** The time-driven trigger's handler: sync with no one watching; a failure is the execution's error. */
function sheetsyncHourly(e) {
  var lang = sheetLang_();
  var props = PropertiesService.getDocumentProperties();
  props.setProperty(HOURLY_KEY, String(Date.now()));
  var settings = sheetsyncSettings_();
  if (!settings) {
    throw new Error(t_(lang, 'needSettings'));
  }
  var result = sheetsyncCall_('sync', { today: sheetToday_() }, settings, lang);
  if (!result.ok && result.code !== 409 && result.code !== 429) {  // busy or rate-limited: the next hour will do
    throw new Error(result.error + (result.detail ? ' (' + result.detail + ')' : ''));  // the execution log keeps both
  }
}

// ---- settings ----

function maskedHint_(token) {
  return token ? '…' + token.slice(-4) : '';
}

/** The Settings dialog; `why` is a line saying why it opened by itself. */
function sheetsyncShowSettings(why) {
  var lang = sheetLang_();
  var props = PropertiesService.getDocumentProperties();
  var template = HtmlService.createTemplateFromFile('Settings');
  template.lang = lang;
  template.why = typeof why === 'string' ? why : '';
  template.address = props.getProperty(ADDRESS_KEY) || '';
  template.hint = maskedHint_(props.getProperty(TOKEN_KEY) || '');
  template.text = {
    address: t_(lang, 'address'), token: t_(lang, 'token'), save: t_(lang, 'save'), saved: t_(lang, 'saved'),
    kept: template.hint ? t_(lang, 'tokenKept', { hint: template.hint }) : ''
  };
  SpreadsheetApp.getUi().showModalDialog(template.evaluate().setWidth(420).setHeight(260), t_(lang, 'settingsTitle'));
}

/**
 * The address as typed, made plain: full-width forms to ASCII (an IME's "https：//"), no trailing slash,
 * and a bare host given its scheme as a browser would (https://; http:// for this machine's trial).
 * "localhost:8787" has no scheme (a colon before digits is a port); "javascript:…" keeps its own and is refused.
 */
function cleanAddress_(text) {
  var address = String(text || '').normalize('NFKC').replace(/[\u200b-\u200d\u2060\ufeff]/g, '').trim()
    .replace(/\/+$/, '');
  if (address && !/^[a-z][a-z0-9+.\-]*:(?!\d)/i.test(address)) {
    address = (/^(127\.0\.0\.1|localhost)(:\d+)?(\/|$)/i.test(address) ? 'http://' : 'https://') + address;
  }
  return address;
}

/** Whether `address` may carry a token: https://, or http:// to this machine for a trial. */
function addressAllowed_(address) {
  return /^https:\/\/[^\s\/?#]+(\/[^\s?#]*)?$/.test(address)
    || /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?(\/[^\s?#]*)?$/.test(address);
}

/**
 * The token as pasted, made plain: a Chinese IME in full-width mode types Ａ for A and － for -, and a
 * chat window (WeChat, DingTalk) adds spaces (U+3000 too) and zero-width marks around a copied line.
 * NFKC maps the full-width forms to ASCII.
 */
function cleanToken_(text) {
  return String(text || '').normalize('NFKC').replace(/[\s\u200b-\u200d\u2060\ufeff]+/g, '');
}

/** Whether `token` can be a bearer token: printable ASCII (the service's are URL-safe base64). */
function tokenAllowed_(token) {
  return /^[\x21-\x7e]+$/.test(String(token || ''));
}

/** Called by the Settings dialog. Keeps both in the document's properties; an empty token keeps the saved one. */
function sheetsyncSaveSettings(form) {
  var lang = sheetLang_();
  var address = cleanAddress_(form && form.address);
  var token = cleanToken_(form && form.token);
  if (!addressAllowed_(address)) {
    throw new Error(t_(lang, 'badAddress'));
  }
  var props = PropertiesService.getDocumentProperties();
  if (!token && !props.getProperty(TOKEN_KEY)) {
    throw new Error(t_(lang, 'noToken'));
  }
  if (token && !tokenAllowed_(token)) {
    throw new Error(t_(lang, 'badToken'));
  }
  var values = {};
  values[ADDRESS_KEY] = address;
  if (token) {
    values[TOKEN_KEY] = token;
  }
  props.setProperties(values);
  return { address: address, hint: maskedHint_(token || props.getProperty(TOKEN_KEY)) };
}
