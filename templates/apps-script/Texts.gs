/**
 * Everything the sheetsync menu shows a person, in English and Chinese, and how the sheet's language is told.
 * (Code.gs says how the project's files fit together.)
 */

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

