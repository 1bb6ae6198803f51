'use strict';
// Run the project's .gs files in a vm context over the shim, play one scenario, print what the script did as JSON.
//   node runner.js SCENARIO CONFIG.json
// CONFIG: {filesDir, id, locale, properties, sheets, selection, form, click}. The sidebar's and the
// Settings dialog's own <script>s run too, over a few DOM calls, so a click goes through
// google.script.run to the script as it does in a browser.

const fs = require('fs');
const path = require('path');
const vm = require('vm');
const { makeWorld, htmlUnescape } = require('./shim');

const [scenario, configPath] = process.argv.slice(2);
const config = JSON.parse(fs.readFileSync(configPath, 'utf8'));
const { world, globals, cells } = makeWorld(config);
const context = vm.createContext(Object.assign({}, globals));
// Every .gs file of the project in one global scope, as Apps Script runs them (by name: none may need
// another's top-level code to have run first).
for (const name of fs.readdirSync(config.filesDir).filter((f) => f.endsWith('.gs')).sort()) {
  vm.runInContext(fs.readFileSync(path.join(config.filesDir, name), 'utf8'), context, { filename: name });
}
world.scriptScope = context;  // what a page's scriptlets can call (include)

// ---- the client side of an HtmlService page ----

function attributes(tag) {
  const found = {};
  for (const m of tag.matchAll(/([\w-]+)="([^"]*)"/g)) found[m[1]] = htmlUnescape(m[2]);
  return found;
}

function element(attrs) {
  const listeners = {};
  return {
    attrs, value: attrs.value || '', textContent: '', className: attrs.class || '',
    getAttribute: (name) => (name in attrs ? attrs[name] : null),
    addEventListener: (type, fn) => { (listeners[type] = listeners[type] || []).push(fn); },
    fire(type) {
      const event = { type, currentTarget: this, target: this, defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
      (listeners[type] || []).forEach((fn) => fn(event));
      return event;
    },
  };
}

/** Load a page's markup and run its inline scripts; the page's elements come back by id and as links. */
function openPage(html) {
  const byId = {};
  const links = [];
  for (const m of html.matchAll(/<(\w+)\b([^>]*)>/g)) {
    const attrs = attributes(m[2]);
    const el = element(attrs);
    if (attrs.id) byId[attrs.id] = el;
    if (m[1] === 'a' && /\bcell\b/.test(attrs.class || '')) links.push(el);
  }
  const document = {
    getElementById: (id) => byId[id] || (byId[id] = element({ id })),
    querySelectorAll: (selector) => {
      if (selector !== 'a.cell') throw new Error(`runner: unsupported selector ${selector}`);
      return links;
    },
  };
  const server = (handlers) => new Proxy({}, {
    get: (target, name) => {
      if (name === 'withSuccessHandler') return (fn) => server(Object.assign({}, handlers, { success: fn }));
      if (name === 'withFailureHandler') return (fn) => server(Object.assign({}, handlers, { failure: fn }));
      return (...args) => {
        world.calls.push({ call: `google.script.run.${String(name)}`, args: JSON.parse(JSON.stringify(args)) });
        let result;
        try {
          if (typeof context[name] !== 'function' || String(name).endsWith('_')) throw new Error(`Script function not found: ${String(name)}`);
          result = context[name](...JSON.parse(JSON.stringify(args)));  // arguments cross as JSON, as in Apps Script
        } catch (err) {
          if (!handlers.failure) throw err;
          handlers.failure({ message: String(err.message) });
          return;
        }
        if (handlers.success) handlers.success(result === undefined ? undefined : JSON.parse(JSON.stringify(result)));
      };
    },
  });
  const google = { script: { run: server({}), host: { close: () => { world.calls.push({ call: 'google.script.host.close', args: [] }); world.closed += 1; } } } };
  const page = vm.createContext({ document, google, console });
  for (const m of html.matchAll(/<script>([\s\S]*?)<\/script>/g)) vm.runInContext(m[1], page);
  return { byId, links, document };
}

// ---- steps ----

const snapshots = [];
const steps = {
  open: () => context.onOpen({ authMode: 'LIMITED', source: null }),
  sync: () => context.sheetsyncSyncNow(),
  lint: () => context.sheetsyncCheckCopy(),
  digest: () => context.sheetsyncPreviewDigest(),
  toggle: () => context.sheetsyncToggleHourly(),
  settings: () => context.sheetsyncShowSettings(),
  hourly: () => {  // the trigger fires with no one at the sheet: no UI may be touched
    world.noUi = true;
    try {
      context.sheetsyncHourly({ authMode: 'FULL', triggerUid: world.triggers.length ? world.triggers[0].id : null });
    } finally {
      world.noUi = false;
    }
  },
  click: () => {  // click the sidebar link naming config.click ("Sheet!A1"), or else the first
    const page = openPage(world.sidebars[world.sidebars.length - 1].html);
    const link = page.links.find((l) => `${l.getAttribute('data-sheet')}!${l.getAttribute('data-cell')}` === config.click) || page.links[0];
    if (!link) throw new Error('runner: the sidebar has no cell link');
    const event = link.fire('click');
    world.clicked = { sheet: link.getAttribute('data-sheet'), cell: link.getAttribute('data-cell'), prevented: event.defaultPrevented, status: page.byId.status && page.byId.status.textContent };
  },
  fill: () => {  // a person types into the open Settings dialog and presses Save
    const page = openPage(world.dialogs[world.dialogs.length - 1].html);
    page.byId.address.value = config.form.address;
    page.byId.token.value = config.form.token;
    const event = page.byId.settings.fire('submit');
    world.submitted = { status: page.byId.status.textContent, prevented: event.defaultPrevented };
  },
};

const SCENARIOS = {
  open: ['open'],
  sync: ['open', 'sync'],
  select: ['open', 'sync', 'click'],
  lint: ['open', 'lint', 'click'],
  lintonly: ['open', 'lint'],
  digest: ['open', 'digest'],
  hourly: ['open', 'toggle', 'hourly', 'toggle'],
  toggle: ['open', 'toggle'],
  toggle2: ['open', 'toggle', 'toggle'],
  settings: ['open', 'settings', 'fill', 'settings', 'sync'],
  nosettings: ['open', 'sync'],
};

const plan = SCENARIOS[scenario];
if (!plan) throw new Error(`runner: unknown scenario ${scenario}`);
let failure = null;
for (const name of plan) {
  try {
    steps[name]();
  } catch (err) {
    failure = { step: name, message: String(err.message), stack: String(err.stack).split('\n').slice(0, 4) };
    break;
  }
  snapshots.push({ step: name, triggers: world.triggers.map((t) => Object.assign({}, t)), menu: JSON.parse(JSON.stringify(world.menus)), fetches: world.fetches || 0 });
}
process.stdout.write(JSON.stringify({
  scenario, failure, snapshots, calls: world.calls, menus: world.menus, sidebars: world.sidebars, dialogs: world.dialogs,
  alerts: world.alerts, properties: world.documentProperties, triggers: world.triggers, activeRange: world.activeRange,
  text: context.TEXT, categories: context.CATEGORY || null, provisional: context.PROVISIONAL || null, clicked: world.clicked || null, submitted: world.submitted || null, closed: world.closed, cells,
}));
