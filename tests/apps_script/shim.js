'use strict';
// A small shim of the Apps Script services the project's .gs files use, modelled on Google's reference
// (developers.google.com/apps-script/reference): SpreadsheetApp, UrlFetchApp, PropertiesService,
// HtmlService, ScriptApp. Every call is recorded in `world.calls`; UrlFetchApp really calls HTTP
// (synchronously, as Apps Script does) through a child node process.

const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

// ---- A1 notation ----

function columnNumber(letters) {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

function columnLetters(n) {
  let s = '';
  for (; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

function parseA1(a1) {
  const m = /^([A-Za-z]+)(\d+)(?::([A-Za-z]+)(\d+))?$/.exec(a1);
  if (!m) throw new Error(`Exception: Range not found: ${a1}`);
  const row = Number(m[2]), col = columnNumber(m[1]);
  const row2 = m[4] ? Number(m[4]) : row, col2 = m[3] ? columnNumber(m[3]) : col;
  return { row: Math.min(row, row2), col: Math.min(col, col2), rows: Math.abs(row2 - row) + 1, cols: Math.abs(col2 - col) + 1 };
}

function htmlUnescape(text) {
  return text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function htmlEscape(value) {
  return String(value === undefined || value === null ? '' : value)
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

// ---- the world: one spreadsheet, its script project, one user ----

function makeWorld(config) {
  const world = {
    calls: [],
    menus: [],
    sidebars: [],
    dialogs: [],
    alerts: [],
    documentProperties: Object.assign({}, config.properties || {}),
    triggers: [],
    activeRange: null,
    closed: 0,
  };
  const record = (name, args) => { world.calls.push({ call: name, args: JSON.parse(JSON.stringify(args || [])) }); };
  const filesDir = config.filesDir;

  // -- SpreadsheetApp --
  const cells = {}; // sheet name -> 2D array
  for (const [name, rows] of Object.entries(config.sheets || {})) cells[name] = rows.map((r) => r.slice());

  function makeRange(sheet, box) {
    const read = (display) => {
      const out = [];
      for (let r = 0; r < box.rows; r++) {
        const row = [];
        for (let c = 0; c < box.cols; c++) {
          const v = ((cells[sheet.getName()][box.row - 1 + r]) || [])[box.col - 1 + c];
          row.push(v === undefined || v === null ? '' : (display ? String(v) : v));
        }
        out.push(row);
      }
      return out;
    };
    const a1 = () => columnLetters(box.col) + box.row
      + (box.rows > 1 || box.cols > 1 ? ':' + columnLetters(box.col + box.cols - 1) + (box.row + box.rows - 1) : '');
    const range = {
      getSheet: () => { record('Range.getSheet', [a1()]); return sheet; },
      getRow: () => box.row,
      getColumn: () => box.col,
      getNumRows: () => box.rows,
      getNumColumns: () => box.cols,
      getA1Notation: () => a1(),
      getValues: () => { record('Range.getValues', [sheet.getName(), a1()]); return read(false); },
      getDisplayValues: () => { record('Range.getDisplayValues', [sheet.getName(), a1()]); return read(true); },
      setValue: (value) => { record('Range.setValue', [sheet.getName(), a1(), value]); range.setValues([[value]]); return range; },
      setValues: (values) => {
        record('Range.setValues', [sheet.getName(), a1(), values]);
        const grid = cells[sheet.getName()];
        values.forEach((row, r) => row.forEach((v, c) => {
          while (grid.length < box.row + r) grid.push([]);
          grid[box.row - 1 + r][box.col - 1 + c] = v;
        }));
        return range;
      },
      activate: () => {
        record('Range.activate', [sheet.getName(), a1()]);
        world.activeRange = { sheet: sheet.getName(), a1: a1() };
        return range;
      },
    };
    return range;
  }

  const sheets = {};
  function sheetObject(name) {
    if (!sheets[name]) {
      const sheet = {
        getName: () => name,
        getRange: (a1) => { record('Sheet.getRange', [name, a1]); return makeRange(sheet, parseA1(a1)); },
        getDataRange: () => makeRange(sheet, { row: 1, col: 1, rows: Math.max(1, cells[name].length),
          cols: Math.max(1, ...cells[name].map((r) => r.length)) }),
      };
      sheets[name] = sheet;
    }
    return sheets[name];
  }

  const selection = (config.selection || []).map((s) => makeRange(sheetObject(s.sheet), parseA1(s.a1)));
  const spreadsheet = {
    getId: () => { record('Spreadsheet.getId'); return config.id; },
    getName: () => config.name || 'Campaign',
    getSpreadsheetLocale: () => { record('Spreadsheet.getSpreadsheetLocale'); return config.locale || 'en_US'; },
    getSpreadsheetTimeZone: () => { record('Spreadsheet.getSpreadsheetTimeZone'); return config.timeZone || 'Etc/GMT'; },
    getSheets: () => Object.keys(cells).map(sheetObject),
    getSheetByName: (name) => { record('Spreadsheet.getSheetByName', [name]); return cells[name] ? sheetObject(name) : null; },
    getActiveRange: () => { record('Spreadsheet.getActiveRange'); return selection.length ? selection[selection.length - 1] : null; },
    getActiveRangeList: () => {
      record('Spreadsheet.getActiveRangeList');
      return selection.length ? { getRanges: () => selection.slice() } : null;
    },
  };

  const ui = {
    createMenu: (caption) => {
      record('Ui.createMenu', [caption]);
      const menu = { caption, items: [] };
      const builder = {
        addItem: (label, fn) => { record('Menu.addItem', [label, fn]); menu.items.push({ label, fn }); return builder; },
        addSeparator: () => { record('Menu.addSeparator'); menu.items.push({ separator: true }); return builder; },
        addToUi: () => {
          record('Menu.addToUi', [caption]);
          const same = world.menus.findIndex((m) => m.caption === caption);  // a menu of the same name is replaced
          if (same >= 0) world.menus.splice(same, 1, menu); else world.menus.push(menu);
        },
      };
      return builder;
    },
    showSidebar: (output) => { record('Ui.showSidebar', [output.title]); world.sidebars.push({ title: output.title, html: output.content }); },
    showModalDialog: (output, title) => {
      record('Ui.showModalDialog', [title]);
      world.dialogs.push({ title, html: output.content, width: output.width, height: output.height });
    },
    alert: (message) => { record('Ui.alert', [message]); world.alerts.push(message); return 'OK'; },
  };

  const SpreadsheetApp = {
    getActiveSpreadsheet: () => { record('SpreadsheetApp.getActiveSpreadsheet'); return spreadsheet; },
    getActive: () => spreadsheet,
    getUi: () => {
      if (world.noUi) throw new Error('Exception: Cannot call SpreadsheetApp.getUi() from this context.');
      record('SpreadsheetApp.getUi');
      return ui;
    },
  };

  // -- PropertiesService --
  const documentProperties = {
    getProperty: (key) => { record('Properties.getProperty', [key]); return key in world.documentProperties ? world.documentProperties[key] : null; },
    setProperty: (key, value) => { record('Properties.setProperty', [key, value]); world.documentProperties[key] = String(value); return documentProperties; },
    setProperties: (values) => {
      record('Properties.setProperties', [values]);
      for (const [k, v] of Object.entries(values)) world.documentProperties[k] = String(v);
      return documentProperties;
    },
    deleteProperty: (key) => { record('Properties.deleteProperty', [key]); delete world.documentProperties[key]; return documentProperties; },
    getProperties: () => Object.assign({}, world.documentProperties),
  };
  const PropertiesService = { getDocumentProperties: () => { record('PropertiesService.getDocumentProperties'); return documentProperties; } };

  // -- HtmlService: printing scriptlets <?= ?> (escaped) and <?!= ?> (raw), the two the project's pages use --
  function htmlOutput(content) {
    const output = {
      content, title: '', width: null, height: null,
      setTitle: (title) => { record('HtmlOutput.setTitle', [title]); output.title = title; return output; },
      setWidth: (w) => { output.width = w; return output; },
      setHeight: (h) => { output.height = h; return output; },
      getContent: () => output.content,
    };
    return output;
  }
  function readFile(name) {
    return fs.readFileSync(path.join(filesDir, name.endsWith('.html') ? name : name + '.html'), 'utf8');
  }
  const HtmlService = {
    createHtmlOutput: (html) => { record('HtmlService.createHtmlOutput'); return htmlOutput(String(html || '')); },
    createHtmlOutputFromFile: (name) => { record('HtmlService.createHtmlOutputFromFile', [name]); return htmlOutput(readFile(name)); },
    createTemplateFromFile: (name) => {
      record('HtmlService.createTemplateFromFile', [name]);
      const source = readFile(name);
      const template = {
        evaluate: () => {
          record('HtmlTemplate.evaluate', [name]);
          // A scriptlet sees the script's globals (an include() helper, as Google's guide has it) and the
          // template's own variables over them.
          const vars = Object.assign({}, world.scriptScope || {}, template);
          delete vars.evaluate;
          const value = (expr) => new Function(...Object.keys(vars), `return (${expr});`)(...Object.values(vars));
          const html = source.replace(/<\?(!?)=([\s\S]*?)\?>/g, (whole, raw, expr) => (raw ? String(value(expr)) : htmlEscape(value(expr))));
          if (/<\?/.test(html)) throw new Error(`shim: unsupported scriptlet in ${name}`);
          return htmlOutput(html);
        },
      };
      return template;
    },
  };

  // -- ScriptApp: installable triggers of this project for this user --
  let nextTrigger = 1;
  const ScriptApp = {
    getProjectTriggers: () => {
      record('ScriptApp.getProjectTriggers');
      return world.triggers.map((t) => ({
        getHandlerFunction: () => t.handler, getUniqueId: () => t.id, getEventType: () => t.type,
      }));
    },
    deleteTrigger: (trigger) => {
      record('ScriptApp.deleteTrigger', [trigger.getUniqueId()]);
      world.triggers = world.triggers.filter((t) => t.id !== trigger.getUniqueId());
    },
    newTrigger: (handler) => {
      record('ScriptApp.newTrigger', [handler]);
      const spec = { handler, type: null, everyHours: null };
      const clock = {
        everyHours: (n) => { record('ClockTriggerBuilder.everyHours', [n]); spec.everyHours = n; return clock; },
        create: () => {
          record('ClockTriggerBuilder.create', [handler]);
          const t = { id: String(nextTrigger++), handler, type: 'CLOCK', everyHours: spec.everyHours };
          world.triggers.push(t);
          return { getHandlerFunction: () => handler, getUniqueId: () => t.id };
        },
      };
      return { timeBased: () => { record('TriggerBuilder.timeBased'); return clock; } };
    },
  };

  // -- UrlFetchApp: a real HTTP request, synchronous, as Apps Script's fetch is --
  const FETCH = `
    let input = '';
    process.stdin.on('data', (d) => { input += d; });
    process.stdin.on('end', async () => {
      const req = JSON.parse(input);
      try {
        const res = await fetch(req.url, { method: req.method, headers: req.headers, body: req.body, redirect: 'manual' });
        const text = await res.text();
        process.stdout.write(JSON.stringify({ code: res.status, headers: Object.fromEntries(res.headers), text }));
      } catch (err) {
        process.stdout.write(JSON.stringify({ failed: String(err.cause && err.cause.code || err.message) }));
      }
    });`;
  const UrlFetchApp = {
    fetch: (url, params) => {
      params = params || {};
      record('UrlFetchApp.fetch', [url, params]);
      const headers = Object.assign({}, params.headers || {});
      if (params.contentType) headers['Content-Type'] = params.contentType;
      const method = String(params.method || 'get').toUpperCase();
      const request = { url, method, headers, body: method === 'GET' ? undefined : (params.payload || '') };
      const answer = JSON.parse(execFileSync(process.execPath, ['-e', FETCH], { input: JSON.stringify(request), timeout: 60000 }).toString('utf8'));
      world.fetches = (world.fetches || 0) + 1;
      if (answer.failed) throw new Error(`Exception: Address unavailable: ${url} (${answer.failed})`);
      if (answer.code >= 400 && !params.muteHttpExceptions) {
        throw new Error(`Exception: Request failed for ${url} returned code ${answer.code}.`);
      }
      return {
        getResponseCode: () => answer.code,
        getContentText: () => answer.text,
        getHeaders: () => answer.headers,
      };
    },
  };

  // -- Utilities.formatDate: the patterns Code.gs uses (SimpleDateFormat's yyyy, MM, dd), in a named time zone --
  const Utilities = {
    formatDate: (date, timeZone, pattern) => {
      record('Utilities.formatDate', [timeZone, pattern]);
      if (pattern !== 'yyyy-MM-dd') throw new Error(`shim: unsupported pattern ${pattern}`);
      const parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
        .formatToParts(date).map((p) => [p.type, p.value]));
      return `${parts.year}-${parts.month}-${parts.day}`;
    },
  };

  const Logger = { log: (...args) => record('Logger.log', args) };
  return { world, globals: { SpreadsheetApp, UrlFetchApp, PropertiesService, HtmlService, ScriptApp, Utilities, Logger, console }, cells };
}

module.exports = { makeWorld, parseA1, columnLetters, htmlUnescape };
