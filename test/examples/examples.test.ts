/**
 * The copyable sharding examples under examples/ stay true as the CLI changes: their YAML parses,
 * the shard arithmetic covers 1..N exactly once, their shell steps run (under /bin/sh, with a
 * stand-in `npx` that records its arguments), treat trailaudit's exit codes as they say, and every
 * trailaudit option they use is one the built CLI's `--help` lists.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments } from 'yaml';
import { BIN } from '../cli/runCli.js';

const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));

type Json = Record<string, unknown>;

interface CommandHelp {
  /** Options (`--name`) that `trailaudit <command> --help` lists. */
  readonly options: ReadonlySet<string>;
  /** The usage line takes several arguments (`<name...>`). */
  readonly variadic: boolean;
}

function commandHelp(command: string): CommandHelp {
  const help = spawnSync(process.execPath, [BIN, command, '--help'], { encoding: 'utf8' });
  assert.equal(help.status, 0, help.stderr);
  const usage = /^Usage: .*$/mu.exec(help.stdout)?.[0] ?? '';
  return {
    options: new Set([...help.stdout.matchAll(/^\s+(?:-\w, )?(--[a-z][a-z-]*)/gmu)].map((match) => match[1] ?? '')),
    variadic: /\.\.\.[>\]]/u.test(usage),
  };
}

/** A stand-in `npx`: records its arguments, creates the snapshot / report files asked for, exits $FAKE_EXIT. */
const FAKE_NPX = `#!/bin/sh
printf '%s\\n' "$@" > "$RECORD"
previous=
for argument in "$@"; do
  case "$previous" in
    --save-snapshot) echo '{}' > "$argument" ;;
    --output-dir) mkdir -p "$argument" && echo '# trailaudit report' > "$argument/trailaudit.md" ;;
  esac
  previous=$argument
done
exit "\${FAKE_EXIT:-0}"
`;

interface ScriptRun {
  readonly status: number | null;
  /** The trailaudit command the script ran: its subcommand and arguments after it. */
  readonly command: string;
  readonly args: readonly string[];
  readonly stderr: string;
}

function runScript(script: string, options: { cwd: string; env: Readonly<Record<string, string>>; fakeExit: number }): ScriptRun {
  const bin = join(options.cwd, '.fake-bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'npx'), FAKE_NPX);
  chmodSync(join(bin, 'npx'), 0o755);
  const record = join(options.cwd, '.npx-args');
  rmSync(record, { force: true });
  const run = spawnSync('/bin/sh', ['-c', script], {
    cwd: options.cwd,
    encoding: 'utf8',
    env: { PATH: `${bin}:${process.env.PATH ?? ''}`, RECORD: record, FAKE_EXIT: String(options.fakeExit), ...options.env },
  });
  assert.ok(existsSync(record), `the script ran no npx: ${run.stderr}`);
  const argv = readFileSync(record, 'utf8').split('\n').slice(0, -1);
  const at = argv.findIndex((argument) => /^trailaudit(@\S+)?$/u.test(argument));
  assert.ok(at >= 0, `npx ran no trailaudit: ${argv.join(' ')}`);
  return { status: run.status, command: argv[at + 1] ?? '', args: argv.slice(at + 2), stderr: run.stderr };
}

function assertKnownOptions(run: ScriptRun, known: ReadonlyMap<string, CommandHelp>): void {
  const help = known.get(run.command);
  assert.ok(help, `trailaudit ${run.command} is not a command the examples should use`);
  const unknown = run.args.filter((argument) => argument.startsWith('--') && !help.options.has(argument.split('=')[0] ?? ''));
  assert.deepEqual(unknown, [], `options trailaudit ${run.command} --help does not list`);
}

/** `evaluate` is given every shard's snapshot: its usage must take several. */
function assertTakesSeveral(run: ScriptRun, known: ReadonlyMap<string, CommandHelp>): void {
  assert.equal(known.get(run.command)?.variadic, true, `trailaudit ${run.command} --help shows one argument, the example passes several`);
}

/** Prepended to a script: the stand-in npx also writes trailaudit.json into --output-dir. */
const FAKE_JSON_REPORT = `npx() { command npx "$@"; status=$?; previous=; for argument in "$@"; do if [ "$previous" = --output-dir ]; then echo '{}' > "$argument/trailaudit.json"; fi; previous=$argument; done; return $status; }
`;

const range = (count: number): number[] => Array.from({ length: count }, (_, index) => index + 1);

const valueAfter = (args: readonly string[], option: string): string | undefined => args[args.indexOf(option) + 1];

describe('sharded organization audit examples (examples/)', function () {
  this.timeout(60_000);
  let known: Map<string, CommandHelp>;
  let work: string;

  before(() => {
    known = new Map(['audit', 'evaluate'].map((command) => [command, commandHelp(command)]));
    assert.ok(known.get('audit')?.options.has('--shard'), 'the built CLI has --shard (npm run build first)');
  });
  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'trailaudit-examples-'));
  });
  afterEach(() => {
    rmSync(work, { recursive: true, force: true });
  });

  describe('GitHub Actions workflow', () => {
    const workflow = parse(readFileSync(join(EXAMPLES, 'github-actions', 'organization-audit.yml'), 'utf8')) as Json;
    const jobs = workflow.jobs as Record<string, Json>;
    const env = workflow.env as Record<string, string | number>;
    const shards = Number(env.SHARDS);
    const steps = (job: string): Json[] => (jobs[job]?.steps ?? []) as Json[];
    const runStep = (job: string, pattern: RegExp): string => {
      const step = steps(job).find((candidate) => typeof candidate.run === 'string' && pattern.test(candidate.run));
      assert.ok(step, `${job} has a step running ${String(pattern)}`);
      return step.run as string;
    };
    /** GitHub's expressions as the runner would fill them for one shard. */
    const expand = (script: string, shard: number, logArchive = '111122223333'): string =>
      script.replace(/\$\{\{\s*([\w.]+)\s*\}\}/gu, (_, name: string) => {
        const values: Record<string, string> = { 'matrix.shard': String(shard), 'env.SHARDS': String(shards), 'vars.LOG_ARCHIVE_ACCOUNT_ID': logArchive };
        const value = values[name];
        assert.ok(value !== undefined, `unexpected expression \${{ ${name} }}`);
        return value;
      });

    it('is scheduled, gets OIDC credentials, and runs one collect job per shard 1..SHARDS', () => {
      assert.ok(Array.isArray((workflow.on as Json).schedule));
      assert.equal((workflow.permissions as Json)['id-token'], 'write');
      assert.ok(shards >= 2);
      const matrix = ((jobs.collect?.strategy as Json).matrix as Json).shard;
      assert.deepEqual(matrix, range(shards), 'matrix.shard is exactly 1..SHARDS');
      assert.ok(steps('collect').some((step) => String(step.uses).startsWith('aws-actions/configure-aws-credentials@')));
      assert.equal(jobs.evaluate?.needs, 'collect');
      assert.ok(steps('evaluate').some((step) => String(step.uses).startsWith('actions/download-artifact@')));
    });

    it('collect steps audit disjoint shards covering 1..N, keep each snapshot, and fail only on exit 2', () => {
      const script = runStep('collect', /trailaudit audit/u);
      const seen: string[] = [];
      for (const shard of range(shards)) {
        const cwd = join(work, `shard-${shard}`);
        mkdirSync(cwd);
        const failing = runScript(expand(script, shard), { cwd, env: { REGIONS: String(env.REGIONS) }, fakeExit: 1 });
        assert.equal(failing.status, 0, `a shard with FAIL findings still uploads its snapshot: ${failing.stderr}`);
        assert.equal(failing.command, 'audit');
        assertKnownOptions(failing, known);
        assert.ok(failing.args.includes('--org'));
        seen.push(valueAfter(failing.args, '--shard') ?? '');
        const snapshot = valueAfter(failing.args, '--save-snapshot') ?? '';
        assert.ok(existsSync(join(cwd, snapshot)), `snapshot ${snapshot}`);
        const badUsage = runScript(expand(script, shard), { cwd, env: { REGIONS: String(env.REGIONS) }, fakeExit: 2 });
        assert.equal(badUsage.status, 2, 'bad usage fails the shard job');
        assert.equal(valueAfter(failing.args, '--log-archive-account'), '111122223333');
        // LOG_ARCHIVE_ACCOUNT_ID unset: the flag is left out (an empty value would be exit 2 in every shard).
        const unset = runScript(expand(script, shard, ''), { cwd, env: { REGIONS: String(env.REGIONS) }, fakeExit: 0 });
        assert.equal(unset.status, 0, unset.stderr);
        assert.equal(unset.args.includes('--log-archive-account'), false, unset.args.join(' '));
        assert.equal(valueAfter(unset.args, '--shard'), `${shard}/${shards}`);
      }
      assert.deepEqual(seen, range(shards).map((shard) => `${shard}/${shards}`));
      const upload = steps('collect').find((step) => String(step.uses).startsWith('actions/upload-artifact@'));
      assert.match(expand(String((upload?.with as Json).path), 1), /^shards\/shard-1\.json$/u);
    });

    it('the evaluate step evaluates every downloaded snapshot, writes the summary, and passes the exit code on', () => {
      const script = runStep('evaluate', /trailaudit evaluate/u);
      mkdirSync(join(work, 'shards'));
      for (const shard of range(shards)) {
        writeFileSync(join(work, 'shards', `shard-${shard}.json`), '{}');
      }
      writeFileSync(join(work, 'summary.md'), '');
      writeFileSync(join(work, 'output'), '');
      const run = runScript(script, { cwd: work, env: { GITHUB_STEP_SUMMARY: join(work, 'summary.md'), GITHUB_OUTPUT: join(work, 'output') }, fakeExit: 3 });
      assert.equal(run.status, 0, run.stderr);
      assert.equal(run.command, 'evaluate');
      assertKnownOptions(run, known);
      assertTakesSeveral(run, known);
      assert.deepEqual(run.args.filter((argument) => argument.endsWith('.json')), range(shards).map((shard) => `shards/shard-${shard}.json`));
      assert.deepEqual(valueAfter(run.args, '--format')?.split(',').sort(), ['json', 'junit', 'markdown']);
      assert.match(readFileSync(join(work, 'summary.md'), 'utf8'), /# trailaudit report/u);
      assert.match(readFileSync(join(work, 'output'), 'utf8'), /^exit=3$/mu);
      const gate = steps('evaluate').at(-1);
      assert.equal(gate?.if, "steps.evaluate.outputs.exit != '0'");
    });
  });

  describe('Kubernetes Indexed Job', () => {
    const documents = parseAllDocuments(readFileSync(join(EXAMPLES, 'kubernetes', 'organization-audit-job.yaml'), 'utf8')).map(
      (document) => document.toJS() as Json,
    );
    const job = (name: string): Json => {
      const found = documents.find((document) => document.kind === 'Job' && (document.metadata as Json).name === name);
      assert.ok(found, `a Job ${name}`);
      return found.spec as Json;
    };
    const container = (spec: Json, init = false): Json => {
      const pod = (spec.template as Json).spec as Json;
      const list = (init ? pod.initContainers : pod.containers) as Json[];
      assert.equal(list.length, 1);
      return list[0] as Json;
    };
    const envOf = (entry: Json): Record<string, string> =>
      Object.fromEntries((entry.env as { name: string; value: string }[]).map(({ name, value }) => [name, value]));
    const script = (entry: Json, volume: string, reports = join(volume, 'reports-volume')): string =>
      ((entry.args as string[])[0] ?? '').replaceAll('/tmp/shard-report', join(volume, 'tmp', 'shard-report')).replaceAll('/shards', volume).replaceAll('/reports', reports);

    it('one Indexed Job of N pods, N shards, and an evaluate Job waiting for N snapshots', () => {
      const collect = job('trailaudit-collect');
      assert.equal(collect.completionMode, 'Indexed');
      const shards = Number(envOf(container(collect)).SHARDS);
      assert.ok(shards >= 2);
      assert.equal(collect.completions, shards);
      assert.equal(collect.parallelism, shards);
      assert.equal(Number(envOf(container(job('trailaudit-evaluate'), true)).SHARDS), shards);
    });

    it('JOB_COMPLETION_INDEX 0..N-1 audits shards 1..N, and evaluate reads every snapshot', () => {
      const collect = container(job('trailaudit-collect'));
      const env = envOf(collect);
      const shards = Number(env.SHARDS);
      const volume = join(work, 'volume');
      mkdirSync(volume);
      const seen: string[] = [];
      for (let index = 0; index < shards; index += 1) {
        const run = runScript(script(collect, volume), { cwd: work, env: { ...env, JOB_COMPLETION_INDEX: String(index) }, fakeExit: 1 });
        assert.equal(run.status, 0, `a shard with FAIL findings completes: ${run.stderr}`);
        assert.equal(run.command, 'audit');
        assertKnownOptions(run, known);
        seen.push(valueAfter(run.args, '--shard') ?? '');
        const bad = runScript(script(collect, volume), { cwd: work, env: { ...env, JOB_COMPLETION_INDEX: String(index) }, fakeExit: 2 });
        assert.equal(bad.status, 2, 'bad usage fails the pod');
        const unset = runScript(script(collect, volume), { cwd: work, env: { ...env, LOG_ARCHIVE_ACCOUNT_ID: '', JOB_COMPLETION_INDEX: String(index) }, fakeExit: 0 });
        assert.equal(unset.args.includes('--log-archive-account'), false, 'an empty LOG_ARCHIVE_ACCOUNT_ID leaves the flag out');
      }
      assert.deepEqual(seen, range(shards).map((shard) => `${shard}/${shards}`));

      const waiting = container(job('trailaudit-evaluate'), true);
      const waited = spawnSync('/bin/sh', ['-c', script(waiting, volume)], { encoding: 'utf8', env: { ...envOf(waiting), PATH: process.env.PATH }, timeout: 5_000 });
      assert.equal(waited.status, 0, `the wait ends once every snapshot is there: ${waited.stderr}`);
      const evaluate = container(job('trailaudit-evaluate'));
      const reports = join(work, 'reports-volume');
      const run = runScript(script(evaluate, volume, reports), { cwd: work, env: envOf(evaluate), fakeExit: 3 });
      assert.equal(run.status, 3, 'the pod exits with trailaudit\'s code, so the Job fails on an incomplete audit');
      assert.equal(run.command, 'evaluate');
      assertKnownOptions(run, known);
      assertTakesSeveral(run, known);
      assert.deepEqual(run.args.filter((argument) => argument.endsWith('.json')), range(shards).map((shard) => join(volume, `shard-${shard}.json`)));
      // Reports to a run folder of the reports volume, and latest/ (the stand-in npx writes trailaudit.md).
      assert.match(valueAfter(run.args, '--output-dir') ?? '', new RegExp(`^${reports}/runs/\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}-\\d{2}Z$`, 'u'));
      assert.equal(existsSync(join(reports, 'latest')), false, 'no trailaudit.json (the stand-in writes none): latest/ untouched');
      const withJson = `${FAKE_JSON_REPORT}${script(evaluate, volume, reports)}`;
      const complete = runScript(withJson, { cwd: work, env: envOf(evaluate), fakeExit: 1 });
      assert.equal(complete.status, 1);
      assert.ok(existsSync(join(reports, 'latest', 'trailaudit.md')) && existsSync(join(reports, 'latest', 'trailaudit.json')), 'latest/ holds the run\'s reports');
    });

    it('keeps the reports on a claim of their own, which the per-run `kubectl delete -f` does not delete, and runs unprivileged', () => {
      const claims = documents.filter((document) => document.kind === 'PersistentVolumeClaim').map((document) => (document.metadata as Json).name);
      assert.deepEqual(claims, ['trailaudit-shards'], 'only the shards claim goes with the job file');
      const reportsFile = parseAllDocuments(readFileSync(join(EXAMPLES, 'kubernetes', 'organization-audit-reports.yaml'), 'utf8')).map((document) => document.toJS() as Json);
      assert.deepEqual(reportsFile.map((document) => [document.kind, (document.metadata as Json).name]), [['PersistentVolumeClaim', 'trailaudit-reports']]);
      const pod = (job('trailaudit-evaluate').template as Json).spec as Json;
      assert.ok((pod.volumes as Json[]).some((volume) => (volume.persistentVolumeClaim as Json | undefined)?.claimName === 'trailaudit-reports'));
      for (const name of ['trailaudit-collect', 'trailaudit-evaluate']) {
        const spec = (job(name).template as Json).spec as Json;
        assert.equal((spec.securityContext as Json).runAsNonRoot, true, name);
        assert.ok(Number((spec.securityContext as Json).runAsUser) > 0, name);
        for (const entry of [...((spec.initContainers ?? []) as Json[]), ...(spec.containers as Json[])]) {
          assert.deepEqual(entry.securityContext, { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } }, `${name}/${String(entry.name)}`);
          // Nothing is written outside the mounted volumes (the root file system is read-only).
          const mounts = ((entry.volumeMounts ?? []) as Json[]).map((mount) => String(mount.mountPath));
          for (const path of ((entry.args as string[] | undefined)?.[0] ?? '').match(/(?<=--(?:output-dir|save-snapshot) "?)\/[\w/-]+/gu) ?? []) {
            assert.ok(mounts.some((mount) => path.startsWith(`${mount}/`)), `${name}: ${path} is on a volume`);
          }
        }
      }
    });
  });
});
