/**
 * sheetsync menu for a Google Sheet: Sync now, Check copy, Preview digest, Hourly sync, Settings.
 *
 * Apps Script cannot run sheetsync (Python), so every button calls the sheetsync service the agency
 * runs (`sheetsync serve`), which reads and writes this sheet through its own service account.
 * The service address and this sheet's token live in the document's properties, never in a cell.
 *
 * The project's .gs files share one global scope, as Apps Script runs them: Code.gs (the menu, its items,
 * hourly sync, settings), Texts.gs (every word a person sees, in English and Chinese), Service.gs (calling
 * the service and showing its answer in the sidebar).
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
