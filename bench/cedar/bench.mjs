// may-share against Cedar, the Cedar half: puts the questions bench_cedar generated (OUT/questions.tsv,
// about the cases in OUT/contexts.jsonl) to Cedar through @cedar-policy/cedar-wasm, compares every
// decision, and the rule behind it, with rd_may_share's (OUT/rightdoor.tsv), and prints decisions
// per second for both and where Cedar's time goes. Run by bench/cedar/run.sh after bench_cedar.
//
// Usage: node bench/cedar/bench.mjs [OUT] [RUNS] [SUBSET]   exit 1 when any decision or rule differs
// RUNS (default 1): rounds over every question with the fastest API; SUBSET (default 5,000): the
// questions the slower APIs and the breakdown are timed on (best of 3).
//
// Each call gets the entities it needs (Cedar's "entity slicing", the fastest way an app can call
// it): the recipient, the data, the sender, and their ancestors (sectors; what the data reveals;
// its attributes). All request objects are built before the clock starts; only the calls are timed.
import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import fs from 'node:fs';
import path from 'node:path';

const out = process.argv[2] || 'bench/cedar/out';
const runs = Number(process.argv[3] || 1);
const read = (f) => fs.readFileSync(path.join(out, f), 'utf8');

// ---- the SOP in Cedar --------------------------------------------------------------------------
const policyText = read('policies.cedar');
const schema = read('schema.cedarschema');
const entities = JSON.parse(read('entities.json'));
const parts = cedar.policySetTextToParts(policyText);
if (parts.type !== 'success') throw new Error('policies.cedar does not parse: ' + JSON.stringify(parts.errors));
// Policies keyed by their @id, so that Cedar's reasons name Rightdoor's rules.
const staticPolicies = {};
for (const p of parts.policies) {
  const m = /@id\("([^"]*)"\)/.exec(p);
  if (!m || staticPolicies[m[1]]) throw new Error('a policy without a unique @id: ' + p.slice(0, 200));
  staticPolicies[m[1]] = p;
}
const policies = { staticPolicies };
const validation = cedar.validate({ validationSettings: { mode: 'strict' }, schema, policies });
const validated = validation.type === 'success' && validation.validationErrors.length === 0;
if (!validated) console.log('cedar: policies do not validate against the schema:', JSON.stringify(validation).slice(0, 2000));

const key = (u) => u.type + '::' + u.id;
const byUid = new Map(entities.map((e) => [key(e.uid), e]));
// An entity and its ancestors; a name the SOP lacks has no entity, as in an app's store.
function slice(uids) {
  const seen = new Map();
  const walk = (u) => {
    const k = key(u);
    if (seen.has(k) || !byUid.has(k)) return;
    const e = byUid.get(k);
    seen.set(k, e);
    e.parents.forEach(walk);
  };
  uids.forEach(walk);
  return [...seen.values()];
}

// ---- the questions -----------------------------------------------------------------------------
const contexts = read('contexts.jsonl').trim().split('\n').map((l) => JSON.parse(l));
const lines = read('questions.tsv').trim().split('\n');
const rdLines = read('rightdoor.tsv').trim().split('\n');
const rd = JSON.parse(read('rightdoor.json'));
const n = lines.length;
if (rdLines.length !== n) throw new Error('rightdoor.tsv does not answer every question');
const action = { type: 'Action', id: 'share' };
const sliceCache = new Map();
const calls = lines.map((l) => {
  const [c, data, from, to, now] = l.split('\t');
  const principal = { type: 'Actor', id: to }, resource = { type: 'Data', id: data };
  const sender = { type: 'Actor', id: from };
  const sk = to + '|' + data + '|' + from;
  if (!sliceCache.has(sk)) sliceCache.set(sk, slice([principal, resource, sender]));
  // the case's context, with the question's own sender and time
  const context = { ...contexts[Number(c)], from: { __entity: sender }, now: Number(now) };
  return { principal, action, resource, context, entities: sliceCache.get(sk) };
});

// ---- timing ------------------------------------------------------------------------------------
// A mode's calls in a loop, `rounds` times after a warm-up (V8 compiles wasm in tiers: the first
// few thousand calls are slower); the best round counts, as for Rightdoor. Returns ns per call and
// the first round's answers.
function time(label, fn, count, rounds) {
  for (let i = 0; i < 3000; i++) fn(i % count);
  let best = Infinity, bestCpu = Infinity, answers = null;
  for (let r = 0; r < rounds; r++) {
    const got = r === 0 ? new Array(count) : null;
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < count; i++) {
      const a = fn(i);
      if (got) got[i] = a;
    }
    const ns = Number(process.hrtime.bigint() - t0);
    const c = process.cpuUsage(c0);
    best = Math.min(best, ns);
    bestCpu = Math.min(bestCpu, (c.user + c.system) * 1000);
    if (got) answers = got;
  }
  return { label, count, nsPerCall: best / count, cpuPerCall: bestCpu / count, answers };
}

const stateless = (i) => cedar.isAuthorized({ ...calls[i], policies });
cedar.preparsePolicySet('sop', policies);
const stateful = (i) => cedar.statefulIsAuthorized({ ...calls[i], preparsedPolicySetId: 'sop' });
const statefulFull = (i) => cedar.statefulIsAuthorized({ ...calls[i], entities, preparsedPolicySetId: 'sop' });
cedar.preparsePolicySet('none', { staticPolicies: {} });
const boundary = (i) => cedar.statefulIsAuthorized({ ...calls[i], preparsedPolicySetId: 'none' });
const bare = (i) => cedar.statefulIsAuthorized({ principal: calls[i].principal, action, resource: calls[i].resource, context: {}, entities: [], preparsedPolicySetId: 'none' });
const stringify = (i) => JSON.stringify({ ...calls[i], preparsedPolicySetId: 'sop' }).length;

// Every question through the fastest API; the slower ones, and the breakdown, on the first
// `sub` questions (their cases are the first ones; the calls are the same).
const sub = Math.min(n, Number(process.argv[4] || 5000));
const main = time('statefulIsAuthorized (preparsed policy set), entities sliced', stateful, n, runs);
const results = [
  main,
  time('isAuthorized (policies parsed each call), entities sliced', stateless, sub, 3),
  time('statefulIsAuthorized, the whole entity store each call', statefulFull, sub, 3),
];
const mainSub = time('statefulIsAuthorized (preparsed policy set), entities sliced', stateful, sub, 3);
const bnd = time('the same inputs, an empty preparsed policy set (parsing the request and entities, no policy)', boundary, sub, 3);
const bareR = time('a bare call: empty policy set, no entities, empty context', bare, sub, 3);
const json = time('JSON.stringify of the same inputs, as cedar-wasm does first (no call)', stringify, sub, 3);

// ---- every decision compared ------------------------------------------------------------------
function compare(res) {
  const diffs = [], ruleDiffs = [], errors = [];
  res.answers.forEach((a, i) => {
    if (a.type !== 'success' || a.response.diagnostics.errors.length) { errors.push(i); return; }
    const [rdDec, rdRule] = rdLines[i].split('\t');
    const cd = a.response.decision, reasons = a.response.diagnostics.reason.map((r) => r.replace(/#\d+$/, ''));
    if (cd !== rdDec) diffs.push({ i, rightdoor: rdLines[i], cedar: cd + ' ' + reasons.join(',') });
    else if (rdRule === '-' ? reasons.length !== 0 : !reasons.includes(rdRule))
      ruleDiffs.push({ i, rightdoor: rdLines[i], cedar: cd + ' ' + reasons.join(',') });
  });
  return { diffs, ruleDiffs, errors };
}
let bad = 0;
for (const r of results.slice(0, 3)) {
  const c = compare(r);
  console.log(`compare (${r.label}): ${r.count} questions, ${c.diffs.length} decisions differ, ${c.ruleDiffs.length} rules differ, ${c.errors.length} Cedar errors`);
  for (const d of [...c.diffs, ...c.ruleDiffs].slice(0, 10))
    console.log(`  question ${d.i + 1}: ${lines[d.i].replace(/\t/g, ' ')} (cases/bench-${String(lines[d.i].split('\t')[0]).padStart(4, '0')}.yaml): rightdoor ${d.rightdoor.replace('\t', ' ')}, cedar ${d.cedar}`);
  for (const i of c.errors.slice(0, 5)) console.log(`  question ${i + 1}: Cedar error ${JSON.stringify(r.answers[i]).slice(0, 400)}`);
  bad += c.diffs.length + c.ruleDiffs.length + c.errors.length;
}

// ---- the table ---------------------------------------------------------------------------------
const rdNs = rd.best_ns / rd.questions;
const rate = (ns) => (1e9 / ns >= 1e6 ? (1e3 / ns).toFixed(2) + ' M' : 1e9 / ns >= 1e4 ? (1e6 / ns).toFixed(0) + ' k' : (1e9 / ns).toFixed(0));
const us = (ns) => (ns >= 1e5 ? (ns / 1e3).toFixed(0) : (ns / 1e3).toFixed(1)) + ' us';
console.log(`\nmay-share vs Cedar: ${n} questions, ${rd.cases} generated cases of ${rd.sop}, seed ${rd.seed}; ` +
  `cedar-wasm ${cedar.getCedarVersion()} on Node ${process.version}; the policies ${validated ? 'validate' : 'DO NOT validate'} (strict) against the schema`);
const rdCpu = rd.best_cpu_ns / rd.questions;
const t = (ns) => (ns < 1e4 ? ns.toFixed(0) + ' ns' : us(ns));
console.log(`| engine and call | questions timed | wall time per decision | decisions/s | Rightdoor faster by | CPU time per decision | by CPU time |`);
console.log(`|---|---|---|---|---|---|---|`);
console.log(`| Rightdoor \`rd_may_share\` (C, in-process), best of ${rd.runs} | ${rd.questions} | ${t(rdNs)} | ${rate(rdNs)} | 1x | ${t(rdCpu)} | 1x |`);
for (const r of results)
  console.log(`| Cedar ${r.label} | ${r.count} | ${t(r.nsPerCall)} | ${rate(r.nsPerCall)} | ${Math.round(r.nsPerCall / rdNs)}x | ${t(r.cpuPerCall)} | ${Math.round(r.cpuPerCall / rdCpu)}x |`);
console.log(`\nwhere Cedar's time goes, on the first ${sub} questions (best of 3 each):`);
for (const r of [mainSub, bnd, bareR, json])
  console.log(`  ${r.label}: ${us(r.nsPerCall)} = ${(100 * r.nsPerCall / mainSub.nsPerCall).toFixed(0)}%`);
const evalNs = mainSub.nsPerCall - bnd.nsPerCall, readNs = bnd.nsPerCall - bareR.nsPerCall;
const pc = (ns) => (100 * ns / mainSub.nsPerCall).toFixed(0) + '%';
console.log(`  so: the wasm boundary itself (a bare call: JSON.stringify, the copy into wasm, the answer back) ${us(bareR.nsPerCall)} = ${pc(bareR.nsPerCall)}; ` +
  `reading the context and entities into Cedar values (Cedar's own code, run as wasm) ${us(readNs)} = ${pc(readNs)}; ` +
  `evaluating the ${Object.keys(staticPolicies).length} policies ${us(evalNs)} = ${pc(evalNs)}`);
console.log(`  against Cedar's evaluation alone, Rightdoor's whole answer is ${Math.round(evalNs / rdNs)}x faster`);
fs.writeFileSync(path.join(out, 'cedar.json'), JSON.stringify({
  cedar: cedar.getCedarVersion(), node: process.version, questions: n, validated, differences: bad,
  rightdoor_ns: rdNs, rightdoor_cpu_ns: rdCpu, modes: [...results, mainSub, bnd, bareR, json].map((r) => ({ label: r.label, count: r.count, ns: r.nsPerCall, cpu_ns: r.cpuPerCall })),
}, null, 1) + '\n');
process.exit(bad ? 1 : 0);
