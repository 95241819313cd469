#!/usr/bin/env node
// Benchmark peer: DuckDB (in memory, through @duckdb/node-api). Loads the generated CSVs with
// DuckDB's own reader into tables, runs the framework's SQL (sql/duckdb_*.sql) K times, writes
// the result as Fulcrum's CSV and prints one JSON line of timings.
//
//   node duckdb_peer.mjs --data DIR --framework llr|targets|deals --period 2018-Q3 --out RESULT.csv
//                        [--as-of 2018-08-15] [--threads N] [--repeat K]
//   node duckdb_peer.mjs --data DIR --framework account_lens --as-of 2018-12-31 --out RESULT.csv
//                        [--alerts-out FEED.csv] [--threads N] [--repeat K]
// account_lens (bench/frameworks/events.fulcrum) is two queries, sql/duckdb_account_lens.sql
// (the columns and the rank, into a temporary table) and with --alerts-out
// sql/duckdb_account_lens_alerts.sql (the alert feed, written as `fulcrum alerts --format csv`
// does); an evaluation runs both and reads both results.
import { DuckDBInstance, dateValue } from '@duckdb/node-api';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

function parseArgs(argv) {
  const args = { threads: null, repeat: 1, 'as-of': null };
  const known = ['data', 'framework', 'period', 'as-of', 'out', 'alerts-out', 'threads',
                 'repeat'];
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i].replace(/^--/, '');
    if (!known.includes(name)) throw new Error(`unknown option ${argv[i]}`);
    if (i + 1 >= argv.length) throw new Error(`--${name} needs a value`);
    args[name] = argv[i + 1];
  }
  // account_lens's windows all end at the as-of day: it needs no period.
  const when = args.framework === 'account_lens' ? 'as-of' : 'period';
  for (const required of ['data', 'framework', when, 'out'])
    if (!args[required]) throw new Error(`--${required} is required`);
  if (!['llr', 'targets', 'deals', 'account_lens'].includes(args.framework))
    throw new Error(`--framework must be llr, targets, deals or account_lens, not ${args.framework}`);
  args.repeat = Math.max(1, Number(args.repeat) || 1);
  return args;
}

// `YYYY-MM-DD` as a day number since 1970-01-01, validated.
function dayNumber(text, option) {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const day = d ? Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3])) / 86400000 : NaN;
  if (!d || new Date(day * 86400000).toISOString().slice(0, 10) !== text)
    throw new Error(`${option} ${text}: expected a date like 2018-08-15`);
  return day;
}

// The quarter `YYYY-Qn` as day numbers since 1970-01-01 (DuckDB's DATE), the two whole quarters
// just before it (`previous 2 quarters`) and the as-of day, the run's today (`YYYY-MM-DD`, by
// default the quarter's last day). As of a day D (language.md, "As of a date"), `in period` ends
// at D when D falls inside the quarter (`toDate`; before `start` when D is, so nothing counts),
// and `days_since` of a later date is missing (the SQL's business).
function quarterDays(text, asOfText) {
  const m = /^(\d{4})-Q([1-4])$/.exec(text);
  if (!m) throw new Error(`--period ${text}: expected a quarter like 2018-Q3`);
  const year = Number(m[1]), first = (Number(m[2]) - 1) * 3;
  const day = (y, month, d) => Date.UTC(y, month, d) / 86400000;
  const end = day(year, first + 3, 0);
  const asOf = asOfText === null ? end : dayNumber(asOfText, '--as-of');
  return {
    start: day(year, first, 1),
    end,
    windowStart: day(year, first - 6, 1),
    windowEnd: day(year, first, 0),
    asOf,
    toDate: Math.min(end, asOf),
  };
}

// Columns of every CSV with their types, as bench/frameworks/data.fulcrum declares them; the
// tables keep the declared fields only (DuckDB then skips parsing the others). Dates are ISO,
// which DuckDB's DATE reads on its fast path (an explicit dateformat is slower). References to a
// rep are of the ENUM `rep_t` made of the reps' keys, and an activity's kind of the ENUM `kind_t`
// of the five kinds data.fulcrum names: grouping the activities by small integers instead of
// strings halves to thirds the scan (20M rows: 0.39 s -> 0.12 s), for 10% more load. A
// reference to an unknown rep, or another kind, then fails the load, as fulcrum's would.
const tables = {
  reps: {
    file: 'reps.csv',
    columns: { rep_id: 'VARCHAR', name: 'VARCHAR', team: 'VARCHAR', manager: 'VARCHAR',
               region: 'VARCHAR', hire_date: 'DATE' },
    select: 'rep_id AS id, name, team, manager, region, hire_date AS hired',
  },
  deals: {
    file: 'deals.csv',
    columns: { deal_id: 'VARCHAR', owner: 'rep_t', account: 'VARCHAR', product: 'VARCHAR',
               stage: 'VARCHAR', engaged: 'DATE', closed: 'DATE', value: 'DOUBLE' },
    select: 'deal_id AS id, owner, product, stage, engaged, closed, value',
  },
  activities: {
    file: 'activities.csv',
    columns: { rep: 'rep_t', account: 'VARCHAR', day: 'DATE', kind: 'kind_t' },
    select: 'rep, day, kind',
  },
  ratings: {
    file: 'ratings.csv',
    columns: { rep: 'rep_t', quarter: 'VARCHAR', leadership: 'DOUBLE', leverage: 'DOUBLE' },
    select: 'rep, quarter, leadership, leverage',
  },
  quotas: {
    file: 'quotas.csv',
    columns: { rep: 'rep_t', quarter: 'VARCHAR', quota: 'DOUBLE' },
    select: 'rep, quarter, quota',
  },
  // account_lens's tables, as bench/frameworks/events.fulcrum declares them. Accounts are
  // keyed by their VARCHAR id: an ENUM of 3M keys is no help here.
  accounts: {
    file: 'accounts.csv',
    columns: { account_id: 'VARCHAR', name: 'VARCHAR', sector: 'VARCHAR', employees: 'DOUBLE',
               owner: 'VARCHAR', renewal_date: 'DATE' },
    select: 'account_id AS id, name, sector, employees',
  },
  events: {
    file: 'events.csv',
    columns: { account: 'VARCHAR', contact: 'VARCHAR', kind: 'VARCHAR', at: 'DATE',
               weight: 'DOUBLE' },
    select: 'account, contact, kind, "at", weight', // AT is a keyword of DuckDB's
  },
  // The deals shape (bench/frameworks/deals.fulcrum, `fulcrum-gen --pipeline`): the agents
  // (the subjects; their names become the ENUM `rep_t` as the reps' ids do), the accounts'
  // names, and the pipeline with its owner an ENUM of the agents (an unknown agent fails the
  // load) and its stage one of `stage_t`. Products and accounts stay VARCHAR.
  agents: {
    file: 'sales_teams.csv',
    columns: { sales_agent: 'VARCHAR', manager: 'VARCHAR', regional_office: 'VARCHAR' },
    select: 'sales_agent AS id',
  },
  deal_accounts: {
    file: 'accounts.csv',
    columns: { account: 'VARCHAR', sector: 'VARCHAR', year_established: 'INTEGER',
               revenue: 'DOUBLE', employees: 'INTEGER', office_location: 'VARCHAR',
               subsidiary_of: 'VARCHAR' },
    select: 'account AS id',
  },
  pipeline: {
    file: 'sales_pipeline.csv',
    columns: { opportunity_id: 'VARCHAR', sales_agent: 'rep_t', product: 'VARCHAR',
               account: 'VARCHAR', deal_stage: 'stage_t', engage_date: 'DATE',
               close_date: 'DATE', close_value: 'DOUBLE' },
    select: 'sales_agent AS owner, product, deal_stage AS stage, engage_date AS engaged, ' +
            'close_date AS closed, close_value AS value',
  },
};
const tablesOf = {
  llr: ['reps', 'deals', 'activities', 'ratings', 'quotas'],
  targets: ['reps', 'deals', 'activities', 'quotas'],
  account_lens: ['accounts', 'events'],
  deals: ['agents', 'deal_accounts', 'pipeline'],
};

const sqlString = (text) => `'${text.replaceAll("'", "''")}'`;

// Fulcrum's CSV cell: numbers in shortest round-trip form (JS's and fmt's agree on the digits),
// missing as an empty cell, text quoted only when it must be.
function csvCell(value) {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

// A query's rows in Fulcrum's CSV form, numbers as JS prints them (BIGINTs made Numbers).
function csvText(reader) {
  const lines = [reader.columnNames().map(csvCell).join(',')];
  for (const row of reader.getRowsJS())
    lines.push(row.map((v) => csvCell(typeof v === 'bigint' ? Number(v) : v)).join(','));
  return lines.join('\n') + '\n';
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b), mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  if (args.threads) await db.run(`SET threads = ${Number(args.threads)}`);
  // Fulcrum's clamp, which keeps a missing value missing (DuckDB's least/greatest skip NULLs).
  await db.run('CREATE MACRO clamp01(x) AS CASE WHEN x < 0 THEN 0 WHEN x > 1 THEN 1 ELSE x END');

  const loadStart = performance.now();
  await db.run("CREATE TYPE kind_t AS ENUM ('dial', 'email', 'conversation', 'meeting', 'demo')");
  await db.run("CREATE TYPE stage_t AS ENUM ('Won', 'Lost', 'Engaging', 'Prospecting')");
  for (const name of tablesOf[args.framework]) {
    const t = tables[name];
    const columns = Object.entries(t.columns)
      .map(([column, type]) => `${sqlString(column)}: ${sqlString(type)}`);
    await db.run(`CREATE TABLE ${name} AS SELECT ${t.select} FROM read_csv(
      ${sqlString(join(args.data, t.file))}, header = true, delim = ',', quote = '"',
      columns = {${columns.join(', ')}})`);
    if (name === 'reps' || name === 'agents') {
      // Duplicate keys make CREATE TYPE fail. The reps' own key becomes the ENUM too, so that
      // the joins compare like with like.
      await db.run(`CREATE TYPE rep_t AS ENUM (SELECT id FROM ${name} ORDER BY rowid)`);
      await db.run(`ALTER TABLE ${name} ALTER COLUMN id SET DATA TYPE rep_t`);
    }
  }
  const loadSeconds = (performance.now() - loadStart) / 1000;
  const threads = Number(
    (await db.runAndReadAll("SELECT current_setting('threads')")).getRowsJS()[0][0]);
  if (args.framework === 'account_lens')
    return evaluateAccountLens(db, args, loadSeconds, threads);
  const rowsTable = args.framework === 'deals' ? 'pipeline' : 'activities';
  const activityRows = Number(
    (await db.runAndReadAll(`SELECT count(*)::DOUBLE FROM ${rowsTable}`)).getRows()[0][0]);

  const q = quarterDays(args.period, args['as-of']);
  const params = {
    llr: { period: args.period, period_start: dateValue(q.start), to_date: dateValue(q.toDate) },
    deals: { period_start: dateValue(q.start), to_date: dateValue(q.toDate) },
    targets: {
      period: args.period, period_start: dateValue(q.start), period_end: dateValue(q.end),
      window_start: dateValue(q.windowStart), window_end: dateValue(q.windowEnd),
      as_of: dateValue(q.asOf), min_tenure: 90, min_decided: 20,
    },
  }[args.framework];
  const sql = readFileSync(join(here, 'sql', `duckdb_${args.framework}.sql`), 'utf8');
  const statement = await db.prepare(sql);
  statement.bind(params);

  const times = [];
  let reader;
  for (let i = 0; i < args.repeat; ++i) {
    const start = performance.now();
    // Runs the query and reads every result chunk; turning them into JS values is output.
    reader = await statement.runAndReadAll();
    times.push((performance.now() - start) / 1000);
  }

  writeFileSync(args.out, csvText(reader));

  console.log(JSON.stringify({
    peer: 'duckdb', framework: args.framework, load_s: loadSeconds, eval_s: Math.min(...times),
    eval_median_s: median(times), [args.framework === 'deals' ? 'deal_rows' : 'activity_rows']: activityRows,
    threads: threads,
  }));
}

// account_lens: the lens into a temporary table, its result read in the accounts' file order,
// and with --alerts-out the feed; K times, each timed whole.
async function evaluateAccountLens(db, args, loadSeconds, threads) {
  const eventRows = Number(
    (await db.runAndReadAll('SELECT count(*)::DOUBLE FROM events')).getRows()[0][0]);
  const asOf = dayNumber(args['as-of'], '--as-of');
  const sql = (name) => readFileSync(join(here, 'sql', name), 'utf8');
  const lens = await db.prepare(sql('duckdb_account_lens.sql'));
  lens.bind({ as_of: dateValue(asOf), last_90_start: dateValue(asOf - 89) });
  // The feed's statement is prepared against the lens table: the lens is made once first.
  await lens.run();
  const feed = args['alerts-out'] ? await db.prepare(sql('duckdb_account_lens_alerts.sql')) : null;
  if (feed) feed.bind({ as_of: dateValue(asOf), last_7_start: dateValue(asOf - 6) });

  const times = [];
  let result, alerts;
  for (let i = 0; i < args.repeat; ++i) {
    const start = performance.now();
    await lens.run();
    result = await db.runAndReadAll(
      'SELECT id, size_of_prize, temperature, heat, priority, quiet_days FROM lens ORDER BY row_order');
    if (feed) alerts = await feed.runAndReadAll();
    times.push((performance.now() - start) / 1000);
  }
  writeFileSync(args.out, csvText(result));
  if (feed) writeFileSync(args['alerts-out'], csvText(alerts));
  console.log(JSON.stringify({
    peer: 'duckdb', framework: args.framework, load_s: loadSeconds, eval_s: Math.min(...times),
    eval_median_s: median(times), event_rows: eventRows, alerts: feed ? alerts.currentRowCount : null,
    threads: threads,
  }));
}

main().catch((error) => {
  // DuckDB's messages can list a whole ENUM: the start says what went wrong.
  const lines = error.message.split('\n').slice(0, 4)
    .map((line) => (line.length > 300 ? `${line.slice(0, 300)}...` : line));
  console.error(`duckdb peer: ${lines.join('\n')}`);
  process.exit(1);
});
