#!/usr/bin/env node
// Benchmark peer: Polars (nodejs-polars, in memory). Loads the generated CSVs with Polars' own
// multi-threaded reader into DataFrames (explicit column types, only the columns the framework
// reads), runs the framework as a lazy query K times (collected: the result in Polars' form),
// writes the result as Fulcrum's CSV and prints one JSON line of timings.
//
//   node polars_peer.mjs --data DIR --framework llr|targets|deals --period 2018-Q3 --out RESULT.csv
//                        [--as-of 2018-08-15] [--threads N] [--repeat K]
//
// Polars sizes its thread pool from POLARS_MAX_THREADS when its native module loads, so the
// module is imported only after --threads has set it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

function parseArgs(argv) {
  const args = { threads: null, repeat: 1, 'as-of': null };
  const known = ['data', 'framework', 'period', 'as-of', 'out', 'threads', 'repeat'];
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i].replace(/^--/, '');
    if (!known.includes(name)) throw new Error(`unknown option ${argv[i]}`);
    if (i + 1 >= argv.length) throw new Error(`--${name} needs a value`);
    args[name] = argv[i + 1];
  }
  for (const required of ['data', 'framework', 'period', 'out'])
    if (!args[required]) throw new Error(`--${required} is required`);
  if (!['llr', 'targets', 'deals'].includes(args.framework))
    throw new Error(`--framework must be llr, targets or deals, not ${args.framework}`);
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

// The quarter's days, as duckdb_peer.mjs's quarterDays (the same as-of rule).
function quarterDays(text, asOfText) {
  const m = /^(\d{4})-Q([1-4])$/.exec(text);
  if (!m) throw new Error(`--period ${text}: expected a quarter like 2018-Q3`);
  const year = Number(m[1]), first = (Number(m[2]) - 1) * 3;
  const day = (y, month, d) => Date.UTC(y, month, d) / 86400000;
  const end = day(year, first + 3, 0);
  const asOf = asOfText === null ? end : dayNumber(asOfText, '--as-of');
  return {
    text, start: day(year, first, 1), end,
    windowStart: day(year, first - 6, 1), windowEnd: day(year, first, 0),
    asOf, toDate: Math.min(end, asOf),
  };
}

function csvCell(value) {
  if (value === null || value === undefined || (typeof value === 'number' && Number.isNaN(value)))
    return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

// Monday to Friday in [first, last] (day numbers; 1970-01-01 was a Thursday).
function workingDays(first, last) {
  let n = 0;
  for (let d = first; d <= last; ++d) if ((d + 4) % 7 >= 1 && (d + 4) % 7 <= 5) ++n;
  return n;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b), mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.threads) process.env.POLARS_MAX_THREADS = String(Number(args.threads));
  const { default: pl } = await import('nodejs-polars');
  const { col, lit, when } = pl;

  // Days since 1970-01-01 as Polars dates compare: a Date column cast to Int32.
  const day = (name) => col(name).cast(pl.Int32);
  const within = (name, first, last) => day(name).gtEq(first).and(day(name).ltEq(last));
  // Division by zero (or by missing) is missing, as Fulcrum's.
  const divide = (a, b) => when(b.eq(0).or(b.isNull())).then(lit(null)).otherwise(a.div(b));
  const clamp01 = (x) => when(x.lt(0)).then(lit(0)).when(x.gt(1)).then(lit(1)).otherwise(x);
  const asFloat = (x) => x.cast(pl.Float64);

  const read = (file, dtypes) => pl.readCSV(join(args.data, file), {
    hasHeader: true, columns: Object.keys(dtypes), dtypes, nullValues: [''],
    quoteChar: '"',
  });
  // References to the subject are joined on the subject's key (text) after grouping; the big
  // activity table's rep is Categorical, cast to text on the few grouped rows.
  const loadStart = performance.now();
  let tables, subjects, rows;
  if (args.framework === 'deals') {
    subjects = read('sales_teams.csv', { sales_agent: pl.Utf8 }).rename({ sales_agent: 'id' });
    tables = {
      accounts: read('accounts.csv', { account: pl.Utf8 }),
      deals: read('sales_pipeline.csv', {
        opportunity_id: pl.Utf8, sales_agent: pl.Utf8, account: pl.Utf8, product: pl.Utf8,
        deal_stage: pl.Utf8, engage_date: pl.Date, close_date: pl.Date, close_value: pl.Float64,
      }).select('sales_agent', 'product', 'deal_stage', 'engage_date', 'close_date', 'close_value')
        .rename({ sales_agent: 'owner', deal_stage: 'stage', engage_date: 'engaged',
                  close_date: 'closed', close_value: 'value' }),
    };
    rows = tables.deals.height;
  } else {
    subjects = read('reps.csv', { rep_id: pl.Utf8, team: pl.Utf8, hire_date: pl.Date })
      .rename({ rep_id: 'id', hire_date: 'hired' });
    tables = {
      deals: read('deals.csv', { owner: pl.Utf8, stage: pl.Utf8, closed: pl.Date, value: pl.Float64 }),
      activities: read('activities.csv', { rep: pl.Categorical, day: pl.Date, kind: pl.Categorical }),
      quotas: read('quotas.csv', { rep: pl.Utf8, quarter: pl.Utf8, quota: pl.Float64 }),
    };
    if (args.framework === 'llr')
      tables.ratings = read('ratings.csv', { rep: pl.Utf8, quarter: pl.Utf8, leadership: pl.Float64,
                                             leverage: pl.Float64 });
    rows = tables.activities.height;
  }
  subjects = subjects.withRowIndex('row_order');
  const loadSeconds = (performance.now() - loadStart) / 1000;

  const q = quarterDays(args.period, args['as-of']);
  const query = { llr, targets, deals }[args.framework];

  // Per-subject facts joined on the subject's key, in the subjects' order; sums and counts over
  // no rows are 0.
  function bySubject(facts, keyColumn, zeroed) {
    let joined = subjects.lazy().join(facts.rename({ [keyColumn]: 'id' }), { on: 'id', how: 'left' });
    if (zeroed.length) joined = joined.withColumns(...zeroed.map((c) => col(c).fillNull(0)));
    return joined.sort('row_order');
  }

  function deals() {
    const closedIn = within('closed', q.start, q.toDate);
    const won = col('stage').eq(lit('Won')).and(closedIn);
    const facts = tables.deals.lazy().groupBy('owner').agg(
      col('value').filter(won).sum().alias('won'),
      won.sum().cast(pl.Int64).alias('won_deals'),
      col('stage').eq(lit('Lost')).and(closedIn).sum().cast(pl.Int64).alias('lost_deals'),
      within('engaged', q.start, q.toDate).sum().cast(pl.Int64).alias('engaged'),
      col('value').filter(won).max().alias('biggest_win'),
      col('value').filter(won.and(col('product').eq(lit('GTK 500')))).sum().alias('gtk_won'),
      col('stage').eq(lit('Engaging')).sum().cast(pl.Int64).alias('open_deals'),
      col('stage').eq(lit('Prospecting')).sum().cast(pl.Int64).alias('prospects'),
    );
    return bySubject(facts, 'owner', ['won', 'won_deals', 'lost_deals', 'engaged', 'gtk_won',
                                      'open_deals', 'prospects'])
      .withColumns(divide(asFloat(col('won_deals')), asFloat(col('won_deals').add(col('lost_deals'))))
        .alias('win_rate'))
      .select('id', 'won', 'won_deals', 'lost_deals', 'engaged', 'biggest_win', 'gtk_won',
              'open_deals', 'prospects', 'win_rate');
  }

  const KINDS = [['dial', 'dials'], ['email', 'emails'], ['conversation', 'conversations'],
                 ['meeting', 'meetings'], ['demo', 'demos']];
  // Activities per rep and kind on days in [first, last], one column per kind: counted per
  // (rep, kind) first, then pivoted over the few grouped rows (as the DuckDB peer does; five
  // filtered sums per row took 2-4x as long on 1M rows).
  function activityFacts(first, last, kinds = KINDS) {
    return tables.activities.lazy().filter(within('day', first, last))
      .groupBy(['rep', 'kind']).agg(pl.len().alias('touches'))
      .groupBy('rep').agg(...kinds.map(([kind, name]) =>
        col('touches').filter(col('kind').eq(lit(kind))).sum().cast(pl.Int64).alias(name)))
      .withColumns(col('rep').cast(pl.Utf8)); // a categorical; the subjects' keys are text
  }
  function dealFacts(first, last) {
    const closedIn = within('closed', first, last);
    return tables.deals.lazy().filter(closedIn).groupBy('owner').agg(
      col('value').filter(col('stage').eq(lit('Won'))).sum().alias('won'),
      col('stage').isIn(['Won', 'Lost']).sum().cast(pl.Int64).alias('decided'),
      col('stage').eq(lit('Won')).sum().cast(pl.Int64).alias('won_deals'));
  }

  function llr() {
    const quota = tables.quotas.lazy().filter(col('quarter').eq(lit(q.text))).groupBy('rep')
      .agg(col('quota').sum().alias('quota'));
    const ratings = tables.ratings.lazy().filter(col('quarter').eq(lit(q.text))).groupBy('rep')
      .agg(col('leadership').mean().alias('leadership'), col('leverage').mean().alias('leverage_rating'));
    const acts = activityFacts(q.start, q.toDate);
    let r = bySubject(dealFacts(q.start, q.toDate), 'owner', ['won', 'decided', 'won_deals']);
    r = r.join(acts.rename({ rep: 'id' }), { on: 'id', how: 'left' })
      .join(quota.rename({ rep: 'id' }), { on: 'id', how: 'left' })
      .join(ratings.rename({ rep: 'id' }), { on: 'id', how: 'left' })
      .withColumns(...['quota', ...KINDS.map(([, name]) => name)].map((c) => col(c).fillNull(0)))
      .withColumns(
        divide(asFloat(col('won_deals')), asFloat(col('decided'))).alias('win_rate'),
        divide(col('won'), col('quota')).alias('attainment'),
        divide(asFloat(col('meetings')), asFloat(col('conversations'))).alias('meeting_rate'))
      .withColumns(
        clamp01(col('attainment').div(1.5)).alias('llr.results'),
        clamp01(col('leadership').div(5)).alias('llr.leadership'),
        clamp01(col('leverage_rating').div(5).add(clamp01(col('meeting_rate').div(0.4))).div(2))
          .alias('llr.leverage'))
      .withColumns(col('llr.results').mul(0.4).add(col('llr.leadership').mul(0.3))
        .add(col('llr.leverage').mul(0.3)).mul(5).alias('llr'))
      .withColumns(
        when(col('decided').eq(0)).then(lit('ramping'))
          .when(col('llr').isNull()).then(lit('unrated'))
          .when(col('llr').gtEq(4.5)).then(lit('promote'))
          .when(col('llr').gtEq(3.5)).then(lit('raise'))
          .when(col('llr').gtEq(2.0)).then(lit('meets'))
          .otherwise(lit('pip')).alias('outcome'))
      .sort('row_order');
    return r.select('id', 'won', 'decided', 'win_rate', 'quota', 'attainment', 'dials', 'emails',
                    'conversations', 'meetings', 'demos', 'meeting_rate', 'leadership',
                    'leverage_rating', 'llr', 'llr.results', 'llr.leadership', 'llr.leverage',
                    'outcome');
  }

  // Money is exact (language.md, "Money is exact"), as the other peers do it: amounts as whole
  // units of 1/10,000 in doubles (sums exact), a quotient or avg of money rounded to the unit
  // with halves away from zero (sign(x) * floor(|x| + 0.5) would round 0.49999999999999994 up,
  // so the fraction is compared instead).
  const moneyUnits = (x) => {
    const magnitude = x.abs();
    const whole = magnitude.floor();
    return when(x.isNull()).then(lit(null)).otherwise(
      whole.add(magnitude.sub(whole).gtEq(0.5).cast(pl.Float64)).mul(
        when(x.lt(0)).then(lit(-1.0)).otherwise(lit(1.0))));
  };
  const MIN_TENURE = 90, MIN_DECIDED = 20;

  function targets() {
    const ws = q.windowStart, we = q.windowEnd;
    const acts = activityFacts(ws, we, [['dial', 'dials'], ['conversation', 'conversations_held'],
                                        ['meeting', 'meetings_held'], ['demo', 'demos_held']]);
    const won = col('stage').eq(lit('Won'));
    const deals = tables.deals.lazy().filter(within('closed', ws, we)).groupBy('owner').agg(
      col('stage').isIn(['Won', 'Lost']).sum().cast(pl.Int64).alias('decided'),
      won.sum().cast(pl.Int64).alias('won_deals'),
      moneyUnits(col('value').mul(10000)).filter(won).sum().alias('won_units'),
      col('value').filter(won).count().alias('won_values'));
    const quota = tables.quotas.lazy().filter(col('quarter').eq(lit(q.text))).groupBy('rep')
      .agg(moneyUnits(col('quota').mul(10000)).sum().alias('quota_units'));
    const ownRates = [['own_dial_to_conversation', 'conversations_held', 'dials'],
                      ['own_conversation_to_meeting', 'meetings_held', 'conversations_held'],
                      ['own_meeting_to_demo', 'demos_held', 'meetings_held']];
    const stages = ['win_rate', 'average_deal', 'dial_to_conversation', 'conversation_to_meeting',
                    'meeting_to_demo'];
    // chosen_rate / chosen_amount: the own value (else the team's) with enough history.
    const chosen = (s) => {
      const history = s === 'win_rate' || s === 'average_deal' ? col('decided') : col('tenure');
      const threshold = s === 'win_rate' || s === 'average_deal' ? MIN_DECIDED : MIN_TENURE;
      return when(history.isNotNull().and(history.gtEq(threshold)))
        .then(col(`own_${s}`).fillNull(col(`team_${s}`))).otherwise(col(`team_${s}`)).alias(s);
    };
    const days = workingDays(q.start, q.end);
    const perDay = (x) => (days ? x.div(days).ceil() : lit(null).cast(pl.Float64));
    const compared = ['dial_to_conversation', 'conversation_to_meeting', 'meeting_to_demo',
                      'win_rate'];
    const versus = compared.map((s) => divide(col(`own_${s}`), col(`median_${s}`)));
    const anyMissing = versus.map((v) => v.isNull()).reduce((a, b) => a.or(b));
    const asOf = q.asOf;
    const r = bySubject(deals, 'owner', ['decided', 'won_deals', 'won_units'])
      .join(acts.rename({ rep: 'id' }), { on: 'id', how: 'left' })
      .join(quota.rename({ rep: 'id' }), { on: 'id', how: 'left' })
      .withColumns(...['dials', 'conversations_held', 'meetings_held', 'demos_held', 'quota_units',
                       'won_values'].map((c) => col(c).fillNull(0)))
      .withColumns(
        // days_since(hired): missing for a rep hired after the as-of day.
        when(day('hired').gt(asOf)).then(lit(null)).otherwise(lit(asOf).sub(day('hired')))
          .cast(pl.Int64).alias('tenure'),
        col('quota_units').div(10000).alias('quota'),
        divide(asFloat(col('won_deals')), asFloat(col('decided'))).alias('own_win_rate'),
        moneyUnits(divide(col('won_units'), asFloat(col('won_values')))).alias('own_average_deal'),
        ...ownRates.map(([name, a, b]) => divide(asFloat(col(a)), asFloat(col(b))).alias(name)))
      .withColumns(
        ...['win_rate', 'dial_to_conversation', 'conversation_to_meeting', 'meeting_to_demo']
          .map((s) => col(`own_${s}`).mean().over('team').alias(`team_${s}`)),
        moneyUnits(divide(col('own_average_deal').sum().over('team'),
                          asFloat(col('own_average_deal').count().over('team'))))
          .alias('team_average_deal'),
        ...compared.map((s) => col(`own_${s}`).median().over('team').alias(`median_${s}`)))
      .withColumns(...stages.map(chosen))
      .withColumns(moneyUnits(divide(col('quota_units'), col('win_rate'))).alias('pipeline_units'))
      .withColumns(divide(col('pipeline_units'), col('average_deal')).alias('opportunities'))
      .withColumns(divide(col('opportunities'),
                          col('conversation_to_meeting').mul(col('meeting_to_demo')))
        .alias('conversations'))
      .withColumns(divide(col('conversations'), col('dial_to_conversation')).alias('dials_needed_'))
      .withColumns(
        perDay(col('dials_needed_')).alias('dials_per_day'),
        perDay(col('conversations')).alias('conversations_per_day'),
        col('pipeline_units').div(10000).alias('pipeline'),
        ...['own_average_deal', 'team_average_deal', 'average_deal']
          .map((m) => col(m).div(10000).alias(m)),
        when(anyMissing).then(lit(null)).otherwise(pl.minHorizontal(versus))
          .alias('weakest_vs_team'))
      .withColumns(
        // Fulcrum's case is missing when a condition before the taken arm is (a missing tenure).
        when(col('tenure').isNull()).then(lit(null).cast(pl.Utf8))
          .when(col('tenure').lt(MIN_TENURE)).then(lit('ramp-up'))
          .when(col('weakest_vs_team').isNull()).then(lit('not enough data'))
          .when(col('weakest_vs_team').gtEq(1)).then(lit('at or above the team'))
          .otherwise(lit('coach the weakest stage')).alias('coaching'))
      .sort('row_order');
    return r.select('id', 'tenure', 'quota', 'dials', 'conversations_held', 'meetings_held',
                    'demos_held', 'decided', 'own_win_rate', 'own_average_deal',
                    ...ownRates.map(([name]) => name),
                    ...stages.map((s) => `team_${s}`), ...stages, 'pipeline', 'opportunities',
                    'conversations', 'dials_needed_', 'dials_per_day', 'conversations_per_day',
                    'median_dial_to_conversation', 'median_conversation_to_meeting',
                    'median_meeting_to_demo', 'median_win_rate', 'weakest_vs_team', 'coaching');
  }

  const times = [];
  let result;
  for (let i = 0; i < args.repeat; ++i) {
    const start = performance.now();
    result = query().collectSync();
    times.push((performance.now() - start) / 1000);
  }

  const columns = result.columns;
  const lines = [columns.map(csvCell).join(',')];
  const values = columns.map((c) => result.getColumn(c).toArray());
  for (let i = 0; i < result.height; ++i)
    lines.push(values.map((v) => csvCell(v[i])).join(','));
  writeFileSync(args.out, lines.join('\n') + '\n');

  console.log(JSON.stringify({
    peer: 'polars', framework: args.framework, load_s: loadSeconds, eval_s: Math.min(...times),
    eval_median_s: median(times), [args.framework === 'deals' ? 'deal_rows' : 'activity_rows']: rows,
    threads: Number(process.env.POLARS_MAX_THREADS || 0) || null,
  }));
}

main().catch((error) => {
  console.error(`polars peer: ${error.message.split('\n').slice(0, 4).join('\n')}`);
  process.exit(1);
});
