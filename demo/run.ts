/**
 * `npm run demo`: start moto, seed a deliberately imperfect account, audit it with the real CLI
 * twice into a history with one misconfiguration fixed in between, then wipe moto, seed a small organization (management, log archive, two members) and audit it
 * with `audit --org`, and say where the reports are. moto is always stopped, whatever happens.
 * The single account comes first: it shows every control on one page; the organization then
 * shows what only an organization audit can say (coverage by the organization trail, the
 * log-archive bucket read by its owner).
 *
 * Exit status: 0 when the audit ran (its exit 1 or 3 is the expected outcome for an account full
 * of findings); non-zero when it could not run (moto missing, seeding failed, CLI exit 2, crash).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { motoEnvironment } from '../support/moto/clients.js';
import { MotoMissingError, startMoto, type MotoServer } from '../support/moto/server.js';
import { seedExampleOrganization } from '../support/moto/exampleOrganization.js';
import { enableOrganizationSecurityHub, describeOrganizationSecurityHub } from './securityHub.js';
import { compareWithOrganization, describeOrganization, organizationAuditArgs, WHERE_TO_LOOK } from './organization.js';
import { describeHistory, fixOneMisconfiguration } from './history.js';
import { seedDemoAccount, type DemoAccount, type ExpectedFinding } from './seed.js';

const ROOT = resolve(import.meta.dirname, '..');
/** The environment as the user gave it, for the audited child. */
const USER_ENV = { ...process.env };
// The SDK's "newer versions will need Node 22" notice, printed by our own seeding clients, says
// nothing about the audit; the child CLI gets the user's environment and decides for itself.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const CLI = join(ROOT, 'bin', 'trailaudit.js');
const RULES = join(ROOT, 'demo', 'rules.yaml');
const OUTPUT_DIR = join(ROOT, 'reports', 'demo');
/** The single account's history: started afresh by each demo, so its runs are this demo's two. */
const HISTORY_DIR = join(OUTPUT_DIR, 'history');
const ORGANIZATION_OUTPUT_DIR = join(ROOT, 'reports', 'demo-org');
/** The default configuration (every check on), so the organization report shows no demo suppressions. */
const ORGANIZATION_RULES = join(ROOT, 'rules.yaml');
const REPORT_FILES = ['trailaudit.html', 'trailaudit.json', 'trailaudit.junit.xml', 'trailaudit.md'] as const;

const EXIT_MEANING: Readonly<Record<number, string>> = {
  0: 'no unsuppressed FAIL at or above failOn — unexpected here, compare with the list above.',
  1: 'unsuppressed FAIL findings at or above failOn — the expected outcome: misconfigurations were seeded.',
  2: 'bad usage or bad input (rules, checks): nothing was evaluated.',
  3: 'no FAIL, but some verdicts are UNKNOWN: the audit is incomplete.',
};

let moto: MotoServer | null = null;
let child: ChildProcess | null = null;

async function cleanUp(): Promise<void> {
  if (child !== null && child.exitCode === null) {
    child.kill('SIGTERM');
  }
  const server = moto;
  moto = null;
  await server?.stop();
}

function onSignal(signal: NodeJS.Signals): void {
  console.error(`\ndemo: ${signal} received, stopping moto_server`);
  void cleanUp().finally(() => {
    process.exit(130);
  });
}

function describeAccount(account: DemoAccount): void {
  console.log(`Seeded account ${account.accountId} in ${account.regions.join(', ')}:`);
  for (const trail of account.trails) {
    console.log(`  trail  ${trail.name.padEnd(20)} ${trail.homeRegion.padEnd(15)} ${trail.purpose}`);
  }
  for (const bucket of account.buckets) {
    console.log(`  bucket ${bucket.name.padEnd(46)} ${bucket.purpose}`);
  }
  console.log('Expected failures:');
  for (const failure of account.expectedFailures) {
    console.log(`  ${failure.control.padEnd(13)} ${failure.resource}  ${failure.why}${failure.suppressed ? ' [suppressed]' : ''}`);
  }
  console.log('');
}

function singleAccountArgs(endpoint: string, regions: readonly string[]): string[] {
  return ['--endpoint-url', endpoint, '--regions', regions.join(','), '--rules', RULES, '--output-dir', OUTPUT_DIR, '--format', 'json,junit,markdown,html', '--history', HISTORY_DIR];
}

async function runAudit(auditArgs: readonly string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const args = [CLI, 'audit', ...auditArgs];
  const shown = args.slice(1).map((arg) => (arg.startsWith(`${ROOT}/`) ? relative(ROOT, arg) : arg));
  console.log(`$ trailaudit ${shown.join(' ')}\n`);
  const started = spawn(process.execPath, args, {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...USER_ENV,
      // moto accepts any credentials; explicit ones keep the SDK away from ~/.aws and IMDS.
      ...motoEnvironment(),
    },
  });
  child = started;
  return new Promise((resolvePromise, reject) => {
    started.once('error', reject);
    started.once('close', (code, signal) => {
      resolvePromise({ code, signal });
    });
  });
}

interface ReportFinding {
  control: string;
  status: string;
  resource: { id: string };
  suppressed?: unknown;
}

/** Say which of the seeded misconfigurations the report shows as FAIL (a demo, not a test). */
function compareWithExpectations(account: DemoAccount, fixed: ExpectedFinding): void {
  const file = join(OUTPUT_DIR, 'trailaudit.json');
  if (!existsSync(file)) {
    return;
  }
  const report = JSON.parse(readFileSync(file, 'utf8')) as { findings?: ReportFinding[] };
  const findings = report.findings ?? [];
  const expectedFailures = account.expectedFailures.filter((expected) => expected !== fixed);
  const found = expectedFailures.filter((expected) =>
    findings.some(
      (finding) => finding.control === expected.control && finding.resource.id === expected.resource && finding.status === 'FAIL',
    ),
  );
  console.log(`Seeded misconfigurations still reported as FAIL: ${found.length} of ${expectedFailures.length}.`);
  for (const missing of expectedFailures.filter((expected) => !found.includes(expected))) {
    console.log(`  not reported: ${missing.control} ${missing.resource} (${missing.why})`);
  }
  const fixedNow = findings.find((finding) => finding.control === fixed.control && finding.resource.id === fixed.resource);
  console.log(`The fixed one, ${fixed.control} ${fixed.resource}: ${fixedNow?.status ?? 'not reported'} now.`);
}

/** Run one audit and say what its exit code means; false when it could not run (exit 2, crash, killed). */
async function auditRan(args: readonly string[]): Promise<boolean> {
  const { code, signal } = await runAudit(args);
  console.log('');
  if (code === null) {
    console.error(`demo: the audit was killed by ${String(signal)}.`);
    return false;
  }
  const meaning = EXIT_MEANING[code] ?? 'not a trailaudit exit code: the CLI crashed (see its output above).';
  console.log(`trailaudit exit ${code}: ${meaning}`);
  return code === 0 || code === 1 || code === 3;
}

function listReports(directory: string): void {
  console.log('Reports:');
  for (const name of REPORT_FILES) {
    const path = join(directory, name);
    console.log(`  ${relative(process.cwd(), path)}${existsSync(path) ? '' : '  (missing!)'}`);
  }
}

async function main(): Promise<number> {
  if (!existsSync(join(ROOT, 'dist', 'bundle', 'main.js'))) {
    console.error('demo: dist/bundle/main.js is missing; run `npm run build` (npm run demo does it for you).');
    return 1;
  }
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    try {
      moto = await startMoto();
    } catch (error) {
      if (error instanceof MotoMissingError) {
        console.error(`demo: ${error.message}`);
        return 1;
      }
      throw error;
    }
    console.log(`moto_server (AWS emulator) pid ${moto.pid} at ${moto.endpoint}\n`);
    const account = await seedDemoAccount(moto.endpoint);
    describeAccount(account);

    rmSync(HISTORY_DIR, { recursive: true, force: true });
    console.log('First run (into a new history):');
    if (!(await auditRan(singleAccountArgs(moto.endpoint, account.regions)))) {
      return 1;
    }
    const fixed = await fixOneMisconfiguration(moto.endpoint, account);
    console.log('Second run (same history):');
    if (!(await auditRan(singleAccountArgs(moto.endpoint, account.regions)))) {
      return 1;
    }
    compareWithExpectations(account, fixed);
    describeHistory(join(OUTPUT_DIR, 'trailaudit.json'));
    listReports(OUTPUT_DIR);
    console.log(`  ${relative(process.cwd(), HISTORY_DIR)}/  (index.json and one report per run)`);

    // The organization's management account is moto's default account, which the single-account demo used.
    await moto.reset();
    console.log('\n--- The same tool on an organization ---\n');
    const organization = await seedExampleOrganization(moto.endpoint);
    describeOrganization(organization);
    // Each finding goes into its own account's Security Hub, with that account's assumed role.
    await enableOrganizationSecurityHub(moto.endpoint, organization);
    const organizationArgs = [...organizationAuditArgs(moto.endpoint, organization, ORGANIZATION_RULES, ORGANIZATION_OUTPUT_DIR), '--security-hub'];
    if (!(await auditRan(organizationArgs))) {
      return 1;
    }
    compareWithOrganization(join(ORGANIZATION_OUTPUT_DIR, 'trailaudit.json'), organization);
    listReports(ORGANIZATION_OUTPUT_DIR);
    await describeOrganizationSecurityHub(moto.endpoint, organization);
    console.log(WHERE_TO_LOOK.join('\n'));
    return 0;
  } catch (error) {
    console.error(`demo: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 1;
  } finally {
    await cleanUp();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

process.exitCode = await main();
